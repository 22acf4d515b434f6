import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartReader, type PartHeaders } from '../../src/gate/multipart.js';
import { part } from '../../src/sim/gate-sim-records.js';

const B = 'MIME_boundary';
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

function stream(): Buffer {
  return Buffer.concat([
    Buffer.from('preamble the reader must ignore\r\n'),
    part(B, 'application/json', json({ n: 1, text: '张三 --MIME_boundar' })),
    part(B, 'image/jpeg', Buffer.alloc(5000, 0xab)),
    part(B, 'application/json', json({ n: 2 }), false),
    part(B, 'application/json', json({ n: 3, pad: 'x'.repeat(3000) })),
    part(B, 'application/json', json({ n: 4 }), false),
    part(B, 'application/json', json({ n: 5, pad: 'y'.repeat(3000) }), false),
    part(B, 'application/json', json({ n: 6 })),
  ]);
}

function read(chunks: Buffer[], max = 2048) {
  const parts: { type: string; value: unknown }[] = [];
  const errors: string[] = [];
  const wanted: PartHeaders[] = [];
  const r = new MultipartReader(B, max, {
    want: (h) => {
      wanted.push(h);
      return h.contentType.includes('json');
    },
    part: (h, body) => parts.push({ type: h.contentType, value: JSON.parse(body.toString('utf8')) }),
    error: (m) => errors.push(m),
  });
  for (const c of chunks) r.push(c);
  return { parts, errors, wanted, r };
}

function split(buf: Buffer, sizes: () => number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length;) {
    const n = Math.max(1, sizes());
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('multipart/mixed reader', () => {
  it('reads the boundary from the Content-Type, quoted or not', () => {
    expect(boundaryOf('multipart/mixed; boundary=MIME_boundary')).toBe('MIME_boundary');
    expect(boundaryOf('multipart/mixed;boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeNull();
  });

  it('gives the same parts whole, byte by byte and in random splits; oversize parts are skipped and reported', () => {
    const whole = read([stream()]);
    expect(whole.parts.map((p) => (p.value as { n: number }).n)).toEqual([1, 2, 4, 6]);
    expect(whole.errors).toHaveLength(2); // n=3 (declared length) and n=5 (no length, found while reading)
    expect(whole.wanted.some((h) => h.contentType === 'image/jpeg')).toBe(true);
    expect((whole.parts[0]!.value as { text: string }).text).toBe('张三 --MIME_boundar');
    const bytewise = read(split(stream(), () => 1));
    expect(bytewise.parts).toEqual(whole.parts);
    expect(bytewise.errors).toHaveLength(2);
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 97);
    for (let round = 0; round < 20; round++) {
      const r = read(split(stream(), rnd));
      expect(r.parts).toEqual(whole.parts);
    }
  });

  it('stops at the closing delimiter', () => {
    const r = read([
      part(B, 'application/json', json({ n: 1 })),
      Buffer.from(`--${B}--\r\n`),
      part(B, 'application/json', json({ n: 2 })),
    ]);
    expect(r.parts).toHaveLength(1);
    expect(r.r.done).toBe(true);
  });

  it('does not buffer a skipped picture (memory stays bounded by the part limit)', () => {
    const big = part(B, 'image/jpeg', Buffer.alloc(5_000_000, 1));
    const r = read([...split(big, () => 65536), part(B, 'application/json', json({ n: 9 }))]);
    expect(r.parts.map((p) => (p.value as { n: number }).n)).toEqual([9]);
    expect(r.errors).toEqual([]);
  });
});
