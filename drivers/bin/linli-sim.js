#!/usr/bin/env node
// The `linli-sim` command. A committed, executable shim so that npm links it at install time,
// before the TypeScript build has written dist/sim/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/sim/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('linli-sim: 尚未构建 not built yet — run `npm run build` in the repository root first.');
  process.exit(1);
}
await import(cli.href);
