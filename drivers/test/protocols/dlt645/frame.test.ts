import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  type FrameInput,
  MAX_FRAME_BYTES,
  splitFrames,
} from '../../../src/protocols/dlt645/frame.js';

// Golden frames follow the DL/T 645-2007 §7 frame format:
// [FE×0–4] 68 A0..A5 68 C L DATA(+33H) CS 16, CS = sum mod 256 from the first 68 to the end of DATA.
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const addressArb = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
      fc.constant('AA'),
    ),
    {
      minLength: 6,
      maxLength: 6,
    },
  )
  .map((pairs) => pairs.join(''));
const frameArb: fc.Arbitrary<FrameInput> = fc.record({
  address: addressArb,
  control: fc.integer({ min: 0, max: 0xff }),
  data: fc.uint8Array({ maxLength: 200 }),
});

/** The only shapes a decoder may answer with, each with its own bounds. */
function expectWellFormed(buf: Uint8Array, result: ReturnType<typeof decodeFrame>): void {
  if (result.ok) {
    expect(result.consumed).toBeGreaterThanOrEqual(12);
    expect(result.consumed).toBeLessThanOrEqual(buf.length);
  } else if (result.error.kind === 'incomplete') {
    expect(result.error.needAtLeast).toBeGreaterThan(buf.length);
    expect(result.error.needAtLeast).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  } else {
    expect(result.error.kind).toBe('invalid');
    expect(result.error.skip).toBeGreaterThanOrEqual(1);
    expect(result.error.skip).toBeLessThanOrEqual(buf.length);
  }
}

