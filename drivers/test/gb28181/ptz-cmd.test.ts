import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManscdp } from '../../src/gb28181/manscdp.js';
import { isStop, parsePtzCmd, type PtzFrame, ptzMotion, serialisePtzCmd } from '../../src/gb28181/ptz-cmd.js';
import { deviceControlResponseXml, PtzGate, readPtzControl } from '../../src/gb28181/ptz-control.js';

/**
 * A DeviceControl as platforms send it (GB/T 28181 A.2.3 shape; the frame is the one quoted in
 * AndroidCoderPeng/GB28181Console sip_command.md): A5 0F 01 08 1E 1E 10 09 = tilt up at 1EH, zoom speed 1,
 * address 1; 0FH's low nibble is (A + 5 + 0) mod 16, 09H is (A5+0F+01+08+1E+1E+10) mod 256.
 */
const DEVICE_CONTROL = `<?xml version="1.0" encoding="GB2312"?>
<Control>
    <CmdType>DeviceControl</CmdType>
    <SN>316229</SN>
    <DeviceID>11010800001300020001</DeviceID>
    <PTZCmd>A50F01081E1E1009</PTZCmd>
    <Info>
        <ControlPriority>5</ControlPriority>
    </Info>
</Control>
`;

/** Frames written by hand from the A.3 byte table (byte 4 bits: 0 right, 1 left, 2 down, 3 up, 4 zoom in, 5 zoom out). */
const FRAMES: [string, PtzFrame, { pan: number; tilt: number; zoom: number }][] = [
  [
    'A50F01081E1E1009',
    { version: 0, address: 1, code: 0x08, data1: 0x1e, data2: 0x1e, data3: 1 },
    { pan: 0, tilt: 30 / 255, zoom: 0 },
  ],
  // Stop: byte 4 = 00H; the check is A5+0F+01 = B5.
  ['A50F0100000000B5', { version: 0, address: 1, code: 0, data1: 0, data2: 0, data3: 0 }, { pan: 0, tilt: 0, zoom: 0 }],
  // Left at full pan speed, down at 80H, zoom out at 0FH, address 0x201 (byte 7 low nibble 2).
  [
    'A50F0126FF80F24C',
    { version: 0, address: 0x201, code: 0x26, data1: 0xff, data2: 0x80, data3: 15 },
    { pan: -1, tilt: -128 / 255, zoom: -1 },
  ],
  // Right + zoom in at 8: 11H.
  [
    'A50F011140008086',
    { version: 0, address: 1, code: 0x11, data1: 0x40, data2: 0, data3: 8 },
    { pan: 64 / 255, tilt: 0, zoom: 8 / 15 },
  ],
];

