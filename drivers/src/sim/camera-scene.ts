import { createHash } from 'node:crypto';
import sharp from 'sharp';

/**
 * The picture a simulated camera serves: a gate scene of its own (sky, buildings
 * and barrier drawn from a hash of its name), its name, and a running clock, so
 * an operator looking at an alarm snapshot sees which camera and when. The clock
 * is drawn as seven-segment digits, which need no font: it reads even on a
 * machine with no fonts installed.
 */
export const SCENE_WIDTH = 640;
export const SCENE_HEIGHT = 360;

/** Segments a..g of each digit, as in a seven-segment display. */
const SEGMENTS: Record<string, string> = {
  '0': 'abcdef',
  '1': 'bc',
  '2': 'abdeg',
  '3': 'abcdg',
  '4': 'bcfg',
  '5': 'acdfg',
  '6': 'acdefg',
  '7': 'abc',
  '8': 'abcdefg',
  '9': 'abcdfg',
};

function segmentRects(digit: string, x: number, y: number, w: number, h: number, t: number): string {
  const half = h / 2;
  const at: Record<string, [number, number, number, number]> = {
    a: [x + t, y, w - 2 * t, t],
    b: [x + w - t, y + t, t, half - t],
    c: [x + w - t, y + half, t, half - t],
    d: [x + t, y + h - t, w - 2 * t, t],
    e: [x, y + half, t, half - t],
    f: [x, y + t, t, half - t],
    g: [x + t, y + half - t / 2, w - 2 * t, t],
  };
  return [...(SEGMENTS[digit] ?? '')]
    .map((s) => `<rect x="${at[s]![0]}" y="${at[s]![1]}" width="${at[s]![2]}" height="${at[s]![3]}"/>`)
    .join('');
}

/** `2026-12-02 14:03:05` in China Standard Time, the cameras' on-screen display. */
export function sceneClock(at: Date): string {
  return at.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false }).replace('T', ' ');
}

function clockSvg(text: string, x: number, y: number): string {
  const w = 14;
  const h = 24;
  let out = '';
  let cx = x;
  for (const ch of text) {
    if (/\d/.test(ch)) {
      out += segmentRects(ch, cx, y, w, h, 3);
      cx += w + 5;
    } else if (ch === ':') {
      out += `<rect x="${cx}" y="${y + 6}" width="3" height="3"/><rect x="${cx}" y="${y + 16}" width="3" height="3"/>`;
      cx += 8;
    } else if (ch === '-') {
      out += `<rect x="${cx}" y="${y + h / 2 - 1.5}" width="8" height="3"/>`;
      cx += 12;
    } else cx += 12;
  }
  return out;
}

/** The scene as SVG; deterministic for a name and a time. */
export function sceneSvg(name: string, at: Date): string {
  const seed = createHash('sha256').update(name).digest();
  const hue = (seed[0]! * 360) / 256;
  const buildings = Array.from({ length: 4 + (seed[1]! % 4) }, (_, i) => {
    const w = 60 + (seed[2 + i]! % 60);
    const h = 90 + (seed[8 + i]! % 140);
    const x = i * 150 + (seed[14 + i]! % 40) - 20;
    const windows = Array.from({ length: Math.floor(h / 30) }, (_, r) =>
      [0, 1, 2]
        .filter((c) => (seed[(r + c + i) % 32]! >> c) & 1)
        .map((c) => `<rect x="${x + 10 + c * (w / 3)}" y="${270 - h + 12 + r * 30}" width="${w / 5}" height="12"/>`)
        .join(''),
    ).join('');
    return `<rect x="${x}" y="${270 - h}" width="${w}" height="${h}" fill="hsl(${(hue + 30 * i) % 360},18%,${38 + (i % 3) * 8}%)"/><g fill="#f5e6a8">${windows}</g>`;
  }).join('');
  // The barrier arm's angle changes with the second, so consecutive snapshots differ visibly.
  const arm = -((at.getUTCSeconds() % 30) * 3);
  const gateX = 120 + (seed[20]! % 300);
  const safeName = name.replace(/[^a-zA-Z0-9._-]/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SCENE_WIDTH}" height="${SCENE_HEIGHT}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,62%)"/><stop offset="1" stop-color="hsl(${hue},45%,85%)"/></linearGradient></defs>
<rect width="${SCENE_WIDTH}" height="270" fill="url(#sky)"/>${buildings}
<rect y="270" width="${SCENE_WIDTH}" height="90" fill="#5b5f66"/>
<rect y="312" width="${SCENE_WIDTH}" height="4" fill="#e8e8e8" stroke-dasharray="20 14"/>
<rect x="${gateX - 12}" y="240" width="24" height="60" fill="#ddd"/>
<g transform="rotate(${arm} ${gateX} 250)"><rect x="${gateX}" y="244" width="170" height="10" fill="#d33"/><rect x="${gateX + 30}" y="244" width="25" height="10" fill="#fff"/><rect x="${gateX + 90}" y="244" width="25" height="10" fill="#fff"/></g>
<rect x="0" y="0" width="${SCENE_WIDTH}" height="40" fill="#000" fill-opacity="0.55"/>
<g fill="#fff">${clockSvg(sceneClock(at), 12, 8)}</g>
<text x="${SCENE_WIDTH - 12}" y="28" text-anchor="end" font-family="DejaVu Sans, sans-serif" font-size="20" fill="#fff">${safeName}</text>
</svg>`;
}

/** A JPEG of the scene at this second. */
export function sceneJpeg(name: string, at: Date): Promise<Buffer> {
  return sharp(Buffer.from(sceneSvg(name, at)))
    .jpeg({ quality: 80 })
    .toBuffer();
}
