import { type TProperties, type TSchema, Type } from '@sinclair/typebox';

/** Small building blocks shared by the REST reply schemas. */
export const Count = Type.Integer({ minimum: 0 });
/** Milliseconds since the epoch. */
export const Millis = Type.Integer({ minimum: 0 });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const AreaCode = Type.String({ pattern: '^[0-9]{4,15}$' });
export const Ulid = Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' });
/** A count about people as the hub publishes it: the number from 5 up, "<5" below (dashboard/src/privacy/safe-counts.ts). */
export const SafeCount = Type.Union([Count, Type.String({ pattern: '^<[0-9]+$' })]);
export const CountRange = Type.Object({ min: Count, max: Count }, { additionalProperties: false });

/** One of a closed list of strings, as a JSON Schema `enum` (compact where a union of literals would repeat code per value). */
export function oneOf<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
}

/** A successful reply: `{ ok: true, ...fields }`, nothing else. */
export function okReply<P extends TProperties>(fields: P) {
  return Type.Object({ ok: Type.Literal(true), ...fields }, { additionalProperties: false });
}
