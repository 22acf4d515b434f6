import { LinliError } from '@linli/contract';
import type { Logger } from '../log.js';

/**
 * A newcomer may replace the gateway's live connection only once that one has
 * been connected this long. A real gateway that reconnects after a half-open
 * link (its old socket still open at the hub) replaces it at once; two clients
 * with the same identity (a stolen token, a cloned SD card) each get at least
 * this long online per round, so neither can keep the other off forever.
 */
export const MIN_TENURE_MS = 10_000;
/** A warn line and an audit entry per gateway and outcome at most this often while its identity is contested. */
const REPORT_EVERY_MS = 60_000;

/** What the namespace needs to know about a gateway's connections, on this node or any other. */
export interface GatewayConnection {
  id: string;
  data: { gatewayId: string; connectedAt: number };
  handshake: { address: string };
  disconnect(close?: boolean): void;
}

export interface IdentityConflict {
  gatewayId: string;
  /** replaced: the newcomer took over from an older connection; refused: the older one is too young to be replaced. */
  outcome: 'replaced' | 'refused';
  addr: string;
  otherAddr: string;
  /** Counts on this hub node since it started. */
  replaced: number;
  refused: number;
}

/**
 * One writer per gateway id. The hub keeps the newest connection, so a gateway
 * whose previous link died half-open is never locked out; but a connection may
 * only be replaced after MIN_TENURE_MS, so a second client with the same
 * identity cannot flap the real gateway offline forever (each side is refused,
 * retries with backoff, and gets its turn). Every conflict is counted, logged at
 * warn and reported (audited) at most once a minute per gateway and outcome: a
 * contested identity is visible at the hub without flooding its log.
 */
export class GatewayIdentity {
  private readonly counts = new Map<
    string,
    { replaced: number; refused: number; reportedAt: Record<IdentityConflict['outcome'], number> }
  >();

  constructor(
    private readonly fetch: (gatewayId: string) => Promise<GatewayConnection[]>,
    private readonly log: Logger,
    private readonly onConflict: (c: IdentityConflict) => void = () => {},
    private readonly minTenureMs = MIN_TENURE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** In the handshake: an error to refuse the newcomer with while the live connection is too young to replace. */
  async admit(gatewayId: string, addr: string): Promise<LinliError | null> {
    const now = this.now();
    const young = (await this.fetch(gatewayId)).find((s) => now - s.data.connectedAt < this.minTenureMs);
    if (!young) return null;
    const retryAfterMs = this.minTenureMs - (now - young.data.connectedAt);
    this.conflict(gatewayId, 'refused', addr, young.handshake.address);
    const err = new LinliError(
      'DUPLICATE_IDENTITY',
      `duplicate: this gateway id is already connected; retry in ${retryAfterMs} ms`,
    );
    // Socket.IO passes `data` to the gateway's connect_error: the code and the wait as fields (wire.handshakeRefusal).
    return Object.assign(err, { data: { code: err.code, retryAfterMs } });
  }

  /** After the connection: ends every older connection of the same gateway (the newest wins, ties by id). */
  async takeOver(socket: GatewayConnection): Promise<void> {
    const mine = socket.data;
    for (const s of await this.fetch(mine.gatewayId)) {
      if (s.id === socket.id) continue;
      const older =
        s.data.connectedAt < mine.connectedAt || (s.data.connectedAt === mine.connectedAt && s.id < socket.id);
      if (!older) continue;
      this.conflict(mine.gatewayId, 'replaced', socket.handshake.address, s.handshake.address);
      s.disconnect(true);
    }
  }

  private conflict(gatewayId: string, outcome: 'replaced' | 'refused', addr: string, otherAddr: string): void {
    const c = this.counts.get(gatewayId) ?? {
      ...{ replaced: 0, refused: 0 },
      reportedAt: { replaced: -Infinity, refused: -Infinity },
    };
    this.counts.set(gatewayId, c);
    c[outcome]++;
    const now = this.now();
    if (now - c.reportedAt[outcome] < REPORT_EVERY_MS) return;
    c.reportedAt[outcome] = now;
    const report: IdentityConflict = { gatewayId, outcome, addr, otherAddr, replaced: c.replaced, refused: c.refused };
    this.log.warn(
      report,
      outcome === 'replaced'
        ? 'gateway connected twice: the newer connection replaced the older (a half-open link, or its token is used elsewhere)'
        : 'gateway connected twice: refused the newcomer while the live connection is young (is its token used elsewhere?)',
    );
    this.onConflict(report);
  }
}
