import { type TSchema, Type } from '@sinclair/typebox';

/**
 * The closed taxonomy of event kinds. Adding a kind is a contract change:
 * bump nothing for additions (old hubs reject unknown kinds loudly), but never
 * change the payload of an existing kind without a new envelope version.
 */

const Medium = Type.Union([
  Type.Literal('electricity'),
  Type.Literal('water'),
  Type.Literal('gas'),
  Type.Literal('heat'),
]);
const PassMethod = Type.Union([
  Type.Literal('card'),
  Type.Literal('face'),
  Type.Literal('qr'),
  Type.Literal('password'),
  Type.Literal('remote'),
  Type.Literal('plate'),
]);
const Direction = Type.Union([Type.Literal('in'), Type.Literal('out')]);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Strict = { additionalProperties: false } as const;
const NonNegative = Type.Integer({ minimum: 0 });
const KindCounts = Type.Record(Type.String({ pattern: '^[a-z][a-z_]*\\.[a-z][a-z_]*$|^unknown$' }), NonNegative, {
  maxProperties: 64,
});

/** Payload schema of every kind. Personal data never appears here in clear: gates send masked ids only. */
export const payloadSchemas = {
  'gate.pass': Type.Object(
    { method: PassMethod, direction: Direction, credentialMasked: Type.Optional(Text(32)) },
    Strict,
  ),
  'gate.refused': Type.Object({ method: PassMethod, reason: Text(64) }, Strict),
  'gate.forced': Type.Object({ door: Text(64) }, Strict),
  'gate.held_open': Type.Object({ door: Text(64), seconds: Type.Integer({ minimum: 0 }) }, Strict),
  /** The terminal's case or a card reader was opened (anti-tamper switch). */
  'gate.tamper': Type.Object({ door: Text(64) }, Strict),
  'elevator.status': Type.Object(
    {
      floor: Type.Integer({ minimum: -10, maximum: 200 }),
      direction: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('stopped')]),
      door: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
      running: Type.Boolean(),
      faultCode: Type.Integer({ minimum: 0, maximum: 65535 }),
    },
    Strict,
  ),
  'elevator.entrapment': Type.Object(
    { floor: Type.Integer({ minimum: -10, maximum: 200 }), trappedSeconds: Type.Integer({ minimum: 0 }) },
    Strict,
  ),
  'elevator.fault': Type.Object({ faultCode: Type.Integer({ minimum: 1, maximum: 65535 }) }, Strict),
  'meter.reading': Type.Object(
    {
      medium: Medium,
      /** Data point name → value in the unit named in `units`. */
      values: Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,31}$' }), Type.Number(), {
        minProperties: 1,
        maxProperties: 64,
      }),
      units: Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,31}$' }), Text(16)),
    },
    Strict,
  ),
  'meter.inactive': Type.Object(
    { medium: Medium, quietHours: Type.Number({ minimum: 0 }), lastChangeAt: Type.Integer({ minimum: 0 }) },
    Strict,
  ),
  'camera.motion': Type.Object({ region: Type.Optional(Text(64)) }, Strict),
  'camera.tamper': Type.Object({}, Strict),
  'camera.thrown_object': Type.Object({ floorEstimate: Type.Optional(Type.Integer()) }, Strict),
  'sos.call': Type.Object({ household: Type.Optional(Text(32)) }, Strict),
  'smoke.alarm': Type.Object({ active: Type.Boolean() }, Strict),
  'gas.alarm': Type.Object({ active: Type.Boolean() }, Strict),
  'tilt.alarm': Type.Object({ active: Type.Boolean(), angleDeg: Type.Optional(Type.Number()) }, Strict),
  'device.online': Type.Object({}, Strict),
  'device.offline': Type.Object({ reason: Text(200) }, Strict),
  /** A local rule (a Node-RED flow on the gateway) raised an alarm: which rule, and what staff should read. */
  'rule.alert': Type.Object({ rule: Text(64), text: Text(500) }, Strict),
  /**
   * A matter (事项) a grid worker reported from the field; made by the hub from
   * a phone's report (never sent by a gateway), it opens an alert like an alarm.
   */
  'field.matter': Type.Object({ category: Text(32), photos: Type.Integer({ minimum: 0, maximum: 4 }) }, Strict),
  /**
   * The gateway had to refuse events (buffer or disk full); sent once it has room again. Counts are
   * exact and cover what no earlier report did: the sum over reports is the gateway's total.
   */
  'gateway.buffer_full': Type.Object(
    {
      reason: Type.Union([Type.Literal('capacity'), Type.Literal('disk_full')]),
      refusedAlarms: Type.Integer({ minimum: 0 }),
      evictedTelemetry: Type.Integer({ minimum: 0 }),
      since: Type.Integer({ minimum: 0 }),
      /** Refused events (alarms and telemetry) by kind, and evicted telemetry by kind. */
      refusedByKind: Type.Optional(KindCounts),
      evictedByKind: Type.Optional(KindCounts),
    },
    Strict,
  ),
  /** The gateway's disk is full: it released its reserve and evicts telemetry to keep alarms. */
  'gateway.disk_full': Type.Object({ freeBytes: NonNegative, bufferBytes: NonNegative }, Strict),
  /** The gateway's buffer has room to work normally again (the disk-full state has cleared). */
  'gateway.disk_ok': Type.Object({ freeBytes: NonNegative, bufferBytes: NonNegative, fullForMs: NonNegative }, Strict),
} as const satisfies Record<string, TSchema>;

export type EventKind = keyof typeof payloadSchemas;
export const EVENT_KINDS = Object.keys(payloadSchemas) as EventKind[];

export const SEVERITIES = ['info', 'notice', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity a kind carries unless the producer says otherwise. */
export const defaultSeverity: Record<EventKind, Severity> = {
  'gate.pass': 'info',
  'gate.refused': 'notice',
  'gate.forced': 'critical',
  'gate.held_open': 'warning',
  'gate.tamper': 'warning',
  'elevator.status': 'info',
  'elevator.entrapment': 'critical',
  'elevator.fault': 'warning',
  'meter.reading': 'info',
  'meter.inactive': 'warning',
  'camera.motion': 'notice',
  'camera.tamper': 'warning',
  'camera.thrown_object': 'critical',
  'sos.call': 'critical',
  'smoke.alarm': 'critical',
  'gas.alarm': 'critical',
  'tilt.alarm': 'warning',
  'device.online': 'info',
  'device.offline': 'warning',
  'gateway.buffer_full': 'critical',
  'gateway.disk_full': 'warning',
  'gateway.disk_ok': 'notice',
  'rule.alert': 'warning',
  'field.matter': 'warning',
};

/** Alarms travel on the priority lane and are never evicted before telemetry. */
export type PriorityClass = 'alarm' | 'telemetry';
export function priorityOf(severity: Severity): PriorityClass {
  return severity === 'warning' || severity === 'critical' ? 'alarm' : 'telemetry';
}
