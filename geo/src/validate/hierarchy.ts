import type { Area, AreaLevel } from '../types.js';
import { validatePolygon } from './geometry.js';
import type { HierarchyArea, HierarchyIssue, HierarchyIssueKind, Report } from './issues.js';
import { checkFamily, checkOverlaps } from './spatial.js';

export type { HierarchyArea, HierarchyIssue, HierarchyIssueKind } from './issues.js';

export interface HierarchyOptions {
  /**
   * How far (metres) boundaries that should agree may disagree: a child's edge outside its
   * parent, siblings' overlap, a gap under fullCover. Default 1 m (rounding to 1e-6° alone is ~0.1 m).
   */
  toleranceM?: number;
  /** Called as each stage advances: `codes`, `shapes`, `families` (parents checked), `overlaps` (levels checked). */
  onProgress?: ValidationProgress;
}

/** Progress of a long check: `done` of `total` units of `stage` finished. */
export type ValidationProgress = (stage: string, done: number, total: number) => void;

/** How often, in items, progress is reported within a stage. */
const PROGRESS_EVERY = 500;

export const LEVEL_ZH: Record<AreaLevel, string> = {
  city: '市',
  district: '区县',
  street: '街道',
  community: '社区',
  grid: '网格',
};

const PARENT_LEVEL: Record<AreaLevel, AreaLevel | null> = {
  city: null,
  district: 'city',
  street: 'district',
  community: 'street',
  grid: 'community',
};

/** GB/T 2260 county codes (6 digits, a city's end in 00), then 3 digits per level below. */
const CODE_RULE: Record<AreaLevel, [RegExp, string, string]> = {
  city: [/^\d{4}00$/, '6 位，末两位为 00', '6 digits ending in 00'],
  district: [/^\d{4}(?!00)\d{2}$/, '6 位县级代码，末两位不为 00', '6-digit county code not ending in 00'],
  street: [/^\d{9}$/, '9 位：区县 6 位 + 3 位', '9 digits: 6-digit county + 3'],
  community: [/^\d{12}$/, '12 位：街道 9 位 + 3 位', '12 digits: 9-digit street + 3'],
  grid: [/^\d{15}$/, '15 位：社区 12 位 + 3 位', '15 digits: 12-digit community + 3'],
};

/** The part of a parent's code its children's codes start with (a city drops trailing 00s: 110000 → 11). */
function childPrefix(parent: Area): string {
  return parent.level === 'city' ? parent.code.replace(/(00)+$/, '') : parent.code;
}

/**
 * Checks codes, parents, names and shapes of an area tree and returns every problem;
 * never throws. Each issue names the area (code and name) and the problem in Chinese and English.
 */
export function validateHierarchy(
  tree: { areas: readonly HierarchyArea[] },
  options: HierarchyOptions = {},
): HierarchyIssue[] {
  const out: HierarchyIssue[] = [];
  const issue = (a: Area, kind: HierarchyIssueKind, zh: string, en: string, extra: Partial<HierarchyIssue> = {}) =>
    out.push({
      code: a.code,
      name: a.name,
      kind,
      ...extra,
      zh: `${a.name}（${a.code}）：${zh}`,
      en: `${a.name} (${a.code}): ${en}`,
      message: `${a.name}（${a.code}）：${zh} / ${a.name} (${a.code}): ${en}`,
    });
  const byCode = new Map<string, HierarchyArea>();
  for (const a of tree.areas) {
    if (byCode.has(a.code)) issue(a, 'duplicate-code', '编码重复', 'code is used more than once');
    else byCode.set(a.code, a);
  }
  const progress = options.onProgress ?? (() => {});
  const total = tree.areas.length;
  const usable = new Set<HierarchyArea>();
  const names = new Map<string, HierarchyArea>();
  tree.areas.forEach((a, i) => {
    if (i % PROGRESS_EVERY === 0) progress('codes', i, total);
    if (!a.name.trim()) issue(a, 'empty-name', '名称为空', 'name is empty');
    const [pattern, ruleZh, ruleEn] = CODE_RULE[a.level];
    if (!pattern.test(a.code))
      issue(
        a,
        'bad-code',
        `编码不符合${LEVEL_ZH[a.level]}编码规则（${ruleZh}）`,
        `code does not fit a ${a.level} code (${ruleEn})`,
      );
    checkParent(a, byCode, issue);
    const sameName = names.get(`${a.parent}\u0000${a.level}\u0000${a.name.trim()}`);
    if (sameName && a.name.trim())
      issue(
        a,
        'duplicate-name',
        `与同一上级下的 ${sameName.code} 同名`,
        `has the same name as ${sameName.code} under the same parent`,
        { other: sameName.code },
      );
    else names.set(`${a.parent}\u0000${a.level}\u0000${a.name.trim()}`, a);
  });
  progress('codes', total, total);
  tree.areas.forEach((a, i) => {
    if (i % PROGRESS_EVERY === 0) progress('shapes', i, total);
    if (a.ring) {
      const problems = validatePolygon([a.ring]);
      for (const g of problems) issue(a, 'geometry', g.zh, g.en, { geometry: g.kind });
      if (problems.every((g) => g.kind === 'winding')) usable.add(a);
    } else if (a.level === 'grid') issue(a, 'missing-ring', '网格没有边界', 'grid has no boundary');
  });
  progress('shapes', total, total);
  const tol = options.toleranceM ?? 1;
  const families = new Map<string, HierarchyArea[]>();
  for (const a of usable) {
    if (!a.parent) continue;
    const list = families.get(a.parent);
    if (list) list.push(a);
    else families.set(a.parent, [a]);
  }
  const parents = [...usable].filter((p) => families.has(p.code) || p.fullCover);
  parents.forEach((p, i) => {
    if (i % 50 === 0) progress('families', i, parents.length);
    checkFamily(p, families.get(p.code) ?? [], tol, issue);
  });
  progress('families', parents.length, parents.length);
  const levels = Object.keys(PARENT_LEVEL) as AreaLevel[];
  levels.forEach((level, i) => {
    progress('overlaps', i, levels.length);
    checkOverlaps(
      [...usable].filter((a) => a.level === level),
      tol,
      issue,
    );
  });
  progress('overlaps', levels.length, levels.length);
  return out;
}

function checkParent(a: Area, byCode: Map<string, Area>, issue: Report): void {
  const want = PARENT_LEVEL[a.level];
  if (want === null) {
    if (a.parent !== null) issue(a, 'root-parent', '市级面域不应有上级', 'a city has no parent in the tree');
    return;
  }
  const p = a.parent === null ? undefined : byCode.get(a.parent);
  if (!p) {
    const zh = a.parent === null ? `缺少上级${LEVEL_ZH[want]}` : `上级 ${a.parent} 不存在`;
    issue(a, 'missing-parent', zh, a.parent === null ? `has no parent ${want}` : `parent ${a.parent} does not exist`);
    return;
  }
  if (p.level !== want)
    issue(
      a,
      'parent-level',
      `上级 ${p.name}（${p.code}）是${LEVEL_ZH[p.level]}，应为${LEVEL_ZH[want]}`,
      `parent ${p.name} (${p.code}) is a ${p.level}, not a ${want}`,
    );
  else if (!a.code.startsWith(childPrefix(p)))
    issue(a, 'code-prefix', `编码不以上级编码 ${p.code} 开头`, `code does not start with its parent's code ${p.code}`);
}
