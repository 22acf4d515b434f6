import type { Logger } from '../log.js';

/** SQLite saying the file itself is damaged: continuing could make it worse, so systemd restarts us. */
const CORRUPTION = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE']);

/** True for errors that mean a database file is corrupt (and only those). */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (CORRUPTION.has(code) || code.startsWith('SQLITE_CORRUPT'));
}

export interface Escaped {
  count: number;
  last: { at: number; kind: 'exception' | 'rejection'; code: string | null; message: string } | null;
}

/**
 * The last line of defence of `linli-gateway run`: an exception or rejection
 * nothing else caught (a listener's promise, a library's stray error event on
 * a full disk) is logged and counted, shown in /healthz and /metrics, and the
 * gateway carries on. Only corruption ends the process (exit 70, so systemd's
 * Restart=on-failure starts it again on a clean open).
 */
export class ProcessGuard {
  readonly escaped: Escaped = { count: 0, last: null };
  private installed: { exc: (e: unknown) => void; rej: (e: unknown) => void } | null = null;

  constructor(
    private readonly log: Logger,
    /** Stops the gateway cleanly and exits; called once, for corruption only. */
    private readonly fatal: (err: unknown) => void,
  ) {}

  install(): void {
    if (this.installed) return;
    const exc = (e: unknown) => this.handle('exception', e);
    const rej = (e: unknown) => this.handle('rejection', e);
    process.on('uncaughtException', exc);
    process.on('unhandledRejection', rej);
    this.installed = { exc, rej };
  }

  uninstall(): void {
    if (!this.installed) return;
    process.off('uncaughtException', this.installed.exc);
    process.off('unhandledRejection', this.installed.rej);
    this.installed = null;
  }

  private handle(kind: 'exception' | 'rejection', err: unknown): void {
    const code = (err as { code?: unknown } | null)?.code;
    const message = err instanceof Error ? err.message : String(err);
    this.escaped.count++;
    this.escaped.last = { at: Date.now(), kind, code: typeof code === 'string' ? code : null, message };
    const fields = { kind, code, err: err instanceof Error ? err.stack : String(err), escaped: this.escaped.count };
    try {
      if (isCorruption(err)) this.log.fatal(fields, 'a database is corrupt; stopping so the service restarts');
      else this.log.error(fields, 'an error escaped every handler; recorded, the gateway carries on');
    } catch {
      // The log itself failed (a full disk under stdout): the count above still records it.
    }
    if (isCorruption(err)) this.fatal(err);
  }
}
