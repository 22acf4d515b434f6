import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { importRegisterFile, type ImportProgress } from '../../src/people/import/importer.js';
import { idCheckChar } from '../../src/privacy/resident-id.js';
import { describeEachDialect } from '../support/dialects.js';
import { entriesAfter, headSeq, openRegister, viewer } from './fixture.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'linli-import-'));
const id = (n: number, birth = '19450307') => {
  const first17 = `341399${birth}${String(n).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
};
const badCheck = (s: string) => s.slice(0, 17) + (s[17] === '0' ? '1' : '0');
const HEAD = ['姓名', '身份证号', '联系电话', '类别', '网格编码', '住址'];
const cw = viewer('community_worker', '341302001001');
const GRID = '341302001001001';

function csv(rows: string[][], encoding: 'utf8' | 'bom' = 'bom'): string {
  const file = join(tmp(), 'register.csv');
  const text = rows.map((r) => r.join(',')).join('\r\n');
  writeFileSync(file, (encoding === 'bom' ? '\uFEFF' : '') + text);
  return file;
}

async function xlsx(rows: (string | number)[][], name = 'register.xlsx'): Promise<string> {
  const file = join(tmp(), name);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点人群');
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

describeEachDialect('register import', (ctx) => {
  it('imports the shipped template', async () => {
    const { register } = openRegister(ctx.db);
    const template = fileURLToPath(new URL('../../templates/重点人群导入模板.csv', import.meta.url));
    const report = await importRegisterFile(register, cw, template);
    expect(report).toMatchObject({ imported: true, rowsRead: 3, rowsOk: 3, rejected: [] });
    // The second row had coordinates instead of a grid code.
    const recs = await register.listRecords(cw, { limit: 10 });
    expect(recs.map((r) => r.gridCode).sort()).toEqual(['341302001001001', '341302001001002', '341302001001006']);
  });

  it('imports an XLSX file and reports progress', async () => {
    const { register } = openRegister(ctx.db);
    const rows = Array.from({ length: 1200 }, (_, i) => [
      `测试居民${i}`,
      id(i % 1000, i < 1000 ? '19450307' : '19500101'),
      `1700000${String(i).padStart(4, '0')}`,
      i % 2 ? '独居老人' : 'disabled',
      GRID,
      `示例小区${i % 20}栋`,
    ]);
    const progress: ImportProgress[] = [];
    const report = await importRegisterFile(register, cw, await xlsx([HEAD, ...rows]), {
      onProgress: (p) => progress.push(p),
    });
    expect(report).toMatchObject({ format: 'xlsx', imported: true, rowsRead: 1200, rowsOk: 1200 });
    expect(progress.map((p) => p.rowsRead)).toEqual([500, 1000, 1200, 1200]);
    expect(progress.at(-1)!.phase).toBe('done');
    const row = (await register.countsByGrid(cw)).find((c) => c.gridCode === GRID)!;
    expect(row.cells).toMatchObject({ lone_elder: 600, disabled: 600, low_income: '<5' });
    // The other four categories are 0, published as "<5": the total is a range, never an exact sum.
    expect(row.total).toEqual({ min: 1200, max: 1216 });
  });

  it('names file, row, column and what was expected for every bad cell, and stores nothing', async () => {
    const h = openRegister(ctx.db);
    const before = await headSeq(h.db);
    const file = csv([
      HEAD,
      ['测试居民1', id(1), '17000000001', '独居老人', GRID, ''],
      ['测试居民2', badCheck(id(2)), '17000000002', '独居老人', GRID, ''],
      ['测试居民3', id(3), '1234', '外星人', GRID, ''],
      ['测试居民4', id(4), '', '残疾人', '341302001001999', ''],
      ['', id(5), '', '残疾人', '341302002001001', ''],
      ['测试居民6', id(1), '', '独居老人', GRID, ''],
      ['测试居民7', id(7), '', '社区矫正', GRID, ''],
    ]);
    const report = await importRegisterFile(h.register, cw, file);
    expect(report.imported).toBe(false);
    expect(report.rowsRead).toBe(7);
    expect(report.rowsOk).toBe(1);
    const issues = report.rejected.map((i) => [i.file, i.row, i.column]);
    expect(issues).toEqual([
      ['register.csv', 3, 'B（身份证号）'],
      ['register.csv', 4, 'C（联系电话）'],
      ['register.csv', 4, 'D（类别）'],
      ['register.csv', 5, 'E（网格编码）'],
      ['register.csv', 6, 'A（姓名）'],
      ['register.csv', 6, 'E（网格编码）'],
      ['register.csv', 7, '身份证号'],
      ['register.csv', 8, 'D（类别）'],
    ]);
    expect(report.rejected[0]!.expected).toMatch(/校验位/);
    expect(report.rejected[2]!.expected).toMatch(/独居老人/);
    expect(report.rejected[3]!.expected).toMatch(/区域树/);
    expect(report.rejected[5]!.expected).toMatch(/辖区/);
    expect(report.rejected[6]!.expected).toMatch(/第2行/);
    expect(report.rejected[7]!.expected).toMatch(/司法所/);
    // No cell value (ID, phone) is quoted back.
    expect(JSON.stringify(report)).not.toMatch(/\d{11}/);
    expect(await h.register.store.counts()).toEqual([]);
    expect(await entriesAfter(h.db, before)).toMatchObject([{ action: 'people.import', outcome: 'error' }]);
  });

  it('finds people already registered by blind index, and rejects numeric ID cells in XLSX', async () => {
    const { register } = openRegister(ctx.db);
    expect(
      (await importRegisterFile(register, cw, csv([HEAD, ['测试居民1', id(1), '', '独居老人', GRID, '']]))).imported,
    ).toBe(true);
    const again = await importRegisterFile(
      register,
      cw,
      await xlsx([HEAD, ['测试居民1', id(1), '', '独居老人', GRID, ''], ['测试居民1', id(1), '', '残疾人', GRID, '']]),
    );
    expect(again.rejected).toMatchObject([
      { row: 2, column: '身份证号', expected: expect.stringMatching(/已在该类别/) },
    ]);
    const numeric = await importRegisterFile(
      register,
      cw,
      await xlsx([HEAD, ['测试居民9', 341399194503070000, '', '独居老人', GRID, '']]),
    );
    expect(numeric.rejected).toMatchObject([
      { row: 2, column: 'B（身份证号）', expected: expect.stringMatching(/文本格式/) },
    ]);
  });

  it('reads GBK CSV from Excel and reports a missing header column', async () => {
    const { register } = openRegister(ctx.db);
    const gbkFile = join(tmp(), 'gbk.csv');
    // '姓名,身份证号,类别,网格编码' and one row, encoded GB18030 by an independent encoder (iconv).
    const { execFileSync } = await import('node:child_process');
    const text = `姓名,身份证号,类别,网格编码\r\n测试居民1,${id(1)},独居老人,${GRID}\r\n`;
    writeFileSync(gbkFile, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text }));
    const ok = await importRegisterFile(register, cw, gbkFile);
    expect(ok).toMatchObject({ imported: true, rowsOk: 1 });
    const noId = await importRegisterFile(
      register,
      cw,
      csv([
        ['姓名', '类别', '网格编码'],
        ['测试居民2', '独居老人', GRID],
      ]),
    );
    expect(noId.rejected).toMatchObject([{ row: 1, column: null, expected: expect.stringMatching(/身份证号/) }]);
  });

  it('denies and audits an import by a role that may not write the register', async () => {
    const h = openRegister(ctx.db);
    const before = await headSeq(h.db);
    const gw = viewer('grid_worker', GRID);
    await expect(importRegisterFile(h.register, gw, csv([HEAD]))).rejects.toThrow(/personal_write/);
    expect(await entriesAfter(h.db, before)).toMatchObject([
      { action: 'people.import', outcome: 'denied', user_id: gw.userId },
    ]);
  });
});
