import { Socket } from 'node:net';
import { FieldFault } from '@linli/contract';

/** Modbus Application Protocol v1.1b3 §4.1 and Modbus Messaging on TCP/IP v1.0b §3.1.3. */
export const MAX_PDU_BYTES = 253;
const MBAP_HEADER = 7; // transaction id (2), protocol id (2), length (2), unit id (1)
export const MAX_TCP_ADU_BYTES = MBAP_HEADER + MAX_PDU_BYTES; // 260
/** The MBAP length field counts the unit id and the PDU. */
const MAX_LENGTH_FIELD = 1 + MAX_PDU_BYTES;

export type GuardResult = { ok: true; frames: Buffer[] } | { ok: false; reason: string };

/**
 * Splits a Modbus TCP byte stream into ADUs and enforces the protocol's size
 * limits itself, instead of trusting a library to: a length field above 254,
 * a non-zero protocol id or a zero length is a fault, found after at most 7
 * bytes, so a corrupted header can neither stall the client nor make it
 * buffer without bound. Never holds more than one partial ADU (≤ 259 bytes).
 */
export class MbapGuard {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): GuardResult {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    while (buf.length >= 6) {
      const protocolId = buf.readUInt16BE(2);
      const length = buf.readUInt16BE(4);
      if (protocolId !== 0) return this.fail(`MBAP protocol id ${protocolId} (must be 0)`);
      if (length < 2 || length > MAX_LENGTH_FIELD)
        return this.fail(`MBAP length ${length} outside 2..${MAX_LENGTH_FIELD}`);
      const total = 6 + length;
      if (buf.length < total) break;
      frames.push(buf.subarray(0, total));
      buf = buf.subarray(total);
    }
    this.pending = Buffer.from(buf);
    return { ok: true, frames };
  }

  /** Bytes held while waiting for the rest of an ADU. */
  buffered(): number {
    return this.pending.length;
  }

  private fail(reason: string): GuardResult {
    this.pending = Buffer.alloc(0);
    return { ok: false, reason };
  }
}

/**
 * A TCP socket that hands the Modbus library only whole, well-formed ADUs and
 * destroys itself on a framing fault (the bus reconnects on the next poll).
 */
export class GuardedSocket extends Socket {
  private readonly guard = new MbapGuard();

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'data') return super.emit(event, ...args);
    const r = this.guard.push(args[0] as Buffer);
    if (!r.ok) {
      this.destroy(new FieldFault('FRAME_LIMIT', `malformed Modbus TCP reply: ${r.reason}`));
      return false;
    }
    for (const f of r.frames) super.emit('data', f);
    return r.frames.length > 0;
  }
}

/** Opens a guarded connection, resolving once connected. */
export function connectGuarded(host: string, port: number, timeoutMs: number): Promise<GuardedSocket> {
  return new Promise((resolve, reject) => {
    const s = new GuardedSocket();
    const timer = setTimeout(() => {
      s.destroy();
      reject(new FieldFault('CONNECT_TIMEOUT', `no connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    s.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    s.connect(port, host, () => {
      clearTimeout(timer);
      resolve(s);
    });
  });
}
