import { describe, expect, it } from 'vitest';
import {
  addressMatches,
  type Cjt188Frame,
  decodeFrame,
  encodeFrame,
  parseAddressReply,
  parseMeteringReply,
  readAddressRequest,
  readMeteringRequest,
  respond,
  type SimulatedMeter,
} from '../../../src/protocols/cjt188/index.js';
import { ADDRESS_REPLY, METERING_REPLY } from './golden.js';

function decode(bytes: Buffer | null): Cjt188Frame {
  if (!bytes) throw new Error('expected a reply, got silence');
  const r = decodeFrame(bytes);
  if (!r.ok) throw new Error(`does not decode: ${JSON.stringify(r.error)}`);
  return r.value;
}

const meter = (over: Partial<SimulatedMeter> = {}): SimulatedMeter => ({
  meterType: 0x10,
  address: '12345678901234',
  cumulativeFlow: 123456.78,
  settlementFlow: 123400,
  valveClosed: true,
  batteryLow: true,
  // 06:30 UTC is 14:30 Beijing time, which is what the meter's clock shows.
  now: new Date('2026-03-05T06:30:00Z'),
  ...over,
});

describe('CJ/T 188 simulated meter', () => {
  it('answers the read-metering request with exactly the golden reply', () => {
    const out = respond(decode(readMeteringRequest(0x10, '12345678901234', 0)), meter());
    expect(out?.toString('hex')).toBe(METERING_REPLY.toString('hex'));
  });

  it('round-trips its state through parseMeteringReply', () => {
    const m = meter({ cumulativeFlow: 42.5, settlementFlow: 40.01, valveClosed: false, batteryLow: false });
    const r = parseMeteringReply(decode(respond(decode(readMeteringRequest(0x10, m.address, 0x5a)), m)));
    expect(r).toEqual({
      ok: true,
      value: {
        cumulativeFlow: 42.5,
        flowUnit: 'm³',
        settlementFlow: 40.01,
        meterTime: '2026-03-05T14:30:00',
        valve: 'open',
        batteryLow: false,
        ser: 0x5a,
      },
    });
  });

  it('rolls the register over past 999999.99 m³', () => {
    const m = meter({ cumulativeFlow: 1_000_001.25 });
    const r = parseMeteringReply(decode(respond(decode(readMeteringRequest(0x10, m.address, 0)), m)));
    expect(r.ok && r.value.cumulativeFlow).toBe(1.25);
  });

  it('answers read-address on the wildcard address with its own address and type', () => {
    expect(respond(decode(readAddressRequest(0)), meter())?.toString('hex')).toBe(ADDRESS_REPLY.toString('hex'));
    const r = parseAddressReply(decode(respond(decode(readAddressRequest(0x33)), meter())));
    expect(r).toEqual({ ok: true, value: { meterType: 0x10, address: '12345678901234', ser: 0x33 } });
  });

  it('stays silent for another meter, another type, a reply or an unknown request', () => {
    const m = meter();
    const req = (over: Partial<Parameters<typeof encodeFrame>[0]>) =>
      decode(encodeFrame({ meterType: 0x10, address: m.address, control: 0x01, data: [0x1f, 0x90, 0], ...over }));
    expect(respond(req({ address: '12345678901235' }), m)).toBeNull();
    expect(respond(req({ meterType: 0x30 }), m)).toBeNull();
    expect(respond(req({ control: 0x81 }), m)).toBeNull();
    expect(respond(req({ data: [0x20, 0xd1, 0] }), m)).toBeNull();
    expect(respond(req({ control: 0x04 }), m)).toBeNull();
    expect(respond(req({ data: [0x1f] }), m)).toBeNull();
    expect(respond(req({ meterType: 0xaa }), m)).not.toBeNull();
  });

  it('matches 0xAA address bytes against any byte, the rest exactly', () => {
    expect(addressMatches('AAAAAAAAAAAAAA', '12345678901234')).toBe(true);
    expect(addressMatches('AAAAAAAAAA1234', '12345678901234')).toBe(true);
    expect(addressMatches('12AAAAAAAAAAAA', '12345678901234')).toBe(true);
    expect(addressMatches('AAAAAAAAAA1235', '12345678901234')).toBe(false);
    expect(addressMatches('A2345678901234', '12345678901234')).toBe(false);
    const partial = respond(decode(readMeteringRequest(0x10, 'AAAAAAAAAA1234', 1)), meter());
    expect(parseMeteringReply(decode(partial)).ok).toBe(true);
  });
});
