import { compile } from '@linli/contract';
import { type Static, Type } from '@sinclair/typebox';

/** What an operator may set for field work (hub option `fieldConfig`); everything optional. */
export const FieldConfigSchema = Type.Object(
  {
    /** Categories a worker picks a matter from, in the order the phone shows them. */
    categories: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1, maxItems: 40, uniqueItems: true }),
    ),
    /** A check-in farther than this from its point is refused. */
    checkInRadiusM: Type.Optional(Type.Number({ minimum: 5, maximum: 1000 })),
    /** "Arrived" is accepted inside the grid or this close to its edge or to the alert's position. */
    arrivalToleranceM: Type.Optional(Type.Number({ minimum: 0, maximum: 5000 })),
    /** Positions and tracks of workers are deleted after this many days. */
    positionRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    /** A last known position older than this is not shown as a worker on patrol. */
    positionStaleMs: Type.Optional(Type.Integer({ minimum: 10_000, maximum: 24 * 3600_000 })),
  },
  { additionalProperties: false },
);
export type FieldConfigInput = Static<typeof FieldConfigSchema>;
export type FieldConfig = Required<FieldConfigInput>;

/** 安全隐患, 环境卫生, 矛盾纠纷, 设施损坏, 违停拥堵, 其他: the kinds of matter grid workers report most. */
export const DEFAULT_FIELD_CONFIG: FieldConfig = {
  categories: ['安全隐患', '环境卫生', '矛盾纠纷', '设施损坏', '违停拥堵', '其他'],
  checkInRadiusM: 50,
  arrivalToleranceM: 200,
  positionRetentionDays: 30,
  positionStaleMs: 30 * 60_000,
};

const validator = compile(FieldConfigSchema, 'field configuration');

/** Validates (every problem at once) and fills in defaults. */
export function parseFieldConfig(input: unknown = {}): FieldConfig {
  return { ...DEFAULT_FIELD_CONFIG, ...validator.assert(input) };
}
