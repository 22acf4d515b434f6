/**
 * Fake residents and vehicles for the gate simulator: Chinese names, card
 * numbers, employee numbers and Anhui (皖L, Suzhou) plates, all invented and
 * seeded, so the privacy tests can look for exactly these strings downstream.
 */
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
];
const PLATE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

export interface Resident {
  name: string;
  cardNo: string;
  employeeNo: string;
}

export class People {
  readonly residents: Resident[];
  readonly plates: string[];

  constructor(
    private readonly random: () => number,
    count = 40,
  ) {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
    this.residents = Array.from({ length: count }, (_, i) => ({
      name: pick(SURNAMES) + pick(GIVEN) + (random() < 0.5 ? pick(GIVEN) : ''),
      cardNo: `3${digits(9)}`,
      employeeNo: `R${String(1000 + i)}`,
    }));
    this.plates = Array.from(
      { length: Math.ceil(count / 3) },
      () => `皖L${Array.from({ length: 5 }, () => pick([...PLATE_CHARS])).join('')}`,
    );
  }

  resident(): Resident {
    return this.residents[Math.floor(this.random() * this.residents.length)]!;
  }

  plate(): string {
    return this.plates[Math.floor(this.random() * this.plates.length)]!;
  }

  /** A card that belongs to nobody (a refused swipe). */
  strangerCard(): string {
    return `9${Array.from({ length: 9 }, () => Math.floor(this.random() * 10)).join('')}`;
  }
}

/**
 * Relative traffic by hour of the day (China time): morning and evening peaks,
 * quiet nights, so a demo day looks like a compound's day.
 */
export function trafficWeight(now: number): number {
  const hour = new Date(now + 8 * 3_600_000).getUTCHours();
  if (hour >= 7 && hour < 9) return 4;
  if (hour >= 17 && hour < 20) return 3.5;
  if (hour >= 9 && hour < 17) return 1.5;
  if (hour >= 20 && hour < 23) return 1.2;
  return 0.15;
}
