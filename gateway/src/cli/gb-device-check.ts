import { BusManager, createDevice, type DefinitionRegistry, gb28181, LineManager } from '@linli/drivers';
import type { DeviceEntry } from '../config/schema.js';

type Verdict = { ok: boolean; detail: string; fix: string };

/**
 * `linli-gateway test` for a GB/T 28181 camera or NVR: opens the device's SIP
 * listener, waits for the camera to register (its keepalive silence window,
 * 10 s to two minutes: power-cycle the camera or save its platform
 * settings again to make it register now), then for its Catalog, and reports
 * the channels. The running gateway holds the same port, so stop it first.
 */
export async function checkGbDevice(d: DeviceEntry, registry: DefinitionRegistry): Promise<Verdict> {
  const t = d.transport;
  if (t.kind !== 'gb28181') throw new Error('not gb28181');
  const handle = createDevice(await registry.get(d.type), d, {
    emit: async () => {},
    log: { info: () => {}, warn: () => {} },
    buses: new BusManager(),
    lines: new LineManager(),
  }) as gb28181.GbDevice;
  // Registered (with its catalog), or the listener failed; a camera not yet registered is waited for, since
  // cameras retry on their own schedule: at least 10 s, at most two minutes.
  const settled = () =>
    handle.listenError() !== null || (handle.online() === true && (!t.catalog || handle.channels() !== null));
  handle.start();
  try {
    const deadline = Date.now() + Math.min(120_000, Math.max(10_000, t.keepaliveS * t.keepaliveMisses * 1000));
    while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const setUp = `set the camera's 国标 platform to server id ${t.server.id}, domain ${t.server.domain ?? t.server.id.slice(0, 10)}, this gateway's address, port ${t.server.port}, device id ${t.deviceId} and the password`;
    if (handle.online() === true) {
      const channels = handle.channels();
      return {
        ok: true,
        detail: `registered; ${handle.note() ?? (channels ? 'no channels listed' : 'catalog not answered')}`,
        fix: '',
      };
    }
    const note = handle.listenError() ?? handle.note();
    if (note && /EADDRINUSE/.test(note))
      return {
        ok: false,
        detail: `port ${t.server.port} is taken: ${note}`,
        fix: 'the gateway service holds it; stop it (systemctl stop linli-gateway) while testing, or read the device page instead',
      };
    return {
      ok: false,
      detail: note ?? 'the device did not register',
      fix: `${setUp}; then reboot it so it registers now`,
    };
  } finally {
    await handle.stop();
  }
}
