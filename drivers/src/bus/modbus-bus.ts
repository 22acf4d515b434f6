import { FieldFault } from '@linli/contract';
import { type ModbusClient, ModbusRTU } from '../modbus/lib.js';
import { connectGuarded } from '../modbus/mbap-guard.js';
import { TurnQueue } from '../line/turn-queue.js';
import type { ModbusTransport } from '../transport.js';

/** Quiet time between transactions on a shared line (RTU needs ≥ 3.5 characters; 5 ms covers 9600 baud). */
const INTER_FRAME_MS = 5;

/**
 * One RS-485 line or one connection to a Modbus gateway: a half-duplex
 * medium, so exactly one transaction at a time. Devices on it each have at
 * most one poll queued (their loop awaits it), so first-come-first-served is
 * round-robin across devices: a slow or dead device delays the others by at
 * most its timeout (twice, with the poll loop's one retry) per round, never
 * stops them.
 */
export class ModbusBus {
  private client: ModbusClient | null = null;
  /** Fails the transaction in flight when the connection closes (e.g. the frame guard cut it). */
  private abortCurrent: ((err: Error) => void) | null = null;
  private lastFault: Error | null = null;
  private readonly turns: TurnQueue;

  constructor(
    readonly key: string,
    private readonly transport: ModbusTransport,
  ) {
    // RTU framing needs silence between frames; Modbus TCP frames carry their own length.
    this.turns = new TurnQueue(transport.kind === 'modbus-tcp' ? 0 : INTER_FRAME_MS);
  }

  /** Runs `fn` with the line to itself, addressed to `unitId`. */
  transact<T>(unitId: number, timeoutMs: number, fn: (client: ModbusClient) => Promise<T>): Promise<T> {
    return this.turns.run(async () => {
      try {
        const client = await this.connect(timeoutMs);
        client.setID(unitId);
        client.setTimeout(timeoutMs);
        // The library leaves a transaction waiting for its timeout when the line drops; fail it at once.
        // (A per-job abort, not a race against a connection-long promise, which would retain every job.)
        return await new Promise<T>((resolve, reject) => {
          this.abortCurrent = reject;
          fn(client).then(resolve, reject);
        }).finally(() => {
          this.abortCurrent = null;
        });
      } catch (err) {
        // A timeout is one silent device and an exception reply a sane one; anything else may be the
        // line itself, so reopen it next time.
        const e = err as { errno?: string; modbusCode?: number };
        if (e.errno !== 'ETIMEDOUT' && e.modbusCode === undefined) this.disconnect();
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    this.turns.close(`bus ${this.key} is closed`);
    this.disconnect();
  }

  private async connect(timeoutMs: number): Promise<ModbusClient> {
    if (this.client?.isOpen) return this.client;
    this.disconnect();
    const client = new ModbusRTU();
    const t = this.transport;
    // What announces that the line dropped: our own socket for Modbus TCP, the library's port otherwise.
    let line: NodeJS.EventEmitter = client as unknown as NodeJS.EventEmitter;
    try {
      switch (t.kind) {
        case 'modbus-tcp': {
          // Our own socket, so frame limits are enforced by our code (mbap-guard.ts), not trusted to the library.
          const socket = await connectGuarded(t.host, t.port, timeoutMs);
          socket.on('error', (err) => (this.lastFault = err));
          line = socket;
          await client.connectTCP(t.host, { port: t.port, socket } as never);
          break;
        }
        case 'modbus-rtu-tcp':
          await client.connectTcpRTUBuffered(t.host, { port: t.port, timeout: timeoutMs } as never);
          break;
        case 'modbus-rtu':
          await client.connectRTUBuffered(t.path, {
            baudRate: t.baudRate,
            parity: t.parity,
            dataBits: t.dataBits,
            stopBits: t.stopBits,
          } as never);
          break;
      }
    } catch (err) {
      client.close(() => {});
      throw new FieldFault('CONNECT', `cannot open ${this.key}`, { cause: err });
    }
    this.client = client;
    this.lastFault = null;
    line.once('close', () => {
      // Only the current connection's end concerns the transaction in flight (an old one may close late).
      if (this.client !== client) return;
      this.client = null;
      this.abortCurrent?.(this.lastFault ?? new FieldFault('LINE_CLOSED', `${this.key} closed during a transaction`));
    });
    return client;
  }

  private disconnect(): void {
    const c = this.client;
    this.client = null;
    if (c?.isOpen) c.close(() => {});
  }
}
