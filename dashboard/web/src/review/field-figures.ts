import type { GetReply } from '@linli/contract';
import type { Api } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { formatCount, formatDate, formatDuration, personName, t } from '../i18n.js';

type FieldReview = GetReply<'/api/field/review'>;
type Row = FieldReview['workers'][number];

/** "3/4 · 75%", or a dash when there was no check-in point to visit. */
export function coverageText(r: Pick<Row, 'points' | 'visited'>): string {
  return r.points ? `${r.visited}/${r.points} · ${Math.round((r.visited / r.points) * 100)}%` : '–';
}

const COLUMNS: [string, string, (r: Row) => string][] = [
  ['上报', 'Reported', (r) => formatCount(r.reported)],
  ['办结', 'Handled', (r) => formatCount(r.handled)],
  ['签收中位', 'Median accept', (r) => formatDuration(r.medianAcceptMs)],
  ['办结中位', 'Median resolve', (r) => formatDuration(r.medianResolveMs)],
  ['巡查', 'Patrols', (r) => formatCount(r.patrols)],
  ['签到覆盖', 'Check-in coverage', coverageText],
  ['超时', 'Overdue', (r) => formatCount(r.overdue)],
];

function table(id: string, first: string, rows: Row[], name: (r: Row) => string): HTMLTableElement {
  const el = document.createElement('table');
  el.id = id;
  el.innerHTML = `<thead><tr><th>${first}</th>${COLUMNS.map(([zh, en]) => `<th class="num">${t(zh, en)}</th>`).join('')}</tr></thead><tbody></tbody>`;
  el.tBodies[0]!.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.key = r.key;
      const cells = [name(r), ...COLUMNS.map(([, , f]) => f(r))];
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (i) td.className = 'num';
        tr.append(td);
      });
      return tr;
    }),
  );
  if (!rows.length) {
    const td = document.createElement('td');
    td.colSpan = COLUMNS.length + 1;
    td.className = 'placeholder';
    td.textContent = t('本期没有外勤记录', 'No field work in this period');
    const tr = document.createElement('tr');
    tr.append(td);
    el.tBodies[0]!.append(tr);
  }
  return el;
}

/**
 * The evaluation (考评) in the review: per worker and per grid, matters
 * reported and handled, median time to accept and to resolve, patrols,
 * check-in coverage and overdue alerts, for the review's period, cut to the
 * viewer's area by the hub. Roles that do not oversee field work get a line
 * saying so (the hub answers 403), not an empty table.
 */
export async function mountFieldFigures(
  host: HTMLElement,
  api: Api,
  tree: AreaTree,
  from: number,
  to: number,
): Promise<FieldReview | null> {
  host.innerHTML = `<h3>${t('网格员考评', 'Grid worker evaluation')}</h3>`;
  let reply: FieldReview;
  try {
    reply = await api.get('/api/field/review', { from, to });
  } catch (err) {
    const p = document.createElement('p');
    p.className = 'chart-note';
    p.textContent =
      (err as { status?: number }).status === 403
        ? t('本角色不查看外勤考评', 'This role does not see the field evaluation')
        : t('外勤考评暂不可用', 'Field evaluation unavailable');
    host.append(p);
    return null;
  }
  const csv = document.createElement('button');
  csv.type = 'button';
  csv.id = 'export-field-csv';
  csv.textContent = t('导出考评 CSV', 'Export evaluation CSV');
  csv.addEventListener('click', () => {
    void api.blob(`/api/field/review?format=csv&from=${from}&to=${to}`).then((blob) => {
      if (!blob) return;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `linli-field-review-${formatDate(from).replace(/\//g, '')}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
  });
  const h4 = (text: string) => Object.assign(document.createElement('h4'), { textContent: text });
  host.append(
    csv,
    h4(t('按网格员', 'By worker')),
    table('field-workers-table', t('网格员', 'Worker'), reply.workers, (r) => personName(r.name)),
    h4(t('按网格', 'By grid')),
    table('field-grids-table', t('网格', 'Grid'), reply.grids, (r) => tree.name(r.key)),
  );
  return reply;
}
