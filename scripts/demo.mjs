// `npm start`: the demo city on one machine — the hub with the cockpit, and
// one gateway per pilot community, each with simulated devices over their real
// protocols (Modbus TCP, DL/T 645, CJ/T 188, ISAPI, ONVIF with RTSP or HTTP snapshots).
// Every child gets an IPC channel and exits when this process goes away, so
// Ctrl-C (or even SIGKILL of this process) leaves no orphans.
import { execFile, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadDemoCity, ringCentroid } from '../geo/dist/index.js';
import { gatewayYaml } from './demo-gateway-yaml.mjs';
import { ffmpegFound, freePort } from './demo-machine.mjs';
import { startFieldPhones } from './demo-field.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = resolve(process.env.LINLI_DATA ?? join(root, 'data'));
const port = Number(process.env.LINLI_PORT ?? 8080);
const host = process.env.LINLI_HOST ?? '127.0.0.1';
const HUB_CLI = join(root, 'dashboard/dist/cli.js');
const GATEWAY_CLI = join(root, 'gateway/dist/cli.js');
const SIM_CLI = join(root, 'drivers/dist/sim/cli.js');
const logsDir = join(dataDir, 'logs');
// Logs name devices, gateways and accounts: readable by this user only (folders 0700, files 0600).
mkdirSync(logsDir, { recursive: true, mode: 0o700 });

const children = new Map(); // name -> ChildProcess
/** The simulated district video platform's SIP server code (宿州市 3413, type 200; illustrative). */
const GB_PLATFORM_ID = '34130000002000000001';
let stopping = false;

/** Starts a child with logs to data/logs/NAME.log; resolves with its first stdout JSON line {ready:true,...}. */
function start(name, script, args) {
  const log = createWriteStream(join(logsDir, `${name}.log`), { flags: 'a', mode: 0o600 });
  const child = fork(script, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, LINLI_LOG_LEVEL: process.env.LINLI_LOG_LEVEL ?? 'info' },
  });
  children.set(name, child);
  child.stderr.pipe(log);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping)
      console.error(`✗ ${name} 已退出 exited (${signal ?? code}); 日志 log: ${join(logsDir, `${name}.log`)}`);
  });
  return new Promise((res, rej) => {
    let ready = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.write(`${line}\n`);
      if (ready) return;
      try {
        const msg = JSON.parse(line);
        if (msg.ready) {
          ready = true;
          res(msg);
        }
      } catch {}
    });
    child.on(
      'exit',
      () => ready || rej(new Error(`${name} exited before it was ready; see ${join(logsDir, `${name}.log`)}`)),
    );
  });
}

function hubCli(args) {
  return execFileSync(process.execPath, [HUB_CLI, ...args, '--data', join(dataDir, 'hub')], {
    encoding: 'utf8',
  }).trim();
}

