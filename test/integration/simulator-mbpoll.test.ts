import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { builtinRegistry, ModbusSimulator } from '@linli/drivers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/processes.js';

/**
 * Cross-check of the simulators with an independent Modbus master: Debian's
 * mbpoll (installed by .ci/run). If the simulator's framing or register layout
 * were wrong, a real SCADA tool would disagree with our own driver.
 */
const run = promisify(execFile);
let sim: ModbusSimulator;
let port: number;

async function mbpoll(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('mbpoll', ['-m', 'tcp', '-p', String(port), '-1', '-0', ...args, '127.0.0.1'], {
      timeout: 10_000,
    });
    return stdout;
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('mbpoll not found: install it (apt-get install mbpoll); .ci/run does', { cause: err });
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

/** mbpoll prints `[ref]: value` lines; with -0 the reference is the zero-based protocol address. */
function values(out: string): Map<number, number> {
  return new Map([...out.matchAll(/^\[(\d+)\]:\s+(\S+)/gm)].map((m) => [Number(m[1]), Number(m[2])]));
}

beforeAll(async () => {
  const r = builtinRegistry();
  port = await freePort();
  sim = new ModbusSimulator({
    host: '127.0.0.1',
    port,
    tickMs: 1_000_000,
    seed: 3,
    units: [
      { unitId: 1, def: await r.getModbus('energy-meter-3p') },
      { unitId: 2, def: await r.getModbus('di-safety-sensor') },
      { unitId: 3, def: await r.getModbus('elevator-monitor') },
    ],
  });
  await sim.start();
  sim.set(1, 'voltageA', 231.5);
  sim.set(1, 'energyTotal', 4096.25);
  sim.set(2, 'gas', 1);
  sim.set(2, 'sosButton', 1);
  sim.set(2, 'siren', 1);
  sim.set(3, 'floor', -2);
  sim.set(3, 'faultCode', 0x31);
});
afterAll(() => sim.stop());

describe('simulators answer an independent Modbus master (mbpoll)', () => {
  it('input registers: float32 high word first', async () => {
    const v = values(await mbpoll(['-a', '1', '-t', '3:float', '-B', '-r', '0', '-c', '3']));
    expect(v.get(0)).toBeCloseTo(231.5, 3);
    expect(v.get(2)).toBeCloseTo(221, 3);
    const energy = values(await mbpoll(['-a', '1', '-t', '3:float', '-B', '-r', String(0x156), '-c', '1']));
    expect(energy.get(0x156)).toBeCloseTo(4096.25, 2);
  });

  it('holding registers and coils', async () => {
    // Floor −2 (basement) as an int16: mbpoll prints the raw word, 0xFFFE.
    const lift = values(await mbpoll(['-a', '3', '-t', '4', '-r', '0', '-c', '1']));
    expect(lift.get(0)).toBe(0xfffe);
    const fault = values(await mbpoll(['-a', '3', '-t', '4', '-r', '4', '-c', '1']));
    expect(fault.get(4)).toBe(0x31);
    const coils = values(await mbpoll(['-a', '2', '-t', '0', '-r', '0', '-c', '1']));
    expect(coils.get(0)).toBe(1);
  });

  it('discrete inputs', async () => {
    const v = values(await mbpoll(['-a', '2', '-t', '1', '-r', '0', '-c', '4']));
    expect([v.get(0), v.get(1), v.get(2), v.get(3)]).toEqual([0, 1, 0, 1]);
  });

  it('answers exception 02 for unmapped registers and 0B for a unit that is not on the bus', async () => {
    expect(await mbpoll(['-a', '1', '-t', '4', '-r', '100', '-c', '2'])).toMatch(/Illegal data address/);
    expect(await mbpoll(['-a', '9', '-t', '3', '-r', '0', '-c', '1'])).toMatch(
      /[Tt]arget device failed to respond|Gateway target/,
    );
  });
});
