// The demo's grid workers: two scripted phones per community, using the same
// REST API as the phone app (/field/): they patrol their grid's route with
// check-ins and a track, report a matter now and then, and take the tasks
// the cockpit dispatches to them through accept → on my way → arrived →
// resolved. Nothing here is privileged: every step is an ordinary
// `POST /api/field/actions` with a client id and a per-device sequence.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Secret, TOTP } from 'otpauth';
import { ringCentroid } from '../geo/dist/index.js';

const CATEGORIES = ['安全隐患', '环境卫生', '矛盾纠纷', '设施损坏', '违停拥堵', '其他'];
const DESCRIPTIONS = {
  安全隐患: '楼道堆放杂物，影响消防通道',
  环境卫生: '垃圾桶满溢，需清运',
  矛盾纠纷: '邻里因噪音发生争执，已初步劝解',
  设施损坏: '路灯不亮',
  违停拥堵: '消防通道有车辆违停',
  其他: '井盖松动',
};
/** One step of a scripted phone this often; a loop of the route takes a few minutes. */
const STEP_MS = 8_000;
const id = () => randomBytes(12).toString('hex');
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const totpOf = (uri) => /secret=([A-Z2-7]+)/i.exec(uri)?.[1] ?? null;
const code = (secret) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();

/** Metres east/north of a point, in degrees. */
function offset([lng, lat], east, north) {
  return [lng + east / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + north / 110_540];
}

async function api(hubUrl, token, method, path, body) {
  const res = await fetch(hubUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const reply = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${reply?.error?.message ?? res.status}`);
  return reply;
}

async function login(hubUrl, account) {
  const secret = totpOf(account.totpUri ?? '');
  const res = await fetch(`${hubUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: account.username,
      password: account.password,
      ...(secret ? { totp: code(secret) } : {}),
    }),
  });
  const body = await res.json();
  if (!body.ok) throw new Error(`login ${account.username}: ${body.error?.message}`);
  return body.token;
}

/** One scripted phone: its device id, its sequence, and a loop over its grid's route. */
function phone(hubUrl, token, grid, route, log) {
  let seq = 0;
  const deviceId = `demo-${id()}`;
  const send = (actions) =>
    api(hubUrl, token, 'POST', '/api/field/actions', {
      deviceId,
      actions: actions.map((a) => ({ clientId: id(), seq: ++seq, at: Date.now(), ...a })),
    }).then((r) => {
      for (const x of r.results) if (x.status === 'refused') log(`${grid.code} ${x.code}: ${x.message}`);
      return r;
    });
  const centre = ringCentroid(grid.ring);
  const points = route.points.map((p) => [p.lng, p.lat]);
  let patrolId = null;
  let leg = 0;
  let task = null;

  const position = ([lng, lat]) => ({ lng, lat, accuracy: 8 });
  async function stepPatrol() {
    if (!patrolId) {
      patrolId = `patrol-${id()}`;
      leg = 0;
      await send([{ type: 'patrol.start', patrolId, routeId: route.id, position: position(points[0]) }]);
      return;
    }
    const from = points[leg % points.length];
    const to = points[(leg + 1) % points.length];
    const track = [0.25, 0.5, 0.75, 1].map((f, i) => ({
      at: Date.now() - (3 - i) * 2000,
      lng: from[0] + (to[0] - from[0]) * f + (Math.random() - 0.5) * 0.00004,
      lat: from[1] + (to[1] - from[1]) * f + (Math.random() - 0.5) * 0.00004,
    }));
    const p = route.points[(leg + 1) % points.length];
    const actions = [
      { type: 'patrol.track', patrolId, points: track },
      { type: 'patrol.checkin', patrolId, pointId: p.id, position: position(offset(to, 6, 4)) },
    ];
    if (Math.random() < 0.15) {
      const category = pick(CATEGORIES);
      const [lng, lat] = offset(to, (Math.random() - 0.5) * 60, (Math.random() - 0.5) * 60);
      actions.push({
        type: 'matter.report',
        category,
        description: DESCRIPTIONS[category],
        position: position([lng, lat]),
      });
    }
    leg++;
    if (leg >= points.length) actions.push({ type: 'patrol.stop', patrolId, position: position(to) });
    await send(actions);
    if (leg >= points.length) patrolId = null;
  }

  async function stepTask() {
    if (!task) {
      const { tasks } = await api(hubUrl, token, 'GET', '/api/field/tasks');
      const next = tasks.find((t) => t.state === 'dispatched' || t.state === 'acknowledged');
      if (!next) return false;
      task = { id: next.id, at: [next.lng, next.lat], stage: next.state === 'dispatched' ? 0 : 1 };
    }
    const steps = [
      () => ({ type: 'task.accept', alertId: task.id }),
      () => ({ type: 'task.en_route', alertId: task.id, position: position(offset(centre, 30, 30)) }),
      () => ({ type: 'task.arrive', alertId: task.id, position: position(offset(task.at, 5, 5)) }),
      () => ({
        type: 'task.resolve',
        alertId: task.id,
        note: '已到现场核实处置，情况正常',
        position: position(task.at),
      }),
    ];
    await send([steps[task.stage]()]);
    task.stage++;
    if (task.stage >= steps.length) task = null;
    return true;
  }

  return async function tick() {
    // A task comes first: the worker leaves the patrol route for it.
    if (!(await stepTask())) await stepPatrol();
  };
}

