import { SipTimeoutError } from './sip-endpoint.js';

/**
 * What went wrong on the link to the upper platform, in words an installer
 * acts on (Chinese first, English after): wrong password, unknown device id,
 * nothing answering at that address, the TCP port closed.
 */

export class RegisterRefused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    /** The refusal came after we answered a digest challenge. */
    readonly afterDigest: boolean,
  ) {
    super(`REGISTER refused: ${status} ${reason}`);
    this.name = 'RegisterRefused';
  }
}

export function describeSipError(err: unknown, server: string, transport: string): string {
  if (err instanceof RegisterRefused) {
    if ((err.status === 401 || err.status === 407) && err.afterDigest)
      return `注册被拒：密码或认证用户名错误（${err.status}） — registration refused: wrong password or digest username (${err.status} ${err.reason} after answering the challenge)`;
    if (err.status === 401 || err.status === 407)
      return `注册被拒：上级平台要求的认证方式不支持（${err.status}） — registration refused: the platform's challenge is not MD5 digest (${err.status} ${err.reason})`;
    // GB/T 28181 platforms answer a failed digest with 403 (§9.1.2), not a second 401.
    if (err.status === 403 && err.afterDigest)
      return `注册被拒：密码错误（403，已应答认证） — registration refused: wrong password (403 ${err.reason} after answering the challenge)`;
    if (err.status === 403)
      return `注册被拒：上级平台不接受本设备编码（403） — registration refused: the platform does not accept this device id (403 ${err.reason}); check the 20-digit id with the platform's administrator`;
    if (err.status === 404)
      return `注册被拒：上级平台编码或域不对（404） — registration refused: unknown server id or domain (404 ${err.reason})`;
    return `注册被拒（${err.status}） — registration refused: ${err.status} ${err.reason}`;
  }
  if (err instanceof SipTimeoutError)
    return `上级平台 ${server}（${transport}）无应答 — no answer from ${server} over ${transport}: check the address, port, transport and firewall`;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNREFUSED')
    return `上级平台 ${server} 拒绝 TCP 连接 — TCP connection to ${server} refused: nothing listens there (wrong port, or the platform expects UDP)`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return `无法到达上级平台 ${server} — ${server} is unreachable from this gateway (${code}): check the route to the public-security network`;
  const message = err instanceof Error ? err.message : String(err);
  return `与上级平台的链路中断 — link to ${server} (${transport}) failed: ${message}`;
}
