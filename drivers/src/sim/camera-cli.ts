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
  const rtspUrl = o.rtspUrl ?? (rtsp = await startRtspServer()).url;
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
    stop: async () => {
      await Promise.all(sims.map((s) => s.stop()));
      await rtsp?.stop();
    },
  };
}
