import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Noto Sans SC for the local page, served by the gateway itself: an installer's
 * phone or a service laptop without CJK fonts would otherwise show boxes. The
 * fontsource slices come with their unicode ranges, so a page fetches only the
 * few slices its characters need. Read on first request, never at start.
 */
const FILE = /^noto-sans-sc-[a-z0-9]+(?:-[a-z0-9]+)*-400-normal\.woff2$/;
let dir: string | null = null;
let css: string | null = null;

function fontDir(): string {
  dir ??= dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/400.css'));
  return dir;
}

/** The @font-face rules, pointing at `${base}/NAME.woff2` (woff2 only: every browser since 2018 reads it). */
export function fontCss(base: string): string {
  css ??= readFileSync(join(fontDir(), '400.css'), 'utf8').replace(
    /url\(\.\/files\/([^)]+\.woff2)\) format\('woff2'\), url\(\.\/files\/[^)]+\.woff\) format\('woff'\)/g,
    (_, file: string) => `url(${base}/${file}) format('woff2')`,
  );
  return css;
}

/** One slice's bytes, or null for a name that is not one of the slices (no path ever reaches the disk). */
export function fontFile(name: string): Buffer | null {
  if (!FILE.test(name)) return null;
  try {
    return readFileSync(join(fontDir(), 'files', name));
  } catch {
    // The font package is missing: the page falls back to system fonts.
    return null;
  }
}
