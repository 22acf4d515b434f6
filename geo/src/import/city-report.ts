import type { AreaLevel } from '../types.js';
import type { HierarchyIssue } from '../validate/issues.js';
import type { ImportIssue } from './errors.js';

/** An error stops a city from being activated; a warning is shown and accepted. */
export type Severity = 'error' | 'warning';

/** One problem of an imported city, from reading a file or from validating the whole. */
export interface CityIssue {
  kind: string;
  severity: Severity;
  /** The file it was found in; null for problems of the city as a whole (overlaps, gaps…). */
  file: string | null;
  /** 0-based feature within `file`, when there is one. */
  featureIndex: number | null;
  /** The area at fault and the other one involved, for hierarchy problems. */
  code?: string;
  other?: string;
  zh: string;
  en: string;
  /** "中文 / English", as `issueText` writes it. */
  message: string;
}

export interface CityReport {
  /** No errors: the city may be activated (warnings do not stop it). */
  ok: boolean;
  errors: number;
  warnings: number;
  /** Per kind: how many, how serious, and its name in both languages. */
  byKind: Record<string, { count: number; severity: Severity; zh: string; en: string }>;
  /** One "中文 / English" line per kind, errors first, e.g. "重叠：3 处 / overlaps: 3". */
  summary: string[];
  /** Areas imported per level, facilities and road lines. */
  counts: Record<AreaLevel, number> & { facilities: number; roads: number };
  issues: CityIssue[];
}

/** Names of the kinds a person reads in the summary; kinds not listed show as themselves. */
export const ISSUE_KINDS: Record<string, { zh: string; en: string; severity?: Severity }> = {
  overlap: { zh: '同级重叠', en: 'overlaps between areas of one level' },
  gap: { zh: '全覆盖面域中的空隙', en: 'gaps in full-cover areas' },
  'outside-parent': { zh: '超出上级边界', en: 'children outside their parent' },
  'bad-code': { zh: '编码不合规则', en: 'bad codes' },
  'code-prefix': { zh: '编码不以上级编码开头', en: "codes not starting with the parent's" },
  'duplicate-code': { zh: '编码重复', en: 'duplicate codes' },
  'duplicate-name': { zh: '同一上级下重名', en: 'duplicate names under one parent', severity: 'warning' },
  'missing-parent': { zh: '上级不存在', en: 'missing parents' },
  'parent-level': { zh: '上级层级不对', en: 'parents of the wrong level' },
  'root-parent': { zh: '市级面域有上级', en: 'a city with a parent' },
  'empty-name': { zh: '名称为空', en: 'empty names' },
  'missing-ring': { zh: '网格没有边界', en: 'grids without a boundary' },
  geometry: { zh: '几何错误', en: 'geometry errors' },
  winding: { zh: '环方向与 RFC 7946 相反', en: 'rings wound against RFC 7946', severity: 'warning' },
  'unknown-kind': {
    zh: '未知的设施类别（原样保留）',
    en: 'unknown facility kinds (kept as given)',
    severity: 'warning',
  },
  'facility-outside': { zh: '设施在城市范围外', en: 'facilities outside the city', severity: 'warning' },
  'missing-kind': { zh: '设施缺少类别', en: 'facilities without a kind' },
  'duplicate-id': { zh: '设施编号重复', en: 'duplicate facility ids' },
  'not-point': { zh: '设施不是点', en: 'facilities that are not points' },
  'not-line': { zh: '道路不是线', en: 'roads that are not lines' },
  'bad-position': { zh: '坐标无效', en: 'invalid positions' },
  'not-validated': { zh: '未做层级校验', en: 'hierarchy not validated' },
};

export function severityOf(kind: string, geometry?: string): Severity {
  if (kind === 'geometry' && geometry === 'winding') return 'warning';
  return ISSUE_KINDS[kind]?.severity ?? 'error';
}

/** A reading or mapping problem of one file, as a city issue. */
export function fromImportIssue(file: string, i: ImportIssue): CityIssue {
  const [zh, en] = i.zh !== undefined && i.en !== undefined ? [i.zh, i.en] : [i.message, i.message];
  return { kind: i.kind, severity: severityOf(i.kind), file, featureIndex: i.featureIndex, zh, en, message: i.message };
}

/** A hierarchy problem, as a city issue. */
export function fromHierarchyIssue(i: HierarchyIssue): CityIssue {
  const kind = i.kind === 'geometry' && i.geometry === 'winding' ? 'winding' : i.kind;
  return {
    kind,
    severity: severityOf(i.kind, i.geometry),
    file: null,
    featureIndex: null,
    code: i.code,
    ...(i.other === undefined ? {} : { other: i.other }),
    zh: i.zh ?? i.message,
    en: i.en ?? i.message,
    message: i.message,
  };
}

/** Counts and summarises the issues; `ok` when none is an error. */
export function buildReport(issues: CityIssue[], counts: CityReport['counts']): CityReport {
  const byKind: CityReport['byKind'] = {};
  for (const i of issues) {
    const entry = (byKind[i.kind] ??= {
      count: 0,
      severity: i.severity,
      zh: ISSUE_KINDS[i.kind]?.zh ?? i.kind,
      en: ISSUE_KINDS[i.kind]?.en ?? i.kind,
    });
    entry.count++;
  }
  const errors = issues.filter((i) => i.severity === 'error').length;
  const summary = Object.entries(byKind)
    .sort(([, a], [, b]) => (a.severity === b.severity ? b.count - a.count : a.severity === 'error' ? -1 : 1))
    .map(
      ([, k]) =>
        `${k.zh}：${k.count} 处${k.severity === 'warning' ? '（警告）' : ''} / ${k.en}: ${k.count}${k.severity === 'warning' ? ' (warning)' : ''}`,
    );
  return { ok: errors === 0, errors, warnings: issues.length - errors, byKind, summary, counts, issues };
}
