/**
 * The phone's offline queue as pure functions over plain data (stored in
 * IndexedDB by idb-store.ts, sent by sender.ts). Every action gets a client
 * id and the next per-device sequence number when the worker does it; the hub
 * applies each exactly once and in sequence order (docs/field.md), so the
 * queue may resend anything any number of times.
 */

/** One action as the hub's contract has it (FieldActionSchema): clientId, seq, at, type and its fields. */
export interface QueuedAction {
  clientId: string;
  seq: number;
  at: number;
  type: string;
  [field: string]: unknown;
}

export interface QueueState {
  /** This installation's id, made once. */
  deviceId: string;
  /** The sequence the next action gets. */
  nextSeq: number;
  /** Waiting actions, in sequence order, no client id twice. */
  items: QueuedAction[];
}

/** What the hub said about one action (FieldResultSchema). */
export interface ActionResult {
  clientId: string;
  seq: number;
  status: 'applied' | 'duplicate' | 'refused' | 'out_of_order';
  code?: string;
  message?: string;
  data?: Record<string, string | number | null>;
}

export function emptyQueue(deviceId: string): QueueState {
  return { deviceId, nextSeq: 1, items: [] };
}

/** Adds an action the worker just did; returns the new state and the action as queued. */
export function enqueue(
  state: QueueState,
  action: { type: string; [field: string]: unknown },
  at: number,
  clientId: string,
): { state: QueueState; item: QueuedAction } {
  const item: QueuedAction = { ...action, clientId, seq: state.nextSeq, at };
  return { state: { ...state, nextSeq: state.nextSeq + 1, items: [...state.items, item] }, item };
}

/**
 * Puts items read back from storage (in any order, perhaps twice) into
 * sequence order with each client id once, and makes `nextSeq` follow the last.
 */
export function normalise(state: QueueState): QueueState {
  const byId = new Map<string, QueuedAction>();
  for (const i of state.items) if (!byId.has(i.clientId)) byId.set(i.clientId, i);
  const items = [...byId.values()].sort((a, b) => a.seq - b.seq);
  const last = items.at(-1)?.seq ?? 0;
  return { ...state, items, nextSeq: Math.max(state.nextSeq, last + 1) };
}

/** Rough size of an action on the wire (photos dominate). */
export const sizeOf = (a: QueuedAction): number => JSON.stringify(a).length;

/**
 * The next batch to send: from the front, in order, up to `maxItems` and
 * `maxBytes` (at least one item, so a big photo is still sent alone).
 */
export function nextBatch(state: QueueState, maxItems = 50, maxBytes = 3_000_000): QueuedAction[] {
  const out: QueuedAction[] = [];
  let bytes = 0;
  for (const i of state.items) {
    const n = sizeOf(i);
    if (out.length && (out.length >= maxItems || bytes + n > maxBytes)) break;
    out.push(i);
    bytes += n;
  }
  return out;
}

/**
 * Folds the hub's answer in: applied, duplicate and refused actions leave the
 * queue (a refusal is final and is shown to the worker); on `out_of_order`
 * the hub names the sequence it expects, and the waiting actions are
 * renumbered from there in their order (only if storage lost some: the hub
 * matches replays by client id first, so a renumbered action is still applied once).
 */
export function applyResults(
  state: QueueState,
  results: readonly ActionResult[],
): { state: QueueState; done: ActionResult[]; renumbered: boolean } {
  const done = results.filter((r) => r.status !== 'out_of_order');
  const gone = new Set(done.map((r) => r.clientId));
  let items = state.items.filter((i) => !gone.has(i.clientId));
  let nextSeq = state.nextSeq;
  const stuck = results.find((r) => r.status === 'out_of_order');
  const expected = Number(stuck?.data?.expectedSeq);
  let renumbered = false;
  if (stuck && Number.isInteger(expected) && expected >= 1 && items[0] && items[0].seq !== expected) {
    items = items.map((i, k) => ({ ...i, seq: expected + k }));
    nextSeq = expected + items.length;
    renumbered = true;
  }
  return { state: { ...state, items, nextSeq }, done, renumbered };
}
