import { type Area, type HierarchyArea, LEVEL_ZH, validateHierarchy } from '@linli/geo';
import type { CityIssue, CityReport } from './city-types.js';

/**
 * Two children of one parent with the same name: people pick areas by name
 * (the drill-down, the register import, a grid worker's report), so siblings
 * must be told apart. The same name under different parents (第一网格) is fine.
 */
export function duplicateNames(areas: readonly Area[]): CityIssue[] {
  const seen = new Map<string, Area>();
  const out: CityIssue[] = [];
  for (const a of areas) {
    const key = `${a.parent ?? ''}\u0000${a.name.trim()}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, a);
      continue;
    }
    out.push({
      severity: 'error',
      kind: 'duplicate-name',
      code: a.code,
      message: `${a.name}（${a.code}）：与同级${LEVEL_ZH[a.level]} ${first.code} 重名 / ${a.name} (${a.code}): same name as its sibling ${first.code}`,
    });
  }
  return out;
}

/** The whole check of an area tree: geo's hierarchy, codes, overlaps, gaps and shapes, plus sibling names. */
export function validateAreas(areas: readonly HierarchyArea[]): CityIssue[] {
  const issues: CityIssue[] = validateHierarchy({ areas }).map((i) => ({
    severity: 'error' as const,
    kind: i.kind === 'geometry' ? (i.geometry ?? 'geometry') : i.kind,
    code: i.code,
    message: i.message,
  }));
  issues.push(...duplicateNames(areas));
  if (areas.length && !areas.some((a) => a.level === 'grid'))
    issues.push({
      severity: 'error',
      kind: 'no-grids',
      message: '没有网格：事件、人员与覆盖都按网格归属 / no grids: events, people and coverage all belong to grids',
    });
  return issues;
}

/** Areas per level, for the report's header. */
export function levelCounts(areas: readonly Area[]): Record<string, number> {
  const counts: Record<string, number> = { city: 0, district: 0, street: 0, community: 0, grid: 0 };
  for (const a of areas) counts[a.level] = (counts[a.level] ?? 0) + 1;
  return counts;
}

export function buildReport(
  areas: readonly Area[],
  issues: CityIssue[],
  extra: { facilities: number; roads: number; homes: number },
): CityReport {
  if (!areas.length && !issues.some((i) => i.severity === 'error'))
    issues.push({ severity: 'error', kind: 'no-areas', message: '文件中没有面域 / the files hold no areas' });
  return { ok: !issues.some((i) => i.severity === 'error'), counts: levelCounts(areas), ...extra, issues };
}

/** The report as text for the terminal: a header with counts, then every issue, errors first. */
export function reportText(r: CityReport): string {
  const c = r.counts;
  const lines = [
    `${r.ok ? '校验通过 / valid' : '校验未通过 / invalid'}：` +
      `市 ${c.city ?? 0}，区县 ${c.district ?? 0}，街道 ${c.street ?? 0}，社区 ${c.community ?? 0}，网格 ${c.grid ?? 0}；` +
      `设施 ${r.facilities}，道路 ${r.roads}，住户点 ${r.homes}`,
  ];
  const errors = r.issues.filter((i) => i.severity === 'error');
  const warnings = r.issues.filter((i) => i.severity === 'warning');
  if (errors.length) lines.push(`错误 ${errors.length} 项 / ${errors.length} error(s):`);
  for (const i of errors) lines.push(`  ✗ [${i.kind}] ${i.file ? `${i.file}: ` : ''}${i.message}`);
  if (warnings.length) lines.push(`提示 ${warnings.length} 项 / ${warnings.length} warning(s):`);
  for (const i of warnings) lines.push(`  ! [${i.kind}] ${i.file ? `${i.file}: ` : ''}${i.message}`);
  return lines.join('\n');
}
