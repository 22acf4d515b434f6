import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  crc32Mpeg,
  frame4571,
  PSM,
  rtpPackets,
  rtpPayload,
  scrOf,
  splitPacks,
  toGbPack,
} from '../../src/gb28181/live/ps-rtp.js';
import { answerSdp, parseOffer } from '../../src/gb28181/live/sdp.js';

/** Two seconds of H.264 in ffmpeg's MPEG-2 PS, as the live path gets it. */
const ffmpegPs = () =>
  execFileSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '2'],
      ...['-c:v', 'libx264', '-g', '10', '-f', 'vob', 'pipe:1'],
    ],
    { maxBuffer: 16 << 20 },
  );

describe('PS for GB/T 28181', () => {
  it('CRC-32/MPEG-2 check value', () => {
    expect(crc32Mpeg(Buffer.from('123456789'))).toBe(0x0376e6e7);
    expect(crc32Mpeg(PSM.subarray(0, PSM.length - 4))).toBe(PSM.readUInt32BE(PSM.length - 4));
  });

  it('splits packs, rewrites the H.264 stream id to 0xE0 and adds a PSM after the system header', () => {
    const ps = ffmpegPs();
    const { packs, rest } = splitPacks(ps);
    expect(packs.length).toBeGreaterThan(2);
    expect(Buffer.concat([...packs, rest]).equals(ps)).toBe(true);
    const gb = packs.map(toGbPack);
    const all = Buffer.concat(gb);
    expect(all.includes(Buffer.from([0, 0, 1, 0xe2]))).toBe(false);
    expect(all.includes(Buffer.from([0, 0, 1, 0xe0]))).toBe(true);
    expect(all.indexOf(PSM)).toBeGreaterThan(0);
    const scrs = packs.map(scrOf);
    expect(scrs.every((s) => s !== null)).toBe(true);
    expect(scrs[scrs.length - 1]!).toBeGreaterThan(scrs[0]!);
  });

  it('RTP packets carry the pack whole, in order, with the marker on the last, framed for TCP', () => {
    const pack = Buffer.alloc(3000, 7);
    const state = { ssrc: 100000001, seq: 65534, payloadType: 96 };
    const pkts = rtpPackets(pack, 123456, state, 1400);
    expect(pkts).toHaveLength(3);
    const read = pkts.map((p) => rtpPayload(p)!);
    expect(read.map((r) => r.seq)).toEqual([65534, 65535, 0]);
    expect(Buffer.concat(read.map((r) => r.payload)).equals(pack)).toBe(true);
    expect(pkts.map((p) => p[1]! >> 7)).toEqual([0, 0, 1]);
    expect(read.every((r) => r.ssrc === 100000001 && r.payloadType === 96)).toBe(true);
    const framed = frame4571(pkts[0]!);
    expect(framed.readUInt16BE(0)).toBe(pkts[0]!.length);
  });
});

describe('INVITE SDP', () => {
  const offer = [
    'v=0',
    'o=34020000002000000001 0 0 IN IP4 10.0.0.9',
    's=Play',
    'c=IN IP4 10.0.0.9',
    't=0 0',
    'm=video 30000 TCP/RTP/AVP 96 98 97',
    'a=recvonly',
    'a=rtpmap:96 PS/90000',
    'a=rtpmap:98 H264/90000',
    'a=setup:passive',
    'a=connection:new',
    'y=0200000001',
    '',
  ].join('\r\n');

  it('reads where and how the platform wants the stream, and answers in kind', () => {
    const o = parseOffer(offer);
    expect(o).toEqual({
      address: '10.0.0.9',
      port: 30000,
      transport: 'TCP',
      setup: 'passive',
      ssrc: 200000001,
      psPayloadType: 96,
      session: 'Play',
    });
    if ('error' in o) return;
    const a = answerSdp({ id: '34130200002000000001', address: '192.168.1.2', port: 40000, offer: o });
    expect(a).toContain('m=video 40000 TCP/RTP/AVP 96');
    expect(a).toContain('a=setup:active');
    expect(a).toContain('y=0200000001');
    expect(a).toContain('a=sendonly');
  });

  it('refuses an SDP without media in words', () => {
    expect(parseOffer('v=0\r\n')).toEqual({ error: 'SDP has no c=IN IP4 address' });
  });
});
