import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { builtinRegistry } from '@linli/drivers';
import { loadConfig } from '../config/load.js';
import { Output, UsageError } from './output.js';

interface EnrollReply {
  ok?: boolean;
  gatewayId?: string;
  areaCode?: string;
  token?: string;
  error?: { code?: string; message?: string };
}

/** Writes a secret so that no other user can ever read it, not even for a moment. */
export function writeSecretFile(file: string, secret: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${secret}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the umask cannot widen it, but an existing tmp file could have been wider
  renameSync(tmp, file);
}

/**
 * `enroll --code CODE`: swaps the one-time code an installer got from the
 * cockpit for this gateway's own token, stored in hub.tokenFile (0600).
 * The token is never printed.
 */
export async function enrollCommand(opts: { config?: string; code?: string; json: boolean }): Promise<number> {
  const out = new Output(opts.json);
  if (!opts.config || !opts.code) throw new UsageError('enroll: give --config FILE and --code XXXX-XXXX-XXXX');
  const loaded = loadConfig(opts.config, builtinRegistry());
  const { config } = loaded;
  const url = new URL('/api/enroll', config.hub.url).toString();
  out.progress(`正在向中心注册 enrolling ${config.gateway.id} at ${config.hub.url} …`);
  let status: number;
  let reply: EnrollReply;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: opts.code, gatewayId: config.gateway.id }),
      signal: AbortSignal.timeout(15_000),
    });
    status = res.status;
    // A non-JSON answer: the HTTP status below says what went wrong.
    reply = (await res.json().catch(() => ({}))) as EnrollReply;
  } catch (err) {
    const why = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    out.line(`无法连接中心 (cannot reach the hub at ${config.hub.url}): ${why}`);
    out.line(
      'Check hub.url in the config and the 4G/network link, then run enroll again; the code stays valid until it expires.',
    );
    out.result({ ok: false, code: 'HUB_UNREACHABLE', message: why });
    return 1;
  }
  if (status !== 200 || !reply.token) {
    const code = reply.error?.code ?? `HTTP_${status}`;
    const message = reply.error?.message ?? `the hub answered HTTP ${status}`;
    out.line(`注册失败 enrollment failed: ${message} [${code}]`);
    out.result({ ok: false, code, message });
    return 1;
  }
  writeSecretFile(loaded.tokenFile, reply.token);
  const mismatch = reply.areaCode !== config.gateway.community;
  out.line(`注册成功 enrolled: gateway ${reply.gatewayId}, community ${reply.areaCode}`);
  out.line(`token stored in ${loaded.tokenFile} (mode 0600); restart the gateway to use it.`);
  if (mismatch)
    out.line(
      `警告 warning: the code was issued for community ${reply.areaCode} but the config says ${config.gateway.community}; fix gateway.community.`,
    );
  out.result({
    ok: true,
    gatewayId: reply.gatewayId,
    areaCode: reply.areaCode,
    tokenFile: loaded.tokenFile,
    communityMismatch: mismatch,
  });
  return 0;
}
