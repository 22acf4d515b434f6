import pg from 'pg';
import type { Logger } from '../log.js';
import { PgDb } from '../store/sql/pg-db.js';
import type { SqlDb } from '../store/sql/sql-db.js';

/**
 * Who runs the cluster-wide chores (alert escalations, command expiry,
 * retention, partitions): the node holding a PostgreSQL session advisory lock
 * on its own connection. If that node dies its connection drops, the lock is
 * released, and the next node to ask takes over within one tick. With SQLite
 * there is one node, and it always leads. The chores are also written as
 * conditional updates, so even a brief overlap cannot escalate an alert twice.
 */
export class Leadership {
  private client: pg.Client | null = null;
  private held = false;
  private connecting: Promise<void> | null = null;

  constructor(
    private readonly db: SqlDb,
    private readonly log: Logger,
    private readonly key = 'linli:leader',
  ) {}

  async isLeader(): Promise<boolean> {
    if (!(this.db instanceof PgDb)) return true;
    if (this.held) return true;
    this.connecting ??= this.tryAcquire(this.db).finally(() => (this.connecting = null));
    await this.connecting;
    return this.held;
  }

  private async tryAcquire(db: PgDb): Promise<void> {
    try {
      if (!this.client) {
        const c = db.dedicatedClient();
        c.on('error', (err) => {
          this.log.warn({ err: String(err) }, 'leadership connection lost');
          this.drop();
        });
        c.on('end', () => this.drop());
        await c.connect();
        this.client = c;
      }
      const r = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [
        this.key,
      ]);
      this.held = r.rows[0]?.ok === true;
      if (this.held) this.log.info('this node now runs the cluster chores (escalations, expiry, retention)');
    } catch (err) {
      this.log.warn({ err: String(err) }, 'leadership check failed');
      this.drop();
    }
  }

  private drop(): void {
    if (this.held) this.log.warn('this node no longer runs the cluster chores');
    this.held = false;
    const c = this.client;
    this.client = null;
    // A broken connection may fail to end; the lock went with its session either way.
    c?.end().catch(() => {});
  }

  async close(): Promise<void> {
    const c = this.client;
    this.held = false;
    this.client = null;
    // A broken connection may fail to end; the lock went with its session either way.
    await c?.end().catch(() => {});
  }
}
