import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
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
    await writeFile(join(this.dir, name), jpeg, { mode: 0o600 });
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
      } catch {}
    }
    return removed;
  }

  list(): string[] {
    return readdirSync(this.dir).filter((n) => n.endsWith('.jpg'));
  }
}
