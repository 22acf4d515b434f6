import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulidx';
import type { CityDiff } from './city-diff.js';
import type { CityImportOptions, CityProgress } from './city-import.js';
import { importCityInWorker } from './city-import-thread.js';
import type { CityActor, CityService } from './city-service.js';
import type { CityReport } from './city-types.js';

/** An import started from the admin page: polled for its progress bar, then its report and diff. */
export interface ImportJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  progress: CityProgress | null;
  dryRun: boolean;
  report?: CityReport;
  versionId?: number | null;
  /** Against the active version, when there is one and this import was stored. */
  diff?: CityDiff | null;
  error?: string;
  startedAt: number;
  by: string;
}

/** Uploads and jobs are forgotten after this long (an abandoned upload does not stay in the data folder). */
const KEEP_MS = 3600_000;
/** An upload's name on disk is its id; its display name travels beside it. */
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The admin page's imports. Files are uploaded one per request into the
 * hub's data folder (0600), then an import names them; it runs in the
 * background and the page polls it. Jobs live in this node's memory: the
 * page polls the node it started on (the version it stores is in the database,
 * for every node).
 */
export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();
  private readonly names = new Map<string, { name: string; at: number }>();

  constructor(
    private readonly cities: CityService,
    private readonly dir: string,
  ) {}

  /** Keeps an uploaded file; returns its id. */
  upload(name: string, data: Buffer, now: number): string {
    this.sweep(now);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const id = ulid();
    writeFileSync(join(this.dir, id), data, { mode: 0o600 });
    this.names.set(id, { name, at: now });
    return id;
  }

  get(id: string): ImportJob | undefined {
    return this.jobs.get(id);
  }

  /** Starts an import of uploaded files; unknown upload ids are refused before anything starts. */
  start(
    uploads: readonly string[],
    opts: Omit<CityImportOptions, 'onProgress'>,
    dryRun: boolean,
    actor: CityActor,
    now: number,
  ): ImportJob {
    const files = uploads.map((id) => {
      const meta = ID.test(id) ? this.names.get(id) : undefined;
      if (!meta) throw new Error(`upload ${id} is unknown or expired; upload the file again`);
      return { name: meta.name, data: new Uint8Array(readFileSync(join(this.dir, id))) };
    });
    const job: ImportJob = { id: ulid(), state: 'running', progress: null, dryRun, startedAt: now, by: actor.userId };
    this.jobs.set(job.id, job);
    void this.run(job, files, opts, actor, uploads);
    return job;
  }

  private async run(
    job: ImportJob,
    files: { name: string; data: Uint8Array }[],
    opts: Omit<CityImportOptions, 'onProgress'>,
    actor: CityActor,
    uploads: readonly string[],
  ): Promise<void> {
    try {
      // On a worker thread: a large city's validation would otherwise stall every socket the hub serves.
      const draft = await importCityInWorker(files, { ...opts, onProgress: (p) => (job.progress = p) });
      job.report = draft.report;
      if (job.dryRun)
        await this.cities.auditDryRun(
          draft,
          actor,
          job.id,
          files.reduce((n, f) => n + f.data.byteLength, 0),
        );
      else {
        job.versionId = await this.cities.save(draft, actor, Date.now());
        const active = await this.cities.store.activeId();
        job.diff = active !== null && job.versionId !== null ? await this.cities.diff(active, job.versionId) : null;
      }
      job.state = 'done';
    } catch (err) {
      job.state = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
    } finally {
      for (const id of uploads) {
        rmSync(join(this.dir, id), { force: true });
        this.names.delete(id);
      }
    }
  }

  private sweep(now: number): void {
    for (const [id, u] of this.names)
      if (now - u.at > KEEP_MS) {
        rmSync(join(this.dir, id), { force: true });
        this.names.delete(id);
      }
    for (const [id, j] of this.jobs) if (now - j.startedAt > KEEP_MS) this.jobs.delete(id);
  }
}