/** The same, without blocking: communities start side by side. */
function hubCliAsync(args) {
  return new Promise((res, rej) =>
    execFile(process.execPath, [HUB_CLI, ...args, '--data', join(dataDir, 'hub')], { encoding: 'utf8' }, (err, out) =>
      err ? rej(err) : res(out.trim()),
    ),
  );
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  console.log('\n正在停止 stopping…');
  const waits = [...children.values()].map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))));
  for (const c of children.values()) c.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const c of children.values()) c.kill('SIGKILL');
  }, 5000);
  await Promise.all(waits);
  clearTimeout(timer);
  console.log('已停止 stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main() {
  const t0 = Date.now();
  const city = loadDemoCity();
  const communities = city.areas.filter((a) => a.level === 'community');
  const gridsOf = (code) => city.areas.filter((a) => a.level === 'grid' && a.parent === code);

  // The hub imports the demo city as its first city version (flagged demo) and activates it.
  const hub = await start('hub', HUB_CLI, [
    'serve',
    '--demo-city',
    '--demo-register',
    '--data',
    join(dataDir, 'hub'),
    '--host',
    host,
    '--port',
    String(port),
  ]);
  const hubUrl = `http://127.0.0.1:${hub.port}`;
  console.log(`✓ 指挥中心 hub on ${hubUrl}`);
  const accounts = await demoAccounts(hub, hubUrl);

  // Every community's gate camera, in one simulator process sharing one real RTSP stream (GStreamer):
  // ten live H.264 encoders would swamp a small demo machine.
  const secrets = join(dataDir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const camPassword = join(secrets, 'camera.pw');
  const gatePassword = join(secrets, 'gate.pw');
  if (!existsSync(camPassword))
    writeFileSync(camPassword, `Cam-${randomBytes(9).toString('base64url')}\n`, { mode: 0o600 });
  if (!existsSync(gatePassword))
    writeFileSync(gatePassword, `Gate-${randomBytes(9).toString('base64url')}\n`, { mode: 0o600 });
  const cameraSim = await start('cameras', SIM_CLI, [
    '--port',
    '0',
    '--username',
    'viewer',
    '--password-file',
    camPassword,
    '--snapshot',
    ...communities.flatMap((c) => ['--camera', `cam-${c.code}`]),
  ]);
  if (!ffmpegFound())
    console.log('! ffmpeg 未安装 not found: gateways take pictures over HTTP snapshots only (apt-get install ffmpeg)');
  const cameraPort = new Map(cameraSim.cameras.map((c) => [c.name, c.port]));
  console.log(
    `✓ 摄像机 cameras: ${cameraSim.cameras.length} (${cameraSim.rtsp ? 'ONVIF + RTSP' : 'ONVIF, 仅快照 snapshots only: no GStreamer, see data/logs/cameras.log'})`,
  );

  // The district's public-security video platform (雪亮工程), simulated: every gateway registers to it over
  // GB/T 28181 and lists its gate camera; registrations, catalogs and alarms go to data/logs/gb-platform.log.
  const gbPassword = join(secrets, 'gb28181.pw');
  if (!existsSync(gbPassword))
    writeFileSync(gbPassword, `Gb-${randomBytes(9).toString('base64url')}\n`, { mode: 0o600 });
  const gbPlatform = await start('gb-platform', SIM_CLI, [
    ...['--gb-platform', '--port', '0', '--gb-id', GB_PLATFORM_ID, '--password-file', gbPassword],
  ]);
  console.log(
    `✓ 公安视频平台 GB/T 28181 platform (simulated): udp/tcp ${gbPlatform.port}, log data/logs/gb-platform.log`,
  );

  // Communities start side by side, a few at a time (each is five processes).
  const startCommunity = async (community, n) => {
    const id = `gw-${community.code}`;
    const dir = join(dataDir, 'gateways', id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tokenFile = join(dir, 'gateway.token');
    writeFileSync(tokenFile, `${await hubCliAsync(['gateway', 'add', '--id', id, '--area', community.code])}\n`, {
      mode: 0o600,
    });
    chmodSync(tokenFile, 0o600);
    const simPort = await freePort();
    await start(`sim-${community.code}`, SIM_CLI, [
      '--port',
      String(simPort),
      '--seed',
      community.code.slice(-6),
      '--unit',
      '1=energy-meter-3p',
      '--unit',
      '2=di-safety-sensor',
      '--unit',
      '3=energy-meter-3p',
      '--unit',
      '4=elevator-monitor',
    ]);
    // Water and electricity meters on RS-485 lines reached through serial servers (TCP).
    const waterPort = await freePort();
    const suffix = community.code.slice(-6);
    const water = [`0000${suffix}0001`, `0000${suffix}0002`];
    await start(`water-${community.code}`, SIM_CLI, [
      '--port',
      String(waterPort),
      '--seed',
      n,
      '--cjt188',
      water[0],
      '--cjt188',
      `${water[1]}:quiet`,
    ]);
    const powerPort = await freePort();
    const power = `00${suffix}0001`;
    await start(`power-${community.code}`, SIM_CLI, ['--port', String(powerPort), '--seed', suffix, '--dlt645', power]);
    const gatePort = await freePort();
    await start(`gate-${community.code}`, SIM_CLI, [
      '--gate',
      '--port',
      String(gatePort),
      '--user',
      'linli',
      '--password-file',
      gatePassword,
      '--doors',
      '2',
      '--traffic-ms',
      '6000',
      '--seed',
      suffix,
    ]);
    const grids = gridsOf(community.code);
    const at = (i) => {
      const g = grids[i % grids.length];
      const [lng, lat] = ringCentroid(g.ring);
      return { lng: Math.round(lng * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6, gridId: g.code };
    };
    const devices = [
      { id: 'meter-01', type: 'energy-meter-3p', unitId: 1, pollMs: 5000, ...at(0) },
      { id: 'safety-01', type: 'di-safety-sensor', unitId: 2, pollMs: 1000, ...at(1) },
      { id: 'meter-02', type: 'energy-meter-3p', unitId: 3, pollMs: 5000, ...at(2) },
      { id: 'lift-01', type: 'elevator-monitor', unitId: 4, pollMs: 1000, ...at(3) },
      {
        id: 'water-01',
        type: 'cjt188-water-meter',
        pollMs: 10000,
        transport: `{ kind: cjt188, address: "${water[0]}", line: { kind: tcp, host: 127.0.0.1, port: ${waterPort} } }`,
        ...at(4),
      },
      {
        id: 'water-elder',
        type: 'cjt188-water-meter',
        pollMs: 10000,
        loneElder: true,
        transport: `{ kind: cjt188, address: "${water[1]}", line: { kind: tcp, host: 127.0.0.1, port: ${waterPort} } }`,
        ...at(5),
      },
      {
        id: 'power-01',
        type: 'dlt645-meter',
        pollMs: 10000,
        transport: `{ kind: dlt645, address: "${power}", line: { kind: tcp, host: 127.0.0.1, port: ${powerPort} } }`,
        ...at(6),
      },
      {
        id: 'gate-01',
        type: 'isapi-door-terminal',
        pollMs: 5000,
        transport: `{ kind: isapi, host: 127.0.0.1, port: ${gatePort}, username: linli, passwordFile: ${gatePassword}, doors: ["东门", "东门侧门"] }`,
        ...at(7),
      },
      {
        id: 'cam-gate-01',
        type: 'onvif-camera',
        pollMs: 5000,
        timeoutMs: 15000,
        healthIntervalMs: 120000,
        ...(cameraSim.rtsp ? {} : { streamCheck: 'snapshot' }),
        transport: `{ kind: onvif, host: 127.0.0.1, port: ${cameraPort.get(`cam-${community.code}`)}, username: viewer, passwordFile: ${camPassword} }`,
        covers: ['gate-01', 'lift-01'],
        // Illustrative codes: 埇桥区 (341302) + industry 00 + type 132 (IP camera) + a serial per community.
        gbId: `3413020000132${String(n + 1).padStart(7, '0')}`,
        gbName: `${community.name}东门`,
        ...at(7),
      },
    ];
    const gb = {
      id: `3413020000200${String(n + 1).padStart(7, '0')}`,
      platformId: GB_PLATFORM_ID,
      port: gbPlatform.port,
      passwordFile: gbPassword,
    };
    const configFile = join(dir, 'gateway.yaml');
    writeFileSync(configFile, gatewayYaml({ id, community, hubUrl, simPort, devices, gb }));
    children.set(`gateway-${community.code}`, null);
    startGateway(`gateway-${community.code}`, configFile);
    started++;
    process.stdout.write(`\r✓ 网关 gateways: ${started}/${communities.length} (${community.name})        `);
  };
  let started = 0;
  const queue = communities.map((c, i) => [c, i]);
  const worker = async () => {
    while (queue.length) {
      const [c, i] = queue.shift();
      await startCommunity(c, i);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const display = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
  console.log(`\n\n邻里 Linli 演示城市已启动 (${((Date.now() - t0) / 1000).toFixed(1)} s)。`);
  const wallToken = hubCli(['display-token', '--username', 'wall', '--days', '7']);
  console.log(`驾驶舱 Cockpit (大屏, 全市只读): http://${display}:${hub.port}/#key=${wallToken}`);
  console.log(
    `登录 Login: http://${display}:${hub.port}/  管理员 admin: ${accounts.admin.username} / ${accounts.admin.password}`,
  );
  console.log(
    `  动态口令 TOTP: node scripts/totp.mjs ${accounts.admin.totpSecret}   (或扫码绑定 or add to an authenticator app)`,
  );
  console.log(`  其他演示账户 other demo accounts: ${accountsFile}`);
  console.log(`数据 Data: ${dataDir}   日志 Logs: ${logsDir}`);
  console.log('按 Ctrl-C 停止 Press Ctrl-C to stop.');
  // Scripted grid workers (two per community) through the phone app's API; a failure never stops the demo.
  const fieldLog = createWriteStream(join(logsDir, 'field-phones.log'), { flags: 'a', mode: 0o600 });
  const note = (line) => fieldLog.write(`${new Date().toISOString()} ${line}\n`);
  startFieldPhones({
    hubUrl,
    communities,
    gridsOf,
    hubCliAsync,
    accountsFile: join(dataDir, 'demo-field-accounts.json'),
    log: note,
  }).then(
    (f) =>
      console.log(
        `✓ 网格员 grid workers: ${f.phones} 部模拟手机 scripted phones (/field/; accounts in demo-field-accounts.json)`,
      ),
    (err) => note(`field phones not started: ${err.message}`),
  );
}

const accountsFile = join(dataDir, 'demo-accounts.json');

/**
 * Demo accounts. The first administrator is created the way a real
 * deployment does it: through the one-time setup token the hub wrote at first
 * start. The others are made with the hub CLI. Passwords are random and kept
 * in a 0600 file in the data folder (this is a demo; a deployment hands them
 * out in person).
 */
async function demoAccounts(hub, hubUrl) {
  if (!hub.setupTokenFile) {
    if (existsSync(accountsFile)) return JSON.parse(readFileSync(accountsFile, 'utf8'));
    throw new Error(`the hub has users but ${accountsFile} is missing; delete ${dataDir} to start the demo afresh`);
  }
  const setupToken = readFileSync(hub.setupTokenFile, 'utf8').trim();
  const password = `Demo-${Math.random().toString(36).slice(2, 10)}-${Date.now() % 10000}`;
  const res = await fetch(`${hubUrl}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupToken, username: 'admin', displayName: '演示管理员', password, areaCode: '341300' }),
  });
  const body = await res.json();
  if (!body.ok) throw new Error(`demo admin setup failed: ${body.error?.message}`);
  const made = (username, role, area, name) =>
    JSON.parse(hubCli(['user', 'add', '--username', username, '--role', role, '--area', area, '--name', name]));
  const accounts = {
    note: '演示账户，仅供演示 (demo accounts, for the demo only)',
    admin: { username: 'admin', password, totpSecret: body.totpSecret, role: 'admin', area: '341300' },
    wall: { ...made('wall', 'city_operator', '341300', '指挥中心大屏'), role: 'city_operator', area: '341300' },
    streetLeader: {
      ...made('tuohe.leader', 'street_leader', '341302001', '沱河街道演示领导'),
      role: 'street_leader',
      area: '341302001',
    },
  };
  writeFileSync(accountsFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  return accounts;
}

/** Gateways print no ready line (they log JSON); they are up once started. */
function startGateway(name, configFile) {
  const log = createWriteStream(join(logsDir, `${name}.log`), { flags: 'a', mode: 0o600 });
  const child = fork(GATEWAY_CLI, ['run', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.set(name, child);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping)
      console.error(`✗ ${name} 已退出 exited (${signal ?? code}); 日志 log: ${join(logsDir, `${name}.log`)}`);
  });
}

main().catch((err) => {
  console.error(`启动失败 start failed: ${err.message}`);
  void stopAll(1);
});