describe('PTZCmd codec (A.3)', () => {
  it.each(FRAMES)('%s parses to its fields and velocities and serialises back', (hex, frame, motion) => {
    const r = parsePtzCmd(hex);
    expect(r).toEqual({ ok: true, value: frame });
    expect(serialisePtzCmd(frame)).toBe(hex);
    const m = ptzMotion(frame)!;
    expect(m.pan).toBeCloseTo(motion.pan, 10);
    expect(m.tilt).toBeCloseTo(motion.tilt, 10);
    expect(m.zoom).toBeCloseTo(motion.zoom, 10);
    expect(isStop(m)).toBe(motion.pan === 0 && motion.tilt === 0 && motion.zoom === 0);
  });

  it('reads the PTZCmd out of a DeviceControl and answers with Result OK or ERROR', () => {
    const m = parseManscdp(Buffer.from(DEVICE_CONTROL), 'Application/MANSCDP+xml');
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const read = readPtzControl(m.value);
    expect(read).toMatchObject({ ok: true, hex: 'A50F01081E1E1009', frame: { code: 0x08, data2: 0x1e } });
    const answer = parseManscdp(deviceControlResponseXml(m.value.deviceId, m.value.sn, false, 'UTF-8'));
    expect(answer).toMatchObject({ ok: true, value: { root: 'Response', cmdType: 'DeviceControl', sn: 316229 } });
    if (answer.ok) expect(answer.value.body.Result).toBe('ERROR');
    // A Query or a Control without PTZCmd is not a PTZ command.
    const q = parseManscdp(DEVICE_CONTROL.replace(/<PTZCmd>.*<\/PTZCmd>/, '<TeleBoot>Boot</TeleBoot>'));
    expect(q.ok && readPtzControl(q.value)).toBe(null);
  });

  it('refuses frames that are not A.3 commands, saying why', () => {
    expect(parsePtzCmd('A50F01081E1E10')).toMatchObject({ ok: false, error: expect.stringContaining('16 hex') });
    expect(parsePtzCmd('B50F01081E1E1009')).toMatchObject({ ok: false, error: expect.stringContaining('A5') });
    expect(parsePtzCmd('A50E01081E1E1008')).toMatchObject({ ok: false, error: expect.stringContaining('nibble') });
    expect(parsePtzCmd('A50F01081E1E100A')).toMatchObject({ ok: false, error: expect.stringContaining('checksum') });
    expect(parsePtzCmd(42)).toMatchObject({ ok: false });
    // Focus/iris (01xxxxxx) and preset (10xxxxxx) frames parse but are not motions.
    expect(ptzMotion({ version: 0, address: 1, code: 0x41, data1: 0, data2: 0, data3: 0 })).toBe(null);
    expect(ptzMotion({ version: 0, address: 1, code: 0x82, data1: 0, data2: 3, data3: 0 })).toBe(null);
    // Whitespace and lower case, as some platforms send.
    expect(parsePtzCmd(' a50f0100000000b5\r\n')).toMatchObject({ ok: true, value: { code: 0 } });
  });

  it('never throws, and parse(serialise(f)) is f for every frame', () => {
    const frame = fc.record({
      version: fc.integer({ min: 0, max: 15 }),
      address: fc.integer({ min: 0, max: 0xfff }),
      code: fc.integer({ min: 0, max: 255 }),
      data1: fc.integer({ min: 0, max: 255 }),
      data2: fc.integer({ min: 0, max: 255 }),
      data3: fc.integer({ min: 0, max: 15 }),
    });
    fc.assert(
      fc.property(frame, (f) => {
        expect(parsePtzCmd(serialisePtzCmd(f))).toEqual({ ok: true, value: f });
        const m = ptzMotion(f);
        if (m) for (const v of [m.pan, m.tilt, m.zoom]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^[0-9A-Fa-f]{16}$/)), (s) => {
        const r = parsePtzCmd(s);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) expect(serialisePtzCmd(r.value)).toBe(s.trim().toUpperCase());
      }),
      { numRuns: 2000 },
    );
  });

  it('a single flipped bit is caught by a check', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), (n) => {
        const bytes = Buffer.from('A50F01081E1E1009', 'hex');
        bytes[n >> 3]! ^= 1 << (n & 7);
        const r = parsePtzCmd(bytes.toString('hex'));
        expect(r.ok).toBe(false);
      }),
    );
  });
});

describe('PtzGate (a held joystick)', () => {
  it('sends a repeated motion once, keeps only the latest while one is in flight, and never drops a stop', async () => {
    let now = 0;
    const gate = new PtzGate(2000, () => now);
    const sent: string[] = [];
    const pending: (() => void)[] = [];
    const run = (key: string) => () =>
      new Promise<boolean>((resolve) => {
        sent.push(key);
        pending.push(() => resolve(true));
      });
    const first = gate.submit('up', run('up'));
    const repeats = [gate.submit('up', run('up')), gate.submit('left', run('left')), gate.submit('stop', run('stop'))];
    expect(sent).toEqual(['up']);
    pending.shift()!();
    expect(await first).toBe(true);
    // 'up' again and 'left' were superseded by the stop, which is what the camera gets next.
    expect(await repeats[0]).toBe(true);
    expect(await repeats[1]).toBe(true);
    await Promise.resolve();
    expect(sent).toEqual(['up', 'stop']);
    pending.shift()!();
    expect(await repeats[2]).toBe(true);
    // The same stop again soon after is not resent; after refreshMs it is.
    now = 1000;
    expect(await gate.submit('stop', run('stop'))).toBe(true);
    expect(sent).toEqual(['up', 'stop']);
    now = 5000;
    const late = gate.submit('stop', run('stop'));
    expect(sent).toEqual(['up', 'stop', 'stop']);
    pending.shift()!();
    expect(await late).toBe(true);
  });

  it('reports a failed command and sends the same one again next time', async () => {
    const gate = new PtzGate(2000, () => 0);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('camera refused'));
    };
    expect(await gate.submit('up', failing)).toBe(false);
    expect(await gate.submit('up', failing)).toBe(false);
    expect(calls).toBe(2);
  });
});
