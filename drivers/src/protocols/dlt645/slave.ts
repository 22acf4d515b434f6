import { BROADCAST_ADDRESS, WILDCARD_BYTE, normaliseAddress } from './address.js';
import { FUNCTION } from './control.js';
import { DI_BYTES, type DataIdName, dataIdName } from './data-ids.js';
import type { Dlt645Frame } from './frame.js';
import { abnormalReply, addressReply, readDataReply } from './messages.js';

/**
 * What a simulated meter says to a master, as a pure function of the request
 * and the meter's current readings. Simulators own the bus and the timing;
 * this only decides the bytes.
 */

/** A simulated meter: its nameplate address and its current readings in engineering units. */
export interface SimMeter {
  address: string;
  /** Readings it can report; a missing name is answered with "no requested data". */
  values: Partial<Record<DataIdName, number>>;
}

const WILDCARD_PAIR = WILDCARD_BYTE.toString(16).toUpperCase();

/**
 * True when a request to `requestAddress` is meant for `meterAddress`. Each
 * AA byte in the request matches any byte, which is how a master searches a
 * shared bus or uses abbreviated addresses.
 */
export function addressMatches(requestAddress: string, meterAddress: string): boolean {
  const request = normaliseAddress(requestAddress);
  const meter = normaliseAddress(meterAddress);
  if (request === null || meter === null) return false;
  for (let i = 0; i < request.length; i += 2) {
    const pair = request.slice(i, i + 2);
    if (pair !== WILDCARD_PAIR && pair !== meter.slice(i, i + 2)) return false;
  }
  return true;
}

/**
 * The reply bytes `meter` sends for `frame`, or null when it must stay silent:
 * the frame is another slave's reply, a broadcast (never answered), or for
 * another address. Throws RangeError only if `meter.address` itself is malformed.
 */
export function respond(frame: Dlt645Frame, meter: SimMeter): Buffer | null {
  if (frame.control.direction !== 'request') return null;
  if (frame.address === BROADCAST_ADDRESS) return null;
  if (!addressMatches(frame.address, meter.address)) return null;

  const fn = frame.control.function;
  switch (fn) {
    case FUNCTION.readAddress:
      return addressReply(meter.address);
    case FUNCTION.readData:
      return readData(frame, meter);
    case FUNCTION.broadcastTime:
      // Time sync has no reply in the standard, whatever address it came to.
      return null;
    default:
      // A read-only simulated meter refuses every other command.
      return abnormalReply(meter.address, fn, ['other']);
  }
}

function readData(frame: Dlt645Frame, meter: SimMeter): Buffer {
  if (frame.data.length < DI_BYTES) return abnormalReply(meter.address, FUNCTION.readData, ['other']);
  const name = dataIdName(frame.data.readUInt32LE(0));
  const value = name === undefined ? undefined : meter.values[name];
  if (name === undefined || value === undefined) {
    return abnormalReply(meter.address, FUNCTION.readData, ['noRequestedData']);
  }
  const reply = readDataReply(meter.address, name, value);
  // A reading that does not fit the identifier's format (e.g. energy past 999999.99) is the meter's fault, not the master's.
  return reply.ok ? reply.value : abnormalReply(meter.address, FUNCTION.readData, ['other']);
}
