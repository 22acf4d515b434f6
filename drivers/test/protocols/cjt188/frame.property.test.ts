import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeResult } from '../../../src/protocols/decode-result.js';
import {
  type Cjt188Frame,
  decodeFrame,
  encodeFrame,
  MAX_DATA_BYTES,
  MAX_FRAME_BYTES,
  MAX_PREAMBLE,
} from '../../../src/protocols/cjt188/index.js';

const frameInput = fc.record({
  meterType: fc.integer({ min: 0, max: 0xff }),
  address: fc.uint8Array({ minLength: 7, maxLength: 7 }).map((b) => Buffer.from(b).toString('hex').toUpperCase()),
  control: fc.integer({ min: 0, max: 0xff }),
  data: fc.uint8Array({ maxLength: MAX_DATA_BYTES }),
});
const preamble = fc.integer({ min: 0, max: MAX_PREAMBLE });

/** The contract of decode-result.ts, checked on any input. */
function expectWellFormed(r: DecodeResult<Cjt188Frame>, input: Uint8Array): void {
  if (r.ok) {
    expect(r.consumed).toBeGreaterThanOrEqual(13);
    expect(r.consumed).toBeLessThanOrEqual(input.length);
  } else if (r.error.kind === 'incomplete') {
    expect(r.error.needAtLeast).toBeGreaterThan(input.length);
    expect(r.error.needAtLeast).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  } else {
    expect(r.error.kind).toBe('invalid');
    expect(r.error.skip).toBeGreaterThanOrEqual(1);
    expect(r.error.skip).toBeLessThanOrEqual(input.length);
  }
}

describe('CJ/T 188 frame codec properties', () => {
  it('decode(encode(frame)) gives the frame back', () => {
    fc.assert(
      fc.property(frameInput, preamble, (input, fe) => {
        const bytes = encodeFrame(input, { preamble: fe });
        const r = decodeFrame(bytes);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.consumed).toBe(bytes.length);
        expect(r.value.meterType).toBe(input.meterType);
        expect(r.value.address).toBe(input.address);
        expect(r.value.control.raw).toBe(input.control);
        expect([...r.value.data]).toEqual([...input.data]);
      }),
    );
  });

  it('random bytes never throw and only give ok, incomplete or invalid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expectWellFormed(decodeFrame(bytes), bytes)),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind 0x68 (the hard case: a plausible header) keep the contract too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), preamble, (tail, fe) => {
        const bytes = Buffer.concat([Buffer.alloc(fe, 0xfe), Buffer.from([0x68]), tail]);
        expectWellFormed(decodeFrame(bytes), bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('every truncation of a valid frame is incomplete, reading nothing past the end of its view', () => {
    fc.assert(
      fc.property(frameInput, preamble, (input, fe) => {
        // The views share memory with the whole frame, so a read past a view's end would see real bytes.
        const whole = encodeFrame(input, { preamble: fe });
        for (let n = 0; n < whole.length; n++) {
          const view = whole.subarray(0, n);
          const r = decodeFrame(view);
          expect(r.ok === false && r.error.kind).toBe('incomplete');
          expectWellFormed(r, view);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('frames separated by garbage are all recovered by decoding and skipping', () => {
    // Garbage is drawn without 0x68: a 0x68 in noise can start a false frame that passes the
    // checksum and end byte by chance (about 1 in 65536), which no framing can rule out.
    const garbage = fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b.filter((x) => x !== 0x68)));
    fc.assert(
      fc.property(fc.array(fc.tuple(garbage, frameInput, preamble), { maxLength: 6 }), garbage, (parts, trailer) => {
        const stream = Buffer.concat([
          ...parts.flatMap(([g, f, fe]) => [g, encodeFrame(f, { preamble: fe })]),
          trailer,
        ]);
        const found: Cjt188Frame[] = [];
        let at = 0;
        for (;;) {
          const r = decodeFrame(stream.subarray(at));
          if (r.ok) {
            found.push(r.value);
            at += r.consumed;
          } else if (r.error.kind === 'invalid') {
            at += r.error.skip;
          } else break;
        }
        expect(found.map((f) => [f.meterType, f.address, f.control.raw, f.data.toString('hex')])).toEqual(
          parts.map(([, f]) => [f.meterType, f.address, f.control, Buffer.from(f.data).toString('hex')]),
        );
      }),
      { numRuns: 500 },
    );
  });
});
