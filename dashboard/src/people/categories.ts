import { can, type Role } from '@linli/contract';

/** Key-population categories (重点人群) in the register. */
export const CATEGORIES = [
  'lone_elder',
  'empty_nest_elder',
  'disabled',
  'low_income',
  'left_behind_child',
  'special_attention',
  'community_correction',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_ZH: Record<Category, string> = {
  lone_elder: '独居老人',
  empty_nest_elder: '空巢老人',
  disabled: '残疾人',
  low_income: '低保户',
  left_behind_child: '留守儿童',
  special_attention: '重点关注',
  community_correction: '社区矫正',
};

/** Community-correction records (and even their counts) exist only for roles with `correction_read`. */
export function visibleCategories(role: Role): Category[] {
  return CATEGORIES.filter((c) => c !== 'community_correction' || can(role, 'correction_read'));
}

export function isCategory(x: string): x is Category {
  return (CATEGORIES as readonly string[]).includes(x);
}

/** Accepts the Chinese name or the code, as a register clerk may type either. */
export function categoryFromText(text: string): Category | null {
  const t = text.trim();
  if (isCategory(t)) return t;
  return CATEGORIES.find((c) => CATEGORY_ZH[c] === t) ?? null;
}
