import type { SafeCount } from '@linli/geo';
import type { CountRange } from '../privacy/safe-counts.js';
import type { Category } from './categories.js';

/** One validated register entry, in clear, before it is encrypted and stored. */
export interface ResidentInput {
  name: string;
  /** 18 characters, check character upper-case. */
  idNumber: string;
  phone: string | null;
  category: Category;
  /** 15-digit grid code. */
  gridCode: string;
  address: string | null;
}

/** A record as it leaves the register: masked unless `masked` is false. */
export interface ResidentRecord {
  id: string;
  category: Category;
  categoryZh: string;
  gridCode: string;
  name: string;
  idNumber: string;
  phone: string | null;
  address: string | null;
  masked: boolean;
}

export interface GridCounts {
  gridCode: string;
  gridName: string;
  /** Per visible category; 0–4 shown as "<5" (privacy/safe-counts.ts). */
  cells: Partial<Record<Category, SafeCount>>;
  /** The range the shown cells imply (min = max when none is hidden), never a sum that could be subtracted. */
  total: CountRange;
}

export interface ListFilter {
  category?: Category;
  /** Any area code inside the viewer's area (street, community, grid). */
  areaCode?: string;
  /** Default 50, at most 200. */
  limit?: number;
  offset?: number;
}

/** Why an unmasked read is needed: a fixed list, so no free text (which could hold personal data) enters the audit log. */
export const UNMASK_REASONS = ['welfare_visit', 'emergency', 'data_correction', 'service_delivery'] as const;
export type UnmaskReason = (typeof UNMASK_REASONS)[number];
