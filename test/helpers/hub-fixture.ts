import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdFactory, type DeclaredDevice, type LinliEvent, wire } from '@linli/contract';
import { createLogger, Hub, type HubOptions, hashSecret, newSecret, openHubStore } from '@linli/dashboard';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';

/** The machine's PostgreSQL (trust auth); a hub on it gets a schema of its own, dropped at stop. */
const PG_URL = process.env.LINLI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Areas of the demo city used across hub tests. */
export const AREAS = {
  city: '341300',
  streetA: '341302001', // 沱河街道
  streetB: '341302002',
  communityA: '341302001001',
  communityB: '341302002001',
  gridA1: '341302001001001',
  gridA2: '341302001001002',
  gridB1: '341302002001001',
};

/** The devices a test gateway declares unless told otherwise: what `eventAt` and the tests report from. */
export const TEST_DEVICE_IDS = ['smoke-01', 'smoke-soak', 'smoke-wall', 'gate-01', 'cam-a2', 'sos-01'];

/**
 * A real hub on a loopback port with its log lines kept (to grep for secrets),
 * plus helpers to make users, gateways and sessions. With `database` (a
 * postgres:// URL) and `schema`, the hub runs on PostgreSQL instead of SQLite.
 */
export async function startTestHub(
  opts: {
    demoRegister?: boolean;
    /** 'demo' (default): the demo city is imported and active; 'none': the hub starts with no city (a city's first day). */
    city?: 'demo' | 'none';
    gatewayRate?: HubOptions['gatewayRate'];
    /** sqlite (default): DIR/hub.sqlite; postgres: a fresh schema in the machine's PostgreSQL. */
    dialect?: 'sqlite' | 'postgres';
    unmask?: HubOptions['unmask'];
    /** PostgreSQL instead of SQLite: the URL and a schema of the test's own. */
    database?: { url: string; schema: string };
    /** Reuse a data folder (a restart); default a new temp folder. */
    dir?: string;
    hub?: Pick<HubOptions, 'trustedProxies' | 'webRoot' | 'alertConfig' | 'fieldConfig'>;
  } = {},
) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'linli-hubtest-'));
  const logLines: string[] = [];
  const log = createLogger('hub', 'debug', { write: (l: string) => void logLines.push(l) });
  const schema = opts.dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : null;
  const database = opts.database ?? (schema ? { url: PG_URL, schema } : null);
  const store = await openHubStore(
    database ? { dataDir: dir, database: database.url, schema: database.schema } : { dataDir: dir },
  );
  const gatewayAreas = new Map<string, string>();
  const hub = new Hub({
    host: '127.0.0.1',
    port: 0,
    store,
    dataDir: dir,
    log,
    demoRegister: opts.demoRegister ?? false,
    // The demo city, imported as the first city version of the fresh database (HubOptions.city).
    ...(opts.city === 'none' ? {} : { city: 'demo' as const }),
    ...(opts.gatewayRate ? { gatewayRate: opts.gatewayRate } : {}),
    ...(opts.unmask ? { unmask: opts.unmask } : {}),
    ...opts.hub,
  });
  const { port, setupTokenFile } = await hub.start();
  const url = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];

  async function api(
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
    // Replies are JSON of many shapes; tests assert on them field by field.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** A user and a logged-in session token (TOTP answered for roles that need it). */
  async function user(username: string, role: string, areaCode: string) {
    const a = await hub.auth.createAccount(
      { username, displayName: username, role: role as never, areaCode },
      'test',
      Date.now(),
    );
    const { totpCode } = await import('../../dashboard/src/auth/totp.js');
    const login = await api('POST', '/api/login', {
      body: {
        username,
        password: a.password,
        ...(a.totpSecret ? { totp: totpCode(a.totpSecret, Date.now()) } : {}),
      },
    });
    if (login.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(login.body)}`);
    return { ...a, token: login.body.token as string };
  }

  async function gateway(id: string, areaCode: string): Promise<string> {
    const token = newSecret();
    await store.upsertGateway(id, hashSecret(token), areaCode);
    gatewayAreas.set(id, areaCode);
    return token;
  }

  function connect(ns: string, auth: object): Socket {
    const s = io(`${url}${ns}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(s);
    return s;
  }

  /**
   * A connected gateway socket that has said hello, declaring `devices`: by
   * default TEST_DEVICE_IDS in the first grid of the area the gateway was made
   * for; `null` says no hello at all.
   */
  async function gatewaySocket(id: string, token: string, devices?: DeclaredDevice[] | null): Promise<Socket> {
    const s = connect('/gateway', { gatewayId: id, token, protocol: wire.PROTOCOL_VERSION });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    const area = gatewayAreas.get(id);
    const declared = devices === undefined && area ? defaultDevices(`${area}001`) : devices;
    if (declared) {
      const hello = await s.timeout(30_000).emitWithAck('hello', { devices: declared, lastSeq: 0 });
      if (!hello.ok) throw new Error(`hello ${id}: ${JSON.stringify(hello)}`);
    }
    return s;
  }

  async function cockpitSocket(token: string): Promise<{ socket: Socket; events: LinliEvent[] }> {
    const s = connect('/cockpit', { key: token });
    const events: LinliEvent[] = [];
    s.on('events', (batch: LinliEvent[]) => events.push(...batch));
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    return { socket: s, events };
  }

  async function stop() {
    for (const s of sockets) s.disconnect();
    await hub.stop();
    if (schema) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    }
  }

  return {
    hub,
    store,
    dir,
    url,
    port,
    setupTokenFile,
    logLines,
    api,
    user,
    gateway,
    gatewaySocket,
    cockpitSocket,
    connect,
    stop,
  };
}

/** TEST_DEVICE_IDS, all in one grid. */
export function defaultDevices(gridId: string): DeclaredDevice[] {
  return TEST_DEVICE_IDS.map((id) => ({ id, type: id.split('-')[0]!, gridId }));
}

const nextId = createIdFactory();
let seqs = new Map<string, number>();
/** A valid event of a gateway at a grid, with the next sequence number for that gateway. */
export function eventAt(
  gatewayId: string,
  gridId: string,
  kind = 'smoke.alarm',
  over: Partial<LinliEvent> = {},
): LinliEvent {
  const seq = (seqs.get(gatewayId) ?? 0) + 1;
  seqs.set(gatewayId, seq);
  const t = Date.now();
  const id = nextId(t);
  const payload = kind === 'smoke.alarm' ? { active: true } : kind === 'sos.call' ? {} : { active: true };
  return {
    v: 1,
    id,
    gatewayId,
    seq,
    deviceId: 'smoke-01',
    kind,
    severity: 'critical',
    deviceTime: t,
    receivedAt: t,
    location: { lng: 117.0, lat: 33.6, gridId },
    payload,
    ...over,
  } as unknown as LinliEvent;
}
export function resetSeqs() {
  seqs = new Map();
}
