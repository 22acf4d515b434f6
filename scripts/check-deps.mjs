// Dependencies point one way: contract and geo at the bottom, drivers above
// them, gateway above drivers; the dashboard imports only contract and geo,
// never the gateway or drivers; the drivers' product code never imports its
// simulators (drivers/src/sim); and no import cycles inside a package.
// Checked on every `npm test` by reading imports.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles } from './import-cycles.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ALLOWED = {
  contract: [],
  geo: ['contract'],
  drivers: ['contract'],
  gateway: ['contract', 'drivers', 'flows'],
  flows: ['contract'],
  dashboard: ['contract', 'geo'],
};

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'dist-web') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.(ts|mts|js|mjs)$/.test(e.name)) yield p;
  }
}

const problems = [];
for (const [pkg, allowed] of Object.entries(ALLOWED)) {
  const declared = Object.keys(JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')).dependencies ?? {})
    .filter((d) => d.startsWith('@linli/'))
    .map((d) => d.slice('@linli/'.length));
  for (const d of declared)
    if (!allowed.includes(d)) problems.push(`${pkg}/package.json depends on @linli/${d}, which ${pkg} may not use`);
  for (const dir of ['src', 'web', 'test'].map((d) => join(root, pkg, d))) {
    let list;
    try {
      list = [...files(dir)];
    } catch {
      continue;
    }
    for (const file of list) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1];
        const linli = /^@linli\/([a-z]+)/.exec(spec)?.[1];
        if (linli && linli !== pkg && !allowed.includes(linli))
          problems.push(
            `${file.slice(root.length)} imports @linli/${linli}; ${pkg} may import only ${allowed.join(', ') || 'nothing from Linli'}`,
          );
        // Up out of the package, then into another one (a folder of the package's own that happens to
        // share a package's name, like gateway/src/flows, is not that).
        if (/^(\.\.\/){2,}(contract|geo|drivers|gateway|dashboard|flows)\//.test(spec))
          problems.push(`${file.slice(root.length)} reaches into another package by relative path: ${spec}`);
      }
    }
  }
}
// The gateway core finds device types through the registry; it never names a definition module.
for (const file of files(join(root, 'gateway', 'src'))) {
  if (/definitions\//.test(readFileSync(file, 'utf8')))
    problems.push(`${file.slice(root.length)} imports a concrete device definition; use the registry`);
}
// The drivers' product code never runs a simulator's module (sim/ is for tests and the demo; index.ts exports it).
for (const file of files(join(root, 'drivers', 'src'))) {
  const rel = file.slice(root.length);
  if (/^drivers\/src\/(sim\/|index\.ts$)/.test(rel)) continue;
  if (/from\s+['"](\.\.?\/)+sim\//.test(readFileSync(file, 'utf8')))
    problems.push(`${rel} imports a simulator module (drivers/src/sim); move what the product needs out of sim/`);
}
// No module depends on itself through others (import type included).
for (const cycle of importCycles(
  Object.keys(ALLOWED).flatMap((p) => [join(root, p, 'src'), join(root, p, 'web', 'src')]),
))
  problems.push(`import cycle: ${cycle.map((f) => f.slice(root.length)).join(' → ')}`);
if (problems.length) {
  console.error(`依赖方向检查失败 dependency check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`依赖方向 dependency directions: OK (${Object.keys(ALLOWED).length} packages, no import cycles)`);
