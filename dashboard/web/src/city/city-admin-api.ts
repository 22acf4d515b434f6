import type { CityImportJob, CityVersionSummary, Orphan } from '@linli/contract';
import { type BrowserGetPath, checkReply, type GetReply } from '@linli/contract/browser';

/** The admin city routes (dashboard/src/api/routes/city-routes.ts), typed by their contract schemas. */
export type CityVersionRow = CityVersionSummary;
export type CityJob = CityImportJob;
export type { Orphan };

/**
 * Calls with the session key. Unlike the cockpit's Api, a refused activation
 * (409 with the orphans) is a reply the page shows, not an error. GET replies
 * are checked against their contract schemas (contract/src/rest/replies.ts).
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

  private async get<P extends BrowserGetPath>(path: P, params: Record<string, string> = {}): Promise<GetReply<P>> {
    const url = path.replace(/:([a-zA-Z]+)/g, (_m, k: string) => encodeURIComponent(params[k] ?? ''));
    const checked = checkReply(path, await this.call<unknown>('GET', url));
    if (checked.ok) return checked.value;
    console.warn(`reply of GET ${path} does not match its contract schema`, checked.issues);
    throw new Error(`接口 ${path} 的应答不符合约定 (the reply does not match its schema)`);
  }

  versions() {
    return this.get('/api/city/versions');
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
    return (await this.get('/api/city/imports/:id', { id })).job;
  }
  async orphans(id: number): Promise<Orphan[]> {
    return (await this.get('/api/city/versions/:id/orphans', { id: String(id) })).orphans;
  }
  activate(id: number, reassign: Record<string, string>, acceptOrphans: boolean) {
    return this.call<{ moved: number; orphans?: Orphan[] }>('POST', `/api/city/versions/${id}/activate`, {
      reassign,
      acceptOrphans,
    });
  }
}
