import { randomInt } from 'node:crypto';
import type Database from 'better-sqlite3';
import { hashSecret } from '../secrets.js';

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
 * 30-minute life of a code.
 */
export class EnrollmentCodes {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS enrollment_codes (
      code_hash TEXT PRIMARY KEY,
      gateway_id TEXT NOT NULL,
      area_code TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      used_at INTEGER
    )`);
  }

  issue(gatewayId: string, areaCode: string, createdBy: string, now: number, ttlMs = DEFAULT_TTL_MS): IssuedCode {
    let raw = '';
    for (let i = 0; i < GROUPS * GROUP_LEN; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    const expiresAt = now + Math.min(ttlMs, MAX_TTL_MS);
    this.db
      .prepare(
        `INSERT INTO enrollment_codes (code_hash, gateway_id, area_code, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(hashSecret(raw), gatewayId, areaCode, createdBy, now, expiresAt);
    const code = raw.match(new RegExp(`.{${GROUP_LEN}}`, 'g'))!.join('-');
    return { code, gatewayId, areaCode, expiresAt };
  }

  /**
   * Marks the code used and says what it was for, or why not. Check and use
   * happen in one transaction, so two racing redeems of one code cannot both win.
   */
  redeem(typed: string, gatewayId: string | undefined, now: number): Redeemed | { failure: RedeemFailure } {
    const hash = hashSecret(normaliseCode(typed));
    return this.db.transaction(() => {
      const r = this.db.prepare<[string], Row>('SELECT * FROM enrollment_codes WHERE code_hash = ?').get(hash);
      if (!r) return { failure: 'unknown' as const };
      if (r.used_at !== null) return { failure: 'used' as const };
      if (r.expires_at <= now) return { failure: 'expired' as const };
      if (gatewayId !== undefined && gatewayId !== r.gateway_id) return { failure: 'wrong-gateway' as const };
      this.db.prepare('UPDATE enrollment_codes SET used_at = ? WHERE code_hash = ?').run(now, hash);
      return { gatewayId: r.gateway_id, areaCode: r.area_code, createdBy: r.created_by };
    })();
  }

  /** Codes not yet used nor expired inside an area scope (never the codes themselves). */
  pending(
    scopePrefix: string,
    now: number,
  ): { gatewayId: string; areaCode: string; createdBy: string; expiresAt: number }[] {
    return this.db
      .prepare<[string, number], Row>(
        `SELECT * FROM enrollment_codes WHERE area_code LIKE ? || '%' AND used_at IS NULL AND expires_at > ?
         ORDER BY expires_at`,
      )
      .all(scopePrefix, now)
      .map((r) => ({
        gatewayId: r.gateway_id,
        areaCode: r.area_code,
        createdBy: r.created_by,
        expiresAt: r.expires_at,
      }));
  }
}
