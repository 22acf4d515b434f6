/**
 * Place-name parts for made-up cities, drawn from names of northern Anhui and the Huai
 * river plain, including characters that fonts and encodings often lack: 浍 (GBK E4AB),
 * 埇 (not in GB 2312, only in GBK's extension area: 88AC), 濉 (E5A1). Names built from them are
 * illustrative, not real divisions.
 */
export const SYLLABLES = [
  '浍',
  '埇',
  '濉',
  '沱',
  '汴',
  '蕲',
  '砀',
  '泗',
  '符',
  '离',
  '淮',
  '灵',
  '璧',
  '萧',
  '夹',
  '沟',
  '栏',
  '杆',
  '桃',
  '园',
  '朱',
  '仙',
  '庄',
  '永',
  '安',
  '和',
  '平',
  '东',
  '西',
  '南',
  '北',
  '城',
  '关',
  '河',
  '湾',
  '桥',
  '营',
  '集',
  '铺',
  '店',
  '岗',
  '圩',
  '墩',
  '湖',
  '塘',
  '柳',
  '槐',
  '杨',
  '韩',
  '孜',
  '马',
  '号',
  '丰',
  '新',
  '华',
  '兴',
  '宁',
  '泰',
  '祥',
  '瑞',
] as const;

/** A two-syllable name with `suffix`, not already in `taken` (which it joins). */
export function uniqueName(rnd: () => number, suffix: string, taken: Set<string>): string {
  const pick = () => SYLLABLES[Math.floor(rnd() * SYLLABLES.length)]!;
  for (let tries = 0; ; tries++) {
    const name = `${pick()}${pick()}${tries > 50 ? pick() : ''}${suffix}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** How people write facility kinds in a city's lists; the importer maps them to service types. */
export const FACILITY_WORDS = {
  'elderly-care': ['养老服务站', '居家养老服务中心', '日间照料中心'],
  clinic: ['社区卫生服务站', '卫生室', '诊所'],
  canteen: ['老年食堂', '长者食堂', '助餐点'],
  convenience: ['便利店', '超市', '菜市场'],
  park: ['公园', '口袋公园', '游园'],
} as const;
