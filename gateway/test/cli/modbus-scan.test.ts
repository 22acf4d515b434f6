import { createServer, type Socket } from 'node:net';
import { builtinRegistry } from '@linli/drivers';
import jsmodbus from 'jsmodbus';
import { afterEach, describe, expect, it } from 'vitest';
import { scanModbus } from '../../src/cli/discover/modbus-scan.js';

/**
 * A device whose register map covers several shipped types (here jsmodbus, an
 * independent server, answering every table in full) is reported with every
 * type that matches, the most specific first: the installer decides, not the scan.
 */
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('discover: Modbus scan', () => {
  it('lists every device type whose whole register map answers', async () => {
    const net = createServer();
    const sockets = new Set<Socket>();
    net.on('connection', (s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    });
    new jsmodbus.server.TCP(net, {
      input: Buffer.alloc(2 * 0x400),
      holding: Buffer.alloc(2 * 0x400),
      coils: Buffer.alloc(0x80),
      discrete: Buffer.alloc(0x80),
    });
    await new Promise<void>((r) => net.listen(0, '127.0.0.1', r));
    cleanup.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => net.close(() => r()));
    });
    const progress: string[] = [];
    const found = await scanModbus(
      { kind: 'modbus-tcp', host: '127.0.0.1', port: (net.address() as { port: number }).port },
      { units: [1], timeoutMs: 1000, registry: builtinRegistry(), progress: (m) => progress.push(m) },
    );
    expect(found).toHaveLength(1);
    const types = found[0]!.types;
    expect([...types].sort()).toEqual(['di-safety-sensor', 'elevator-monitor', 'energy-meter-3p']);
    expect(types).toEqual(['elevator-monitor', 'energy-meter-3p', 'di-safety-sensor']); // most points first
    expect(progress.join('\n')).toMatch(/found unit 1: elevator-monitor or energy-meter-3p or di-safety-sensor/);
  });
});
