import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDraft, LinliEvent } from '@linli/contract';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/buffer/outbox.js';

const loc = { lng: 117.01, lat: 33.66, gridId: '341302001001001' };
const sos = (i: number): EventDraft => ({ kind: 'sos.call', deviceId: 'sos-01', deviceTime: i, payload: {} });
/** The buffer's real subscribers, by the component names they register with. */
const COMPONENTS = ['uplink', 'alarm-log', 'local-page', 'media', 'flows'];

/** A real SQLite file capped at a few pages: writing to it fails with a genuine SQLITE_FULL. */
function fullDatabase(): Database.Database {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'linli-full-')), 'alarms.sqlite'));
  db.exec('CREATE TABLE a (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  return db;
}

let escaped: unknown[];
const onEscape = (err: unknown) => escaped.push(err);
beforeEach(() => {
  escaped = [];
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterEach(() => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
});

function outbox() {
  const problems: { msg: string; fields: Record<string, unknown> }[] = [];
  const box = new Outbox({
    file: join(mkdtempSync(join(tmpdir(), 'linli-listen-')), 'buffer.sqlite'),
    gatewayId: 'gw-1',
    synchronous: 'normal',
    ballastBytes: 0,
    location: loc,
    onProblem: (msg, fields) => problems.push({ msg, fields }),
  });
  return { box, problems };
}

describe('the buffer isolates its subscribers', () => {
  for (const failing of COMPONENTS)
    for (const how of ['throws', 'rejects'] as const)
      it(`commits, and the other subscribers still run, when ${failing} ${how}`, async () => {
        const { box, problems } = outbox();
        const got = new Map<string, number[]>();
        for (const c of COMPONENTS)
          box.onAppend((events: LinliEvent[]) => {
            if (c === failing) {
              if (how === 'throws') throw new Error(`${c} broke`);
              return Promise.reject(new Error(`${c} broke later`));
            }
            got.set(c, [...(got.get(c) ?? []), ...events.map((e) => e.seq)]);
          }, c);
        const stored = await Promise.all([box.enqueue(sos(1), loc), box.enqueue(sos(2), loc)]);
        expect(stored.map((e) => e.seq)).toEqual([1, 2]);
        expect(box.readAfter(0, 10).map((e) => e.seq)).toEqual([1, 2]);
        for (const c of COMPONENTS.filter((x) => x !== failing)) expect(got.get(c)).toEqual([1, 2]);
        await new Promise<void>((r) => setImmediate(r));
        expect(problems.map((p) => p.msg)).toEqual([`${failing}/append failed; the commit stands`]);
        // The next commit runs the same way: nothing was left half-done.
        expect((await box.enqueue(sos(3), loc)).seq).toBe(3);
        expect(escaped).toEqual([]);
        box.close();
      });

  it('a subscriber whose own SQLite file is full (SQLITE_FULL) cannot abort a commit or the process', async () => {
    const { box, problems } = outbox();
    const db = fullDatabase();
    const insert = db.prepare('INSERT INTO a (seq, body) VALUES (?, ?)');
    let uplinkSaw = 0;
    box.onAppend((events: LinliEvent[]) => {
      for (const e of events) insert.run(e.seq, JSON.stringify(e).repeat(50));
    }, 'alarm-log');
    box.onAppend((events: LinliEvent[]) => void (uplinkSaw += events.length), 'uplink');
    const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => box.enqueue(sos(i), loc)));
    expect(stored).toHaveLength(20);
    expect(box.stats().depth).toBe(20);
    expect(uplinkSaw).toBe(20);
    const failure = problems.find((p) => p.msg === 'alarm-log/append failed; the commit stands');
    expect(failure?.fields.code).toBe('SQLITE_FULL');
    expect(escaped).toEqual([]);
    db.close();
    box.close();
  });
});