describe('DL/T 645-2007 frame codec', () => {
  it('encodes the broadcast read-address request', () => {
    // 68+AA×6+68+13+00 = 0x4DF → CS DF.
    expect(encodeFrame({ address: 'AAAAAAAAAAAA', control: 0x13 })).toEqual(hex('68 AAAAAAAAAAAA 68 13 00 DF 16'));
  });

  it('encodes a read of DI 00 01 00 00 (forward active energy) for meter 000000000001', () => {
    // Address LSB first: 01 00 00 00 00 00. DI0..DI3 = 00 00 01 00, +33H each → 33 33 34 33.
    // CS = 68+01+68+11+04+33+33+34+33 = 0x1B3 → B3.
    const frame = encodeFrame({ address: '000000000001', control: 0x11, data: hex('00000100') });
    expect(frame).toEqual(hex('68 010000000000 68 11 04 33333433 B3 16'));
    const withPreamble = encodeFrame(
      { address: '000000000001', control: 0x11, data: hex('00000100') },
      { preamble: true },
    );
    expect(withPreamble).toEqual(hex('FEFEFEFE 68 010000000000 68 11 04 33333433 B3 16'));
  });

  it('decodes a read reply: address as on the nameplate, control fields, data without 33H', () => {
    // Meter 567890123456 answers 123456.78 kWh: value bytes 78 56 34 12, +33H → AB 89 67 45.
    // CS = 68 + (56+34+12+90+78+56 = 1FA) + 68 + 91 + 08 + (33+33+34+33 = CD) + (AB+89+67+45 = 1E0) = 0x610 → 10.
    const result = decodeFrame(hex('FEFE 68 563412907856 68 91 08 33333433 AB896745 10 16 99'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.consumed).toBe(22);
    expect(result.value.address).toBe('567890123456');
    expect(result.value.control).toEqual({
      code: 0x91,
      direction: 'reply',
      abnormal: false,
      followUp: false,
      function: 0x11,
    });
    expect(result.value.data).toEqual(hex('00000100 78563412'));
  });

  it('splits the control code of an abnormal follow-up reply', () => {
    const result = decodeFrame(encodeFrame({ address: '000000000001', control: 0xf1 }));
    expect(result.ok && result.value.control).toEqual({
      code: 0xf1,
      direction: 'reply',
      abnormal: true,
      followUp: true,
      function: 0x11,
    });
  });

  it.each([
    ['garbage before the start', '00 11 68', 2],
    ['no second 68', '68 010000000000 00', 8],
    ['a non-BCD address byte', '68 01 3F', 3],
    ['more than four FE', 'FEFEFEFEFEFE 68', 2],
    // Drops up to the next 68, which could itself open a frame.
    ['data length over 200', '68 010000000000 68 91 C9', 7],
    ['a bad checksum', '68 010000000000 68 11 04 33333433 B4 16', 7],
    ['a bad end byte', '68 010000000000 68 11 04 33333433 B3 17', 7],
  ])('rejects %s and says how much to skip', (_, bytes, skip) => {
    const result = decodeFrame(hex(bytes));
    expect(result.ok === false && result.error.kind === 'invalid' && result.error.skip).toBe(skip);
  });

  it('skips only up to the next possible start, never past a real frame', () => {
    const real = hex('68 010000000000 68 11 04 33333433 B3 16');
    const result = decodeFrame(Buffer.concat([hex('68 01 02 FF'), real]));
    expect(result.ok === false && result.error.kind === 'invalid' && result.error.skip).toBe(4);
  });

  it('round-trips any address, control code and up to 200 data bytes', () => {
    fc.assert(
      fc.property(frameArb, fc.boolean(), (input, preamble) => {
        const wire = encodeFrame(input, { preamble });
        const result = decodeFrame(wire);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.consumed).toBe(wire.length);
        expect(result.value.address).toBe(input.address);
        expect(result.value.control.code).toBe(input.control);
        expect(result.value.data).toEqual(Buffer.from(input.data ?? []));
      }),
    );
  });

  it('answers random bytes with ok, incomplete or invalid, never a throw', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      // Bias towards bytes that look like frame starts so deeper paths are reached.
      fc
        .array(fc.constantFrom(0xfe, 0x68, 0x16, 0x00, 0x99, 0xaa, 0xc8, 0xc9), { maxLength: 40 })
        .map((a) => Uint8Array.from(a)),
    );
    fc.assert(
      fc.property(bytes, (buf) => expectWellFormed(buf, decodeFrame(buf))),
      { numRuns: 2000 },
    );
  });

  it('a plausible header with any length byte never asks for more than the largest frame', () => {
    const headerThenJunk = fc
      .tuple(
        fc.integer({ min: 0, max: 4 }),
        addressArb,
        fc.integer({ min: 0, max: 0xff }),
        fc.uint8Array({ maxLength: 60 }),
      )
      .map(([pre, address, length, junk]) => {
        // [FE×pre] 68 A0..A5 68 C, then an arbitrary L and whatever follows.
        const header = encodeFrame({ address, control: 0x91 }, { preamble: true }).subarray(4 - pre, 13);
        return Buffer.concat([header, Uint8Array.of(length), junk]);
      });
    fc.assert(
      fc.property(headerThenJunk, (buf) => {
        const result = decodeFrame(buf);
        expectWellFormed(buf, result);
        const declared = buf[buf.indexOf(0x68) + 9]!;
        if (declared > 200) expect(result.ok === false && result.error.kind).toBe('invalid');
      }),
      { numRuns: 1000 },
    );
  });

  it('every truncation of a valid frame is incomplete, asking for no more than the frame', () => {
    fc.assert(
      fc.property(frameArb, fc.boolean(), (input, preamble) => {
        const wire = encodeFrame(input, { preamble });
        for (let n = 0; n < wire.length; n++) {
          const result = decodeFrame(wire.subarray(0, n));
          expectWellFormed(wire.subarray(0, n), result);
          expect(result.ok === false && result.error.kind).toBe('incomplete');
          if (!result.ok && result.error.kind === 'incomplete') {
            expect(result.error.needAtLeast).toBeLessThanOrEqual(wire.length);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('recovers every frame from a stream with garbage between them', () => {
    const garbage = fc.uint8Array({ maxLength: 24 });
    fc.assert(
      fc.property(fc.array(fc.tuple(garbage, frameArb, fc.boolean()), { maxLength: 6 }), garbage, (parts, tail) => {
        const stream = Buffer.concat([
          ...parts.flatMap(([junk, input, preamble]) => [junk, encodeFrame(input, { preamble })]),
          tail,
        ]);
        const frames = splitFrames(stream);
        expect(frames.map((f) => [f.address, f.control.code, Buffer.from(f.data)])).toEqual(
          parts.map(([, input]) => [input.address, input.control, Buffer.from(input.data ?? [])]),
        );
      }),
      { numRuns: 300 },
    );
  });
});
