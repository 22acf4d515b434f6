import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The key Node-RED encrypts flow credentials with. Kept in its own 0600 file
 * under the gateway's `keys/` folder, apart from Node-RED's userDir, so a copy
 * of the flows folder (a backup, a support bundle) does not carry the key to
 * its own credentials file. Created once on first start.
 */
export function ensureCredentialKey(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`${file} does not hold a 256-bit hex key`);
  return key;
}
