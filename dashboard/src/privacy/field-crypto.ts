import { InternalError, StorageFault } from '@linli/contract';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateKey } from './key-file.js';

/** Name of the key file in the hub's data directory. */
export const KEY_FILE = 'privacy.key';

const VERSION = 'v1';

function subkey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `linli/${purpose}`, 32));
}

/**
 * Encryption of personal fields at rest: AES-256-GCM, a fresh random 96-bit
 * IV per value, the field name as associated data (a ciphertext moved to
 * another column fails to decrypt). Blind indexes are HMAC-SHA-256 under a
 * separate key, so equal ID numbers can be matched without decrypting.
 * One master key (the key file) gives three independent subkeys by HKDF:
 * encryption, blind index, audit chain. The key never appears in logs or errors.
 */
export class FieldCrypto {
  private readonly encKey: Buffer;
  private readonly indexKey: Buffer;
  /** HMAC key for the audit chain (AuditLog's `hmacKey`). */
  readonly auditKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new InternalError('the master key must be 32 bytes');
    this.encKey = subkey(masterKey, 'field-encryption');
    this.indexKey = subkey(masterKey, 'blind-index');
    this.auditKey = subkey(masterKey, 'audit-chain');
  }

  /** Opens (or on first use creates, mode 0600) `<dataDir>/privacy.key`. */
  static open(dataDir: string): FieldCrypto {
    return new FieldCrypto(loadOrCreateKey(join(dataDir, KEY_FILE)));
  }

  encrypt(field: string, plaintext: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    c.setAAD(Buffer.from(field));
    const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return `${VERSION}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(field: string, stored: string): string {
    if (!stored.startsWith(`${VERSION}:`))
      throw new StorageFault('STORAGE', `unknown ciphertext format in field ${field}`);
    const raw = Buffer.from(stored.slice(VERSION.length + 1), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    d.setAAD(Buffer.from(field));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }

  /** Deterministic keyed digest of a normalised value, for equality search only. */
  blindIndex(field: string, normalised: string): string {
    return createHmac('sha256', this.indexKey).update(`${field}\n${normalised}`).digest('hex');
  }
}
