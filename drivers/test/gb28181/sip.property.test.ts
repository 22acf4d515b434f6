import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManscdp } from '../../src/gb28181/manscdp.js';
import {
  decodeSip,
  encodeSip,
  MAX_BODY_BYTES,
  MAX_HEADER_BYTES,
  type SipMessage,
} from '../../src/gb28181/sip-message.js';
import { parseNameAddr, parseSipUri, parseVia } from '../../src/gb28181/sip-headers.js';
import { KEEPALIVE, REGISTER_NO_AUTH, UNAUTHORIZED } from './golden.js';

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const value = fc
  .stringMatching(/^[!-~][ -~]{0,40}$/)
  .map((s) => s.trim())
  .filter((s) => s.length > 0);
const message: fc.Arbitrary<SipMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('request' as const),
    method: fc.constantFrom('REGISTER', 'MESSAGE', 'INVITE', 'BYE', 'SUBSCRIBE', 'NOTIFY'),
    uri: fc.stringMatching(/^sip:[0-9]{20}@[0-9]{10}$/),
    headers: fc.array(fc.tuple(token, value), { maxLength: 12 }),
    body: fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  }),
  fc.record({
    kind: fc.constant('response' as const),
    status: fc.integer({ min: 100, max: 699 }),
    reason: fc.constantFrom('OK', 'Unauthorized', 'Busy Here', '成功'),
    headers: fc.array(fc.tuple(token, value), { maxLength: 12 }),
    body: fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  }),
);

const goldens = [REGISTER_NO_AUTH, UNAUTHORIZED, KEEPALIVE].map((s) => Buffer.from(s));

describe('SIP codec properties', () => {
  it('decode(encode(m)) gives m back on a stream and in a datagram', () => {
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeSip(m);
        for (const framing of ['stream', 'datagram'] as const) {
          const r = decodeSip(bytes, { framing });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.consumed).toBe(bytes.length);
          expect(encodeSip(r.value).equals(bytes)).toBe(true);
        }
      }),
    );
  });

  it('never throws, never claims bytes it was not given, on random and mutated input', () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(...goldens),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
      )
      .map(([g, edits, cut]) => {
        const b = Buffer.from(g);
        for (const [at, byte] of edits) b[at % b.length] = byte;
        return b.subarray(0, cut % (b.length + 1));
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 2000 }), mutated),
        fc.constantFrom('stream', 'datagram' as const),
        (input, framing) => {
          const r = decodeSip(input, { framing: framing as 'stream' | 'datagram' });
          if (r.ok) expect(r.consumed).toBeLessThanOrEqual(input.length);
          else if (r.error.kind === 'incomplete') {
            expect(r.error.needAtLeast).toBeGreaterThan(input.length);
            expect(r.error.needAtLeast).toBeLessThanOrEqual(MAX_HEADER_BYTES + MAX_BODY_BYTES + 4);
          } else {
            expect(r.error.skip).toBeGreaterThanOrEqual(1);
            expect(r.error.skip).toBeLessThanOrEqual(Math.max(1, input.length));
          }
          if (r.ok) {
            // Header parsers accept whatever a decoded message carries without throwing.
            for (const [, v] of r.value.headers) {
              parseVia(v);
              parseNameAddr(v);
              parseSipUri(v);
            }
            parseManscdp(r.value.body);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('MANSCDP parsing never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), (input) => {
        const r = parseManscdp(input);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});
