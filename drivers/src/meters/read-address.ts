import { FieldFault } from '@linli/contract';
import type { HalfDuplexLine } from '../line/half-duplex-line.js';
import * as cjt188 from '../protocols/cjt188/index.js';
import * as dlt645 from '../protocols/dlt645/index.js';

/**
 * Reads the address of the one meter on a line by broadcast (DL/T 645 C=0x13
 * to AA…AA; CJ/T 188 DI 810A to the wildcard). Works only when a single meter
 * answers: with several, replies collide and this times out or fails the
 * checksum — then search by address wildcard instead.
 */
export async function readDlt645Address(line: HalfDuplexLine, timeoutMs: number): Promise<string> {
  const frame = await line.request(
    dlt645.readAddressRequest({ preamble: true }),
    dlt645.decodeFrame,
    (f) => f.control.direction === 'reply' && f.control.function === dlt645.FUNCTION.readAddress,
    timeoutMs,
  );
  const r = dlt645.parseAddressReply(frame);
  if (!r.ok) throw new FieldFault('DEVICE_REPLY', `address reply not understood: ${JSON.stringify(r.error)}`);
  return r.value;
}

export async function readCjt188Address(
  line: HalfDuplexLine,
  timeoutMs: number,
): Promise<{ address: string; meterType: number }> {
  const frame = await line.request(
    cjt188.readAddressRequest(0x5a),
    cjt188.decodeFrame,
    (f) => f.control.direction === 'slave-to-master',
    timeoutMs,
  );
  const r = cjt188.parseAddressReply(frame);
  if (!r.ok) throw new FieldFault('DEVICE_REPLY', `address reply not understood: ${JSON.stringify(r.error)}`);
  return { address: r.value.address, meterType: r.value.meterType };
}
