/**
 * MPEG-2 program stream (PS) as GB/T 28181 Appendix C carries it over RTP,
 * from what ffmpeg's `vob` muxer writes. Pure functions. ffmpeg marks H.264
 * with PES stream id 0xE2 and writes no program stream map; GB/T 28181
 * receivers expect 0xE0 and a PSM saying stream_type 0x1B (H.264). So each
 * pack is walked unit by unit (never by searching the payload for start
 * codes), the video stream id is rewritten, and a PSM follows every system
 * header (ffmpeg writes one at the start, before the first key frame).
 */

const PACK = 0xba;
const SYSTEM_HEADER = 0xbb;
const FFMPEG_H264_ID = 0xe2;
const GB_VIDEO_ID = 0xe0;

const startsAt = (b: Uint8Array, i: number, code: number) =>
  b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 1 && b[i + 3] === code;

/** Splits a PS byte stream into whole packs; the bytes after the last pack start wait for more. */
export function splitPacks(buf: Buffer): { packs: Buffer[]; rest: Buffer } {
  const starts: number[] = [];
  for (let i = buf.indexOf(0, 0); i >= 0 && i + 3 < buf.length; i = buf.indexOf(0, i + 1))
    if (startsAt(buf, i, PACK)) starts.push(i);
  if (starts.length < 2) return { packs: [], rest: starts.length ? buf.subarray(starts[0]) : Buffer.alloc(0) };
  const packs = starts.slice(0, -1).map((s, k) => buf.subarray(s, starts[k + 1]));
  return { packs, rest: buf.subarray(starts[starts.length - 1]) };
}

/** Length of an MPEG-2 pack header (14 bytes + stuffing), or null for anything else (MPEG-1, truncated). */
function packHeaderLength(p: Uint8Array): number | null {
  if (p.length < 14 || !startsAt(p, 0, PACK) || (p[4]! & 0xc0) !== 0x40) return null;
  return 14 + (p[13]! & 0x07);
}

/** The pack's system clock reference base (90 kHz), which paces the RTP timestamps. */
export function scrOf(p: Uint8Array): number | null {
  if (packHeaderLength(p) === null) return null;
  const [b4, b5, b6, b7, b8] = [p[4]!, p[5]!, p[6]!, p[7]!, p[8]!];
  return (
    ((b4 & 0x38) >> 3) * 2 ** 30 +
    (b4 & 0x03) * 2 ** 28 +
    b5 * 2 ** 20 +
    ((b6 & 0xf8) >> 3) * 2 ** 15 +
    (b6 & 0x03) * 2 ** 13 +
    b7 * 2 ** 5 +
    (b8 >> 3)
  );
}

/** One pack as GB/T 28181 receivers want it: video stream id 0xE0, and a PSM after the system header. */
export function toGbPack(pack: Buffer): Buffer {
  const head = packHeaderLength(pack);
  if (head === null) return pack;
  const out = Buffer.from(pack);
  const parts: Buffer[] = [];
  let i = head;
  let from = 0;
  while (i + 6 <= out.length && out[i] === 0 && out[i + 1] === 0 && out[i + 2] === 1) {
    const id = out[i + 3]!;
    const len = 6 + out.readUInt16BE(i + 4);
    if (id === FFMPEG_H264_ID) out[i + 3] = GB_VIDEO_ID;
    if (id === SYSTEM_HEADER) {
      // Stream entries (3 bytes each) follow the 12-byte system header start.
      for (let e = i + 12; e + 2 < i + len && e + 2 < out.length; e += 3)
        if (out[e] === FFMPEG_H264_ID) out[e] = GB_VIDEO_ID;
      parts.push(out.subarray(from, i + len), PSM);
      from = i + len;
    }
    i += len;
  }
  parts.push(out.subarray(from));
  return parts.length === 1 ? out : Buffer.concat(parts);
}

/** Program stream map (ISO/IEC 13818-1 §2.5.4): one elementary stream, H.264 (0x1B) on 0xE0. */
export const PSM = (() => {
  const body = Buffer.from([
    0x00,
    0x00,
    0x01,
    0xbc,
    0x00,
    14,
    0xe0,
    0xff,
    0x00,
    0x00,
    0x00,
    0x04,
    0x1b,
    GB_VIDEO_ID,
    0x00,
    0x00,
  ]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32Mpeg(body));
  return Buffer.concat([body, crc]);
})();

/** CRC-32/MPEG-2 (polynomial 0x04C11DB7, no reflection, initial 0xFFFFFFFF). */
export function crc32Mpeg(b: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of b) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

export interface RtpState {
  ssrc: number;
  seq: number;
  payloadType: number;
}

/** RTP packets (RFC 3550) carrying one pack, at most `mtu` payload bytes each, marker on the last. */
export function rtpPackets(payload: Buffer, timestamp: number, s: RtpState, mtu = 1400): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < payload.length; at += mtu) {
    const chunk = payload.subarray(at, at + mtu);
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = (at + mtu >= payload.length ? 0x80 : 0) | (s.payloadType & 0x7f);
    h.writeUInt16BE(s.seq & 0xffff, 2);
    h.writeUInt32BE(timestamp >>> 0, 4);
    h.writeUInt32BE(s.ssrc >>> 0, 8);
    s.seq = (s.seq + 1) & 0xffff;
    out.push(Buffer.concat([h, chunk]));
  }
  return out;
}

/** RTP over TCP (RFC 4571, as GB/T 28181 uses it): a 2-byte length before each packet. */
export function frame4571(packet: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(packet.length);
  return Buffer.concat([len, packet]);
}

/** The RTP payloads in order from received packets (a receiver's side, for simulators and tests). */
export function rtpPayload(packet: Buffer): { seq: number; ssrc: number; payloadType: number; payload: Buffer } | null {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return null;
  const cc = packet[0]! & 0x0f;
  const start = 12 + cc * 4;
  if (start > packet.length) return null;
  return {
    seq: packet.readUInt16BE(2),
    ssrc: packet.readUInt32BE(8),
    payloadType: packet[1]! & 0x7f,
    payload: packet.subarray(start),
  };
}
