// Builds what is stale: TypeScript packages (tsc -b is incremental), the
// cockpit bundle (only when its sources are newer than the last build) and
// its compressed siblings.
// `--typecheck-only` also checks the browser code and writes no bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const typecheckOnly = process.argv.includes('--typecheck-only');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(label, cmd, args, cwd = root) {
  const t0 = Date.now();
  process.stdout.write(`构建 build: ${label} … `);
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stdout.write('失败 FAILED\n');
    process.stderr.write(r.stdout + r.stderr);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`完成 done (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(join(root, 'node_modules'))) {
  console.error('node_modules is missing: run `npm ci` (or `npm install`) first.');
  process.exit(1);
}
step('TypeScript packages (tsc -b)', bin('tsc'), ['-b']);
if (typecheckOnly) {
  step('cockpit type check', bin('tsc'), ['-p', 'dashboard/web']);
  step('test type check', bin('tsc'), ['-p', 'tsconfig.test.json']);
} else {
  const web = join(root, 'dashboard', 'web');
  const out = join(root, 'dashboard', 'dist-web', 'index.html');
  const sources = Math.max(
    newest(web),
    newest(join(root, 'contract', 'src')),
    statSync(join(root, 'package-lock.json')).mtimeMs,
  );
  if (!existsSync(out) || statSync(out).mtimeMs < sources)
    step('cockpit bundle (vite build)', bin('vite'), ['build'], join(root, 'dashboard'));
  else console.log('构建 build: cockpit bundle is up to date');
  // The hub sends these siblings to browsers that accept them (dashboard/src/http/static-files.ts); stale ones are redone.
  step('cockpit bundle compressed (brotli, gzip)', process.execPath, [
    join(root, 'scripts', 'precompress.mjs'),
    join(root, 'dashboard', 'dist-web'),
  ]);
}
