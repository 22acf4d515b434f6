import { seededRandom } from '@linli/contract';
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import * as cjt188 from '../protocols/cjt188/index.js';
import * as dlt645 from '../protocols/dlt645/index.js';

export interface MeterLineSimOptions {
  /** Serve on a serial device (one end of a socat pair, or a real RS-485 adapter)... */
  serial?: { path: string; baudRate: number; parity: 'none' | 'even' | 'odd' };
  /** ...or as a transparent serial server on a TCP port. */
  tcp?: { host: string; port: number };
  protocol: 'dlt645' | 'cjt188';
  /** Meter addresses on this line. A `quiet` water meter is used only about twice a day (a lone elder's home). */
  meters: { address: string; quiet?: boolean }[];
  tickMs?: number;
  seed?: number;
}

type Dlt645State = dlt645.SimMeter;
type Cjt188State = cjt188.SimulatedMeter & { quiet: boolean };

/**
 * Meters on an RS-485 line speaking DL/T 645-2007 or CJ/T 188: requests are
 * framed with the protocols' own decoders and answered by the addressed meter.
 * Electricity meters count energy; water meters use water in bursts through the
 * day, quiet ones rarely.
 */
export class MeterLineSimulator {
  private readonly dlt: Dlt645State[] = [];
  private readonly cjt: Cjt188State[] = [];
  private serial: SerialPort | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private timer: NodeJS.Timeout | null = null;
  private readonly rnd: () => number;

  constructor(private readonly opts: MeterLineSimOptions) {
    this.rnd = seededRandom(opts.seed ?? Date.now());
    for (const m of opts.meters) {
      if (opts.protocol === 'dlt645') {
        this.dlt.push({
          address: m.address,
          values: {
            energyTotal: 1000 + Math.round(this.rnd() * 9000),
            energyForward: 1000,
            voltageA: 220.1,
            voltageB: 219.8,
            voltageC: 221.0,
            currentA: 3.2,
            currentB: 2.9,
            currentC: 3.5,
            powerTotal: 2.1,
          },
        });
      } else {
        this.cjt.push({
          meterType: 0x10,
          address: m.address,
          cumulativeFlow: 100 + Math.round(this.rnd() * 500),
          settlementFlow: 90,
          valveClosed: false,
          batteryLow: false,
          now: new Date(),
          quiet: m.quiet ?? false,
        });
      }
    }
  }

  async start(): Promise<void> {
    const tickMs = this.opts.tickMs ?? 1000;
    this.timer = setInterval(() => this.tick(tickMs), tickMs);
    this.timer.unref();
    const { serial, tcp } = this.opts;
    if (serial) {
      const port = new SerialPort({
        path: serial.path,
        baudRate: serial.baudRate,
        parity: serial.parity,
        autoOpen: false,
      });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      this.attach(port);
      this.serial = port;
    } else if (tcp) {
      this.server = createServer((sock) => {
        this.sockets.add(sock);
        sock.on('close', () => this.sockets.delete(sock));
        sock.on('error', () => {});
        this.attach(sock);
      });
      await new Promise<void>((resolve, reject) => {
        this.server!.once('error', reject);
        this.server!.listen(tcp.port, tcp.host, () => resolve());
      });
    } else throw new Error('MeterLineSimulator needs serial or tcp');
  }

  /** Changes a meter's state by address (tests, installer training). */
  set(address: string, patch: Record<string, number | boolean>): void {
    const d = this.dlt.find((m) => m.address === address);
    if (d) Object.assign(d.values, patch);
    const c = this.cjt.find((m) => m.address === address);
    if (c) Object.assign(c, patch);
    if (!d && !c) throw new Error(`no meter ${address}`);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    const port = this.serial;
    if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
  }

  private attach(stream: SerialPort | Socket): void {
    let rx = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      rx = Buffer.concat([rx, chunk]).subarray(-1024);
      for (;;) {
        const r = this.opts.protocol === 'dlt645' ? dlt645.decodeFrame(rx) : cjt188.decodeFrame(rx);
        if (!r.ok) {
          if (r.error.kind === 'incomplete') break;
          rx = rx.subarray(r.error.skip);
          continue;
        }
        rx = rx.subarray(r.consumed);
        const reply = this.answer(r.value);
        if (reply) stream.write(reply);
      }
    });
  }

  /**
   * Every meter the request addresses answers, as on a real bus. A wildcard
   * request matching several meters makes them talk at once: the line carries
   * the wired-AND of their bytes (a driven 0 beats an idle 1), which a master
   * sees as a garbled frame, the cue to narrow its search.
   */
  private answer(frame: dlt645.Dlt645Frame | cjt188.Cjt188Frame): Buffer | null {
    const replies: Buffer[] = [];
    if (this.opts.protocol === 'dlt645') {
      for (const m of this.dlt) {
        const reply = dlt645.respond(frame as dlt645.Dlt645Frame, m);
        if (reply) replies.push(reply);
      }
    } else {
      for (const m of this.cjt) {
        const reply = cjt188.respond(frame as cjt188.Cjt188Frame, { ...m, now: new Date() });
        if (reply) replies.push(reply);
      }
    }
    if (replies.length <= 1) return replies[0] ?? null;
    const out = Buffer.alloc(Math.max(...replies.map((r) => r.length)), 0xff);
    for (const r of replies) for (let i = 0; i < r.length; i++) out[i] = out[i]! & r[i]!;
    return out;
  }

  private tick(dtMs: number): void {
    for (const m of this.dlt) {
      const v = m.values;
      v.currentA = Math.max(0.2, (v.currentA ?? 3) + (this.rnd() - 0.5) * 0.4);
      v.powerTotal = Math.round((((v.voltageA ?? 220) * (v.currentA ?? 3) * 3) / 1000) * 10_000) / 10_000;
      v.energyTotal = Math.round(((v.energyTotal ?? 0) + ((v.powerTotal ?? 0) * dtMs) / 3_600_000) * 100) / 100;
      v.energyForward = v.energyTotal;
    }
    for (const m of this.cjt) {
      // A household turns a tap on about every ten minutes; a quiet one (a lone elder) about twice a day,
      // so its meter often stands still for many hours, now and then past the 12-hour watch.
      const meanGapMs = m.quiet ? 12 * 3_600_000 : 600_000;
      if (this.rnd() < dtMs / meanGapMs)
        m.cumulativeFlow = Math.round((m.cumulativeFlow + 0.01 + this.rnd() * 0.04) * 100) / 100;
    }
  }
}
