// One self-contained HTML page from a results file: the run's date, commit and
// machine, then one inline SVG per figure, the measured value beside the limit
// measured in the same run (and the promised goal, where there is one). No
// scripts, no fonts, nothing fetched: it opens from disk anywhere.
import { writeFileSync } from 'node:fs';
import { fmt, groupOf, meetsGoal, readResults } from './results-file.mjs';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const W = 640;
const LABEL = 70;
const BAR = 22;

/** Two bars on one scale: the figure and its limit; a dashed line where the goal lies. */
function plot(f) {
  const goalAt = f.goal ? (f.goal.at_least ?? f.goal.at_most) * f.limit : null;
  const max = Math.max(f.value, f.limit, goalAt ?? 0) * 1.08 || 1;
  const x = (v) => LABEL + (Math.max(0, v) / max) * (W - LABEL - 10);
  const ok = meetsGoal(f);
  const colour = ok === false ? '#c0392b' : ok === true ? '#1e8449' : '#2e86c1';
  const bar = (y, v, fill, label) =>
    `<text x="${LABEL - 6}" y="${y + 16}" text-anchor="end">${label}</text>` +
    `<rect x="${LABEL}" y="${y}" width="${(x(v) - LABEL).toFixed(1)}" height="${BAR}" fill="${fill}"/>` +
    // The value's label after the bar's end, or inside it (white) when the bar reaches the right edge.
    (x(v) > W - 150
      ? `<text x="${(x(v) - 4).toFixed(1)}" y="${y + 16}" text-anchor="end" fill="#fff">${esc(fmt(v))} ${esc(f.unit)}</text>`
      : `<text x="${(x(v) + 4).toFixed(1)}" y="${y + 16}">${esc(fmt(v))} ${esc(f.unit)}</text>`);
  const goal =
    goalAt === null
      ? ''
      : `<line x1="${x(goalAt).toFixed(1)}" x2="${x(goalAt).toFixed(1)}" y1="4" y2="${2 * BAR + 20}" stroke="#444" stroke-dasharray="4 3"/>` +
        `<text x="${x(goalAt).toFixed(1)}" y="${2 * BAR + 34}" text-anchor="middle">goal ${f.goal.at_least !== undefined ? '≥' : '≤'} ${f.goal.at_least ?? f.goal.at_most}× limit</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * BAR + 40}" font-family="sans-serif" font-size="12" role="img" aria-label="${esc(f.name)}">` +
    bar(6, f.value, colour, 'measured') +
    bar(12 + BAR, f.limit, '#aab7b8', 'limit') +
    goal +
    '</svg>'
  );
}

/** `results`: readResults' answer, with `reruns` ({meta, reason}) when failed benchmarks were rerun alone. */
export function renderHtmlReport({ meta, figures, failed, reruns = [] }) {
  const groups = new Map();
  for (const f of figures) groups.set(groupOf(f.name), [...(groups.get(groupOf(f.name)) ?? []), f]);
  const sections = [...groups].map(
    ([g, fs]) =>
      `<h2>${esc(g)}</h2>` +
      fs
        .map((f) => {
          const ok = meetsGoal(f);
          const verdict =
            ok === undefined ? '' : ok ? ' <b class="ok">meets its goal</b>' : ' <b class="bad">misses its goal</b>';
          return `<figure><figcaption><code>${esc(f.name)}</code>: ratio <b>${f.ratio}</b>${verdict}<br><small>limit: ${esc(f.limit_name)}</small></figcaption>${plot(f)}</figure>`;
        })
        .join('\n'),
  );
  const m = meta ?? {};
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Linli benchmarks ${esc(m.date ?? '')}</title>
<style>body{font-family:sans-serif;max-width:760px;margin:2em auto;color:#222}figure{margin:1em 0 2em}
figcaption{margin-bottom:.4em}.ok{color:#1e8449}.bad{color:#c0392b}small{color:#555}</style></head><body>
<h1>Linli 基准 Benchmarks</h1>
<p>Run ${esc(m.date ?? '?')} at commit <code>${esc(m.commit ?? '?')}</code>${m.dirty ? ' (with uncommitted changes)' : ''}${m.quick ? ', <b>quick sizes (not figures to quote)</b>' : ''};
${esc(m.cpu ?? '?')}, ${esc(m.cores ?? '?')} cores, ${esc(m.memGiB ?? '?')} GiB, Node ${esc(m.node ?? '?')}, load ${esc(m.load1 ?? '?')} at the start.
Each figure beside its limit, measured in the same run on the same machine.</p>
${reruns.map((r) => `<p><code>${esc(r.meta.only)}</code> failed in that run (${esc(r.reason)}) and was rerun alone ${esc(r.meta.date)} at commit <code>${esc(r.meta.commit)}</code>; its figures are from that run.</p>`).join('\n')}
${failed.length ? `<p class="bad">Failed: ${failed.map((f) => `${esc(f.failed)} (${esc(f.reason)})`).join(', ')}</p>` : ''}
${sections.join('\n')}
</body></html>
`;
}

export function writeHtmlReport(resultsFile, htmlFile) {
  return writeHtmlReportOf(readResults(resultsFile), htmlFile);
}

export function writeHtmlReportOf(results, htmlFile) {
  writeFileSync(htmlFile, renderHtmlReport(results));
  return htmlFile;
}
