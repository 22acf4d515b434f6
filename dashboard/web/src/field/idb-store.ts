import { emptyQueue, normalise, type QueuedAction, type QueueState } from './queue.js';
import { newClientId } from './ids.js';

/**
 * The queue in IndexedDB: one object store of waiting actions (keyed by
 * client id) and one of settings (device id, next sequence). Each change is
 * written before the app says "saved", so closing the page loses nothing.
 */
const DB = 'linli-field';
const QUEUE = 'queue';
const META = 'meta';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(QUEUE, { keyPath: 'clientId' });
      r.result.createObjectStore(META);
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB not available'));
  });
}

const done = (t: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error ?? new Error('IndexedDB write failed'));
    t.onabort = () => reject(t.error ?? new Error('IndexedDB write aborted'));
  });

const req = <T>(r: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB read failed'));
  });

export class IdbQueueStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<IdbQueueStore> {
    return new IdbQueueStore(await open());
  }

  async load(): Promise<QueueState> {
    const t = this.db.transaction([QUEUE, META], 'readonly');
    const items = await req(t.objectStore(QUEUE).getAll() as IDBRequest<QueuedAction[]>);
    const deviceId = (await req(t.objectStore(META).get('deviceId'))) as string | undefined;
    const nextSeq = (await req(t.objectStore(META).get('nextSeq'))) as number | undefined;
    if (!deviceId) {
      const fresh = emptyQueue(newClientId('phone-'));
      await this.saveMeta(fresh);
      return fresh;
    }
    return normalise({ deviceId, nextSeq: nextSeq ?? 1, items });
  }

  /** Writes one new action together with the next sequence number (one transaction). */
  async add(item: QueuedAction, state: QueueState): Promise<void> {
    const t = this.db.transaction([QUEUE, META], 'readwrite');
    t.objectStore(QUEUE).put(item);
    t.objectStore(META).put(state.nextSeq, 'nextSeq');
    await done(t);
  }

  /** Removes what the hub answered and stores renumbered items, if any. */
  async settle(removed: string[], state: QueueState): Promise<void> {
    const t = this.db.transaction([QUEUE, META], 'readwrite');
    for (const id of removed) t.objectStore(QUEUE).delete(id);
    for (const i of state.items) t.objectStore(QUEUE).put(i);
    t.objectStore(META).put(state.nextSeq, 'nextSeq');
    await done(t);
  }

  private async saveMeta(s: QueueState): Promise<void> {
    const t = this.db.transaction([META], 'readwrite');
    t.objectStore(META).put(s.deviceId, 'deviceId');
    t.objectStore(META).put(s.nextSeq, 'nextSeq');
    await done(t);
  }
}
