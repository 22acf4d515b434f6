import { describe, expect, it } from 'vitest';
import {
  type ActionResult,
  applyResults,
  emptyQueue,
  enqueue,
  nextBatch,
  normalise,
  type QueuedAction,
  type QueueState,
} from '../../../web/src/field/queue.js';

/**
 * The hub's promise as a model (dashboard/src/field/apply-batch.ts is the
 * real one, tested over HTTP in dashboard/test/field): sorted by seq, a known
 * client id is a duplicate, the next seq is applied, anything else stops the batch.
 */
function modelHub() {
  let last = 0;
  const seen = new Map<string, ActionResult>();
  const applied: string[] = [];
  return {
    applied,
    receive(batch: QueuedAction[]): ActionResult[] {
      const out: ActionResult[] = [];
      for (const a of [...batch].sort((x, y) => x.seq - y.seq)) {
        const prior = seen.get(a.clientId);
        if (prior) {
          out.push({ ...prior, status: 'duplicate' });
          continue;
        }
        if (a.seq !== last + 1) {
          out.push({ clientId: a.clientId, seq: a.seq, status: 'out_of_order', data: { expectedSeq: last + 1 } });
          break;
        }
        last = a.seq;
        const r: ActionResult = { clientId: a.clientId, seq: a.seq, status: 'applied' };
        seen.set(a.clientId, r);
        applied.push(a.clientId);
        out.push(r);
      }
      return out;
    },
  };
}

let ids = 0;
const fill = (n: number, q = emptyQueue('dev-test-0001')): QueueState => {
  for (let i = 0; i < n; i++)
    q = enqueue(q, { type: 'patrol.visit', n: i }, 1000 + i, `id-${String(++ids).padStart(8, '0')}`).state;
  return q;
};

/** Sends until the queue is empty; `lose` drops some replies (the hub applied, the phone never heard). */
function drain(q: QueueState, hub: ReturnType<typeof modelHub>, lose: (round: number) => boolean, maxItems = 50) {
  for (let round = 0; q.items.length && round < 10_000; round++) {
    const batch = nextBatch(q, maxItems);
    const results = hub.receive(batch);
    if (lose(round)) continue;
    q = applyResults(q, results).state;
  }
  return q;
}

describe('offline queue', () => {
  it('numbers actions in the order the worker did them', () => {
    const q = fill(3);
    expect(q.items.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(q.nextSeq).toBe(4);
  });

  it('restores order and drops repeats when storage hands items back shuffled and twice', () => {
    const q = fill(20);
    const shuffled = [...q.items].reverse().concat(q.items.slice(0, 5));
    const back = normalise({ ...q, items: shuffled, nextSeq: 1 });
    expect(back.items.map((i) => i.clientId)).toEqual(q.items.map((i) => i.clientId));
    expect(back.nextSeq).toBe(21);
  });

  it('delivers 1,000 actions exactly once and in order, with every other reply lost', () => {
    const q = fill(1000);
    const want = q.items.map((i) => i.clientId);
    const hub = modelHub();
    const left = drain(q, hub, (round) => round % 2 === 0);
    expect(left.items).toHaveLength(0);
    expect(hub.applied).toEqual(want);
  });

  it('sends a reversed batch and the hub still applies in sequence order', () => {
    const q = fill(10);
    const hub = modelHub();
    const results = hub.receive([...q.items].reverse());
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('applied'));
    expect(applyResults(q, results).state.items).toHaveLength(0);
  });

  it('renumbers from the sequence the hub expects when stored items were lost', () => {
    let q = fill(6);
    const hub = modelHub();
    q = applyResults(q, hub.receive(nextBatch(q, 2))).state;
    // Storage lost seq 3 and 4 (a cleared site-data, a crash mid-write): the hub sees a gap.
    q = { ...q, items: q.items.filter((i) => i.seq !== 3 && i.seq !== 4) };
    const r = applyResults(q, hub.receive(nextBatch(q)));
    expect(r.renumbered).toBe(true);
    expect(r.state.items.map((i) => i.seq)).toEqual([3, 4]);
    const left = drain(r.state, hub, () => false);
    expect(left.items).toHaveLength(0);
    expect(hub.applied).toHaveLength(4);
  });

  it('removes a refused action from the queue and keeps it for the worker to read', () => {
    const q = fill(2);
    const [a, b] = q.items as [QueuedAction, QueuedAction];
    const r = applyResults(q, [
      { clientId: a.clientId, seq: 1, status: 'refused', code: 'FIELD_TOO_FAR', message: '距签到点 300 米' },
      { clientId: b.clientId, seq: 2, status: 'applied' },
    ]);
    expect(r.state.items).toHaveLength(0);
    expect(r.done[0]).toMatchObject({ status: 'refused', code: 'FIELD_TOO_FAR' });
  });

  it('keeps batches within the byte limit but always sends at least one action', () => {
    let q = emptyQueue('dev-test-0002');
    const big = 'A'.repeat(1_000_000);
    for (let i = 0; i < 4; i++) q = enqueue(q, { type: 'matter.report', photo: big }, i, `big-${i}-0000000`).state;
    expect(nextBatch(q, 50, 2_500_000)).toHaveLength(2);
    expect(nextBatch(q, 50, 10)).toHaveLength(1);
  });
});
