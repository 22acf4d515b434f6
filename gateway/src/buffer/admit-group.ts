import type { LinliEvent } from '@linli/contract';
import { buildEvent, classOf } from './build-event.js';
import { type DiskWatch, NeedRoom } from './disk-watch.js';
import type { Eviction, Tally } from './eviction.js';
import type { OutboxStatements } from './outbox-statements.js';
import type { Pending } from './outbox-types.js';
import type { OverflowCounts, OverflowReason } from './overflow-counts.js';
import { serializeEvent } from './serialize.js';

/** Smallest eviction for room on a full disk. */
const MIN_DISK_EVICT = 16 * 1024;

export interface Admitted {
  p: Pending;
  event: LinliEvent;
}
export type Outcome = { admitted: Admitted[]; refused: Pending[]; reason: OverflowReason };

/** What admission reads and changes: the outbox's running totals, limits, statements and disk state. */
export interface Admission {
  tally: Tally;
  maxBytes: number;
  evict: Eviction;
  disk: DiskWatch;
  q: OutboxStatements;
  counts: OverflowCounts;
  nextId: (time?: number) => string;
  gatewayId: string;
}

/** Inside a transaction: make room, insert what fits, refuse newest telemetry first and alarms last. */
export function admitGroup(group: Pending[], mayRefuseForDisk: boolean, a: Admission): Outcome {
  const { tally, q, counts, disk, evict, maxBytes } = a;
  // Serialise once with the sequences they get if all fit (the common case); renumber only after a refusal.
  const sized = group.map((p, i) => {
    const event = buildEvent(p, tally.lastSeq + i + 1, a.nextId(p.receivedAt), a.gatewayId);
    const body = serializeEvent(event);
    return { p, event, body, size: body.length, alarm: classOf(p) === 'alarm' };
  });
  let incoming = sized.reduce((n, d) => n + d.size, 0);
  if (tally.bytes + incoming > maxBytes) evict.oldest(tally.bytes + incoming - maxBytes);
  // On a full disk, telemetry gives way until the group fits in the room left (pages free up in whole pages).
  for (let k = 0, short = disk.shortfall(incoming); short > 0 && tally.telemetry > 0 && k < 24; k++) {
    evict.oldest(Math.max(MIN_DISK_EVICT, short * 2) * 2 ** k);
    short = disk.shortfall(incoming);
  }
  // On a full disk only what fits in the room left is taken; beyond that, refusals as for the byte limit.
  const diskRoom = disk.room();
  if (incoming > diskRoom && !mayRefuseForDisk) throw new NeedRoom(incoming);
  const over = () => tally.bytes + incoming > maxBytes || incoming > diskRoom;
  const refused = new Set<(typeof sized)[number]>();
  for (const cls of [false, true]) {
    for (let i = sized.length - 1; i >= 0 && over(); i--) {
      const d = sized[i]!;
      if (d.alarm === cls && !refused.has(d)) {
        refused.add(d);
        incoming -= d.size;
      }
    }
  }
  const reason: OverflowReason = disk.isFull ? 'disk_full' : 'capacity';
  const admitted: Admitted[] = [];
  for (const d of sized) {
    if (refused.has(d)) {
      if (!d.p.internal) counts.addInTx(d.p.draft.kind, d.alarm ? 'alarm' : 'telemetry', 1, 0, reason);
      continue;
    }
    const seq = ++tally.lastSeq;
    const event = d.event.seq === seq ? d.event : ({ ...d.event, seq } as LinliEvent);
    const body = d.event.seq === seq ? d.body : serializeEvent(event);
    (d.alarm ? q.insertAlarm : q.insertTelemetry).run(seq, event.receivedAt, body.length, body);
    tally.bytes += body.length;
    tally.depth++;
    if (!d.alarm) tally.telemetry++;
    d.p.inTx?.();
    admitted.push({ p: d.p, event });
  }
  q.setMeta.run(tally.lastSeq, 'last_seq');
  return { admitted, refused: [...refused].map((d) => d.p), reason };
}
