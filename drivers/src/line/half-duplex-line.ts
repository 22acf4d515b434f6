import { connect, type Socket } from 'node:net';
import { FieldFault } from '@linli/contract';
import { SerialPort } from 'serialport';
import type { DecodeResult } from '../protocols/decode-result.js';
import { type LineConfig, lineKey } from '../transport.js';

interface Job {
  request: Buffer;
  decode: (buf: Uint8Array) => DecodeResult<unknown>;
  accept: (frame: unknown) => boolean;
  timeoutMs: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

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
  private readonly queue: Job[] = [];
  private running = false;
  private rx: Buffer = Buffer.alloc(0);
  private onBytes: (() => void) | null = null;
  private closed = false;

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
    if (this.closed) return Promise.reject(new FieldFault('LINE_CLOSED', `${this.key} is closed`));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        request,
        decode,
        accept: accept as (f: unknown) => boolean,
        timeoutMs,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      void this.drain();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new FieldFault('LINE_CLOSED', `${this.key} is closed`));
    this.drop();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          job.resolve(await this.transact(job));
        } catch (err) {
          job.reject(err);
        }
        if (this.queue.length) await new Promise((r) => setTimeout(r, TURNAROUND_MS));
      }
    } finally {
      this.running = false;
    }
  }

  private async transact(job: Job): Promise<unknown> {
    const stream = await this.open(job.timeoutMs);
    this.rx = Buffer.alloc(0); // a late reply to an earlier request must not answer this one
    return new Promise((resolve, reject) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        this.onBytes = null;
        fn();
      };
      const timer = setTimeout(
        () =>
          finish(() => reject(new FieldFault('TIMEOUT', `no valid reply on ${this.key} within ${job.timeoutMs} ms`))),
        job.timeoutMs,
      );
      this.onBytes = () => {
        for (;;) {
          const r = job.decode(this.rx);
          if (r.ok) {
            this.rx = this.rx.subarray(r.consumed);
            if (job.accept(r.value)) return finish(() => resolve(r.value));
            continue; // an echo or another meter's frame
          }
          if (r.error.kind === 'incomplete') return;
          this.rx = this.rx.subarray(r.error.skip);
          if (!this.rx.length) return;
        }
      };
      stream.write(job.request, (err) => {
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
          fail(new Error('connect timeout'));
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
