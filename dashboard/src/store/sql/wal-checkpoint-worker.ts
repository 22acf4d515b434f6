import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** The checkpointer's thread (wal-checkpointer.ts): a connection of its own, a passive checkpoint every `everyMs`. */
const { file, everyMs } = workerData as { file: string; everyMs: number };
const db = new Database(file);
// The checkpoint's own syncs (the WAL before copying, the database file after) at the hub's durability.
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    parentPort!.postMessage({ log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
}, everyMs);
parentPort!.on('message', (m: unknown) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
