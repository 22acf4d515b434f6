import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fontFaceSlices, inRanges } from '../../web/src/map/font-slices.js';
import { woffCodePoints } from './woff-cmap.js';

/**
 * Every character the cockpit can show has a glyph in the fonts the hub serves:
 * the names of the demo city's areas, streets, facilities and basemap labels,
 * and every Chinese string of the web app. A character no slice covers would be
 * drawn as ☒ on the map (浍水路 once was: the common-characters subset lacks 浍).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const fontDir = dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/400.css'));

function* files(dir: string, ext: RegExp): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p, ext);
    else if (ext.test(e.name)) yield p;
  }
}

/** Every non-ASCII character (CJK, punctuation, symbols) in the texts the cockpit displays. */
function displayedCharacters(): Map<number, string> {
  const where = new Map<number, string>();
  const sources = [
    ...files(join(ROOT, 'geo', 'data'), /\.json$/),
    ...files(join(ROOT, 'dashboard', 'web', 'src'), /\.ts$/),
  ];
  for (const file of sources)
    for (const ch of readFileSync(file, 'utf8'))
      if (/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(ch)) where.set(ch.codePointAt(0)!, file.slice(ROOT.length));
  return where;
}

describe('glyphs for every displayed character', () => {
  const slices = fontFaceSlices(readFileSync(join(fontDir, '400.css'), 'utf8'));
  const cmaps = new Map<string, Set<number>>();
  const covered = (cp: number) =>
    slices.some((s) => {
      if (!inRanges(cp, s.ranges)) return false;
      const woff = s.file.replace(/\.woff2$/, '.woff');
      if (!cmaps.has(woff)) cmaps.set(woff, woffCodePoints(join(fontDir, 'files', woff)));
      return cmaps.get(woff)!.has(cp);
    });

  it('reads the slices fontsource ships (about a hundred, by unicode range)', () => {
    expect(slices.length).toBeGreaterThan(90);
    expect(slices.some((s) => inRanges(0x6d4d, s.ranges))).toBe(true); // 浍
  });

  it('covers every character of the demo city and the web app', () => {
    const chars = displayedCharacters();
    expect(chars.size).toBeGreaterThan(300);
    expect(chars.has(0x6d4d)).toBe(true); // 浍水路, a demo street
    const missing = [...chars]
      .filter(([cp]) => !covered(cp))
      .map(([cp, file]) => `${String.fromCodePoint(cp)} (${file})`);
    expect(missing).toEqual([]);
  });

  it('would have caught 浍: the common-characters subset alone lacks it', () => {
    const common = woffCodePoints(join(fontDir, 'files', 'noto-sans-sc-chinese-simplified-400-normal.woff'));
    expect(common.has('路'.codePointAt(0)!)).toBe(true);
    expect(common.has('浍'.codePointAt(0)!)).toBe(false);
    expect(covered('浍'.codePointAt(0)!)).toBe(true);
  });
});
