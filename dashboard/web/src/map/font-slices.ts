/** One @font-face of a fontsource CSS file: its woff2 file name and the unicode ranges it covers. */
export interface FontSlice {
  file: string;
  ranges: string[];
}

/** Reads fontsource's `@font-face` blocks (woff2 source, `unicode-range`) from its CSS text. */
export function fontFaceSlices(css: string): FontSlice[] {
  const out: FontSlice[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
    const ranges = /unicode-range:\s*([^;}]+)/.exec(block)?.[1];
    if (file && ranges)
      out.push({ file, ranges: ranges.split(',').map((r) => r.trim().toUpperCase().replace(/^U\+/, 'U+')) });
  }
  return out;
}

/** Whether a code point falls in one of the ranges (`U+4E00-9FFF`, `U+6D4D`). */
export function inRanges(cp: number, ranges: readonly string[]): boolean {
  return ranges.some((r) => {
    const [lo, hi] = r
      .slice(2)
      .split('-')
      .map((h) => parseInt(h, 16)) as [number, number | undefined];
    return cp >= lo && cp <= (hi ?? lo);
  });
}
