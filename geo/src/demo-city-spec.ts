/**
 * The demo city: the ten pilot communities of 宿州市埇桥区 named in the policy
 * seeds. Positions, shapes and codes are ILLUSTRATIVE: the real boundaries are
 * not public. Codes follow the admin-division pattern (341302 = 埇桥区, then
 * 3 digits street, 3 digits community) but the street/community digits are made up.
 */
export const DEMO_CITY = {
  city: { code: '341300', name: '宿州市' },
  district: { code: '341302', name: '埇桥区' },
  centre: [116.98, 33.64] as [number, number],
};

export interface CommunitySpec {
  street: string;
  streetCode: string;
  name: string;
  code: string;
  /** Centre of the compound cluster, WGS-84. */
  at: [number, number];
  /** Grid layout rows × cols (4–9 grids). */
  grid: [number, number];
}

export const PILOT_COMMUNITIES: CommunitySpec[] = [
  {
    street: '沱河街道',
    streetCode: '341302001',
    name: '韩池孜社区',
    code: '341302001001',
    at: [117.012, 33.662],
    grid: [2, 3],
  },
  {
    street: '东关街道',
    streetCode: '341302002',
    name: '马号社区',
    code: '341302002001',
    at: [116.998, 33.643],
    grid: [2, 2],
  },
  {
    street: '南关街道',
    streetCode: '341302003',
    name: '广场社区',
    code: '341302003001',
    at: [116.981, 33.626],
    grid: [3, 3],
  },
  {
    street: '三里湾街道',
    streetCode: '341302004',
    name: '纺织路社区',
    code: '341302004001',
    at: [117.006, 33.624],
    grid: [2, 3],
  },
  {
    street: '北关街道',
    streetCode: '341302005',
    name: '北关社区',
    code: '341302005001',
    at: [116.975, 33.661],
    grid: [2, 2],
  },
  {
    street: '埇桥街道',
    streetCode: '341302006',
    name: '城隍庙社区',
    code: '341302006001',
    at: [116.979, 33.645],
    grid: [2, 3],
  },
  {
    street: '埇桥街道',
    streetCode: '341302006',
    name: '西仙桥社区',
    code: '341302006002',
    at: [116.966, 33.651],
    grid: [2, 2],
  },
  {
    street: '三八街道',
    streetCode: '341302007',
    name: '迎宾社区',
    code: '341302007001',
    at: [116.99, 33.609],
    grid: [3, 2],
  },
  {
    street: '三八街道',
    streetCode: '341302007',
    name: '银河社区',
    code: '341302007002',
    at: [117.002, 33.604],
    grid: [2, 2],
  },
  {
    street: '西关街道',
    streetCode: '341302008',
    name: '环宇社区',
    code: '341302008001',
    at: [116.955, 33.638],
    grid: [3, 3],
  },
];
