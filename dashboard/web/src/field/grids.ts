import type { GetReply } from '@linli/contract/browser';
import { cached } from './field-api.js';

export type FieldGrid = GetReply<'/api/field/grids'>['grids'][number];

/** The grid outlines the phone may draw, by code; the last good answer in a dead spot, none before the first. */
export async function loadGrids(): Promise<Map<string, FieldGrid>> {
  const { value } = await cached('/api/field/grids').catch(() => ({ value: null }));
  return new Map((value?.grids ?? []).map((g) => [g.code, g]));
}
