// Reading a bench/results/*.jsonl file: the meta line, the figures, the failures.

import { readFileSync } from 'node:fs';

export function readResults(file) {
  const out = { meta: null, figures: [], failed: [] };
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .forEach((line, i) => {
      let r;
      try {
        r = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${err.message})`, { cause: err });
      }
      if (r.meta) out.meta = r.meta;
      else if (r.failed) out.failed.push(r);
      else if (typeof r.name === 'string' && Number.isFinite(r.ratio)) out.figures.push(r);
      else throw new Error(`${file}:${i + 1}: expected {meta}, {failed} or a figure {name, value, limit, ratio}`);
    });
  return out;
}

/** The benchmark a figure comes from: its name's first two parts (hub.ingest.events_per_second → hub.ingest). */
export const groupOf = (name) => name.split('.').slice(0, 2).join('.');

/** Whether a figure meets the goal it states (undefined when it states none). */
export function meetsGoal(f) {
  if (!f.goal) return undefined;
  return f.goal.at_least !== undefined ? f.ratio >= f.goal.at_least : f.ratio <= f.goal.at_most;
}

export const fmt = (v) =>
  Math.abs(v) >= 1000
    ? Math.round(v).toLocaleString('en-US')
    : Math.abs(v) >= 10
      ? String(Math.round(v * 10) / 10)
      : String(Math.round(v * 1000) / 1000);
