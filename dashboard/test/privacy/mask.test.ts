import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAddress, maskName, maskPhone, maskResidentId } from '../../src/privacy/mask.js';
import { idCheckChar, normalizeResidentId, residentIdProblem } from '../../src/privacy/resident-id.js';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const validId = fc
  .tuple(
    digits(6),
    fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
    digits(3),
  )
  .map(([area, d, seq]) => {
    const first17 = area + d.toISOString().slice(0, 10).replaceAll('-', '') + seq;
    return first17 + idCheckChar(first17);
  });

describe('resident ID (GB 11643)', () => {
  it('accepts the standard example and checks the check character', () => {
    expect(residentIdProblem('11010519491231002X')).toBeNull();
    expect(residentIdProblem('110105194912310021')).toBe('checksum');
    expect(residentIdProblem('11010519491331002X')).toBe('birth_date');
    expect(residentIdProblem('1101051949123100')).toBe('format');
    expect(normalizeResidentId(' 11010519491231002x ')).toBe('11010519491231002X');
  });

  it('catches every single-digit error', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (id, pos, delta) => {
        const changed = id.slice(0, pos) + ((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        expect(residentIdProblem(changed)).not.toBeNull();
      }),
    );
  });
});

describe('masks', () => {
  it('show IDs and phones the Chinese way', () => {
    expect(maskResidentId('34130219450307001X')).toBe('3413**********001X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskAddress('埇桥区沱河街道韩池孜社区示例小区3栋2单元502室')).toBe('埇桥区沱河街道韩池孜社区示例小区3栋**');
    expect(maskAddress('示例小区12号楼1单元101室')).toBe('示例小区12号楼**');
    expect(maskAddress('韩池孜社区东侧平房')).toBe('韩池孜社区**');
  });

  it('never reveal the hidden ID digits: IDs differing only there mask the same', () => {
    fc.assert(
      fc.property(validId, digits(10), (id, other) => {
        const m = maskResidentId(id);
        expect(m).toHaveLength(18);
        expect(m.slice(4, 14)).toBe('*'.repeat(10));
        expect(maskResidentId(id.slice(0, 4) + other + id.slice(14))).toBe(m);
      }),
    );
  });

  it('never reveal the middle four of a mobile', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), digits(9), digits(4), (net, rest, mid) => {
        const phone = `1${net}${rest}`;
        const m = maskPhone(phone);
        expect(m).toMatch(/^1\d{2}\*{4}\d{4}$/);
        expect(maskPhone(phone.slice(0, 3) + mid + phone.slice(7))).toBe(m);
      }),
    );
  });

  it('keep only the surname of a name', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林'), minLength: 2, maxLength: 4 }),
        (name) => {
          const m = maskName(name);
          expect(m[0]).toBe(name[0]);
          expect(m.slice(1)).toBe('*'.repeat(name.length - 1));
        },
      ),
    );
  });
});
