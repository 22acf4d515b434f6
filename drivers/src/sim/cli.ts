#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { ModbusDefinition } from '../definition.js';
import { builtinRegistry } from '../registry.js';
import { readFileSync } from 'node:fs';
import { GateSimulator } from './gate-sim.js';
import { startCameras } from './camera-cli.js';
import { startGbDevice, startGbPlatform } from './gb-cli.js';
import { MeterLineSimulator } from './meter-line-sim.js';
import { ModbusSimulator } from './modbus-sim.js';

const USAGE = `linli-sim: simulated field devices over their real protocols.
  linli-sim --port 15020 --unit 1=energy-meter-3p --unit 2=di-safety-sensor      Modbus TCP
  linli-sim --serial /dev/ttyUSB1 --baud 9600 --unit 1=energy-meter-3p            Modbus RTU
  linli-sim --port 15030 --dlt645 000000000001 --dlt645 000000000002            DL/T 645 meters (serial server)
  linli-sim --serial /dev/ttyUSB2 --cjt188 12345678901234 --cjt188 12345678901235:quiet   CJ/T 188 water meters
  linli-sim --gate --port 18080 --user admin --password-file gate.pw [--doors 2] [--traffic-ms 5000]   ISAPI access terminal
  linli-sim --barrier --port 18081 --user admin --password-file gate.pw                               ISAPI vehicle barrier
  linli-sim --camera cam-gate-01 --port 18080 --password-file cam.pass [--discovery-port 3702] [--snapshot]
            [--rtsp-url rtsp://…]   ONVIF cameras (ports from --port up; 0 = ephemeral), video from a
            GStreamer RTSP server started here unless --rtsp-url is given; SIGUSR1 injects motion, SIGUSR2 tamper
  linli-sim --gb-platform --port 15060 --gb-id 34130000002000000001 --password-file gb.pw [--keepalive-s 60]
            GB/T 28181 upper platform (UDP and TCP on one port); prints registrations, catalogs, alarms as JSON lines
  linli-sim --gb-device 34130200001180000001 --server 34130000002000000001@127.0.0.1:15060 --password-file gb.pw
            [--transport udp|tcp] [--channels 4]   GB/T 28181 NVR registering to a platform (or to the gateway's
            gb28181 devices); SIGUSR1 sends a motion alarm, SIGUSR2 a tamper alarm
Prints one JSON line {"ready":true,...} when listening; exits on SIGINT/SIGTERM or when its parent goes away.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '1502' },
      unit: { type: 'string', multiple: true, default: [] },
      dlt645: { type: 'string', multiple: true, default: [] },
      cjt188: { type: 'string', multiple: true, default: [] },
      seed: { type: 'string' },
      serial: { type: 'string' },
      baud: { type: 'string' },
      parity: { type: 'string' },
      camera: { type: 'string', multiple: true, default: [] },
      username: { type: 'string', default: 'admin' },
      'password-file': { type: 'string' },
      'discovery-port': { type: 'string' },
      'rtsp-url': { type: 'string' },
      snapshot: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      gate: { type: 'boolean', default: false },
      barrier: { type: 'boolean', default: false },
      user: { type: 'string' },
      doors: { type: 'string' },
      'traffic-ms': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'gb-platform': { type: 'boolean', default: false },
      'gb-device': { type: 'string' },
      'gb-id': { type: 'string' },
      'gb-domain': { type: 'string' },
      server: { type: 'string' },
      transport: { type: 'string', default: 'udp' },
      channels: { type: 'string', default: '4' },
      'keepalive-s': { type: 'string', default: '60' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const seed = values.seed ? { seed: Number(values.seed) } : {};
  const link = values.serial ? `serial ${values.serial}` : `tcp ${values.host}:${values.port}`;
  let stop: () => Promise<void>;
  let protocol: string;
  if (values.camera.length) {
    protocol = 'onvif';
    const running = await startCameras({
      names: values.camera,
      host: values.host,
      port: Number(values.port),
      username: values.username,
      passwordFile: values['password-file'],
      discoveryPort: values['discovery-port'] === undefined ? null : Number(values['discovery-port']),
      rtspUrl: values['rtsp-url'],
      snapshot: values.snapshot,
    });
    stop = running.stop;
    console.log(JSON.stringify({ ready: true, protocol, cameras: running.cameras, rtsp: running.rtsp }));
    const quit = () => void stop().then(() => process.exit(0));
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
    process.once('disconnect', quit);
    return;
  }
  if (values['gb-platform'] || values['gb-device']) {
    const args = {
      host: values.host,
      port: Number(values.port),
      id: values['gb-device'] ?? values['gb-id'] ?? '',
      ...(values['gb-domain'] ? { domain: values['gb-domain'] } : {}),
      ...(values['password-file'] ? { passwordFile: values['password-file'] } : {}),
      ...(values.server ? { server: values.server } : {}),
      transport: values.transport === 'tcp' ? ('tcp' as const) : ('udp' as const),
      channels: Number(values.channels),
      keepaliveS: Number(values['keepalive-s']),
    };
    const running = values['gb-platform'] ? await startGbPlatform(args) : await startGbDevice(args);
    const gbPort = 'port' in running ? running.port : null;
    if ('alarm' in running) {
      process.on('SIGUSR1', () => running.alarm('motion'));
      process.on('SIGUSR2', () => running.alarm('tamper'));
    }
    console.log(JSON.stringify({ ready: true, protocol: 'gb28181', port: gbPort }));
    const quit = () => void running.stop().then(() => process.exit(0));
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
    process.once('disconnect', quit);
    return;
  }
  let port: number | null = values.serial ? null : Number(values.port);
  if (values.gate || values.barrier) {
    // No default password, ever: the terminal's password comes from a file the operator wrote.
    if (!values.user || !values['password-file'])
      throw new Error('--gate/--barrier need --user and --password-file (no default password)');
    const password = readFileSync(values['password-file'], 'utf8').trim();
    if (!password) throw new Error(`--password-file ${values['password-file']} is empty`);
    protocol = 'isapi';
    const sim = new GateSimulator({
      host: values.host,
      port: Number(values.port),
      username: values.user,
      password,
      mode: values.barrier ? 'barrier' : 'door',
      doors: Number(values.doors ?? 1),
      trafficMs: values['traffic-ms'] ? Number(values['traffic-ms']) : null,
      ...(values['heartbeat-ms'] ? { heartbeatMs: Number(values['heartbeat-ms']) } : {}),
      ...seed,
    });
    await sim.start();
    port = sim.port;
    stop = () => sim.stop();
  } else if (values.dlt645.length || values.cjt188.length) {
    if (values.dlt645.length && values.cjt188.length)
      throw new Error('one protocol per line: use --dlt645 or --cjt188, not both');
    protocol = values.dlt645.length ? 'dlt645' : 'cjt188';
    const meters = [...values.dlt645, ...values.cjt188].map((spec) => {
      const m = /^(\d{12}|\d{14})(:quiet)?$/.exec(spec);
      if (!m)
        throw new Error(
          `--${protocol} ${spec}: expected the meter address (12 digits DL/T 645, 14 digits CJ/T 188), optionally :quiet`,
        );
      return { address: m[1]!, quiet: Boolean(m[2]) };
    });
    const sim = new MeterLineSimulator({
      protocol: protocol as 'dlt645' | 'cjt188',
      meters,
      ...seed,
      ...(values.serial
        ? {
            serial: {
              path: values.serial,
              baudRate: Number(values.baud ?? 2400),
              parity: (values.parity ?? 'even') as 'even',
            },
          }
        : { tcp: { host: values.host, port: Number(values.port) } }),
    });
    await sim.start();
    stop = () => sim.stop();
  } else {
    const registry = builtinRegistry();
    const units: { unitId: number; def: ModbusDefinition }[] = [];
    for (const spec of values.unit) {
      const m = /^(\d{1,3})=([a-z0-9-]+)$/.exec(spec);
      if (!m) throw new Error(`--unit ${spec}: expected UNIT=TYPE, e.g. 1=energy-meter-3p`);
      const def = await registry.get(m[2]!);
      if (def.protocol !== 'modbus')
        throw new Error(`--unit ${spec}: ${def.type} is not a Modbus device; use --${def.protocol}`);
      units.push({ unitId: Number(m[1]), def });
    }
    protocol = values.serial ? 'modbus-rtu' : 'modbus-tcp';
    const sim = new ModbusSimulator({
      host: values.host,
      port: Number(values.port),
      units,
      ...seed,
      ...(values.serial ? { serial: { path: values.serial, baudRate: Number(values.baud ?? 9600) } } : {}),
    });
    await sim.start();
    stop = () => sim.stop();
  }
  console.log(JSON.stringify({ ready: true, protocol, link, port }));
  const quit = () => void stop().then(() => process.exit(0));
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  process.once('disconnect', quit);
}

main().catch((err: unknown) => {
  console.error(`linli-sim: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
