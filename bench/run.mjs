// `npm run bench`: runs every bench/*.bench.mjs in its own process (so one
// benchmark's heap and caches do not colour the next) and collects their JSON
// lines into bench/results/latest.jsonl. Each line is
// {"name","value","unit","limit","limit_name","ratio"}, with the limit measured in the same run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
  .sort();
const lines = [];
for (const f of files) {
  console.error(`▶ ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    console.log(line);
    lines.push(line);
  }
  if (r.status !== 0) {
    console.error(`✗ ${f} failed (exit ${r.status})`);
    process.exitCode = 1;
  }
}
mkdirSync(join(dir, 'results'), { recursive: true });
// A filtered run keeps its own file, so it never overwrites the figures of a full run.
const out = only ? `latest-${only}.jsonl` : 'latest.jsonl';
writeFileSync(join(dir, 'results', out), `${lines.join('\n')}\n`);
console.error(`\n${lines.length} figures → bench/results/${out}`);
