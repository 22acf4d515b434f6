import { grabRtspFrame, Semaphore, startRtspServer } from '@linli/drivers';
import { describe, expect, it } from 'vitest';
import { noFfmpegLeft } from '../helpers/cameras.js';

/**
 * Two cameras of one compound often point at the same RTSP stream (an NVR
 * channel), and their health checks pull frames at the same moments. With a
 * shared GStreamer media, a client arriving while another tore down aborted
 * the server (`gst_rtsp_media_get_rates: assertion failed`), and every camera
 * on it went dark: the GB/T 28181 gateway test failed in CI that way. The
 * simulator now gives each client its own pipeline; this pulls in overlapping
 * waves, through the gateway's own grabber, and wants every frame and a live
 * server at the end.
 */
describe('the RTSP simulator under overlapping pulls', () => {
  it('serves every frame of overlapping one-frame pulls and stays up', async () => {
    const rtsp = await startRtspServer({ pattern: 'white' });
    try {
      const slots = new Semaphore(4);
      const frames: Buffer[] = [];
      for (let wave = 0; wave < 12; wave++) {
        const pulls = [0, 0, wave * 15].map(async (delay) => {
          // Two at once (as two cameras' health checks), a third staggered into another's TEARDOWN.
          await new Promise((r) => setTimeout(r, delay));
          return grabRtspFrame(rtsp.url, { timeoutMs: 20_000, slots });
        });
        frames.push(...(await Promise.all(pulls)));
      }
      expect(frames).toHaveLength(36);
      for (const f of frames) expect(f.subarray(0, 2).toString('hex')).toBe('ffd8');
      expect(rtsp.process.exitCode).toBeNull();
      expect(rtsp.process.signalCode).toBeNull();
    } finally {
      await rtsp.stop();
      await noFfmpegLeft();
    }
  }, 120_000);
});
