import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a hub with no users yet leaves its one-time setup token: in its data folder, 0600. */
export function setupTokenPath(dataDir: string): string {
  return join(dataDir, 'setup-token');
}

/**
 * Writes the token to a fresh file: an old file is removed first, so a copy
 * someone loosened to 0644 is not reused with its mode (writeFileSync's mode
 * only applies to files it creates).
 */
export function writeSetupTokenFile(file: string, token: string): void {
  rmSync(file, { force: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
}

/**
 * Removes the token file; true when nothing is left (also when there was none).
 * Called once the first administrator exists, and at every start with users:
 * the token is spent in the database, the file must not outlive it either.
 */
export function removeSetupTokenFile(file: string): { removed: boolean; error?: string } {
  try {
    rmSync(file, { force: true });
    return { removed: true };
  } catch (err) {
    return { removed: false, error: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}
