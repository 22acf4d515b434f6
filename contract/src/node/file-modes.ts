import { closeSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Who may read a service's data folder: only the service's own user. Folders
 * 0700, files 0600 (a `.log` may be 0640 for a log-reading group). The gateway
 * and the hub both decide it here (they may import each other never, the
 * contract both): `@linli/contract/node`, kept out of the contract's main and
 * browser entries because it touches the file system.
 */
export interface LooseMode {
  path: string;
  mode: number;
  /** The mode to set (the command in the warning). */
  want: number;
}

/** Creates `dir` (and missing parents) readable by this user only; an existing folder keeps its mode. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Creates `file` empty with mode 0600 unless it exists, before SQLite opens it:
 * SQLite makes new databases 0644 (less the umask) and gives the -wal and -shm
 * files it creates later the mode of the database file, so a 0600 database
 * keeps its WAL and shared memory 0600 too.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
}

/** The folder and its top-level entries that group or others may read (or write). */
export function looseModes(dataDir: string): LooseMode[] {
  if (process.platform === 'win32') return [];
  const out: LooseMode[] = [];
  const check = (path: string, isDir: boolean) => {
    const mode = statSync(path).mode & 0o777;
    const allowed = isDir ? 0 : path.endsWith('.log') ? 0o040 : 0;
    if (mode & 0o077 & ~allowed) out.push({ path, mode, want: isDir ? 0o700 : 0o600 });
  };
  check(dataDir, true);
  for (const e of readdirSync(dataDir, { withFileTypes: true }))
    if (e.isDirectory() || e.isFile()) check(join(dataDir, e.name), e.isDirectory());
  return out;
}

/** The warning for loose modes: what is wrong and the commands that fix it, Chinese first. */
export function looseModesWarning(loose: LooseMode[]): string {
  const fix = loose.map((l) => `chmod ${l.want.toString(8)} '${l.path}'`).join('; ');
  const list = loose.map((l) => `${l.path} (${l.mode.toString(8)})`).join(', ');
  return (
    `数据目录权限过宽，其他用户可读取：${list}。请执行：${fix} ` +
    `(data files readable by other users: ${list}; run: ${fix})`
  );
}
