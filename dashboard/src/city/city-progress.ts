/**
 * geo's importCity reports progress as (stage, done, total) with its own stage
 * names; the CLI's progress lines and the admin page's bar show them grouped
 * into the steps an operator recognises, Chinese first.
 */
export interface CityProgress {
  /** The group: reading files, converting areas, validating the tree, features, sampling homes. */
  stage: 'read' | 'areas' | 'validate' | 'features' | 'homes';
  /** geo's own stage (read, parse, map, codes, shapes, families, overlaps, facilities, roads) or `homes`. */
  step: string;
  done: number;
  total: number;
  /** What is being done, Chinese first. */
  label: string;
}

const STEPS: Record<string, [CityProgress['stage'], string, string]> = {
  read: ['read', '读取文件', 'reading files'],
  parse: ['read', '解析 KML', 'parsing KML'],
  map: ['areas', '转换面域', 'converting areas'],
  codes: ['validate', '校验编码与层级', 'validating codes and levels'],
  shapes: ['validate', '校验几何', 'validating shapes'],
  families: ['validate', '校验上下级包含与全覆盖', 'validating parents and full cover'],
  overlaps: ['validate', '校验同级重叠', 'validating overlaps'],
  facilities: ['features', '读取设施', 'reading facilities'],
  roads: ['features', '读取道路', 'reading roads'],
  homes: ['homes', '在网格内抽样住户点', 'sampling homes'],
};

export function progressOf(step: string, done: number, total: number): CityProgress {
  const [stage, zh, en] = STEPS[step] ?? ['validate', step, step];
  return { stage, step, done, total, label: `${zh} / ${en}` };
}
