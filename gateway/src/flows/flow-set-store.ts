import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinliError } from '@linli/contract';
import type { FlowSet } from './flow-set.js';

export interface StoredFlowSet {
  version: string;
  flows: Record<string, unknown>[];
  appliedAt: number;
}

/**
 * The flow sets on disk, in the gateway's data folder: `current.json` (what
 * runs), `previous.json` (what ran before, kept for rollback and for people),
 * and `pending.json` while an apply is in progress, so a crash half-way is
 * noticed on the next start and the current set restored.
 */
export class FlowSetStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  current(): StoredFlowSet | null {
    return this.read('current.json');
  }

  previous(): StoredFlowSet | null {
    return this.read('previous.json');
  }

  pending(): StoredFlowSet | null {
    return this.read('pending.json');
  }

  beginApply(set: FlowSet, now: number): void {
    this.write('pending.json', { version: set.version, flows: set.flows, appliedAt: now });
  }

  /** The new set runs: it becomes current and the old current becomes previous. */
  commit(set: StoredFlowSet): void {
    const old = this.current();
    if (old && old.version !== set.version) this.write('previous.json', old);
    this.write('current.json', set);
    this.clearPending();
  }

  clearPending(): void {
    rmSync(join(this.dir, 'pending.json'), { force: true });
  }

  private read(name: string): StoredFlowSet | null {
    const file = join(this.dir, name);
    if (!existsSync(file)) return null;
    return JSON.parse(readFileSync(file, 'utf8')) as StoredFlowSet;
  }

  /**
   * Write-then-rename, so a crash or a full disk leaves the old file whole.
   * A write the disk refuses removes its partial temp file and is reported as
   * STORAGE_FULL (or STORAGE_FAILED), which the apply answers to the hub.
   */
  private write(name: string, value: StoredFlowSet): void {
    const file = join(this.dir, name);
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 1), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch (err) {
      rmSync(`${file}.tmp`, { force: true });
      const full = (err as NodeJS.ErrnoException).code === 'ENOSPC';
      throw new LinliError(
        full ? 'STORAGE_FULL' : 'STORAGE_FAILED',
        `${full ? '网关磁盘已满，' : ''}cannot write ${name}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}
