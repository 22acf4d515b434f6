import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Full-size (masked) JPEGs kept on the gateway for a configured time, one
 * file per picture named after its event, so an investigator can fetch the
 * original later without it ever crossing the uplink.
 */
export class JpegStore {
  constructor(
    private readonly dir: string,
    private readonly keepMs: number,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Writes a picture; the name is `<takenAt>-<cameraId>[-<eventId>].jpg`. Returns the file name. */
  async save(cameraId: string, takenAt: number, jpeg: Buffer, eventId?: string): Promise<string> {
    const name = `${takenAt}-${cameraId}${eventId ? `-${eventId}` : ''}.jpg`;
    try {
      await writeFile(join(this.dir, name), jpeg, { mode: 0o600 });
    } catch (err) {
      // A picture cut short by a full disk is no use to anyone and holds space the buffer needs.
      await rm(join(this.dir, name), { force: true });
      throw err;
    }
    return name;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Deletes pictures older than the retention time; returns how many. */
  prune(now = Date.now()): number {
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.jpg')) continue;
      const file = join(this.dir, name);
      try {
        if (now - statSync(file).mtimeMs > this.keepMs) {
          unlinkSync(file);
          removed++;
        }
      } catch {
        // The file is already gone (removed by another sweep): nothing to count.
      }
    }
    return removed;
  }

  /** Deletes the oldest picture (names start with the time taken); returns its size, 0 if none is left. */
  removeOldest(): number {
    const oldest = this.list().sort()[0];
    if (!oldest) return 0;
    const file = join(this.dir, oldest);
    try {
      const size = statSync(file).size;
      unlinkSync(file);
      return Math.max(size, 1);
    } catch {
      // The file is already gone: it takes no space.
      return 0;
    }
  }

  list(): string[] {
    return readdirSync(this.dir).filter((n) => n.endsWith('.jpg'));
  }
}
