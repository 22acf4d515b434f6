import { Cam } from 'onvif';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseProbeMatch, parseProbeMatches } from '../../src/camera/discovery.js';
import { maskProblems, renderSnapshot } from '../../src/camera/images.js';
import { mapNotification } from '../../src/camera/onvif-topics.js';
import { redactUrl, withCredentials } from '../../src/camera/redact.js';
import { Semaphore } from '../../src/camera/semaphore.js';
import { probeMatch } from '../../src/sim/onvif-soap.js';
import { verifyUsernameToken } from '../../src/sim/ws-security.js';

const note = (topic: string, items: Record<string, unknown>) => ({
  topic: { _: topic },
  message: {
    message: { data: { simpleItem: Object.entries(items).map(([Name, Value]) => ({ $: { Name, Value } })) } },
  },
});

describe('ONVIF topics → camera signals', () => {
  it('maps standard and vendor topics, rising and falling edges', () => {
    expect(mapNotification(note('tns1:RuleEngine/CellMotionDetector/Motion', { IsMotion: true }))).toEqual({
      kind: 'camera.motion',
      active: true,
    });
    expect(mapNotification(note('tns1:VideoSource/MotionAlarm', { State: false }))).toEqual({
      kind: 'camera.motion',
      active: false,
    });
    expect(mapNotification(note('tns1:RuleEngine/TamperDetector/Tamper', { IsTamper: 'true' }))?.kind).toBe(
      'camera.tamper',
    );
    expect(mapNotification(note('tns1:VideoSource/GlobalSceneChange/ImagingService', { State: true }))?.kind).toBe(
      'camera.tamper',
    );
    expect(
      mapNotification(note('tns1:RuleEngine/ThrownObjectDetector/ThrownObject', { IsThrown: true, FloorEstimate: 12 })),
    ).toEqual({ kind: 'camera.thrown_object', active: true, floorEstimate: 12 });
    expect(mapNotification(note('tns1:Device/Trigger/DigitalInput', { LogicalState: true }))).toBeNull();
    expect(mapNotification({})).toBeNull();
    expect(mapNotification(null)).toBeNull();
  });
});

describe('WS-UsernameToken', () => {
  it("accepts the onvif library's own PasswordDigest and refuses a wrong password", () => {
    // The digest comes from the onvif client itself, an independent implementation of the same formula.
    const cam = new Cam({ hostname: '127.0.0.1', username: 'u', password: 'right-pass', autoconnect: false });
    // The library dates tokens by the camera's clock, learnt at connect; here the camera's clock is ours.
    const c = cam as unknown as { _envelopeHeader(): string; timeShift: number };
    c.timeShift = Date.now() - process.uptime() * 1000;
    const header = c._envelopeHeader();
    expect(verifyUsernameToken(header, 'u', 'right-pass')).toEqual({ ok: true });
    expect(verifyUsernameToken(header, 'u', 'wrong-pass')).toMatchObject({ ok: false });
    expect(verifyUsernameToken(header, 'other', 'right-pass')).toMatchObject({ ok: false });
    expect(verifyUsernameToken('<Envelope/>', 'u', 'right-pass')).toEqual({ ok: false, reason: 'no UsernameToken' });
  });
});

describe('WS-Discovery ProbeMatch', () => {
  it('reads the simulator answer, ignores answers to other probes and garbage', () => {
    const xml = probeMatch('urn:uuid:abc', 'urn:uuid:cam1', 'http://10.0.0.7:8000/onvif/device_service', 'gate 1');
    expect(parseProbeMatch(xml, 'urn:uuid:abc')).toEqual({
      urn: 'urn:uuid:cam1',
      xaddrs: ['http://10.0.0.7:8000/onvif/device_service'],
      host: '10.0.0.7',
      port: 8000,
      name: 'gate 1',
      hardware: 'LL-SIM',
    });
    expect(parseProbeMatch(xml, 'urn:uuid:other')).toBeNull();
    expect(parseProbeMatch('<not-xml', 'urn:uuid:abc')).toBeNull();
  });

  it('reads every ProbeMatch of one answer (the installer scan and the camera discovery share this reader)', () => {
    const one = probeMatch('urn:uuid:abc', 'urn:uuid:cam1', 'http://10.0.0.7:8000/onvif/device_service', 'gate 1');
    const two = probeMatch('urn:uuid:abc', 'urn:uuid:cam2', 'http://10.0.0.8/onvif/device_service', 'gate 2');
    const match = (xml: string) => /<d:ProbeMatch>[\s\S]*<\/d:ProbeMatch>/.exec(xml)![0];
    const both = one.replace(match(one), match(one) + match(two));
    const found = parseProbeMatches(both, 'urn:uuid:abc');
    expect(found.map((m) => [m.urn, m.name])).toEqual([
      ['urn:uuid:cam1', 'gate 1'],
      ['urn:uuid:cam2', 'gate 2'],
    ]);
    expect(found[0]!.scopes.length).toBeGreaterThan(0);
    expect(parseProbeMatches(both, 'urn:uuid:other')).toEqual([]);
  });
});

describe('credentials in URLs', () => {
  it('adds credentials for ffmpeg and redacts them for logs', () => {
    const url = withCredentials('rtsp://10.0.0.7:554/Streaming/101', 'admin', 'p@ss:word');
    expect(new URL(url).password).toBe('p%40ss%3Aword');
    expect(redactUrl(url)).toBe('rtsp://admin:***@10.0.0.7:554/Streaming/101');
    expect(withCredentials('rtsp://a:b@h/x', 'admin', 'p')).toBe('rtsp://a:b@h/x');
  });
});

describe('Semaphore', () => {
  it('never runs more than its limit and releases on failure', async () => {
    const s = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const job = async (fail: boolean) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      if (fail) throw new Error('x');
    };
    const results = await Promise.allSettled(Array.from({ length: 9 }, (_, i) => s.run(() => job(i % 3 === 0))));
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
    expect(s.stats()).toEqual({ active: 0, waiting: 0 });
  });
});

describe('privacy masks', () => {
  it('blacks out polygons in both outputs; rejects out-of-range masks', async () => {
    const frame = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } })
      .jpeg()
      .toBuffer();
    // A triangle over the right half.
    const snap = await renderSnapshot(frame, [
      [
        [0.5, 0],
        [1, 0],
        [1, 1],
      ],
    ]);
    const px = async (img: Buffer, x: number, y: number) => {
      const { data, info } = await sharp(img).raw().toBuffer({ resolveWithObject: true });
      return data[(y * info.width + x) * info.channels]!;
    };
    expect(await sharp(snap.webp).metadata()).toMatchObject({ format: 'webp', width: 320, height: 160 });
    expect(await px(snap.jpeg, 390, 20)).toBeLessThan(20);
    expect(await px(snap.jpeg, 20, 180)).toBeGreaterThan(235);
    expect(await px(snap.webp, 310, 16)).toBeLessThan(20);
    expect(await px(snap.webp, 16, 144)).toBeGreaterThan(235);
    expect(
      maskProblems([
        [
          [0, 0],
          [2, 0],
          [0, 1],
        ],
      ]),
    ).toEqual(['mask 0 point 1 is outside [0..1]']);
    expect(
      maskProblems([
        [
          [0, 0],
          [1, 0],
        ],
      ]),
    ).toEqual(['mask 0 needs at least 3 points']);
    await expect(renderSnapshot(Buffer.from('not an image'), [])).rejects.toMatchObject({ code: 'IMAGE' });
  });
});
