import { meaningOf, type PassMethod } from './isapi-codes.js';

/**
 * Personal-data minimisation at the gateway (PIPL): a terminal event arrives
 * with a name, card number, employee number, plate and often a face picture;
 * what leaves this file is a `GateFact` holding only what a Linli event needs.
 * Names are never read. Identifiers are masked here or dropped, per config.
 * The raw object is not kept, logged or returned.
 */

/** `last4`: a masked identifier travels (`****7788`, `皖L·***45`); `none-kept`: none at all. */
export type MaskMode = 'last4' | 'none-kept';

export type GateFact = {
  /** The terminal's event counter; absent for ANPR plates (the stream gives none). */
  serialNo?: number;
  /** Terminal clock, ms since epoch. */
  time: number;
  door: number;
} & (
  | { kind: 'pass'; method: PassMethod; direction: 'in' | 'out'; credentialMasked?: string }
  | { kind: 'refused'; method: PassMethod; reason: string }
  | { kind: 'forced' | 'held_open' | 'door_open' | 'tamper' }
);

export type Minimised = GateFact | 'heartbeat' | 'ignored';

/** `4455667788` → `****7788`: enough for a guard to match a card in hand, not to clone it. */
export function maskId(id: string): string {
  const s = id.trim();
  if (s.length <= 4) return '*'.repeat(s.length);
  return `****${s.slice(-4)}`;
}

/** `皖L12345` → `皖L·***45`: the issuing city stays (useful, not personal), the rest mostly hidden. */
export function maskPlate(plate: string): string {
  const chars = [...plate.replace(/[·•\s]/g, '')];
  if (chars.length < 5) return '*'.repeat(chars.length);
  return `${chars.slice(0, 2).join('')}·${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const int = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
};
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function timeOf(v: unknown): number | null {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) && t >= 0 ? t : null;
}

/**
 * One access-control record, from either shape ISAPI uses: the alert stream's
 * `AccessControllerEvent` (majorEventType/subEventType) or an AcsEvent search
 * `InfoList` item (major/minor/time).
 */
export function minimiseAccess(ev: Record<string, unknown>, time: number | null, mask: MaskMode): Minimised {
  const major = int(ev.majorEventType ?? ev.major);
  const minor = int(ev.subEventType ?? ev.minor);
  const at = time ?? timeOf(ev.time);
  if (major === null || minor === null || at === null) return 'ignored';
  const meaning = meaningOf(major, minor);
  if (!meaning) return 'ignored';
  const serialNo = int(ev.serialNo);
  const door = int(ev.doorNo) || 1;
  const base = { ...(serialNo !== null ? { serialNo } : {}), time: at, door };
  if (meaning.kind === 'pass') {
    // Direction: on a two-reader door, reader 1 is the entry side and reader 2 the exit (odd in, even out).
    const reader = int(ev.cardReaderNo);
    const direction = reader !== null && reader > 0 && reader % 2 === 0 ? 'out' : 'in';
    const method: PassMethod =
      meaning.method === 'card' && /qr/i.test(str(ev.currentVerifyMode) ?? '') ? 'qr' : meaning.method;
    const credential =
      method === 'card' || method === 'qr' ? str(ev.cardNo) : method === 'remote' ? null : str(ev.employeeNoString);
    return {
      ...base,
      kind: 'pass',
      method,
      direction,
      ...(credential && mask === 'last4' ? { credentialMasked: maskId(credential) } : {}),
    };
  }
  if (meaning.kind === 'refused') return { ...base, kind: 'refused', method: meaning.method, reason: meaning.reason };
  return { ...base, kind: meaning.kind };
}

/** A vehicle barrier's plate read (`eventType: ANPR`); a block-listed plate is a refusal. */
function minimiseAnpr(anpr: Record<string, unknown>, time: number, mask: MaskMode): Minimised {
  const plate = str(anpr.licensePlate);
  if (!plate) return 'ignored';
  const list = str(anpr.vehicleListName);
  if (list === 'blockList' || list === 'blackList')
    return { time, door: 1, kind: 'refused', method: 'plate', reason: 'blocked_plate' };
  const direction = str(anpr.direction) === 'reverse' ? 'out' : 'in';
  return {
    time,
    door: 1,
    kind: 'pass',
    method: 'plate',
    direction,
    ...(mask === 'last4' ? { credentialMasked: maskPlate(plate) } : {}),
  };
}

/** One parsed JSON part of the alert stream → a fact, a heartbeat, or nothing Linli uses. */
export function minimiseAlert(raw: unknown, mask: MaskMode): Minimised {
  const a = obj(raw);
  if (!a) return 'ignored';
  const type = str(a.eventType)?.toLowerCase();
  // Access terminals send heartBeat parts; cameras and NVRs an inactive videoloss alert.
  if (type === 'heartbeat' || (type === 'videoloss' && str(a.eventState) === 'inactive')) return 'heartbeat';
  const time = timeOf(a.dateTime);
  if (type === 'accesscontrollerevent') {
    const ev = obj(a.AccessControllerEvent);
    return ev ? minimiseAccess(ev, time, mask) : 'ignored';
  }
  if (type === 'anpr') {
    const anpr = obj(a.ANPR);
    return anpr && time !== null ? minimiseAnpr(anpr, time, mask) : 'ignored';
  }
  return 'ignored';
}
