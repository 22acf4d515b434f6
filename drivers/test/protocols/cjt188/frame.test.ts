import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  MAX_FRAME_BYTES,
  readAddressRequest,
  readMeteringRequest,
} from '../../../src/protocols/cjt188/index.js';
import { hex, METERING_REPLY, READ_ADDRESS, READ_METERING } from './golden.js';

describe('CJ/T 188 frame codec', () => {
  it('encodes the read-metering request byte for byte', () => {
    expect(readMeteringRequest(0x10, '12345678901234', 0).toString('hex')).toBe(READ_METERING.toString('hex'));
  });

  it('encodes the read-address request byte for byte', () => {
    expect(readAddressRequest(0).toString('hex')).toBe(READ_ADDRESS.toString('hex'));
  });

  it('decodes a golden frame: preamble skipped, address printed A6 first, control split', () => {
    const r = decodeFrame(READ_METERING);
    expect(r).toEqual({
      ok: true,
      consumed: READ_METERING.length,
      value: {
        meterType: 0x10,
        address: '12345678901234',
        control: { raw: 0x01, direction: 'master-to-slave', abnormal: false, function: 0x01 },
        data: Buffer.from([0x1f, 0x90, 0x00]),
      },
    });
  });

  it('decodes a frame without preamble and stops at its end byte', () => {
    const r = decodeFrame(Buffer.concat([READ_METERING.subarray(3), hex('68 10')]));
    expect(r.ok && r.consumed).toBe(READ_METERING.length - 3);
  });

  it('decodes an abnormal reply control byte (C1)', () => {
    const frame = encodeFrame({ meterType: 0x10, address: '12345678901234', control: 0xc1, data: [0x00, 0x01] });
    const r = decodeFrame(frame);
    expect(r.ok && r.value.control).toEqual({ raw: 0xc1, direction: 'slave-to-master', abnormal: true, function: 1 });
  });

  it('asks for more bytes while the input is a valid prefix', () => {
    expect(decodeFrame(Buffer.alloc(0))).toEqual({ ok: false, error: { kind: 'incomplete', needAtLeast: 13 } });
    expect(decodeFrame(hex('FE FE'))).toEqual({ ok: false, error: { kind: 'incomplete', needAtLeast: 15 } });
    // Once L is known the exact length is: 3 FE + 13 + 3.
    expect(decodeFrame(READ_METERING.subarray(0, 15))).toEqual({
      ok: false,
      error: { kind: 'incomplete', needAtLeast: 19 },
    });
  });

  it('rejects a bad start byte, skipping to the next possible start', () => {
    const r = decodeFrame(hex('00 11 22 68 10'));
    expect(r).toEqual({ ok: false, error: { kind: 'invalid', reason: expect.any(String), skip: 3 } });
  });

  it('rejects a checksum or end-byte error, dropping the preamble and the 0x68', () => {
    for (const at of [READ_METERING.length - 2, READ_METERING.length - 1]) {
      const bad = Buffer.from(READ_METERING);
      bad[at] = bad[at]! ^ 0x01;
      expect(decodeFrame(bad)).toEqual({ ok: false, error: { kind: 'invalid', reason: expect.any(String), skip: 4 } });
    }
  });

  it('does not let a frame cut short on the line swallow the frame behind it', () => {
    // The cut request claims 3 data bytes, so its "data", CS and end come from the reply's FE FE FE 68 10.
    const stream = Buffer.concat([READ_METERING.subarray(0, 14), METERING_REPLY]);
    const reasons: string[] = [];
    const frames: number[] = [];
    for (let at = 0; at < stream.length;) {
      const r = decodeFrame(stream.subarray(at));
      if (r.ok) frames.push(r.value.control.raw);
      else if (r.error.kind === 'invalid') reasons.push(r.error.reason);
      else break;
      at += r.ok ? r.consumed : r.error.kind === 'invalid' ? r.error.skip : 0;
    }
    expect(reasons[0]).toBe('checksum mismatch');
    expect(frames).toEqual([0x81]);
  });

  it('rejects an L over 100 as soon as it arrives, rather than waiting for it', () => {
    const header = hex('68 10 34 12 90 78 56 34 12 01 65');
    expect(decodeFrame(header)).toEqual({ ok: false, error: { kind: 'invalid', reason: expect.any(String), skip: 1 } });
  });

  it('drops only the excess of an over-long preamble', () => {
    const long = Buffer.concat([hex('FE FE FE'), READ_METERING]);
    const r = decodeFrame(long);
    expect(r).toEqual({ ok: false, error: { kind: 'invalid', reason: expect.any(String), skip: 2 } });
    expect(decodeFrame(long.subarray(2)).ok).toBe(true);
  });

  it('never asks for more than the largest frame', () => {
    const biggest = encodeFrame(
      { meterType: 0x10, address: '00000000000000', control: 0x81, data: Buffer.alloc(100) },
      { preamble: 4 },
    );
    expect(biggest.length).toBe(MAX_FRAME_BYTES);
    const r = decodeFrame(biggest.subarray(0, 20));
    expect(r).toEqual({ ok: false, error: { kind: 'incomplete', needAtLeast: MAX_FRAME_BYTES } });
  });

  it('refuses to encode what no frame can carry', () => {
    const base = { meterType: 0x10, address: '12345678901234', control: 0x01 };
    expect(() => encodeFrame({ ...base, data: Buffer.alloc(101) })).toThrow(RangeError);
    expect(() => encodeFrame({ ...base, address: '1234' })).toThrow(RangeError);
    expect(() => encodeFrame({ ...base, meterType: 256 })).toThrow(RangeError);
    expect(() => encodeFrame(base, { preamble: 5 })).toThrow(RangeError);
    expect(() => readMeteringRequest(0x10, '12345678901234', 256)).toThrow(RangeError);
  });
});
