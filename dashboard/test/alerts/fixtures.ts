import { createIdFactory, type LinliEvent, type Severity } from '@linli/contract';
import { AlertService, type AlertServiceOptions } from '../../src/alerts/index.js';
import { PgDb } from '../../src/store/sql/pg-db.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { SqliteDb } from '../../src/store/sql/sqlite-db.js';
import { TEST_PG_URL } from '../support/dialects.js';

/** Two streets of the demo district; a leader of one must never see the other. */
export const STREET_A = '341302001';
export const STREET_B = '341302002';
export const GRID_A = `${STREET_A}001001`;
export const GRID_A2 = `${STREET_A}002003`;
export const GRID_B = `${STREET_B}001001`;
export const CITY = ['3413'];

export const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
export const MIN = 60_000;

/** A clock the test moves by hand. */
export function fakeClock(start = T0) {
  let t = start;
  return { now: () => t, set: (v: number) => void (t = v), advance: (ms: number) => void (t += ms) };
}

/** The alert service over a test database (`describeEachDialect`'s fresh, migrated `ctx.db`). */
export function service(db: SqlDb, opts: AlertServiceOptions = {}) {
  return { svc: new AlertService(db, opts), db };
}

/**
 * A second, independent connection to the same database, as another hub node
 * would open it: a new SqliteDb on the same file, or a new PgDb pool on the
 * same schema. The caller closes it.
 */
export function secondConnection(db: SqlDb): SqlDb {
  if (db.dialect === 'sqlite') return new SqliteDb(db.describe.slice('sqlite:'.length));
  const schema = db.describe.split('#')[1];
  return new PgDb({ url: TEST_PG_URL, ...(schema ? { schema } : {}) });
}

const nextId = createIdFactory();
let seq = 0;
type Over = Partial<Pick<LinliEvent, 'gatewayId' | 'deviceId' | 'receivedAt' | 'severity'>> & { gridId?: string };

/** A stored smoke alarm (or its "over" report with `active: false`). */
export function smoke(over: Over = {}, active = true): LinliEvent {
  return {
    v: 1,
    id: nextId(),
    gatewayId: over.gatewayId ?? 'gw-a',
    seq: ++seq,
    deviceTime: over.receivedAt ?? T0,
    receivedAt: over.receivedAt ?? T0,
    deviceId: over.deviceId ?? 'smoke-01',
    kind: 'smoke.alarm',
    severity: over.severity ?? (active ? 'critical' : 'notice'),
    location: { lng: 116.8, lat: 33.95, gridId: over.gridId ?? GRID_A },
    payload: { active },
  };
}

/** A building-tilt alarm (or its "over" report): an alarm a maintenance window may silence. */
export function tilt(over: Over = {}, active = true): LinliEvent {
  return {
    ...smoke(over, active),
    kind: 'tilt.alarm',
    severity: over.severity ?? (active ? 'warning' : 'notice'),
  } as LinliEvent;
}

export function entrapment(over: Over = {}): LinliEvent {
  return {
    v: 1,
    id: nextId(),
    gatewayId: over.gatewayId ?? 'gw-a',
    seq: ++seq,
    deviceTime: over.receivedAt ?? T0,
    receivedAt: over.receivedAt ?? T0,
    deviceId: over.deviceId ?? 'lift-01',
    kind: 'elevator.entrapment',
    severity: over.severity ?? 'critical',
    location: { lng: 116.8, lat: 33.95, gridId: over.gridId ?? GRID_A },
    payload: { floor: 7, trappedSeconds: 30 },
  };
}

export function meterReading(over: Over = {}): LinliEvent {
  return {
    v: 1,
    id: nextId(),
    gatewayId: over.gatewayId ?? 'gw-a',
    seq: ++seq,
    deviceTime: T0,
    receivedAt: over.receivedAt ?? T0,
    deviceId: over.deviceId ?? 'meter-01',
    kind: 'meter.reading',
    severity: 'info' satisfies Severity,
    location: { lng: 116.8, lat: 33.95, gridId: over.gridId ?? GRID_A },
    payload: { medium: 'water', values: { flow: 1 }, units: { flow: 'm3' } },
  };
}

/** Alarms that are not life-safety (a maintenance window may silence them), and a forced door. */
export function alarm(kind: 'tilt.alarm' | 'gate.held_open' | 'gate.forced', over: Over = {}): LinliEvent {
  const payload =
    kind === 'tilt.alarm'
      ? { active: true }
      : kind === 'gate.held_open'
        ? { door: 'east', seconds: 120 }
        : { door: 'east' };
  return {
    v: 1,
    id: nextId(),
    gatewayId: over.gatewayId ?? 'gw-a',
    seq: ++seq,
    deviceTime: over.receivedAt ?? T0,
    receivedAt: over.receivedAt ?? T0,
    deviceId: over.deviceId ?? 'smoke-01',
    kind,
    severity: over.severity ?? (kind === 'gate.forced' ? 'critical' : 'warning'),
    location: { lng: 116.8, lat: 33.95, gridId: over.gridId ?? GRID_A },
    payload,
  } as LinliEvent;
}
