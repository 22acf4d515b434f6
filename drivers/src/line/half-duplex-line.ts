import { connect, type Socket } from 'node:net';
import { FieldFault } from '@linli/contract';
import { SerialPort } from 'serialport';
import type { DecodeResult } from '../protocols/decode-result.js';
import { type LineConfig, lineKey } from '../transport.js';
import { TurnQueue } from './turn-queue.js';

type Stream = SerialPort | Socket;

/** RS-485 turnaround and meter wake-up: quiet time between one reply and the next request. */
const TURNAROUND_MS = 20;

/**
 * A half-duplex meter line (RS-485 on a serial port, or through a transparent
 * serial server): one request at a time, answered by one frame. Bytes are
 * framed by the protocol's own decoder, which says when to wait and what to
 * skip; the receive buffer never holds more than `maxFrameBytes`, so noise on
 * the line can neither stall a transaction past its timeout nor grow memory.
 */
export class HalfDuplexLine {
  readonly key: string;
  private stream: Stream | null = null;
  private opening: Promise<Stream> | null = null;
  private readonly turns = new TurnQueue(TURNAROUND_MS);
  private rx: Buffer = Buffer.alloc(0);
  private onBytes: (() => void) | null = null;

  constructor(
    private readonly config: LineConfig,
    private readonly maxFrameBytes: number,
  ) {
    this.key = lineKey(config);
  }

  /** Sends `request` and resolves with the first decoded frame that `accept` takes (others on the line are skipped). */
  request<T>(
    request: Buffer,
    decode: (buf: Uint8Array) => DecodeResult<T>,
    accept: (frame: T) => boolean,
    timeoutMs: number,
  ): Promise<T> {
    return this.turns.run(() => this.transact(request, decode, accept, timeoutMs));
  }

  async close(): Promise<void> {
    this.turns.close(`${this.key} is closed`);
    this.drop();
  }

  private async transact<T>(
    request: Buffer,
    decode: (buf: Uint8Array) => DecodeResult<T>,
    accept: (frame: T) => boolean,
    timeoutMs: number,
  ): Promise<T> {
    const stream = await this.open(timeoutMs);
    this.rx = Buffer.alloc(0); // a late reply to an earlier request must not answer this one
    return new Promise<T>((resolve, reject) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        this.onBytes = null;
        fn();
      };
      const timer = setTimeout(
        () => finish(() => reject(new FieldFault('TIMEOUT', `no valid reply on ${this.key} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      this.onBytes = () => {
        for (;;) {
          const r = decode(this.rx);
          if (r.ok) {
            this.rx = this.rx.subarray(r.consumed);
            if (accept(r.value)) return finish(() => resolve(r.value));
            continue; // an echo or another meter's frame
          }
          if (r.error.kind === 'incomplete') return;
          this.rx = this.rx.subarray(r.error.skip);
          if (!this.rx.length) return;
        }
      };
      stream.write(request, (err) => {
        if (err) finish(() => reject(new FieldFault('WRITE', `cannot write to ${this.key}`, { cause: err })));
      });
    });
  }

  private open(timeoutMs: number): Promise<Stream> {
    if (this.stream) return Promise.resolve(this.stream);
    this.opening ??= new Promise<Stream>((resolve, reject) => {
      const c = this.config;
      const fail = (err: unknown) => {
        this.opening = null;
        reject(new FieldFault('CONNECT', `cannot open ${this.key}`, { cause: err }));
      };
      const ready = (s: Stream) => {
        this.opening = null;
        this.stream = s;
        s.on('data', (d: Buffer) => this.receive(d));
        s.on('close', () => this.stream === s && this.drop());
        s.on('error', () => this.stream === s && this.drop());
        resolve(s);
      };
      if (c.kind === 'serial') {
        const port = new SerialPort({
          path: c.path,
          baudRate: c.baudRate,
          parity: c.parity,
          dataBits: c.dataBits,
          stopBits: c.stopBits,
          autoOpen: false,
        });
        port.open((err) => (err ? fail(err) : ready(port)));
      } else {
        const sock = connect({ host: c.host, port: c.port, timeout: timeoutMs });
        sock.once('connect', () => {
          sock.setTimeout(0);
          ready(sock);
        });
        sock.once('timeout', () => {
          sock.destroy();
          fail(new FieldFault('TIMEOUT', 'connect timeout'));
        });
        sock.once('error', fail);
      }
    });
    return this.opening;
  }

  private receive(d: Buffer): void {
    this.rx = Buffer.concat([this.rx, d]);
    // Never keep more than a frame's worth: anything older is noise nobody will ever decode.
    if (this.rx.length > this.maxFrameBytes * 2) this.rx = this.rx.subarray(this.rx.length - this.maxFrameBytes * 2);
    this.onBytes?.();
  }

  private drop(): void {
    const s = this.stream;
    this.stream = null;
    if (!s) return;
    if (s instanceof SerialPort) {
      if (s.isOpen) s.close(() => {});
    } else s.destroy();
  }
}
