import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { LinliError } from '@linli/contract';

const run = promisify(execFile);
let cached: Promise<string> | null = null;

/**
 * Finds ffmpeg: FFMPEG_PATH, then the optional `ffmpeg-static` package (its
 * install script needs the internet, so it is never a hard dependency), then
 * `ffmpeg` on PATH. Resolved once per process.
 */
export function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env !== process.env) return find(env);
  cached ??= find(env).catch((err: unknown) => {
    cached = null; // an installer may fix it without restarting the gateway
    throw err;
  });
  return cached;
}

async function find(env: NodeJS.ProcessEnv): Promise<string> {
  const tried: string[] = [];
  if (env.FFMPEG_PATH) {
    if (await executable(env.FFMPEG_PATH)) return env.FFMPEG_PATH;
    throw new LinliError('NO_FFMPEG', `FFMPEG_PATH=${env.FFMPEG_PATH} is not an executable file`);
  }
  tried.push('FFMPEG_PATH (unset)');
  const fromPackage = await ffmpegStatic();
  if (fromPackage && (await executable(fromPackage))) return fromPackage;
  tried.push('ffmpeg-static (not installed)');
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'ffmpeg');
    if (await executable(candidate)) return candidate;
  }
  tried.push('PATH');
  throw new LinliError(
    'NO_FFMPEG',
    `ffmpeg not found (tried ${tried.join(', ')}); install it (apt-get install ffmpeg) or set FFMPEG_PATH`,
  );
}

async function ffmpegStatic(): Promise<string | null> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const name = 'ffmpeg-static';
    const mod = (await import(name)) as { default?: unknown };
    return typeof mod.default === 'string' ? mod.default : null;
  } catch {
    // ffmpeg-static is optional and absent here: the lookup goes on to PATH.
    return null;
  }
}

/** An executable file that also runs: a stub or a broken install on PATH counts as missing. */
async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    await run(path, ['-version'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
