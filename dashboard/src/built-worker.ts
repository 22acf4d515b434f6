import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A worker thread's script, `path` inside dashboard/dist (`city/city-import-worker.js`). From src/
 * (tests load the TypeScript, which a worker cannot run) and from dist/ alike, one folder up then
 * dist/ is the build: a worker always runs the built copy (`node scripts/build.mjs`).
 */
export function builtWorkerScript(path: string, what: string): URL {
  const url = new URL(`../dist/${path}`, import.meta.url);
  if (!existsSync(fileURLToPath(url)))
    throw new Error(`${what} is not built (${fileURLToPath(url)}): run node scripts/build.mjs`);
  return url;
}
