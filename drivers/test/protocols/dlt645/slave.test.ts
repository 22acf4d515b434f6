import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATA_IDS, type DataIdName } from '../../../src/protocols/dlt645/data-ids.js';
import { type Dlt645Frame, decodeFrame, encodeFrame } from '../../../src/protocols/dlt645/frame.js';
import {
  parseAddressReply,
  parseReadReply,
  readAddressRequest,
  readDataRequest,
} from '../../../src/protocols/dlt645/messages.js';
import { addressMatches, respond, type SimMeter } from '../../../src/protocols/dlt645/slave.js';

function frameOf(wire: Uint8Array): Dlt645Frame {
  const result = decodeFrame(wire);
  if (!result.ok) throw new Error(`frame does not decode: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Master sends `request`; the meter's reply (if any) comes back decoded. */
function exchange(request: Buffer, meter: SimMeter): Dlt645Frame | null {
  const reply = respond(frameOf(request), meter);
  return reply === null ? null : frameOf(reply);
}

const meter: SimMeter = {
  address: '123456789012',
  values: {
    energyTotal: -12.34,
    energyForward: 98765.43,
    voltageA: 220.1,
    voltageB: 219.9,
    voltageC: 0,
    currentA: 5.123,
    currentB: -0.5,
    currentC: 799.999,
    powerTotal: -3.2101,
  },
};
const names = Object.keys(DATA_IDS) as DataIdName[];

describe('DL/T 645-2007 simulated meter', () => {
  it.each(names)('answers a read of %s with the value, scaled and signed', (name) => {
    const reply = exchange(readDataRequest(meter.address, name), meter);
    expect(reply?.address).toBe(meter.address);
    expect(reply && parseReadReply(reply, name)).toEqual({ ok: true, value: meter.values[name] });
  });

  it('round-trips any value that fits each format', () => {
    const cases = fc.constantFrom(...names).chain((name) => {
      const spec = DATA_IDS[name];
      const max = (spec.signed ? 8 : 10) * 10 ** (2 * spec.length - 1) - 1;
      return fc
        .integer({ min: spec.signed ? -max : 0, max })
        .map((raw) => [name, (raw === 0 ? 0 : raw) / 10 ** spec.decimals] as const);
    });
    fc.assert(
      fc.property(cases, ([name, value]) => {
        const reply = exchange(readDataRequest(meter.address, name), {
          address: meter.address,
          values: { [name]: value },
        });
        expect(reply && parseReadReply(reply, name)).toEqual({ ok: true, value });
      }),
    );
  });

  it('answers the broadcast read-address request with its own address', () => {
    const reply = exchange(readAddressRequest(), meter);
    expect(reply?.control.code).toBe(0x93);
    expect(reply && parseAddressReply(reply)).toEqual({ ok: true, value: meter.address });
  });

  it('answers "no requested data" for a DI it does not know or a reading it lacks', () => {
    const unknownDi = encodeFrame({ address: meter.address, control: 0x11, data: Buffer.from([0, 0, 0x80, 0x02]) });
    for (const [request, m] of [
      [unknownDi, meter],
      [readDataRequest(meter.address, 'voltageA'), { address: meter.address, values: {} }],
    ] as const) {
      const reply = exchange(request, m);
      expect(reply?.control.code).toBe(0xd1);
      expect(reply && parseReadReply(reply, 'voltageA')).toEqual({
        ok: false,
        error: { kind: 'abnormal', errors: ['noRequestedData'], byte: 0x02 },
      });
    }
  });

  it('answers "other error" for a reading that does not fit and for commands it does not take', () => {
    const overflow = exchange(readDataRequest(meter.address, 'voltageA'), {
      address: meter.address,
      values: { voltageA: 1000 },
    });
    expect(overflow && parseReadReply(overflow, 'voltageA')).toMatchObject({ ok: false, error: { errors: ['other'] } });
    const write = exchange(encodeFrame({ address: meter.address, control: 0x14, data: Buffer.alloc(12) }), meter);
    expect(write?.control.code).toBe(0xd4);
    expect(write?.data).toEqual(Buffer.from([0x01]));
  });

  it('stays silent for another address, broadcasts and other meters’ replies', () => {
    expect(respond(frameOf(readDataRequest('123456789013', 'voltageA')), meter)).toBeNull();
    expect(
      respond(frameOf(encodeFrame({ address: '999999999999', control: 0x08, data: Buffer.alloc(6) })), meter),
    ).toBeNull();
    expect(respond(frameOf(readDataRequest('999999999999', 'voltageA')), meter)).toBeNull();
    const otherReply = encodeFrame({ address: 'AAAAAAAAAAAA', control: 0x93, data: Buffer.alloc(6) });
    expect(respond(frameOf(otherReply), meter)).toBeNull();
  });

  it('AA bytes in a request address match any byte', () => {
    expect(addressMatches('AAAAAAAAAAAA', '123456789012')).toBe(true);
    expect(addressMatches('AAAAAA789012', '123456789012')).toBe(true);
    expect(addressMatches('aaaaaa789012', '123456789012')).toBe(true);
    expect(addressMatches('AAAAAA789013', '123456789012')).toBe(false);
    expect(addressMatches('12AA56AA90AA', '123456789012')).toBe(true);
    expect(addressMatches('123456789012', '123456789012')).toBe(true);
    // Only the request side is a pattern, and malformed addresses match nothing.
    expect(addressMatches('123456789012', 'AAAAAAAAAAAA')).toBe(false);
    expect(addressMatches('12345678901', '123456789012')).toBe(false);
  });

  it('a wildcard read is answered with the meter’s real address', () => {
    const reply = exchange(readDataRequest('AAAAAAAA9012', 'voltageA'), meter);
    expect(reply?.address).toBe(meter.address);
    expect(reply && parseReadReply(reply, 'voltageA')).toEqual({ ok: true, value: 220.1 });
  });
});
