/** A camera notification turned into what the gateway cares about. */
export interface CameraSignal {
  kind: 'camera.motion' | 'camera.tamper' | 'camera.thrown_object';
  /** true on the rising edge (motion starts); false when it ends. */
  active: boolean;
  region?: string;
  floorEstimate?: number;
}

/** Topic patterns per signal. Vendors differ; these cover the ONVIF standard topics and the common Chinese ones. */
const RULES: { kind: CameraSignal['kind']; topic: RegExp }[] = [
  { kind: 'camera.thrown_object', topic: /thrown|throwing|falling ?object|highaltitude|parabolic/i },
  { kind: 'camera.tamper', topic: /tamper|GlobalSceneChange|SignalLoss|VideoBlind/i },
  { kind: 'camera.motion', topic: /Motion|CellMotionDetector|FieldDetector/i },
];

/** Data items that carry the state, in the order vendors use them. */
const STATE_ITEMS = ['IsMotion', 'IsTamper', 'IsThrown', 'State', 'IsInside', 'Active'];

type Item = { $?: { Name?: unknown; Value?: unknown } };

/**
 * Maps one notification (as the `onvif` library parses it) to a signal, or
 * null for topics the gateway does not turn into events. Pure: no I/O.
 */
export function mapNotification(msg: unknown): CameraSignal | null {
  const m = msg as { topic?: { _?: unknown } | string; message?: { message?: { data?: { simpleItem?: unknown } } } };
  const topic = typeof m?.topic === 'string' ? m.topic : typeof m?.topic?._ === 'string' ? m.topic._ : '';
  if (!topic) return null;
  const rule = RULES.find((r) => r.topic.test(topic));
  if (!rule) return null;
  const raw = m.message?.message?.data?.simpleItem;
  const items = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Item[];
  const value = (name: string) => items.find((i) => i.$?.Name === name)?.$?.Value;
  const stateName = STATE_ITEMS.find((n) => value(n) !== undefined);
  const state = stateName ? value(stateName) : true;
  const active = state === true || state === 'true' || state === 1 || state === '1';
  const signal: CameraSignal = { kind: rule.kind, active };
  const floor = value('FloorEstimate');
  if (rule.kind === 'camera.thrown_object' && floor !== undefined && Number.isInteger(Number(floor)))
    signal.floorEstimate = Number(floor);
  const region = value('Region') ?? value('Rule');
  if (rule.kind === 'camera.motion' && typeof region === 'string' && region.length > 0 && region.length <= 64)
    signal.region = region;
  return signal;
}
