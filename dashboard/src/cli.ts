#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ID_PATTERN, type Role, ROLES } from '@linli/contract';
import { cityCommand } from './city/city-cli.js';
import { createLogger } from './log.js';
import { hashSecret, newSecret } from './secrets.js';
import { openHubStore } from './store/open-store.js';
import { DEFAULT_GATEWAY_RATE } from './sockets/gateway-rate.js';

// The hub (Socket.IO, Redis, every service) is imported by the commands that use it: `city` and `gateway`
// start in half the time without it, and the tests run the CLI a few dozen times.
const loadHub = () => import('./hub.js');

const USAGE = `linli-hub — the Linli command-center hub

  linli-hub serve --data DIR [--database postgres://…] [--redis redis://…] [--node-id NAME]
                  [--host 127.0.0.1] [--port 8080] [--alerts SLA.json] [--retention-days 180] [--demo-city] [--demo-register]
                  [--gateway-rate 100000/1000]   per-gateway events/s and messages/s before RATE_LIMITED
                  [--max-maintenance-hours 24]   longest maintenance window anyone may declare (over --alerts)
                  [--unmask-per-hour 5]          unmasked record reads one user may make in an hour
                  [--trusted-proxy 10.0.0.5,172.18.0.0/16]   balancers whose X-Forwarded-For is believed
      Without --database the hub keeps everything in DIR/hub.sqlite (one node).
      With --database (PostgreSQL) and --redis, several nodes share the work (docs/scale.md);
      DIR still holds this node's key file, which every node must share.
      --demo-city: on a database that never held a city, import the demo city (示意数据) and activate it;
      --demo-register (the synthetic register, fake names) implies it. Without either, import your city
      with \`linli-hub city import\` (docs/city-import.md).
      At first start (no users yet) writes a one-time setup token to DIR/setup-token;
      POST it to /api/setup to create the first administrator.
  linli-hub gateway add --data DIR --id GATEWAY_ID --area COMMUNITY_CODE
      issue (or re-issue) a gateway token; prints it once
  linli-hub gateway revoke --data DIR --id GATEWAY_ID
  linli-hub user add --data DIR --username NAME --role ROLE --area CODE [--name 显示名]
      create a user; prints the initial password (and TOTP enrolment URI) once
      roles: ${ROLES.join(', ')}
  linli-hub user grant-unmask USERNAME --data DIR --until 2026-12-09T18:00+08:00|7d|12h
      let one user read records unmasked (with a reason, a fresh TOTP, a few an hour) until then; audited
  linli-hub user revoke-unmask USERNAME --data DIR
      end that user's unmasking grant now; audited
  linli-hub display-token --data DIR --username NAME [--days 30]
      a long session for a wall display (view-only roles); prints the token once
  linli-hub city import|list|show|diff|activate …
      the city's areas, facilities and walking network as versions; linli-hub city --help`;

