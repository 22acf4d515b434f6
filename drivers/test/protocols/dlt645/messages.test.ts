import { describe, expect, it } from 'vitest';
import { type Dlt645Frame, decodeFrame, encodeFrame } from '../../../src/protocols/dlt645/frame.js';
import {
  abnormalReply,
  decodeMeterErrors,
  encodeMeterErrors,
  METER_ERRORS,
  parseAddressReply,
  parseReadReply,
  readAddressRequest,
  readDataReply,
  readDataRequest,
} from '../../../src/protocols/dlt645/messages.js';

// Golden frames follow DL/T 645-2007 §7 (frame format) and the data identifiers of its appendix A.
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function frameOf(wire: Uint8Array): Dlt645Frame {
  const result = decodeFrame(wire);
  if (!result.ok) throw new Error(`golden frame does not decode: ${JSON.stringify(result.error)}`);
  return result.value;
}

describe('DL/T 645-2007 read messages', () => {
  it('builds the read-address request 68 AA×6 68 13 00 DF 16', () => {
    expect(readAddressRequest()).toEqual(hex('68 AAAAAAAAAAAA 68 13 00 DF 16'));
  });

  it('builds a read of forward active energy (DI 00 01 00 00) for 000000000001', () => {
    // CS = 68+01+68+11+04+33+33+34+33 = 0x1B3 → B3.
    expect(readDataRequest('000000000001', 'energyForward')).toEqual(hex('68 010000000000 68 11 04 33333433 B3 16'));
    expect(readDataRequest('000000000001', 'energyForward', { preamble: true })).toEqual(
      hex('FEFEFEFE 68 010000000000 68 11 04 33333433 B3 16'),
    );
  });

  it('an energy reply: 123456.78 kWh is 78 56 34 12, sent as AB 89 67 45', () => {
    // CS = 68+01+68+91+08 + (33+33+34+33) + (AB+89+67+45) = 0x417 → 17.
    const golden = hex('68 010000000000 68 91 08 33333433 AB896745 17 16');
    expect(readDataReply('000000000001', 'energyForward', 123456.78)).toEqual({ ok: true, value: golden });
    expect(parseReadReply(frameOf(golden), 'energyForward')).toEqual({ ok: true, value: 123456.78 });
  });

  it('an abnormal reply: D1 with error byte 02 ("no requested data"), sent as 35', () => {
    // CS = 68+01+68+D1+01+35 = 0x1D8 → D8.
    const golden = hex('68 010000000000 68 D1 01 35 D8 16');
    expect(abnormalReply('000000000001', 0x11, ['noRequestedData'])).toEqual(golden);
    expect(parseReadReply(frameOf(golden), 'energyForward')).toEqual({
      ok: false,
      error: { kind: 'abnormal', errors: ['noRequestedData'], byte: 0x02 },
    });
  });

  it('names every error bit and ignores the reserved bit 7', () => {
    expect(decodeMeterErrors(0xff)).toEqual([...METER_ERRORS]);
    expect(decodeMeterErrors(0x05)).toEqual(['other', 'passwordOrUnauthorised']);
    expect(encodeMeterErrors(['tariffsExceeded', 'other'])).toBe(0x41);
  });

  it('reads a signed current: the top bit is the sign', () => {
    // -1.234 A → 001234 → 34 12 00, sign bit on the top byte → 34 12 80.
    const wire = encodeFrame({ address: '000000000001', control: 0x91, data: hex('00010202 341280') });
    expect(parseReadReply(frameOf(wire), 'currentA')).toEqual({ ok: true, value: -1.234 });
  });

  it('refuses a reply for another data identifier', () => {
    const voltage = encodeFrame({ address: '000000000001', control: 0x91, data: hex('00010102 0522') });
    expect(parseReadReply(frameOf(voltage), 'energyForward')).toEqual({
      ok: false,
      error: { kind: 'wrong-di', expected: 0x00010000, actual: 0x02010100 },
    });
  });

  it('refuses short data, non-BCD values and frames that are not read replies', () => {
    const short = encodeFrame({ address: '000000000001', control: 0x91, data: hex('00000100 785634') });
    expect(parseReadReply(frameOf(short), 'energyForward')).toEqual({
      ok: false,
      error: { kind: 'data-length', expected: 8, actual: 7 },
    });
    const noDi = encodeFrame({ address: '000000000001', control: 0x91, data: hex('0000') });
    expect(parseReadReply(frameOf(noDi), 'energyForward')).toMatchObject({ ok: false, error: { kind: 'data-length' } });
    const notBcd = encodeFrame({ address: '000000000001', control: 0x91, data: hex('00000100 7856341F') });
    expect(parseReadReply(frameOf(notBcd), 'energyForward')).toEqual({
      ok: false,
      error: { kind: 'bad-value', cause: { kind: 'not-bcd', index: 3, byte: 0x1f } },
    });
    const request = frameOf(readDataRequest('000000000001', 'energyForward'));
    expect(parseReadReply(request, 'energyForward')).toEqual({
      ok: false,
      error: { kind: 'unexpected-control', control: 0x11 },
    });
  });

  it('parses a read-address reply and checks the data against the header', () => {
    const reply = encodeFrame({ address: '123456789012', control: 0x93, data: hex('129078563412') });
    expect(parseAddressReply(frameOf(reply))).toEqual({ ok: true, value: '123456789012' });
    const mismatch = encodeFrame({ address: '123456789012', control: 0x93, data: hex('139078563412') });
    expect(parseAddressReply(frameOf(mismatch))).toEqual({
      ok: false,
      error: { kind: 'address-mismatch', header: '123456789012', data: '123456789013' },
    });
    const wildcard = encodeFrame({ address: '123456789012', control: 0x93, data: hex('AA9078563412') });
    expect(parseAddressReply(frameOf(wildcard))).toMatchObject({ ok: false, error: { kind: 'bad-value' } });
  });
});
