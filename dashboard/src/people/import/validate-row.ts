import type { AreaIndex } from '@linli/geo';
import { can, inScope, type Viewer } from '@linli/contract';
import { ID_PROBLEM_TEXT, normalizeResidentId, residentIdProblem } from '../../privacy/resident-id.js';
import { CATEGORIES, CATEGORY_ZH, categoryFromText } from '../categories.js';
import type { ResidentInput } from '../types.js';
import type { TableRow } from './read-table.js';
import { COLUMNS, type ColumnKey, columnLetter } from './template.js';

/**
 * One problem in an import file: where (file, row, column) and what was
 * expected. Never quotes the cell: the value may be an ID or phone number,
 * and reports end up in logs and screenshots.
 */
export interface RowIssue {
  file: string;
  row: number;
  /** e.g. "B（身份证号）"; null for a problem with the whole row or file. */
  column: string | null;
  expected: string;
}

export interface RowContext {
  file: string;
  areas: AreaIndex;
  viewer: Viewer;
  /** Column key → 0-based index in the file. */
  index: Partial<Record<ColumnKey, number>>;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

export function validateRow(r: TableRow, ctx: RowContext): { record: ResidentInput } | { issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const where = (k: ColumnKey) => {
    const i = ctx.index[k];
    return i === undefined ? COLUMNS[k].zh : `${columnLetter(i)}（${COLUMNS[k].zh}）`;
  };
  const fail = (k: ColumnKey | null, expected: string) =>
    issues.push({ file: ctx.file, row: r.row, column: k ? where(k) : null, expected });
  const raw = (k: ColumnKey) => {
    const i = ctx.index[k];
    return i === undefined ? '' : (r.cells[i] ?? '');
  };
  const text = (k: ColumnKey) => {
    const v = raw(k);
    return typeof v === 'string' ? v.trim() : String(v.numeric);
  };

  const name = text('name');
  if (!name) fail('name', '姓名不能为空 / a name');
  else if ([...name].length > 40) fail('name', '姓名不超过40个字符 / at most 40 characters');

  let idNumber = '';
  if (typeof raw('idNumber') !== 'string')
    fail('idNumber', '身份证号须设为文本格式，数字格式会丢失后几位 / text, not a number (Excel drops digits past 15)');
  else {
    idNumber = normalizeResidentId(text('idNumber'));
    const p = idNumber ? residentIdProblem(idNumber) : 'format';
    if (p) fail('idNumber', ID_PROBLEM_TEXT[p]);
  }

  const phoneText = text('phone').replace(/[\s]/g, '');
  if (phoneText && !MOBILE.test(phoneText) && !LANDLINE.test(phoneText))
    fail('phone', '11位手机号或区号-座机号 / an 11-digit mobile or an area-code landline');

  const category = categoryFromText(text('category'));
  if (!category) fail('category', `以下之一 / one of: ${CATEGORIES.map((c) => CATEGORY_ZH[c]).join('、')}`);
  else if (category === 'community_correction' && !can(ctx.viewer.role, 'correction_read'))
    fail('category', '社区矫正人员只能由司法所导入 / community-correction rows only by judicial staff');
  else if (category !== 'community_correction' && !can(ctx.viewer.role, 'personal_write'))
    fail('category', '无权导入此类别 / your role may import community-correction rows only');

  let gridCode = text('gridCode');
  if (gridCode) {
    const grid = ctx.areas.byCode.get(gridCode);
    if (!/^\d{15}$/.test(gridCode) || grid?.level !== 'grid')
      fail('gridCode', '区域树中已有的15位网格编码 / a 15-digit grid code in the area tree');
  } else if (text('lng') || text('lat')) {
    const lng = Number(text('lng'));
    const lat = Number(text('lat'));
    const grid = Number.isFinite(lng) && Number.isFinite(lat) ? ctx.areas.gridAt(lng, lat) : null;
    if (!grid) fail('lng', '落在某个网格内的WGS-84经纬度 / WGS-84 coordinates inside a grid');
    else gridCode = grid.code;
  } else fail('gridCode', '网格编码，或经度和纬度 / a grid code, or longitude and latitude');
  if (gridCode && ctx.areas.byCode.get(gridCode)?.level === 'grid' && !inScope(ctx.viewer.areaCode, gridCode))
    fail('gridCode', '您辖区内的网格 / a grid inside your area');

  const address = text('address');
  if ([...address].length > 100) fail('address', '住址不超过100个字符 / at most 100 characters');

  if (issues.length) return { issues };
  return {
    record: { name, idNumber, phone: phoneText || null, category: category!, gridCode, address: address || null },
  };
}
