import { readFileSync } from 'node:fs';
import { OnvifSimulator } from './onvif-sim.js';
import { type RtspServer, startRtspServer } from './rtsp-server.js';

export interface CameraCliOptions {
  names: string[];
  host: string;
  /** First ONVIF port; camera i listens on port + i (0 = ephemeral for all). */
  port: number;
  username: string;
  passwordFile: string | undefined;
  discoveryPort: number | null;
  rtspUrl: string | undefined;
  snapshot: boolean;
}

/** Starts simulated ONVIF cameras for `linli-sim --camera`; signals inject events for demos. */
export async function startCameras(o: CameraCliOptions) {
  if (!o.passwordFile) throw new Error('--camera needs --password-file (cameras have no default password)');
  const password = readFileSync(o.passwordFile, 'utf8').trim();
  if (password.length < 8) throw new Error(`the password in ${o.passwordFile} is shorter than 8 characters`);
  let rtsp: RtspServer | null = null;
  let rtspUrl = o.rtspUrl;
  if (!rtspUrl) {
    try {
      rtspUrl = (rtsp = await startRtspServer()).url;
    } catch (err) {
      // Without GStreamer a camera with an HTTP snapshot URI still gives pictures: degrade, say so once.
      if (!o.snapshot) throw err;
      console.error(
        '摄像机模拟器无 RTSP 视频流 cameras without RTSP video: GStreamer RTSP server missing ' +
          '(apt-get install gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly); ' +
          'serving HTTP snapshots only',
      );
      // A stream URI nothing listens on: ONVIF requires one, and a client that tries it fails fast.
      rtspUrl = 'rtsp://127.0.0.1:9/unavailable';
    }
  }
  const sims: OnvifSimulator[] = [];
  for (const [i, name] of o.names.entries()) {
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) throw new Error(`--camera ${name}: use a device id (a-z, 0-9, ._-)`);
    const sim = new OnvifSimulator({
      name,
      host: o.host,
      port: o.port ? o.port + i : 0,
      discoveryPort: i === 0 ? o.discoveryPort : null,
      username: o.username,
      password,
      rtspUrl,
      snapshot: o.snapshot,
    });
    await sim.start();
    sims.push(sim);
  }
  process.on('SIGUSR1', () => sims.forEach((s) => s.inject('motion')));
  process.on('SIGUSR2', () => sims.forEach((s) => s.inject('tamper')));
  return {
    cameras: sims.map((s, i) => ({ name: o.names[i], port: s.port, discoveryPort: s.discoveryPort, rtspUrl })),
    /** False when only HTTP snapshots are served (no GStreamer): gateways must check the camera by snapshot. */
    rtsp: rtsp !== null || o.rtspUrl !== undefined,
    stop: async () => {
      await Promise.all(sims.map((s) => s.stop()));
      await rtsp?.stop();
    },
  };
}
