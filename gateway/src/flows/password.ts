import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';

/** The editor's single administrator (Node-RED's adminAuth user). */
export const ADMIN_USER = 'admin';
const MIN_PASSWORD = 10;
const BCRYPT_ROUNDS = 12;
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * Writes the bcrypt hash of the editor password to `file` (0600, replaced
 * atomically). Only the hash is stored; the password itself is never written
 * or logged. Called by `linli-gateway flows set-password` at provisioning.
 */
export function writePasswordHash(file: string, password: string): void {
  if (password.length < MIN_PASSWORD) throw new Error(`the password must have at least ${MIN_PASSWORD} characters`);
  const hash = bcrypt.hashSync(password, BCRYPT_ROUNDS);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${hash}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The stored hash, or a reason there is none usable (then the editor stays off: there is no default). */
export function readPasswordHash(file: string): { hash: string } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    return {
      problem: `cannot read ${file} (${(err as NodeJS.ErrnoException).code}); set it with \`linli-gateway flows set-password\``,
    };
  }
  if (!BCRYPT_HASH.test(text)) return { problem: `${file} does not hold a bcrypt hash` };
  if ((statSync(file).mode & 0o077) !== 0) return { problem: `${file} is readable by other users; chmod 600 it` };
  return { hash: text };
}

export function checkPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
