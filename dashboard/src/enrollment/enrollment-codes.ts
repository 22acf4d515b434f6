import { randomInt } from 'node:crypto';
import { hashSecret } from '../secrets.js';
import type { SqlExec } from '../store/sql/sql-db.js';

/** How long a code lives unless the installer asks otherwise: long enough for one site visit. */
export const DEFAULT_TTL_MS = 30 * 60_000;
export const MAX_TTL_MS = 24 * 3600_000;

// No 0/O, 1/I/L: the code is read off a phone screen and typed on a laptop in a plant room.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const GROUPS = 3;
const GROUP_LEN = 4;

export interface IssuedCode {
  /** Shown once; only its hash is stored. */
  code: string;
  gatewayId: string;
  areaCode: string;
  expiresAt: number;
}

export type RedeemFailure = 'unknown' | 'used' | 'expired' | 'wrong-gateway';

export interface Redeemed {
  gatewayId: string;
  areaCode: string;
  createdBy: string;
}

interface Row {
  code_hash: string;
  gateway_id: string;
  area_code: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Normalises what an installer typed: case, spaces and dashes do not matter. */
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * One-time enrollment codes: an installer asks the hub for one (bound to a
 * gateway id and a community), types it into `linli-gateway enroll`, and the
 * hub swaps it for the gateway's own token. 12 characters from 31 symbols is
 * about 59 bits; with the redeem rate limit, guessing is hopeless within the
 * 30-minute life of a code. The table comes from migration 005-enrollment.
 */
export class EnrollmentCodes {
  constructor(private readonly db: SqlExec) {}

  async issue(
    gatewayId: string,
    areaCode: string,
    createdBy: string,
    now: number,
    ttlMs = DEFAULT_TTL_MS,
  ): Promise<IssuedCode> {
    let raw = '';
    for (let i = 0; i < GROUPS * GROUP_LEN; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    const expiresAt = now + Math.min(ttlMs, MAX_TTL_MS);
    await this.db.run(
      `INSERT INTO enrollment_codes (code_hash, gateway_id, area_code, created_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [hashSecret(raw), gatewayId, areaCode, createdBy, now, expiresAt],
    );
    const code = raw.match(new RegExp(`.{${GROUP_LEN}}`, 'g'))!.join('-');
    return { code, gatewayId, areaCode, expiresAt };
  }

  /**
   * Marks the code used and says what it was for, or why not. Check and use
   * are one conditional UPDATE (`used_at IS NULL`), so two racing redeems of
   * one code, on one hub node or on several, cannot both win: the loser's
   * UPDATE touches no row and it reports the code as used.
   */
  async redeem(
    typed: string,
    gatewayId: string | undefined,
    now: number,
  ): Promise<Redeemed | { failure: RedeemFailure }> {
    const hash = hashSecret(normaliseCode(typed));
    const won = await this.db.run(
      `UPDATE enrollment_codes SET used_at = CAST(? AS BIGINT)
       WHERE code_hash = ? AND used_at IS NULL AND expires_at > CAST(? AS BIGINT)
         AND gateway_id = coalesce(CAST(? AS TEXT), gateway_id)`,
      [now, hash, now, gatewayId ?? null],
    );
    const r = await this.db.get<Row>('SELECT * FROM enrollment_codes WHERE code_hash = ?', [hash]);
    if (!r) return { failure: 'unknown' };
    if (won.changes === 1) return { gatewayId: r.gateway_id, areaCode: r.area_code, createdBy: r.created_by };
    // Not ours: say why, in the order an installer can act on.
    if (r.used_at !== null) return { failure: 'used' };
    if (r.expires_at <= now) return { failure: 'expired' };
    return { failure: 'wrong-gateway' };
  }

  /** Codes not yet used nor expired inside an area scope (never the codes themselves). */
  async pending(
    scopePrefix: string,
    now: number,
  ): Promise<{ gatewayId: string; areaCode: string; createdBy: string; expiresAt: number }[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM enrollment_codes WHERE area_code LIKE ? AND used_at IS NULL AND expires_at > ?
       ORDER BY expires_at`,
      [`${scopePrefix}%`, now],
    );
    return rows.map((r) => ({
      gatewayId: r.gateway_id,
      areaCode: r.area_code,
      createdBy: r.created_by,
      expiresAt: r.expires_at,
    }));
  }
}
