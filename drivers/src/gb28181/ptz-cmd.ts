/**
 * PTZCmd (GB/T 28181 A.3, 前端设备控制协议): the 8-byte command a platform
 * sends as 16 hex digits in a DeviceControl MESSAGE.
 *
 *   byte 1  A5H (首字节)
 *   byte 2  high nibble: combination code 1 (version, 0H); low nibble: check =
 *           (byte 1 high + byte 1 low + byte 2 high) mod 16
 *   byte 3  address, low 8 bits
 *   byte 4  command: bits 7-6 = 00 PTZ (bit 5 zoom out, 4 zoom in, 3 up,
 *           2 down, 1 left, 0 right; all zero = stop), 01 focus/iris,
 *           10 preset/cruise/scan, 11 auxiliary
 *   byte 5  data 1 (PTZ: pan speed 00H–FFH)
 *   byte 6  data 2 (PTZ: tilt speed 00H–FFH)
 *   byte 7  high nibble: data 3 (PTZ: zoom speed 0H–FH); low nibble: address, high 4 bits
 *   byte 8  check = (bytes 1..7) mod 256
 *
 * Pure: parse never throws (a bad command is a typed error, so a corrupted
 * one never moves a camera) and serialise writes both checks.
 */

export interface PtzFrame {
  /** Combination code 1 (the version, 0 in both editions). */
  version: number;
  /** 12-bit address (byte 3, and byte 7's low nibble as the high bits). */
  address: number;
  /** Byte 4: the instruction. */
  code: number;
  data1: number;
  data2: number;
  /** Byte 7's high nibble. */
  data3: number;
}

export type PtzCmdResult = { ok: true; value: PtzFrame } | { ok: false; error: string };

/** Pan, tilt and zoom velocities in [-1, 1] (ONVIF ContinuousMove's space); all 0 = stop. */
export interface PtzMotion {
  pan: number;
  tilt: number;
  zoom: number;
}

const bit = (code: number, n: number) => (code >> n) & 1;

/** Parses the hex text of <PTZCmd> (whitespace around it and either case accepted). */
export function parsePtzCmd(text: unknown): PtzCmdResult {
  if (typeof text !== 'string') return { ok: false, error: 'PTZCmd is not text' };
  const hex = text.trim();
  if (!/^[0-9A-Fa-f]{16}$/.test(hex))
    return { ok: false, error: `PTZCmd "${hex.slice(0, 40)}" is not 16 hex digits (8 bytes)` };
  const b = Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const [b1, b2, b3, b4, b5, b6, b7, b8] = b as [number, number, number, number, number, number, number, number];
  if (b1 !== 0xa5) return { ok: false, error: `PTZCmd byte 1 is ${hex.slice(0, 2)}, not A5` };
  const nibbleCheck = ((b1 >> 4) + (b1 & 0xf) + (b2 >> 4)) % 16;
  if ((b2 & 0xf) !== nibbleCheck)
    return { ok: false, error: `PTZCmd byte 2 check nibble is ${b2 & 0xf}, expected ${nibbleCheck}` };
  const sum = (b1 + b2 + b3 + b4 + b5 + b6 + b7) % 256;
  if (b8 !== sum) return { ok: false, error: `PTZCmd checksum is ${hex.slice(14)}, expected ${hex2(sum)}` };
  return {
    ok: true,
    value: { version: b2 >> 4, address: ((b7 & 0xf) << 8) | b3, code: b4, data1: b5, data2: b6, data3: b7 >> 4 },
  };
}

/** The 16 upper-case hex digits of a frame, with both checks; fields are masked to their widths. */
export function serialisePtzCmd(f: PtzFrame): string {
  const b1 = 0xa5;
  const hi2 = f.version & 0xf;
  const b2 = (hi2 << 4) | (((b1 >> 4) + (b1 & 0xf) + hi2) % 16);
  const b3 = f.address & 0xff;
  const b7 = ((f.data3 & 0xf) << 4) | ((f.address >> 8) & 0xf);
  const body = [b1, b2, b3, f.code & 0xff, f.data1 & 0xff, f.data2 & 0xff, b7];
  const sum = body.reduce((a, x) => a + x, 0) % 256;
  return [...body, sum].map(hex2).join('');
}

/** A PTZ-class frame (byte 4 bits 7-6 = 00) as velocities; null for focus/iris, preset, cruise, scan, auxiliary. */
export function ptzMotion(f: PtzFrame): PtzMotion | null {
  if ((f.code & 0xc0) !== 0) return null;
  const dir = (plus: number, minus: number) => plus - minus;
  const pan = dir(bit(f.code, 0), bit(f.code, 1)) * (f.data1 / 255);
  const tilt = dir(bit(f.code, 3), bit(f.code, 2)) * (f.data2 / 255);
  const zoom = dir(bit(f.code, 4), bit(f.code, 5)) * (f.data3 / 15);
  // +0 rather than -0: a stop is exactly zero on the wire.
  return { pan: pan + 0, tilt: tilt + 0, zoom: zoom + 0 };
}

/** True when a motion moves nothing (a stop: byte 4 = 00H, or every speed 0). */
export function isStop(m: PtzMotion): boolean {
  return m.pan === 0 && m.tilt === 0 && m.zoom === 0;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
