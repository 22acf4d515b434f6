import { closeSync, existsSync, fsyncSync, openSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A file of reserved space beside the buffer. On a truly full filesystem SQLite
 * cannot even delete (the WAL must grow), so the buffer releases this file to
 * get room for eviction, and re-creates it once space is back.
 */
export class Ballast {
  constructor(
    private readonly file: string,
    readonly bytes: number,
  ) {}

  /**
   * Creates the ballast if missing and the disk has room for it with `headroom`
   * left over (so re-creating it never fills the disk itself). True if it
   * exists afterwards.
   */
  ensure(headroom: number): boolean {
    if (this.bytes <= 0) return false;
    if (existsSync(this.file)) return true;
    try {
      const fs = statfsSync(dirname(this.file));
      if (fs.bavail * fs.bsize < this.bytes + headroom) return false;
      const fd = openSync(this.file, 'w', 0o600);
      try {
        const chunk = Buffer.alloc(Math.min(this.bytes, 1 << 20), 0);
        for (let left = this.bytes; left > 0; left -= chunk.length)
          writeSync(fd, chunk, 0, Math.min(chunk.length, left));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch {
      try {
        unlinkSync(this.file);
      } catch {
        // The ballast file may not exist yet or be gone; either way there is nothing left to free.
      }
      return false;
    }
  }

  /** The reserve is configured and not in place (released, or never had room). */
  missing(): boolean {
    return this.bytes > 0 && !existsSync(this.file);
  }

  /** Bytes re-creating it needs (0 when it is in place or disabled). */
  deficit(): number {
    return this.missing() ? this.bytes : 0;
  }

  /** Frees the reserved space. True if there was any to free. */
  release(): boolean {
    try {
      unlinkSync(this.file);
      return true;
    } catch {
      return false;
    }
  }
}
