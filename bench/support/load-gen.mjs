// Load generator: N simulated gateways, each a compound living its day
// compressed in time, speaking the real gateway protocol to one hub or to a
// list of hubs (gateway i → urls[i % urls.length], as a load balancer would).
// The gateways are spread over a few child processes so the generator itself
// is not the bottleneck on one core.
//
// As a module: enrollGateways() then runLoad(). As a child: `load-gen.mjs child`.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { createIdFactory, defaultSeverity, wire } from '../../contract/dist/index.js';
import { hashSecret, newSecret, openHubStore } from '../../dashboard/dist/index.js';
import { benchDevices, meterDraft, METER_IDS } from '../lib.mjs';
import { demoCity, gridsOf } from './hub-bench.mjs';

/** Enrolls `n` gateways in the hub's database as `linli-hub gateway add` does; returns {id, token, grids}. */
export async function enrollGateways(storeOpts, n) {
  const areas = demoCity();
  const store = await openHubStore(storeOpts);
  const out = [];
  try {
    for (let i = 0; i < n; i++) {
      const community = areas.community[i % areas.community.length];
      const id = `load-gw-${String(i).padStart(4, '0')}`;
      const token = newSecret();
      await store.upsertGateway(id, hashSecret(token), community);
      out.push({ id, token, grids: gridsOf(areas, community) });
    }
  } finally {
    await store.close();
  }
  return out;
}

/**
 * Runs the gateways for `seconds` once all are connected and greeted. `onStart`
 * is called at the moment the window opens. Resolves with the fleet's totals.
 */
export async function runLoad({ urls, gateways, seconds, compress = 60, flushMs = 250, procs = 2, onStart }) {
  const parts = Array.from({ length: procs }, () => []);
  gateways.forEach((g, i) => parts[i % procs].push({ ...g, url: urls[i % urls.length] }));
  const children = parts.map(() => fork(fileURLToPath(import.meta.url), ['child'], { stdio: 'inherit' }));
  const results = children.map(
    (c) =>
      new Promise((res, rej) => {
        c.on('message', (m) => m.type === 'done' && res(m));
        c.once('exit', (code) => rej(new Error(`load-gen child exited (${code})`)));
      }),
  );
  const ready = children.map((c) => new Promise((res) => c.on('message', (m) => m.type === 'ready' && res())));
  children.forEach((c, k) => c.send({ type: 'run', gateways: parts[k], seconds, compress, flushMs }));
  await Promise.all(ready);
  onStart?.();
  for (const c of children) c.send({ type: 'go' });
  const all = await Promise.all(results);
  for (const c of children) c.kill();
  const sum = (k) => all.reduce((s, r) => s + r[k], 0);
  return {
    gateways: gateways.length,
    offered: sum('offered'),
    acked: sum('acked'),
    eventsPerSecond: sum('acked') / seconds,
    liveStored: sum('liveStored'),
    errors: sum('errors'),
    rateLimited: sum('rateLimited'),
  };
}

// ---- a compound's day ----

const HOUR = 3_600_000;
/** Events per real second of one compound at an average hour (before the time-of-day factor). */
const MIX = [
  // ~3,000 passages a day through 4 gates; rush hours below.
  {
    rate: 0.035,
    peaky: true,
    make: (r) => [
      'gate.pass',
      `gate-${r(4)}`,
      { method: ['card', 'face', 'qr'][r(3)], direction: r(2) ? 'in' : 'out', credentialMasked: '****1234' },
    ],
  },
  {
    rate: 0.002,
    peaky: true,
    make: (r) => ['gate.refused', `gate-${r(4)}`, { method: 'card', reason: 'unknown card' }],
  },
  // 8 elevators report every 30 s.
  {
    rate: 8 / 30,
    make: (r) => [
      'elevator.status',
      `elev-${r(8)}`,
      {
        floor: r(30) + 1,
        direction: ['up', 'down', 'stopped'][r(3)],
        door: r(2) ? 'open' : 'closed',
        running: true,
        faultCode: 0,
      },
    ],
  },
  // 32 meters read every 5 minutes.
  {
    rate: 32 / 300,
    make: (r) => {
      const d = meterDraft(r(1e6));
      return [d.kind, d.deviceId, d.payload];
    },
  },
  // 20 cameras, motion now and then (more at rush hours).
  { rate: 0.1, peaky: true, make: (r) => ['camera.motion', `cam-${r(20)}`, { region: 'entrance' }] },
  // About one alarm an hour: these go on the live lane too.
  {
    rate: 1 / 3600,
    alarm: true,
    make: (r) => [['elevator.fault', 'gate.held_open', 'smoke.alarm'][r(3)], `dev-${r(10)}`, null],
  },
];
const ALARM_PAYLOAD = {
  'elevator.fault': { faultCode: 12 },
  'gate.held_open': { door: 'north gate', seconds: 120 },
  'smoke.alarm': { active: true },
};
/** Morning and evening rush, quiet night. */
const dayFactor = (simMs) => {
  const h = new Date(simMs + 8 * HOUR).getUTCHours();
  return (h >= 7 && h < 9) || (h >= 17 && h < 20) ? 3 : h < 6 ? 0.2 : 1;
};