async function main(argv: string[]): Promise<number> {
  // `city` has options of its own (city/city-cli.ts).
  if (argv[0] === 'city') return cityCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string', default: process.env.LINLI_DATA ?? './data/hub' },
      host: { type: 'string', default: process.env.LINLI_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.LINLI_PORT ?? '8080' },
      id: { type: 'string' },
      area: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      days: { type: 'string', default: '30' },
      'demo-register': { type: 'boolean', default: false },
      'demo-city': { type: 'boolean', default: false },
      alerts: { type: 'string' },
      'retention-days': { type: 'string' },
      database: { type: 'string', default: process.env.LINLI_DATABASE_URL },
      redis: { type: 'string', default: process.env.LINLI_REDIS_URL },
      'node-id': { type: 'string', default: process.env.LINLI_NODE_ID },
      'gateway-rate': { type: 'string' },
      'max-maintenance-hours': { type: 'string' },
      until: { type: 'string' },
      'unmask-per-hour': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      'trusted-proxy': { type: 'string', default: process.env.LINLI_TRUSTED_PROXIES },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = resolve(values.data);
  const storeOpts = {
    dataDir,
    ...(values.database ? { database: values.database } : {}),
  };
  const [cmd, sub] = positionals;
  const log = createLogger('hub');
  if (cmd === 'gateway' && (sub === 'add' || sub === 'revoke')) {
    if (!values.id || !new RegExp(ID_PATTERN).test(values.id)) return usage(`--id must match ${ID_PATTERN}`);
    const store = await openHubStore(storeOpts);
    try {
      if (sub === 'revoke') {
        if (!(await store.revokeGateway(values.id))) return usage(`no gateway ${values.id}`);
        return 0;
      }
      if (!values.area || !/^[0-9]{12}$/.test(values.area)) return usage('--area must be the 12-digit community code');
      const token = newSecret();
      await store.upsertGateway(values.id, hashSecret(token), values.area);
      process.stdout.write(`${token}\n`);
      return 0;
    } finally {
      await store.close();
    }
  }
  if (cmd === 'user' && (sub === 'grant-unmask' || sub === 'revoke-unmask')) {
    const username = positionals[2] ?? values.username;
    if (!username) return usage(`linli-hub user ${sub} USERNAME`);
    const store = await openHubStore(storeOpts);
    const { auth, auditLog, unmask } = (await loadHub()).hubServices(store, dataDir, log);
    try {
      const target = await auth.users.credentials(username);
      if (!target) return usage(`no user ${username}`);
      // Whoever runs this can read the hub's data folder: the audit log names them as the machine's operator.
      const actor = { userId: 'cli', role: 'system' as const, areaCode: null };
      const now = Date.now();
      if (sub === 'revoke-unmask') {
        process.stdout.write(
          `${JSON.stringify({ username, ended: await unmask.grants.revoke(actor, target.user.id, now) })}\n`,
        );
        return 0;
      }
      if (!values.until) return usage('--until is required (an ISO 8601 time, or 7d / 12h from now)');
      const until = untilTime(values.until, now);
      const g = await unmask.grants.grant(actor, target.user.id, until, now);
      process.stdout.write(
        `${JSON.stringify({ username, until: new Date(g.expiresAt).toISOString(), grant: g.id })}\n`,
      );
      return 0;
    } finally {
      await auditLog.flush();
      await store.close();
    }
  }
  if ((cmd === 'user' && sub === 'add') || cmd === 'display-token') {
    const store = await openHubStore(storeOpts);
    const { auth, auditLog } = (await loadHub()).hubServices(store, dataDir, log);
    try {
      if (!values.username) return usage('--username is required');
      if (cmd === 'display-token') {
        process.stdout.write(`${await auth.issueDisplaySession(values.username, Number(values.days), Date.now())}\n`);
        return 0;
      }
      if (!values.role || !ROLES.includes(values.role as Role))
        return usage(`--role must be one of ${ROLES.join(', ')}`);
      if (!values.area) return usage('--area is required');
      const a = await auth.createAccount(
        {
          username: values.username,
          displayName: values.name ?? values.username,
          role: values.role as Role,
          areaCode: values.area,
        },
        'cli',
        Date.now(),
      );
      process.stdout.write(
        `${JSON.stringify({ username: a.user.username, password: a.password, totpUri: a.totpUri })}\n`,
      );
      return 0;
    } finally {
      // The account's audit entries are queued (AuditSink); write them before closing.
      await auditLog.flush();
      await store.close();
    }
  }
  if (cmd === 'serve') {
    const { Hub } = await loadHub();
    const hub = new Hub({
      host: values.host,
      port: Number(values.port),
      store: await openHubStore({
        ...storeOpts,
        onMigration: (m) => log.info({ version: m.version, name: m.name }, 'database migrated'),
        onBackfill: (p) =>
          log.info(
            { events: p.events, of: p.total, day: new Date(p.day).toISOString() },
            'event roll-ups: counting stored events',
          ),
        onError: (err) => log.error({ err: String(err) }, 'database connection error'),
      }),
      ...(values['node-id'] ? { nodeId: values['node-id'] } : {}),
      ...(values.redis ? { redis: values.redis } : {}),
      ...(values['gateway-rate'] ? { gatewayRate: gatewayRate(values['gateway-rate']) } : {}),
      ...(values['unmask-per-hour'] ? { unmask: { perHour: Number(values['unmask-per-hour']) } } : {}),
      ...(values['trusted-proxy'] ? { trustedProxies: values['trusted-proxy'].split(',').filter(Boolean) } : {}),
      dataDir,
      // Pictures live in the hub database (event_media); a v0.2 media.sqlite beside it is no longer read.
      log,
      demoRegister: values['demo-register'],
      ...(values['demo-city'] || values['demo-register'] ? { city: 'demo' as const } : {}),
      ...(values['retention-days'] ? { retentionDays: positiveDays(values['retention-days']) } : {}),
      ...(values.alerts || values['max-maintenance-hours']
        ? {
            alertConfig: withMaxMaintenance(
              values.alerts ? readAlertConfig(values.alerts) : {},
              values['max-maintenance-hours'],
            ),
          }
        : {}),
    });
    const { port, setupTokenFile } = await hub.start();
    if (setupTokenFile)
      process.stderr.write(
        `\n首次启动：尚无管理员。一次性设置令牌已写入 ${setupTokenFile}（24 小时内有效）。\n` +
          `First start: no users yet. A one-time setup token is in ${setupTokenFile} (valid 24 h);\n` +
          `POST it with a username and password to /api/setup to create the first administrator.\n\n`,
      );
    console.log(JSON.stringify({ ready: true, port, setupTokenFile }));
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
      if (process.send) process.once('disconnect', () => done());
    });
    await hub.stop();
    return 0;
  }
  return usage();
}

