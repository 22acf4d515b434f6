import { FieldFault } from '@linli/contract';
import { connect, type Socket } from 'node:net';
import { SerialPort } from 'serialport';

export type RawLineConfig =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate: number; parity: 'none' | 'even' | 'odd' };

/**
 * A meter line seen byte by byte. Searching a shared bus needs what the
 * drivers' framed line hides on purpose: whether anything at all came back,
 * even bytes that frame into nothing (two meters talking at once).
 */
export class RawLine {
  private stream: SerialPort | Socket | null = null;
  private rx: Buffer[] = [];
  private onData: (() => void) | null = null;

  constructor(private readonly config: RawLineConfig) {}

  async open(timeoutMs: number): Promise<void> {
    const c = this.config;
    this.stream = await new Promise<SerialPort | Socket>((resolve, reject) => {
      if (c.kind === 'serial') {
        const port = new SerialPort({ path: c.path, baudRate: c.baudRate, parity: c.parity, autoOpen: false });
        port.open((err) => (err ? reject(err) : resolve(port)));
      } else {
        const sock = connect({ host: c.host, port: c.port, timeout: timeoutMs });
        sock.once('connect', () => {
          sock.setTimeout(0);
          resolve(sock);
        });
        sock.once('timeout', () => {
          sock.destroy();
          reject(new FieldFault('TIMEOUT', `connect to ${c.host}:${c.port} timed out`));
        });
        sock.once('error', reject);
      }
    });
    this.stream.on('data', (d: Buffer) => {
      this.rx.push(d);
      this.onData?.();
    });
    this.stream.on('error', () => {});
  }

  /**
   * Sends `request` and collects every byte that comes back: until `listenMs`
   * passes with nothing, or until the line has been quiet for `settleMs` after
   * the last byte (a second talker would still be going).
   */
  exchange(request: Buffer, listenMs: number, settleMs: number): Promise<Buffer> {
    const stream = this.stream;
    if (!stream) return Promise.reject(new FieldFault('CLOSED', 'line not open'));
    this.rx = [];
    return new Promise((resolve) => {
      const done = () => {
        this.onData = null;
        resolve(Buffer.concat(this.rx));
      };
      let timer = setTimeout(done, listenMs);
      this.onData = () => {
        clearTimeout(timer);
        timer = setTimeout(done, settleMs);
      };
      stream.write(request);
    });
  }

  async close(): Promise<void> {
    const s = this.stream;
    this.stream = null;
    if (!s) return;
    if (s instanceof SerialPort) await new Promise<void>((r) => (s.isOpen ? s.close(() => r()) : r()));
    else s.destroy();
  }
}

/** "host:port" → TCP (a serial server), "/dev/…" → a serial port. */
export function parseLineTarget(
  spec: string,
  serial: { baudRate: number; parity: 'none' | 'even' | 'odd' },
): RawLineConfig {
  if (spec.startsWith('/')) return { kind: 'serial', path: spec, ...serial };
  const m = /^(.+):(\d{1,5})$/.exec(spec);
  if (!m) throw new Error(`${spec}: expected HOST:PORT or a serial device such as /dev/ttyUSB0`);
  return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
