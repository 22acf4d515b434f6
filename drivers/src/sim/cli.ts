#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { builtinRegistry } from '../registry.js';
import { ModbusSimulator } from './modbus-sim.js';

/**
 * linli-sim: runs simulated field devices over their real protocols.
 *   linli-sim --port 15020 --unit 1=energy-meter-3p --unit 2=di-safety-sensor
 *   linli-sim --serial /dev/ttyUSB1 --baud 9600 --unit 1=energy-meter-3p   (Modbus RTU)
 * Prints one JSON line {"ready":true,...} when listening; exits on SIGINT/SIGTERM
 * or when the parent process that spawned it goes away.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '1502' },
      unit: { type: 'string', multiple: true, default: [] },
      seed: { type: 'string' },
      serial: { type: 'string' },
      baud: { type: 'string', default: '9600' },
    },
  });
  const registry = builtinRegistry();
  const units = [];
  for (const spec of values.unit) {
    const m = /^(\d{1,3})=([a-z0-9-]+)$/.exec(spec);
    if (!m) throw new Error(`--unit ${spec}: expected UNIT=TYPE, e.g. 1=energy-meter-3p`);
    units.push({ unitId: Number(m[1]), def: await registry.get(m[2]!) });
  }
  const sim = new ModbusSimulator({
    host: values.host,
    port: Number(values.port),
    units,
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    ...(values.serial ? { serial: { path: values.serial, baudRate: Number(values.baud) } } : {}),
  });
  await sim.start();
  console.log(
    JSON.stringify({
      ready: true,
      ...(values.serial
        ? { protocol: 'modbus-rtu', serial: values.serial, baud: Number(values.baud) }
        : { protocol: 'modbus-tcp', host: values.host, port: Number(values.port) }),
      units: values.unit,
    }),
  );
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}

main().catch((err: unknown) => {
  console.error(`linli-sim: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
