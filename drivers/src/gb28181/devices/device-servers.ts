import type { EndpointTimers } from '../sip-endpoint.js';
import { GbDeviceServer } from './device-server.js';

/**
 * One SIP listener per address, shared by every GB/T 28181 device configured
 * on it (cameras are all set to the same "SIP服务器地址/端口"): the first
 * device to start opens it, the last to stop closes it. Devices on one port
 * must name the same platform id and domain, or the cameras could not all
 * authenticate against it.
 */

interface Shared {
  server: Promise<GbDeviceServer>;
  users: number;
}

const servers = new Map<string, Shared>();

export interface ServerSpec {
  id: string;
  domain: string;
  host: string;
  port: number;
  timers?: EndpointTimers;
}

export async function acquireServer(
  spec: ServerSpec,
): Promise<{ server: GbDeviceServer; release: () => Promise<void> }> {
  const key = `${spec.host}:${spec.port}`;
  let s = servers.get(key);
  if (!s) {
    const server = new GbDeviceServer(spec);
    const shared: Shared = { server: server.start().then(() => server), users: 0 };
    // A listener that failed to open is forgotten, so the next device start tries again.
    shared.server.catch(() => servers.get(key) === shared && servers.delete(key));
    servers.set(key, shared);
    s = shared;
  }
  s.users++;
  const mine = s;
  let server: GbDeviceServer;
  try {
    server = await mine.server;
  } catch (err) {
    mine.users--;
    throw err;
  }
  if (server.o.id !== spec.id || server.o.domain !== spec.domain) {
    mine.users--;
    throw new Error(
      `${key} already serves platform ${server.o.id} (domain ${server.o.domain}); every GB/T 28181 device on one port must name the same server id and domain`,
    );
  }
  let released = false;
  return {
    server,
    release: async () => {
      if (released) return;
      released = true;
      if (--mine.users > 0) return;
      if (servers.get(key) === mine) servers.delete(key);
      await server.stop();
    },
  };
}
