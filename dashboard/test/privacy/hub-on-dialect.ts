import { mkdtempSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Role } from '@linli/contract';
import { totpCode } from '../../src/auth/totp.js';
import { Hub } from '../../src/hub.js';
import { createLogger } from '../../src/log.js';
import { openSqlDb } from '../../src/store/open-store.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import type { Dialect } from '../../src/store/sql/sql-db.js';
import { TEST_PG_URL } from '../support/dialects.js';

/**
 * A real hub on a loopback port over a fresh database of the dialect (a new
 * SQLite file, or a new PostgreSQL schema dropped at stop), with the demo
 * register, and users logged in over HTTP as a browser would.
 */
export async function startHubOn(dialect: Dialect) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-counts-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db =
    dialect === 'sqlite' ? await openSqlDb({ dataDir: dir }) : await openSqlDb({ database: TEST_PG_URL, schema });
  const store = new SqlHubStore(db);
  const hub = new Hub({
    host: '127.0.0.1',
    port: 0,
    store,
    dataDir: dir,
    log: createLogger('hub', 'warn', { write: () => {} }),
    demoRegister: true,
    city: 'demo',
  });
  const { port } = await hub.start();
  const url = `http://127.0.0.1:${port}`;

  /**
   * GET as a user; the status and the parsed JSON body. A new connection each time (no keep-alive):
   * the attacker solves synchronously between requests, long enough for the server to close an idle one.
   */
  function get(path: string, token: string): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const req = httpGet(url + path, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
    });
  }

  /** A new account of the role, logged in through POST /api/login (with TOTP where the role needs it). */
  async function login(username: string, role: Role, areaCode: string): Promise<string> {
    const a = await hub.auth.createAccount({ username, displayName: username, role, areaCode }, 'test', Date.now());
    const res = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username,
        password: a.password,
        ...(a.totpSecret ? { totp: totpCode(a.totpSecret, Date.now()) } : {}),
      }),
    });
    const body = (await res.json()) as { token?: string };
    if (res.status !== 200 || !body.token) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
    return body.token;
  }

  async function stop(): Promise<void> {
    await hub.stop();
    if (dialect !== 'postgres') return;
    const c = new pg.Client({ connectionString: TEST_PG_URL });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
    } finally {
      await c.end();
    }
  }

  return { hub, store, url, get, login, stop };
}