/** `--gateway-rate EVENTS_PER_S[/MESSAGES_PER_S]`, e.g. 100000/1000. */
function gatewayRate(v: string) {
  const m = /^(\d+)(?:\/(\d+))?$/.exec(v);
  if (!m || Number(m[1]) < 1)
    throw new Error(`--gateway-rate must be EVENTS_PER_SECOND[/MESSAGES_PER_SECOND], e.g. 100000/1000 (got ${v})`);
  return {
    ...DEFAULT_GATEWAY_RATE,
    eventsPerSecond: Number(m[1]),
    ...(m[2] ? { messagesPerSecond: Number(m[2]) } : {}),
  };
}

/** `--until`: an ISO 8601 time, or a span from now (`7d`, `12h`). */
function untilTime(v: string, now: number): number {
  const span = /^(\d+)([dh])$/.exec(v);
  if (span) return now + Number(span[1]) * (span[2] === 'd' ? 24 : 1) * 3600_000;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`--until must be an ISO 8601 time or a span like 7d or 12h (got ${v})`);
  return t;
}

function positiveDays(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new Error(`--retention-days must be a whole number of days, 1–3650 (got ${v})`);
  return n;
}

/** The SLA file (docs/alerts.md); its errors name the file. */
function readAlertConfig(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not readable JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/** `--max-maintenance-hours H` overrides the alert file's `maintenance.maxWindowMs` (checked with the rest of it). */
function withMaxMaintenance(config: unknown, hours: string | undefined): unknown {
  if (hours === undefined) return config;
  const h = Number(hours);
  if (!Number.isFinite(h) || h <= 0 || h > 168)
    throw new Error(`--max-maintenance-hours must be a number of hours, more than 0 and at most 168 (got ${hours})`);
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  const m = (typeof c.maintenance === 'object' && c.maintenance !== null ? c.maintenance : {}) as object;
  return { ...c, maintenance: { ...m, maxWindowMs: Math.round(h * 3600_000) } };
}

function usage(problem?: string): number {
  if (problem) console.error(`linli-hub: ${problem}\n`);
  console.error(USAGE);
  return 64;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`linli-hub: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
