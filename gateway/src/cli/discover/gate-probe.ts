import { request } from 'node:http';

export interface FoundGate {
  host: string;
  port: number;
  /** `digest`: answered 401 with a Digest challenge (an ISAPI device wanting credentials). */
  auth: 'digest' | 'none';
  realm: string | null;
}

/** One HTTP GET of /ISAPI/System/deviceInfo; null when the host is not an ISAPI device. */
export function probeIsapi(host: string, port: number, timeoutMs: number): Promise<FoundGate | null> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/ISAPI/System/deviceInfo', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      const challenge = String(res.headers['www-authenticate'] ?? '');
      if (res.statusCode === 401 && /^digest\s/i.test(challenge)) {
        const realm = /realm="([^"]*)"/i.exec(challenge)?.[1] ?? null;
        resolve({ host, port, auth: 'digest', realm });
      } else if (res.statusCode === 200 && /xml/i.test(String(res.headers['content-type'] ?? ''))) {
        // A terminal with authentication switched off: works, but tell the installer to turn it on.
        resolve({ host, port, auth: 'none', realm: null });
      } else resolve(null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** "10.0.0.5", "10.0.0.5:8080" or "10.0.0.0/24" (at most 256 hosts) → host:port pairs. */
export function expandGateTargets(spec: string): { host: string; port: number }[] {
  const m = /^(\d+\.\d+\.\d+\.\d+|[a-zA-Z0-9.-]+)(?:\/(\d+))?(?::(\d+))?$/.exec(spec);
  if (!m) throw new Error(`--gate ${spec}: expected HOST, HOST:PORT or A.B.C.D/NN[:PORT]`);
  const port = Number(m[3] ?? 80);
  if (!m[2]) return [{ host: m[1]!, port }];
  const bits = Number(m[2]);
  if (bits < 24 || bits > 32) throw new Error(`--gate ${spec}: scan at most a /24 (256 hosts) at a time`);
  const octets = m[1]!.split('.').map(Number);
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const size = 2 ** (32 - bits);
  const first = (base & ~(size - 1)) >>> 0;
  const out: { host: string; port: number }[] = [];
  // Skip the network and broadcast addresses of real subnets.
  for (let i = size > 2 ? 1 : 0; i < (size > 2 ? size - 1 : size); i++) {
    const a = first + i;
    out.push({ host: [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.'), port });
  }
  return out;
}

/** Probes targets a few at a time, so a subnet scan never floods a plant-room switch. */
export async function scanGates(
  targets: { host: string; port: number }[],
  opts: { timeoutMs: number; concurrency: number; progress: (msg: string) => void },
): Promise<FoundGate[]> {
  const found: FoundGate[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < targets.length) {
      const t = targets[next++]!;
      const g = await probeIsapi(t.host, t.port, opts.timeoutMs);
      done += 1;
      if (g) {
        found.push(g);
        opts.progress(
          `  gate: ISAPI device at ${g.host}:${g.port}${g.auth === 'digest' ? ' (Digest auth)' : ' (NO authentication!)'}`,
        );
      }
      if (targets.length > 16 && done % 32 === 0) opts.progress(`  gate: ${done}/${targets.length} hosts probed`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, targets.length) }, worker));
  return found.sort((a, b) => a.host.localeCompare(b.host, 'en', { numeric: true }) || a.port - b.port);
}
