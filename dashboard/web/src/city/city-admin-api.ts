/** The admin city routes (dashboard/src/api/routes/city-routes.ts), typed as the page reads them. */
export interface CityVersionRow {
  id: number;
  name: string;
  status: 'valid' | 'failed';
  demo: boolean;
  areaCount: number;
  active: boolean;
}
export interface CityIssueView {
  severity: 'error' | 'warning';
  kind: string;
  file?: string | null;
  message: string;
}
export interface CityJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  progress: { stage: string; step: string; done: number; total: number; label: string } | null;
  dryRun: boolean;
  /** geo's city report (docs/geo-import.md) with the homes used. */
  report?: { ok: boolean; counts: Record<string, number>; summary: string[]; homes: number; issues: CityIssueView[] };
  versionId?: number | null;
  diff?: {
    added: { code: string; name: string }[];
    removed: { code: string; name: string }[];
    renamed: { code: string; from: string; to: string }[];
    reshaped: { code: string; name: string }[];
  } | null;
  error?: string;
}
export interface Orphan {
  kind: string;
  code: string;
  /** A number, or `<5` for the register's suppressed total. */
  count: number | string;
  ids: string[];
}

/**
 * Calls with the session key. Unlike the cockpit's Api, a refused activation
 * (409 with the orphans) is a reply the page shows, not an error.
 */
export class CityAdminApi {
  constructor(private readonly key: string) {}

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${this.key}`,
        ...(body !== undefined && !(body instanceof Blob) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: body instanceof Blob ? body : JSON.stringify(body) }),
    });
    const reply = (await res.json()) as T & { ok: boolean; error?: { code: string; message: string } };
    if (!res.ok && res.status !== 409) throw new Error(reply.error?.message ?? `HTTP ${res.status}`);
    return reply;
  }

  versions() {
    return this.call<{
      active: number | null;
      coverage: { state: string; progress: number };
      versions: CityVersionRow[];
    }>('GET', '/api/city/versions');
  }
  async upload(file: File): Promise<string> {
    return (
      await this.call<{ upload: string }>('POST', '/api/city/uploads', file, {
        'x-filename': encodeURIComponent(file.name),
      })
    ).upload;
  }
  async startImport(body: Record<string, unknown>): Promise<string> {
    return (await this.call<{ job: string }>('POST', '/api/city/imports', body)).job;
  }
  async job(id: string): Promise<CityJob> {
    return (await this.call<{ job: CityJob }>('GET', `/api/city/imports/${id}`)).job;
  }
  async orphans(id: number): Promise<Orphan[]> {
    return (await this.call<{ orphans: Orphan[] }>('GET', `/api/city/versions/${id}/orphans`)).orphans;
  }
  activate(id: number, reassign: Record<string, string>, acceptOrphans: boolean) {
    return this.call<{ moved: number; orphans?: Orphan[] }>('POST', `/api/city/versions/${id}/activate`, {
      reassign,
      acceptOrphans,
    });
  }
}
