import { statfsSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** Frees filesystem bytes another part of the gateway owns (old pictures); returns how many it freed. */
export interface Reclaimer {
  name: string;
  reclaim(): number;
}

/**
 * What the buffer knows about room on its disk: the filesystem's free bytes,
 * the free pages inside its own file (reused before the file grows), and the
 * ways to get more (checkpoint the WAL, hand free pages back).
 */
export class DiskSpace {
  constructor(
    private readonly db: Database.Database,
    private readonly dir: string,
  ) {}

  /** Bytes the filesystem gives an unprivileged writer; Infinity if it cannot be asked. */
  freeBytes(): number {
    try {
      const fs = statfsSync(this.dir);
      return fs.bavail * fs.bsize;
    } catch {
      // statfs unsupported (or the folder vanished): the disk limit is then not known, so not enforced.
      return Infinity;
    }
  }

  /** Bytes of free pages inside the buffer file: room for new events that needs no disk. */
  freelistBytes(): number {
    try {
      const pages = this.db.pragma('freelist_count', { simple: true }) as number;
      return pages * (this.db.pragma('page_size', { simple: true }) as number);
    } catch {
      // The database is closing: nothing is reclaimable from it.
      return 0;
    }
  }

  /**
   * Folds the WAL back into the database. RESTART keeps the WAL file's size,
   * so the next transaction overwrites it from the start without asking the
   * filesystem for a byte; TRUNCATE gives its bytes back. False if it failed.
   */
  checkpoint(mode: 'RESTART' | 'TRUNCATE'): boolean {
    try {
      const [r] = this.db.pragma(`wal_checkpoint(${mode})`) as { busy: number }[];
      return r?.busy === 0;
    } catch {
      return false;
    }
  }

  /**
   * Hands up to `bytes` of free pages back to the filesystem, for a file made
   * with auto_vacuum=INCREMENTAL (the buffer is not, for speed: its free pages
   * stay and are reused first). Returns the bytes the file shrank by.
   */
  returnFreePages(bytes: number): number {
    try {
      if (this.db.pragma('auto_vacuum', { simple: true }) !== 2) return 0;
      const pageSize = this.db.pragma('page_size', { simple: true }) as number;
      const before = this.db.pragma('page_count', { simple: true }) as number;
      this.db.pragma(`incremental_vacuum(${Math.max(1, Math.ceil(bytes / pageSize))})`);
      // The shrink reaches the file at the checkpoint.
      this.checkpoint('TRUNCATE');
      return (before - (this.db.pragma('page_count', { simple: true }) as number)) * pageSize;
    } catch {
      // The disk is full even for a VACUUM's journal: nothing was freed this way.
      return 0;
    }
  }
}
