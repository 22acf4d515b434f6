import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdFactory, type LinliEvent, type Severity } from '@linli/contract';
import Database from 'better-sqlite3';
import { AlertService, type AlertServiceOptions, migrateAlerts } from '../../src/alerts/index.js';

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

/** A real SQLite file in a fresh temp folder, opened the way the hub opens it. */
export function tempDbFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'linli-alerts-')), 'hub.sqlite');
}

/** `durable: false` skips fsync (property tests run thousands of transactions; the SQL is the same). */
export function openDb(file: string, durable = true): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durable ? 'FULL' : 'OFF'}`);
  migrateAlerts(db);
  return db;
}

export function service(opts: AlertServiceOptions & { file?: string; durable?: boolean } = {}) {
  const file = opts.file ?? tempDbFile();
  const db = openDb(file, opts.durable);
  return { svc: new AlertService(db, opts), db, file };
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
