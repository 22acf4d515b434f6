import { describe, expect, it } from 'vitest';
import {
  type Cjt188Frame,
  decodeFrame,
  encodeFrame,
  parseAddressReply,
  parseMeteringReply,
  valveState,
} from '../../../src/protocols/cjt188/index.js';
import { ADDRESS_REPLY, METERING_REPLY } from './golden.js';

function decode(bytes: Buffer): Cjt188Frame {
  const r = decodeFrame(bytes);
  if (!r.ok) throw new Error(`golden frame does not decode: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** A 0x81 reply from meter 12345678901234 with `data` as DATA. */
const reply = (data: number[], control = 0x81, meterType = 0x10) =>
  decode(encodeFrame({ meterType, address: '12345678901234', control, data }));

const goodData = () => [...decode(METERING_REPLY).data];

describe('CJ/T 188 messages', () => {
  it('reads flows, clock, valve and battery from the golden 0x901F reply', () => {
    expect(parseMeteringReply(decode(METERING_REPLY))).toEqual({
      ok: true,
      value: {
        cumulativeFlow: 123456.78,
        flowUnit: 'm³',
        settlementFlow: 123400,
        meterTime: '2026-03-05T14:30:00',
        valve: 'closed',
        batteryLow: true,
        ser: 0,
      },
    });
  });

  it('accepts the DI in either byte order, since meters disagree', () => {
    const data = goodData();
    [data[0], data[1]] = [0x90, 0x1f];
    expect(parseMeteringReply(reply(data)).ok).toBe(true);
  });

  it('maps the valve bits as ST0 D1–D0: 00 open, 01 closed, 11 abnormal, undefined 10 abnormal', () => {
    expect([0x00, 0x01, 0x03, 0x02, 0xfc].map(valveState)).toEqual(['open', 'closed', 'abnormal', 'abnormal', 'open']);
  });

  it('reports an abnormal reply with its raw data', () => {
    expect(parseMeteringReply(reply([0x07, 0x01], 0xc1))).toEqual({
      ok: false,
      error: { kind: 'abnormal-reply', ser: 0x07, data: [0x07, 0x01] },
    });
    expect(parseMeteringReply(reply([0x1f, 0x90, 0x07, 0x01, 0x00], 0xc1))).toMatchObject({
      error: { kind: 'abnormal-reply', ser: 0x07 },
    });
  });

  it.each([
    ['a request', () => reply([0x1f, 0x90, 0], 0x01), 'unexpected-frame'],
    ['another function', () => reply(goodData(), 0x83), 'unexpected-frame'],
    ['a heat meter', () => reply(goodData(), 0x81, 0x20), 'unsupported-meter-type'],
    ['short data', () => reply(goodData().slice(0, 21)), 'short-data'],
    ['another DI', () => reply([0x20, 0xd1, ...goodData().slice(2)]), 'wrong-di'],
    ['a non-BCD flow', () => reply(goodData().map((b, i) => (i === 4 ? 0x5a : b))), 'bad-bcd'],
    ['a non-BCD clock', () => reply(goodData().map((b, i) => (i === 15 ? 0xff : b))), 'bad-bcd'],
    ['litres', () => reply(goodData().map((b, i) => (i === 7 ? 0x29 : b))), 'unknown-unit'],
    ['31 February', () => reply(goodData().map((b, i) => (i === 16 ? 0x31 : i === 17 ? 0x02 : b))), 'bad-time'],
  ])('rejects %s', (_name, frame, kind) => {
    const r = parseMeteringReply(frame());
    expect(r.ok === false && r.error.kind).toBe(kind);
  });

  it('names a known but unaccepted unit', () => {
    const r = parseMeteringReply(reply(goodData().map((b, i) => (i === 12 ? 0x29 : b))));
    expect(r).toEqual({ ok: false, error: { kind: 'unknown-unit', field: 'settlementFlow', code: 0x29, unit: 'L' } });
  });

  it('reads the address reply', () => {
    const frame = decode(ADDRESS_REPLY);
    expect(parseAddressReply(frame)).toEqual({
      ok: true,
      value: { meterType: 0x10, address: '12345678901234', ser: 0 },
    });
    expect(parseAddressReply(reply([0x1f, 0x90, 0x00], 0x83))).toMatchObject({
      ok: false,
      error: { kind: 'wrong-di' },
    });
    expect(parseAddressReply(reply([0x81], 0x83))).toMatchObject({ ok: false, error: { kind: 'short-data' } });
    expect(parseAddressReply(reply([0x00], 0xc3))).toMatchObject({ ok: false, error: { kind: 'abnormal-reply' } });
  });
});
