import { basename, extname } from 'node:path';
import { can, type Viewer } from '@linli/contract';
import { AccessDenied } from '../../privacy/errors.js';
import type { PeopleRegister } from '../register.js';
import { isUniqueViolation } from '../resident-store.js';
import type { ResidentInput } from '../types.js';
import { type TableRow, readCsvRows, readXlsxRows } from './read-table.js';
import { COLUMNS, type ColumnKey, columnOf } from './template.js';
import { type RowIssue, validateRow } from './validate-row.js';

export interface ImportProgress {
  phase: 'validate' | 'store' | 'done';
  rowsRead: number;
}

export interface ImportOptions {
  /** Called every `progressEvery` rows (default 500) and at each phase change. */
  onProgress?: (p: ImportProgress) => void;
  progressEvery?: number;
  /** Shown in issues instead of the path (e.g. the uploaded file's name). */
  displayName?: string;
}

export interface ImportReport {
  file: string;
  format: 'csv' | 'xlsx';
  /** Data rows read (header excluded). */
  rowsRead: number;
  rowsOk: number;
  rejected: RowIssue[];
  /** True only when every row was valid and all were stored; otherwise nothing was stored. */
  imported: boolean;
  importId: string | null;
}

/**
 * Imports a register file, all or nothing: every row is validated first and
 * the report lists every problem; only a file without any is stored, in one
 * transaction. Duplicates (same ID number and category, in the file or
 * already registered) are found by the blind index, without decrypting.
 */
export async function importRegisterFile(
  register: PeopleRegister,
  viewer: Viewer,
  path: string,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const file = opts.displayName ?? basename(path);
  const ext = extname(path).toLowerCase();
  const format = ext === '.xlsx' ? 'xlsx' : ext === '.csv' ? 'csv' : null;
  const audit = (outcome: 'ok' | 'denied' | 'error', detail: Record<string, number | string>) =>
    register.audit.append({
      userId: viewer.userId,
      role: viewer.role,
      action: 'people.import',
      target: { type: 'register', id: format ?? 'unknown' },
      outcome,
      areaCode: viewer.areaCode,
      detail,
    });
  if (!can(viewer.role, 'personal_write') && !can(viewer.role, 'correction_read')) {
    await audit('denied', {});
    throw new AccessDenied('importing the register needs personal_write');
  }
  const report: ImportReport = {
    file,
    format: format ?? 'csv',
    rowsRead: 0,
    rowsOk: 0,
    rejected: [],
    imported: false,
    importId: null,
  };
  if (!format) {
    report.rejected.push({ file, row: 0, column: null, expected: '.csv 或 .xlsx 文件 / a .csv or .xlsx file' });
    await audit('error', { rejected: 1 });
    return report;
  }
  const every = opts.progressEvery ?? 500;
  const rows: AsyncGenerator<TableRow> = format === 'csv' ? readCsvRows(path) : readXlsxRows(path);
  const records: ResidentInput[] = [];
  const firstRowOf = new Map<string, number>();
  let index: Partial<Record<ColumnKey, number>> | null = null;
  for await (const r of rows) {
    if (!index) {
      index = headerIndex(r, file, report.rejected);
      if (report.rejected.length) break;
      continue;
    }
    report.rowsRead++;
    if (report.rowsRead % every === 0) opts.onProgress?.({ phase: 'validate', rowsRead: report.rowsRead });
    const v = validateRow(r, { file, areas: register.areas, viewer, index });
    if ('issues' in v) {
      report.rejected.push(...v.issues);
      continue;
    }
    const key = `${register.store.blindOf(v.record.idNumber)}|${v.record.category}`;
    const first = firstRowOf.get(key);
    if (first !== undefined)
      report.rejected.push({
        file,
        row: r.row,
        column: COLUMNS.idNumber.zh,
        expected: `与第${first}行重复 / duplicates row ${first}`,
      });
    else if (await register.store.exists(v.record.idNumber, v.record.category))
      report.rejected.push({
        file,
        row: r.row,
        column: COLUMNS.idNumber.zh,
        expected: '此人已在该类别中登记 / already registered in this category',
      });
    else {
      firstRowOf.set(key, r.row);
      records.push(v.record);
      report.rowsOk++;
    }
  }
  if (!index) report.rejected.push({ file, row: 1, column: null, expected: '表头行 / a header row' });
  if (report.rejected.length === 0 && records.length === 0)
    report.rejected.push({ file, row: 2, column: null, expected: '至少一行数据 / at least one data row' });
  opts.onProgress?.({ phase: 'store', rowsRead: report.rowsRead });
  if (report.rejected.length === 0) {
    try {
      report.importId = await register.store.insertAll(records, viewer.userId, format);
      report.imported = true;
    } catch (err) {
      // Another import stored one of these people meanwhile (UNIQUE on blind index and category).
      if (!isUniqueViolation(err)) throw err;
      report.rejected.push({
        file,
        row: 0,
        column: null,
        expected: '导入期间有重复记录被登记，请重新导入 / a concurrent import registered some rows; retry',
      });
    }
  }
  await audit(report.imported ? 'ok' : 'error', {
    rows: report.rowsRead,
    stored: report.imported ? records.length : 0,
    rejected: report.rejected.length,
  });
  opts.onProgress?.({ phase: 'done', rowsRead: report.rowsRead });
  return report;
}

function headerIndex(r: TableRow, file: string, issues: RowIssue[]): Partial<Record<ColumnKey, number>> {
  const index: Partial<Record<ColumnKey, number>> = {};
  r.cells.forEach((c, i) => {
    const k = typeof c === 'string' ? columnOf(c) : null;
    if (k && index[k] === undefined) index[k] = i;
  });
  for (const [k, c] of Object.entries(COLUMNS) as [ColumnKey, (typeof COLUMNS)[ColumnKey]][])
    if (c.required && index[k] === undefined)
      issues.push({ file, row: r.row, column: null, expected: `表头应包含“${c.zh}”列 / a "${c.zh}" column` });
  if (index.gridCode === undefined && (index.lng === undefined || index.lat === undefined))
    issues.push({
      file,
      row: r.row,
      column: null,
      expected: '表头应包含“网格编码”或“经度”“纬度”列 / a grid code or coordinates',
    });
  return index;
}