function simulateGateway(g, compress) {
  const nextId = createIdFactory();
  const r = (n) => Math.floor(Math.random() * n);
  // Every gateway starts at 07:00 of a simulated day, with its own phase so they do not tick together.
  const t0 = Date.now();
  const simStart = Math.floor(t0 / (24 * HOUR)) * 24 * HOUR - HOUR + r(HOUR); // ~07:00 CST
  const carry = MIX.map(() => Math.random());
  let seq = 0;
  let last = t0;
  return (now) => {
    const dt = ((now - last) / 1000) * compress;
    last = now;
    const f = dayFactor(simStart + (now - t0) * compress);
    const out = [];
    MIX.forEach((m, k) => {
      carry[k] += m.rate * dt * (m.peaky ? f : 1);
      for (; carry[k] >= 1; carry[k]--) {
        const [kind, deviceId, payload] = m.make(r);
        seq++;
        out.push({
          v: 1,
          id: nextId(now),
          gatewayId: g.id,
          seq,
          deviceId,
          kind,
          severity: defaultSeverity[kind],
          deviceTime: now,
          receivedAt: now,
          location: { lng: 117.012, lat: 33.662, gridId: g.grids[seq % g.grids.length] },
          payload: payload ?? ALARM_PAYLOAD[kind],
          alarm: !!m.alarm,
        });
      }
    });
    return out;
  };
}

/** Every device a compound of MIX reports from, declared to the hub in hello. */
function declaration(grids) {
  const n = (prefix, count) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  return benchDevices([...n('gate', 4), ...n('elev', 8), ...METER_IDS, ...n('cam', 20), ...n('dev', 10)], grids);
}

// ---- child: runs its share of gateways ----

async function child({ gateways, seconds, compress, flushMs }) {
  const stats = { offered: 0, acked: 0, liveStored: 0, errors: 0, rateLimited: 0 };
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  const retryIn = (r) => Number(/retry in (\d+) ms/.exec(r?.error?.message ?? '')?.[1] ?? 1000);
  const socks = await Promise.all(
    gateways.map(async (g) => {
      const s = io(`${g.url}${wire.GATEWAY_NAMESPACE}`, {
        auth: { gatewayId: g.id, token: g.token, protocol: wire.PROTOCOL_VERSION },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      await new Promise((res, rej) => {
        s.once('connect', res);
        s.once('connect_error', rej);
      });
      const hello = await s.timeout(30_000).emitWithAck('hello', { devices: declaration(g.grids), lastSeq: 0 });
      if (!hello.ok) throw new Error(`${g.id}: hello ${JSON.stringify(hello)}`);
      return s;
    }),
  );
  process.send({ type: 'ready' });
  await new Promise((res) => process.once('message', res));
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    gateways.map(async (g, i) => {
      const s = socks[i];
      const next = simulateGateway(g, compress);
      const backlog = [];
      await sleep(Math.random() * flushMs); // gateways flush at different moments
      while (Date.now() < end) {
        const fresh = next(Date.now());
        stats.offered += fresh.length;
        for (const e of fresh) {
          const { alarm, ...ev } = e;
          backlog.push(ev);
          // Alarms go ahead on the live lane at once; the backlog still carries them (the hub dedupes).
          if (alarm)
            s.timeout(30_000)
              .emitWithAck('live', { events: [ev] })
              .then(
                (r) =>
                  r.ok
                    ? (stats.liveStored += r.stored)
                    : r.error.code === 'RATE_LIMITED'
                      ? stats.rateLimited++
                      : stats.errors++,
                () => stats.errors++,
              );
        }
        if (backlog.length) {
          const batch = backlog.slice(0, wire.MAX_BATCH_EVENTS);
          const r = await s
            .timeout(30_000)
            .emitWithAck('events', { events: batch })
            .catch(() => null);
          if (r?.ok && r.ackSeq === batch.at(-1).seq) {
            backlog.splice(0, batch.length);
            if (Date.now() <= end) stats.acked += batch.length;
          } else if (r?.error?.code === 'RATE_LIMITED') {
            stats.rateLimited++;
            await sleep(retryIn(r));
            continue;
          } else {
            stats.errors++;
            await sleep(1000);
            continue;
          }
        }
        await sleep(flushMs);
      }
    }),
  );
  for (const s of socks) s.disconnect();
  process.send({ type: 'done', ...stats });
}

if (process.argv[2] === 'child') {
  process.once('message', (m) =>
    child(m).catch((err) => {
      console.error(err);
      process.exit(1);
    }),
  );
  // Orphaned (the parent died): stop.
  process.on('disconnect', () => process.exit(0));
}

// ---- as a command (the compose city profile's `load` service, installer training) ----
//   load-gen.mjs --enrol-only --gateways 200 --database postgres://… --out gateways.json
//   load-gen.mjs --hub http://balancer:8080 --gateways-file gateways.json [--seconds 3600] [--compress 60]
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] !== 'child') {
  const { parseArgs } = await import('node:util');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { values: a } = parseArgs({
    options: {
      'enrol-only': { type: 'boolean', default: false },
      gateways: { type: 'string', default: '200' },
      database: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      hub: { type: 'string', multiple: true },
      'gateways-file': { type: 'string' },
      seconds: { type: 'string', default: '3600' },
      compress: { type: 'string', default: '60' },
    },
  });
  if (a['enrol-only']) {
    if (!a.out || (!a.database && !a.data)) throw new Error('--enrol-only needs --out and --database (or --data)');
    const gws = await enrollGateways(a.database ? { database: a.database } : { dataDir: a.data }, Number(a.gateways));
    writeFileSync(a.out, JSON.stringify(gws), { mode: 0o600 });
    console.error(`enrolled ${gws.length} gateways → ${a.out}`);
  } else {
    if (!a.hub?.length || !a['gateways-file']) throw new Error('needs --hub URL (one or more) and --gateways-file');
    const gateways = JSON.parse(readFileSync(a['gateways-file'], 'utf8'));
    const r = await runLoad({
      urls: a.hub,
      gateways,
      seconds: Number(a.seconds),
      compress: Number(a.compress),
      onStart: () => console.error(`${gateways.length} gateways connected; running ${a.seconds} s`),
    });
    console.log(JSON.stringify(r));
  }
}
