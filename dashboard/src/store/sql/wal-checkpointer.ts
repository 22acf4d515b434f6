import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { builtWorkerScript } from '../../built-worker.js';

/**
 * How often the thread checkpoints. The WAL restarts from its start only when a checkpoint has caught
 * every frame before the next write; at 200 ms the hub's WAL reached ~16,000 frames in hub-ingest, at
 * 50 ms and 20 ms ~7,400 (30 MB), at the same ingest rate.
 */
const EVERY_MS = 50;
/** SQLite's own automatic checkpoint, in pages: what the writer falls back to. */
const AUTO_PAGES = 1000;
/**
 * WAL frames past which the writer checkpoints inline again until the thread catches up: under a
 * steady stream the WAL restarts only after a checkpoint that caught every frame, which a writer
 * always manages and a thread racing it may not.
 */
const FALLBACK_FRAMES = 16_000;

type Reply = { log: number; checkpointed: number } | { error: string };

/**
 * Checkpoints the hub's SQLite WAL from a thread of its own (a connection of its
 * own, passive checkpoints, which never block the writer). SQLite's automatic
 * checkpoint runs inside the COMMIT that crosses 1,000 pages, on the hub's one
 * thread: copying pages into the database file and syncing it elsewhere raised
 * the hub's ingest rate by ~6% (bench/hub-ingest.bench.mjs, docs/hub.md). If the
 * thread falls behind, dies or cannot start, the writer checkpoints as before.
 * start() and stop() are symmetric.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private inline = true;
  private stopping = false;

  constructor(
    private readonly main: Database.Database,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** Frames in the WAL at the thread's last checkpoint (tests, health). */
  lastLog = 0;

  start(): void {
    if (this.worker || this.main.memory) return;
    this.stopping = false;
    const worker = new Worker(builtWorkerScript('store/sql/wal-checkpoint-worker.js', 'the WAL checkpoint worker'), {
      workerData: { file: this.main.name, everyMs: EVERY_MS },
      // Built JavaScript, whatever flags the hub was started with (vitest's source conditions).
      execArgv: [],
    });
    this.worker = worker;
    this.setInline(false);
    worker.on('message', (m: Reply) => {
      if ('error' in m) return this.onError(`WAL checkpoint: ${m.error}`);
      this.lastLog = m.log;
      if (m.log > FALLBACK_FRAMES) this.setInline(true);
      else if (m.log < FALLBACK_FRAMES / 2) this.setInline(false);
    });
    worker.on('error', (err) => this.onError(`WAL checkpoint thread: ${err.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      // Whatever ended it, the writer checkpoints again.
      this.setInline(true);
      if (!this.stopping) this.onError('WAL checkpoint thread ended; the writer checkpoints inline');
    });
    worker.unref();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held while it ends: an unreferenced thread is no reason to wait, and a process with nothing else left
    // would exit here, in the middle of close() (a child's top-level await exits 13, unsettled).
    worker.ref();
    worker.postMessage('stop');
    await ended;
  }

  private setInline(inline: boolean): void {
    if (inline === this.inline || !this.main.open) return;
    this.inline = inline;
    this.main.pragma(`wal_autocheckpoint = ${inline ? AUTO_PAGES : 0}`);
  }
}
