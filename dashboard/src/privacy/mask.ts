/**
 * Masking the way Chinese government and bank sites show numbers:
 * - ID numbers keep the first 4 digits (province and city, which every
 *   record in a city's own system shares anyway) and the last 4, as in
 *   `3413**********1234`. This hides the district, the birth date and the
 *   sequence (sex) — the parts that single a person out. First-6 practice
 *   would also show the district; we take the stricter of the two.
 * - Mobiles keep the 3-digit network prefix and the last 4: `138****5678`.
 * - Names keep the surname (one character, or two for compound surnames):
 *   `张*`, `张**`, `欧阳**`.
 * - Addresses are cut after the building (栋/幢/号楼/座), dropping unit,
 *   floor and room; without a building they keep the community and drop the rest.
 * ID, phone and name masks keep the input's length (one * per hidden character).
 */

export function maskResidentId(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}

export function maskPhone(phone: string): string {
  const p = phone.replace(/[\s-]/g, '');
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  // Landlines and odd formats: keep only the last 2.
  return p.length <= 2 ? '*'.repeat(p.length) : '*'.repeat(p.length - 2) + p.slice(-2);
}

const COMPOUND_SURNAMES = new Set(
  (
    '欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 ' +
    '南宫 西门 申屠 呼延 万俟 澹台 公冶 太史 濮阳 淳于 单于 赫连 闻人 东郭 百里 第五 司空 左丘 ' +
    '漆雕 拓跋 段干 谷梁 梁丘 羊舌 微生 巫马 乐正 壤驷 颛孙 仲孙 亓官 司寇 子车 公西 公良'
  ).split(' '),
);

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  const keep = chars.length > 2 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}

const BUILDING = /^.*?\d+\s*(?:号楼|栋|幢|座)/;
const COMMUNITY = /^.*?(?:小区|社区|村|花园|家园|公寓|苑)/;

export function maskAddress(address: string): string {
  const a = address.trim();
  const m = BUILDING.exec(a) ?? COMMUNITY.exec(a);
  if (m && m[0].length < a.length) return `${m[0]}**`;
  if (m) return m[0];
  // Nothing recognisable: show only the first few characters (the district or road).
  const chars = [...a];
  return chars.slice(0, Math.min(6, Math.floor(chars.length / 2))).join('') + '**';
}
