import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { LinliError } from '@linli/contract';

/** A `--trusted-proxy` entry that is neither an address nor a CIDR block. */
export class TrustedProxyError extends LinliError {
  constructor(entry: string) {
    super(
      'TRUSTED_PROXY_INVALID',
      `受信代理 "${entry}" 不是 IP 地址或网段 (trusted proxy "${entry}" is not an address or CIDR block, e.g. 10.0.0.5 or 172.18.0.0/16)`,
    );
  }
}

/**
 * The address a request really came from. Behind a balancer every request
 * arrives from the balancer, so the per-address login throttle would count
 * everyone as one client. The balancer appends the client it saw to
 * X-Forwarded-For (HAProxy `option forwardfor`); the header is believed only
 * when it was handed over by a proxy on the configured list, walking it from
 * the right past further trusted proxies. Anyone else can write any
 * X-Forwarded-For they like, so with an empty list (the default) it is never
 * read.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [addr = '', prefix, ...rest] = entry.trim().split('/');
      const family = isIP(addr);
      const bits = prefix === undefined ? null : Number(prefix);
      const max = family === 6 ? 128 : 32;
      if (!family || rest.length || (bits !== null && !(Number.isInteger(bits) && bits >= 0 && bits <= max)))
        throw new TrustedProxyError(entry);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === null) this.list.addAddress(addr, type);
      else this.list.addSubnet(addr, bits, type);
    }
    this.size = entries.length;
  }

  /** True when `ip` (v4, v6 or v4-mapped v6) is one of the trusted proxies. */
  trusts(ip: string): boolean {
    const a = plain(ip);
    const family = isIP(a);
    return family !== 0 && this.list.check(a, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** The client address of `req`: the peer itself unless the peer is a trusted proxy. */
  clientIp(req: IncomingMessage): string {
    let hop = plain(req.socket.remoteAddress ?? '');
    if (!this.size || !this.trusts(hop)) return hop;
    const header = req.headers['x-forwarded-for'];
    const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // Right to left: each entry was written by the hop after it. Stop at the first one we do not trust.
    for (let i = chain.length - 1; i >= 0; i--) {
      const addr = plain(chain[i]!);
      // A malformed entry was not written by a proxy of ours: the last hop we could vouch for is the answer.
      if (!isIP(addr)) return hop;
      hop = addr;
      if (!this.trusts(hop)) return hop;
    }
    return hop;
  }
}

/** `::ffff:10.0.0.1` → `10.0.0.1`: the same client whichever socket family accepted it. */
function plain(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
