import { compile, EVENT_KINDS, type EventKind, ID_PATTERN, type Severity, ValidationError } from '@linli/contract';
import { type Static, Type } from '@sinclair/typebox';

const Ms = (description: string) => Type.Integer({ minimum: 1000, maximum: 30 * 24 * 3600_000, description });
const Timers = {
  dispatchMs: Ms('raised → dispatched within this long'),
  acknowledgeMs: Ms('dispatched → acknowledged within this long'),
  resolveMs: Ms('acknowledged → resolved within this long'),
};
const AlarmSeverity = Type.Union([Type.Literal('warning'), Type.Literal('critical')]);

const SlaRuleSchema = Type.Object(
  {
    kind: Type.Optional(Type.Union(EVENT_KINDS.map((k) => Type.Literal(k)))),
    severity: Type.Optional(AlarmSeverity),
    dispatchMs: Type.Optional(Timers.dispatchMs),
    acknowledgeMs: Type.Optional(Timers.acknowledgeMs),
    resolveMs: Type.Optional(Timers.resolveMs),
  },
  { additionalProperties: false },
);

/** What an operator writes; everything is optional and falls back to DEFAULT_ALERT_CONFIG. */
export const AlertConfigSchema = Type.Object(
  {
    /** An alarm from the same gateway+device+kind within this long of the open alert's last alarm folds into it. */
    foldWindowMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 3600_000 })),
    /** Escalation stops at this level. */
    maxLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    maintenance: Type.Optional(
      Type.Object(
        {
          /** The longest maintenance window anyone may declare (1 min – 7 days). */
          maxWindowMs: Type.Optional(Type.Integer({ minimum: 60_000, maximum: 7 * 24 * 3600_000 })),
          /** Area code prefixes of care homes: a forced door there is life-safety (never silenced). */
          careHomeAreas: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{6,15}$' }), { maxItems: 1000 })),
          /** Gateways installed in care homes, for the same rule. */
          careHomeGateways: Type.Optional(Type.Array(Type.String({ pattern: ID_PATTERN }), { maxItems: 1000 })),
        },
        { additionalProperties: false },
      ),
    ),
    sla: Type.Optional(
      Type.Object(
        {
          default: Type.Optional(Type.Partial(Type.Object(Timers, { additionalProperties: false }))),
          rules: Type.Optional(Type.Array(SlaRuleSchema, { maxItems: 500 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AlertConfigInput = Static<typeof AlertConfigSchema>;
export type SlaRule = Static<typeof SlaRuleSchema>;
export interface Sla {
  dispatchMs: number;
  acknowledgeMs: number;
  resolveMs: number;
}
export interface AlertConfig {
  foldWindowMs: number;
  maxLevel: number;
  maintenance: { maxWindowMs: number; careHomeAreas: string[]; careHomeGateways: string[] };
  sla: { default: Sla; rules: SlaRule[] };
}

const MIN = 60_000;
/** Defaults: a critical alarm (fire, gas, entrapment, SOS) gets someone moving within minutes. */
export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  foldWindowMs: 10 * MIN,
  maxLevel: 3,
  maintenance: { maxWindowMs: 24 * 60 * MIN, careHomeAreas: [], careHomeGateways: [] },
  sla: {
    default: { dispatchMs: 15 * MIN, acknowledgeMs: 30 * MIN, resolveMs: 24 * 60 * MIN },
    rules: [
      { severity: 'critical', dispatchMs: 3 * MIN, acknowledgeMs: 5 * MIN, resolveMs: 2 * 60 * MIN },
      { kind: 'elevator.entrapment', dispatchMs: 1 * MIN, acknowledgeMs: 3 * MIN, resolveMs: 30 * MIN },
      { kind: 'sos.call', dispatchMs: 1 * MIN, acknowledgeMs: 3 * MIN, resolveMs: 60 * MIN },
    ],
  },
};

const validator = compile(AlertConfigSchema, 'alert configuration');

/** Validates an operator's alert configuration (every problem at once) and fills in the defaults. */
export function parseAlertConfig(input: unknown = {}): AlertConfig {
  const given = validator.assert(input);
  const rules = given.sla?.rules ?? DEFAULT_ALERT_CONFIG.sla.rules;
  const issues = rules.flatMap((r, i) => {
    const out = [];
    if (r.kind === undefined && r.severity === undefined)
      out.push({ field: `sla.rules[${i}]`, message: 'needs a kind, a severity or both (use sla.default otherwise)' });
    if (r.dispatchMs === undefined && r.acknowledgeMs === undefined && r.resolveMs === undefined)
      out.push({ field: `sla.rules[${i}]`, message: 'sets no timer (dispatchMs, acknowledgeMs or resolveMs)' });
    const twin = rules.findIndex((o) => o.kind === r.kind && o.severity === r.severity);
    if (twin < i) out.push({ field: `sla.rules[${i}]`, message: `repeats the match of sla.rules[${twin}]` });
    return out;
  });
  if (issues.length) throw new ValidationError('alert configuration', issues);
  return {
    foldWindowMs: given.foldWindowMs ?? DEFAULT_ALERT_CONFIG.foldWindowMs,
    maxLevel: given.maxLevel ?? DEFAULT_ALERT_CONFIG.maxLevel,
    maintenance: {
      maxWindowMs: given.maintenance?.maxWindowMs ?? DEFAULT_ALERT_CONFIG.maintenance.maxWindowMs,
      careHomeAreas: given.maintenance?.careHomeAreas ?? [],
      careHomeGateways: given.maintenance?.careHomeGateways ?? [],
    },
    sla: { default: { ...DEFAULT_ALERT_CONFIG.sla.default, ...given.sla?.default }, rules },
  };
}

/**
 * The timers for one kind and severity: each timer comes from the most
 * specific rule that sets it (kind+severity, then kind, then severity), else the default.
 */
export function slaFor(config: AlertConfig, kind: EventKind, severity: Severity): Sla {
  const rank = (r: SlaRule) => (r.kind !== undefined ? 2 : 0) + (r.severity !== undefined ? 1 : 0);
  const matching = config.sla.rules
    .filter((r) => (r.kind === undefined || r.kind === kind) && (r.severity === undefined || r.severity === severity))
    .sort((a, b) => rank(a) - rank(b));
  const sla = { ...config.sla.default };
  for (const r of matching) {
    if (r.dispatchMs !== undefined) sla.dispatchMs = r.dispatchMs;
    if (r.acknowledgeMs !== undefined) sla.acknowledgeMs = r.acknowledgeMs;
    if (r.resolveMs !== undefined) sla.resolveMs = r.resolveMs;
  }
  return sla;
}
