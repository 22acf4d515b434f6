import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * Reads the hub's 32-byte master key from `file`, creating it (mode 0600,
 * exclusive create so two starting processes cannot both write one) on first
 * use. A key file other users can read is refused rather than used: the key
 * is what keeps the register's personal fields secret.
 */
export function loadOrCreateKey(file: string): Buffer {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new Error(`key file ${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`key file ${file} does not hold a 64-hex-digit key`);
  return Buffer.from(hex, 'hex');
}
