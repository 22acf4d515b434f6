#!/usr/bin/env node
// Small files with one job: a source file under a package's src/ (the web app's too) may not exceed 400 lines.
// Run by `npm test`; names every file over the limit and exits 1.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIMIT = 400;
const SOURCE = /\.(ts|tsx|mts|js|mjs|cjs)$/;
const SKIP = new Set(['node_modules', 'dist', 'dist-web', '.git', 'coverage']);
/** Written by a generator, not by hand (npm run gen:browser-validator): not held to the limit. */
const GENERATED = /\.generated\.|[/\\]generated[/\\]/;

function* walk(dir, inSrc) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path, inSrc || e.name === 'src');
    else if (inSrc && SOURCE.test(e.name) && !GENERATED.test(path)) yield path;
  }
}

const over = [];
for (const file of walk(ROOT, false)) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > LIMIT) over.push(`${relative(ROOT, file)}: ${lines} lines`);
}
if (over.length) {
  console.error(`源文件超过 ${LIMIT} 行 / source files over ${LIMIT} lines (split them by job):`);
  for (const o of over) console.error(`  ${o}`);
  process.exit(1);
}
console.log(`文件大小检查通过 size check passed: no source file under */src/ exceeds ${LIMIT} lines`);
