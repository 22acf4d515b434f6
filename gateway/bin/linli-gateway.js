#!/usr/bin/env -S node --optimize-for-size
// --optimize-for-size: V8 grows and keeps less heap, so an outage's backlog and its replay stay
// within ~+30 MiB of idle and are given back (bench/gateway-memory.bench.mjs; deploy/systemd uses it too).
// The `linli-gateway` command. A committed, executable shim so that npm links it at install time,
// before the TypeScript build has written dist/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('linli-gateway: 尚未构建 not built yet — run `npm run build` in the repository root first.');
  process.exit(1);
}
await import(cli.href);
