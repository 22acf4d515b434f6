import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '../config/load.js';
import { Output, UsageError } from './output.js';

interface Health {
  gateway: string;
  uplink: string;
  /** Absent on a gateway older than this CLI. */
  link?: { hub: string; lastError: string | null; offlineSince: number | null; failedAttempts: number } | null;
  replayRate: number;
  buffer: { depth: number; bytes: number; oldestReceivedAt: number | null } | null;
  devices: { id: string; online: boolean | null }[];
}

/**
 * `status`: what the running gateway says about itself on /healthz — the
 * uplink, the buffer, which devices answer. Reads the address from the
 * config's `http` section (or `--url`), so it needs no credentials.
 */
export async function statusCommand(opts: { config?: string; url?: string; json: boolean }): Promise<number> {
  const out = new Output(opts.json);
  let base = opts.url;
  if (!base) {
    if (!opts.config) throw new UsageError('status: give --config FILE or --url http://host:port');
    const { config } = loadConfig(opts.config, builtinRegistry());
    if (!config.http)
      throw new UsageError(
        `status: ${opts.config} has no http section; add http: {port: 9100} and restart the gateway`,
      );
    const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
    base = `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
  }
  let health: Health;
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    health = (await res.json()) as Health;
  } catch (err) {
    const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    out.line(`网关未运行或无法访问 (the gateway is not running or not reachable at ${base}): ${why}`);
    out.line('Start it with `systemctl start linli-gateway` and check `journalctl -u linli-gateway`.');
    out.result({ ok: false, url: base, error: why });
    return 1;
  }
  const online = health.devices.filter((d) => d.online).length;
  const b = health.buffer;
  const summary = {
    ok: true,
    gateway: health.gateway,
    uplink: health.uplink,
    hub: health.link?.hub ?? null,
    offlineSince: health.link?.offlineSince ?? null,
    linkError: health.link && health.link.offlineSince !== null ? health.link.lastError : null,
    failedAttempts: health.link?.failedAttempts ?? 0,
    buffered: b?.depth ?? 0,
    oldestBufferedAgeS: b?.oldestReceivedAt ? Math.round((Date.now() - b.oldestReceivedAt) / 1000) : 0,
    devicesOnline: online,
    devicesTotal: health.devices.length,
    offline: health.devices.filter((d) => d.online === false).map((d) => d.id),
    pending: health.devices.filter((d) => d.online === null).map((d) => d.id),
  };
  out.line(`网关 gateway   ${summary.gateway}`);
  out.line(`上行 uplink    ${summary.uplink === 'online' ? 'online 在线' : `${summary.uplink} 离线`}`);
  if (summary.offlineSince !== null && summary.linkError)
    out.line(
      `  中断自 down since ${new Date(summary.offlineSince).toISOString()} (${summary.failedAttempts} attempts) · ${summary.hub}\n  原因 reason: ${summary.linkError}`,
    );
  out.line(
    `缓存 buffer    ${summary.buffered} events${summary.buffered ? ` (oldest ${summary.oldestBufferedAgeS} s)` : ''}`,
  );
  out.line(`设备 devices   ${online}/${health.devices.length} online`);
  if (summary.offline.length) out.line(`  offline 离线: ${summary.offline.join(', ')}`);
  if (summary.pending.length) out.line(`  not yet polled 未轮询: ${summary.pending.join(', ')}`);
  out.result(summary);
  return 0;
}