/**
 * Starts two scripted grid workers in each community's first grids (accounts
 * made with the hub CLI, kept in `accountsFile`, 0600) and a route per grid,
 * defined by the community's demo community worker. Returns a stop function.
 */
export async function startFieldPhones({ hubUrl, communities, gridsOf, hubCliAsync, accountsFile, log }) {
  let accounts;
  if (existsSync(accountsFile)) accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
  else {
    accounts = { note: '演示外勤账户，仅供演示 (demo field accounts)', communities: {} };
    for (const c of communities) {
      const suffix = c.code.slice(-6);
      const grids = gridsOf(c.code).slice(0, 2);
      const make = async (username, role, area, name) =>
        JSON.parse(
          await hubCliAsync(['user', 'add', '--username', username, '--role', role, '--area', area, '--name', name]),
        );
      const workers = [];
      for (const [i, g] of grids.entries())
        workers.push({
          grid: g.code,
          ...(await make(`wg.${suffix}.${i + 1}`, 'grid_worker', g.code, `${c.name}网格员${i + 1}`)),
        });
      accounts.communities[c.code] = {
        planner: await make(`sq.${suffix}`, 'community_worker', c.code, `${c.name}社工`),
        workers,
      };
    }
    writeFileSync(accountsFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  }
  const ticks = [];
  for (const c of communities) {
    const a = accounts.communities[c.code];
    if (!a) continue;
    const plannerToken = await login(hubUrl, a.planner);
    const existing = (await api(hubUrl, plannerToken, 'GET', '/api/field/routes')).routes;
    for (const w of a.workers) {
      const grid = gridsOf(c.code).find((g) => g.code === w.grid);
      let route = existing.find((r) => r.gridId === grid.code);
      if (!route) {
        const centre = ringCentroid(grid.ring);
        const corners = [
          [-50, -40],
          [50, -40],
          [50, 40],
          [-50, 40],
        ].map(([e, n], i) => {
          const [lng, lat] = offset(centre, e, n);
          return { name: `签到点${i + 1}`, lng, lat };
        });
        route = (
          await api(hubUrl, plannerToken, 'POST', '/api/field/routes', {
            gridId: grid.code,
            name: '日常巡查',
            points: corners,
          })
        ).route;
      }
      const token = await login(hubUrl, w);
      ticks.push(phone(hubUrl, token, grid, route, log));
    }
  }
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    Promise.all(ticks.map((t) => t().catch((err) => log(`field phone: ${err.message}`)))).finally(
      () => (running = false),
    );
  }, STEP_MS);
  timer.unref();
  return { phones: ticks.length, stop: () => clearInterval(timer) };
}
