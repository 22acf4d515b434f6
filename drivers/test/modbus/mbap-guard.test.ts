import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TCP_ADU_BYTES, MbapGuard } from '../../src/modbus/mbap-guard.js';

// Modbus Messaging on TCP/IP Implementation Guide v1.0b §3.1.3: MBAP = transaction id, protocol id (0), length, unit id.
// A read-holding-registers response (FC 03) for one register holding 42: length 5 = unit + fc + byte count + 2 data bytes.
const RESPONSE = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x01, 0x03, 0x02, 0x00, 0x2a]);

describe('MBAP guard', () => {
  it('passes whole ADUs through, however the stream is chunked', () => {
    const g = new MbapGuard();
    const two = Buffer.concat([RESPONSE, RESPONSE]);
    const out: Buffer[] = [];
    for (const chunk of [two.subarray(0, 3), two.subarray(3, 13), two.subarray(13)]) {
      const r = g.push(chunk);
      if (!r.ok) throw new Error(r.reason);
      out.push(...r.frames);
    }
    expect(out.map((f) => f.toString('hex'))).toEqual([RESPONSE.toString('hex'), RESPONSE.toString('hex')]);
    expect(g.buffered()).toBe(0);
  });

  it('rejects a corrupted length field after six bytes instead of waiting for 64 KiB', () => {
    const g = new MbapGuard();
    expect(g.push(Buffer.from([0x00, 0x01, 0x00, 0x00, 0xff, 0xff]))).toEqual({
      ok: false,
      reason: 'MBAP length 65535 outside 2..254',
    });
    expect(new MbapGuard().push(Buffer.from([0, 1, 0, 7, 0, 5, 1, 3]))).toMatchObject({
      ok: false,
      reason: 'MBAP protocol id 7 (must be 0)',
    });
    expect(new MbapGuard().push(Buffer.from([0, 1, 0, 0, 0, 255, 1]))).toMatchObject({ ok: false });
    // The largest legal ADU (260 bytes) is accepted.
    const big = Buffer.alloc(MAX_TCP_ADU_BYTES);
    big.writeUInt16BE(254, 4);
    expect(new MbapGuard().push(big)).toMatchObject({ ok: true, frames: [big] });
  });

  it('never throws and never holds more than one partial ADU, on any byte stream', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 30 }), (chunks) => {
        const g = new MbapGuard();
        for (const c of chunks) {
          const r = g.push(Buffer.from(c));
          expect(g.buffered()).toBeLessThan(MAX_TCP_ADU_BYTES);
          if (r.ok) for (const f of r.frames) expect(f.length).toBeLessThanOrEqual(MAX_TCP_ADU_BYTES);
        }
      }),
    );
  });

  it('recovers exactly the ADUs of a valid stream split at random points', () => {
    const adu = fc.uint8Array({ minLength: 1, maxLength: 253 }).map((pdu) => {
      const b = Buffer.alloc(7 + pdu.length);
      b.writeUInt16BE(pdu.length + 1, 4);
      Buffer.from(pdu).copy(b, 7);
      return b;
    });
    fc.assert(
      fc.property(
        fc.array(adu, { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (adus, cuts) => {
          const stream = Buffer.concat(adus);
          const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
          const g = new MbapGuard();
          const out: Buffer[] = [];
          let prev = 0;
          for (const p of [...points, stream.length]) {
            const r = g.push(stream.subarray(prev, p));
            if (!r.ok) throw new Error(r.reason);
            out.push(...r.frames);
            prev = p;
          }
          expect(out.map((b) => b.toString('hex'))).toEqual(adus.map((b) => b.toString('hex')));
        },
      ),
    );
  });
});
