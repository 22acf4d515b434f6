/**
 * The register import template (dashboard/templates/重点人群导入模板.csv).
 * Headers are matched after trimming; English aliases are accepted for
 * machine-made files. A row needs either 网格编码 or both 经度 and 纬度
 * (WGS-84), from which the grid is found in the area tree.
 */
export const COLUMNS = {
  name: { zh: '姓名', aliases: ['name'], required: true },
  idNumber: { zh: '身份证号', aliases: ['公民身份号码', 'id_number'], required: true },
  phone: { zh: '联系电话', aliases: ['手机号', 'phone'], required: false },
  category: { zh: '类别', aliases: ['人员类别', 'category'], required: true },
  gridCode: { zh: '网格编码', aliases: ['grid_code'], required: false },
  lng: { zh: '经度', aliases: ['lng'], required: false },
  lat: { zh: '纬度', aliases: ['lat'], required: false },
  address: { zh: '住址', aliases: ['地址', 'address'], required: false },
} as const;
export type ColumnKey = keyof typeof COLUMNS;

/** Header text → column key. */
export function columnOf(header: string): ColumnKey | null {
  const h = header.trim().replace(/^\uFEFF/, '');
  for (const [k, c] of Object.entries(COLUMNS) as [ColumnKey, (typeof COLUMNS)[ColumnKey]][])
    if (c.zh === h || (c.aliases as readonly string[]).includes(h)) return k;
  return null;
}

/** Spreadsheet column letters for a 0-based index: 0 → A, 26 → AA. */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
