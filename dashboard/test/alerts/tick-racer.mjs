// One "hub" process for the exactly-once escalation test: loads the alert
// service from TypeScript source through Vite's SSR loader (as Vitest does),
// opens its own connection to the shared database (a SQLite file, or a
// PostgreSQL schema: `postgres://…#schema`), waits for "go" on stdin so both
// racers start together, then ticks through the given clock times and prints
// the escalations it won as JSON.
import { createInterface } from 'node:readline';
import { createServer } from 'vite';

const [target, timesArg, configArg] = process.argv.slice(2);
const times = JSON.parse(timesArg);
const vite = await createServer({
  root: new URL('../../../', import.meta.url).pathname,
  configFile: false,
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
});
const { AlertService } = await vite.ssrLoadModule('/dashboard/src/alerts/index.ts');
let db;
if (target.startsWith('postgres')) {
  const { PgDb } = await vite.ssrLoadModule('/dashboard/src/store/sql/pg-db.ts');
  const [url, schema] = target.split('#');
  db = new PgDb({ url, schema, max: 2 });
} else {
  const { SqliteDb } = await vite.ssrLoadModule('/dashboard/src/store/sql/sqlite-db.ts');
  db = new SqliteDb(target);
}
let now = times[0];
const svc = new AlertService(db, { now: () => now, config: JSON.parse(configArg) });
const overdue = async () =>
  Number((await db.get('SELECT count(*) AS n FROM alert_alerts WHERE due_at IS NOT NULL AND due_at <= ?', [now])).n);
await overdue(); // connected before "ready"

process.stdout.write('ready\n');
const rl = createInterface({ input: process.stdin });
await new Promise((resolve) => rl.once('line', resolve));
rl.close();
process.stdin.destroy();
const won = [];
let ticks = 0;
// Overdue alerts this process saw but did not get: the other one escalated them first.
let lost = 0;
for (const t of times) {
  now = t;
  for (let n = await overdue(); n > 0; n = await overdue()) {
    ticks++;
    const mine = await svc.tick();
    lost += Math.max(0, Math.min(n, 500) - mine.length);
    for (const a of mine) won.push(`${a.id}:${a.level}`);
  }
}
process.stdout.write(`${JSON.stringify({ won, ticks, lost })}\n`);
await db.close();
await vite.close();
