import { type Area, buildReport, type CityIssue } from '@linli/geo';
import type { CityReport } from './city-types.js';

/** An issue of the city as a whole, in geo's report format. */
const wholeCity = (kind: string, zh: string, en: string): CityIssue => ({
  kind,
  severity: 'error',
  file: null,
  featureIndex: null,
  zh,
  en,
  message: `${zh} / ${en}`,
});

/**
 * geo's report with the hub's own rules on top. Two children of one parent with
 * the same name is an error here (geo warns): people pick areas by name (the
 * drill-down, the register import, a grid worker's report), so siblings must be
 * told apart. A city needs grids (events, people and coverage belong to them).
 */
export function hubReport(
  report: CityReport | Omit<CityReport, 'homes'>,
  areas: readonly Area[],
  homes: number,
): CityReport {
  const issues = report.issues.map((i) => (i.kind === 'duplicate-name' ? { ...i, severity: 'error' as const } : i));
  if (!areas.length && !issues.some((i) => i.severity === 'error'))
    issues.push(wholeCity('no-areas', '文件中没有面域', 'the files hold no areas'));
  if (areas.length && !areas.some((a) => a.level === 'grid'))
    issues.push(
      wholeCity(
        'no-grids',
        '没有网格：事件、人员与覆盖都按网格归属',
        'no grids: events, people and coverage all belong to grids',
      ),
    );
  return { ...buildReport(issues, report.counts), homes };
}

/** The report as text for the terminal: a header with counts, geo's summary per kind, then every issue, errors first. */
export function reportText(r: CityReport): string {
  const c = r.counts;
  const lines = [
    `${r.ok ? '校验通过 / valid' : '校验未通过 / invalid'}：` +
      `市 ${c.city ?? 0}，区县 ${c.district ?? 0}，街道 ${c.street ?? 0}，社区 ${c.community ?? 0}，网格 ${c.grid ?? 0}；` +
      `设施 ${c.facilities ?? 0}，道路 ${c.roads ?? 0}，住户点 ${r.homes}`,
    ...(r.summary ?? []).map((s) => `  ${s}`),
  ];
  const errors = r.issues.filter((i) => i.severity === 'error');
  const warnings = r.issues.filter((i) => i.severity === 'warning');
  if (errors.length) lines.push(`错误 ${errors.length} 项 / ${errors.length} error(s):`);
  for (const i of errors) lines.push(`  ✗ [${i.kind}] ${i.file ? `${i.file}: ` : ''}${i.message}`);
  if (warnings.length) lines.push(`提示 ${warnings.length} 项 / ${warnings.length} warning(s):`);
  for (const i of warnings) lines.push(`  ! [${i.kind}] ${i.file ? `${i.file}: ` : ''}${i.message}`);
  return lines.join('\n');
}
