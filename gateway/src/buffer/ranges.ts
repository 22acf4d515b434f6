import type { EvictedRange } from '@linli/contract';

/** Consecutive sequences folded into ranges: [3,4,5,9] → [{3,5},{9,9}]. Input must be ascending. */
export function toRanges(seqs: readonly number[]): EvictedRange[] {
  const out: EvictedRange[] = [];
  for (const s of seqs) {
    const last = out[out.length - 1];
    if (last && s === last.toSeq + 1) last.toSeq = s;
    else out.push({ fromSeq: s, toSeq: s });
  }
  return out;
}
