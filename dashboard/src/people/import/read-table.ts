import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';

/** One row of a table file: its 1-based row number as a spreadsheet shows it, and its cells as text. */
export interface TableRow {
  row: number;
  cells: (string | { numeric: number })[];
}

/**
 * CSV rows. Excel on Chinese Windows saves CSV as GBK, so a file that is not
 * valid UTF-8 is read as GB18030 (a superset of GBK). The BOM is dropped.
 */
export async function* readCsvRows(file: string): AsyncGenerator<TableRow> {
  const buf = await readFile(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    // Not valid UTF-8: the file is Excel's GBK export, decoded as such.
    text = new TextDecoder('gb18030').decode(buf);
  }
  const parser = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false });
  let row = 0;
  for await (const rec of parser as AsyncIterable<string[]>) {
    row++;
    if (rec.every((c) => c.trim() === '')) continue;
    yield { row, cells: rec };
  }
}

/**
 * XLSX rows of the first worksheet, streamed so a large file is not held in
 * memory whole. Numeric cells are passed on as numbers: an 18-digit ID typed
 * as a number has already lost its last digits, and validation must say so.
 */
export async function* readXlsxRows(file: string): AsyncGenerator<TableRow> {
  // Loaded on first use: exceljs is ~28 MiB of heap that a hub which never imports a register does not need.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  for await (const sheet of reader) {
    for await (const r of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (r.values as ExcelJS.CellValue[]).slice(1);
      const cells = Array.from({ length: values.length }, (_, i) => cellText(values[i]));
      if (cells.every((c) => typeof c === 'string' && c.trim() === '')) continue;
      yield { row: r.number, cells };
    }
    break; // only the first worksheet is the register
  }
}

function cellText(v: ExcelJS.CellValue | undefined): string | { numeric: number } {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return { numeric: v };
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return v.result === undefined ? '' : cellText(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  return '';
}
