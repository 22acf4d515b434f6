import { LinliError } from '@linli/contract';
import sharp, { type Metadata } from 'sharp';

/** A privacy mask: a polygon in normalised image coordinates, [0..1] × [0..1], origin top-left. */
export type MaskPolygon = readonly (readonly [number, number])[];

export interface SnapshotImages {
  /** The full picture, masked, kept on the gateway. */
  jpeg: Buffer;
  /** A small masked WebP for the cockpit; the only image that leaves the gateway. */
  webp: Buffer;
  width: number;
  height: number;
}

export const THUMB_WIDTH = 320;

/** Problems with a mask list, for config validation (empty when fine). */
export function maskProblems(masks: readonly MaskPolygon[]): string[] {
  const out: string[] = [];
  masks.forEach((poly, i) => {
    if (poly.length < 3) out.push(`mask ${i} needs at least 3 points`);
    poly.forEach(([x, y], j) => {
      if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) out.push(`mask ${i} point ${j} is outside [0..1]`);
    });
  });
  return out;
}

/**
 * Blacks out the masks on the full frame, then derives the thumbnail from the
 * masked frame, so no unmasked pixel can reach either image. Masks are drawn
 * as one SVG of opaque polygons, composited over the decoded frame.
 */
export async function renderSnapshot(frame: Buffer, masks: readonly MaskPolygon[]): Promise<SnapshotImages> {
  let meta: Metadata;
  try {
    meta = await sharp(frame).metadata();
  } catch (err) {
    throw new LinliError('IMAGE', `camera frame is not a decodable image: ${(err as Error).message}`);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!width || !height) throw new LinliError('IMAGE', 'camera frame has no dimensions');
  let base = sharp(frame).rotate();
  if (masks.length) base = base.composite([{ input: maskSvg(masks, width, height), top: 0, left: 0 }]);
  // Flatten the masked frame to raw pixels once; both outputs come from these pixels.
  const { data, info } = await base.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
  const [jpeg, webp] = await Promise.all([
    sharp(data, raw).jpeg({ quality: 85, mozjpeg: false }).toBuffer(),
    sharp(data, raw).resize({ width: THUMB_WIDTH, withoutEnlargement: true }).webp({ quality: 70 }).toBuffer(),
  ]);
  return { jpeg, webp, width: info.width, height: info.height };
}

function maskSvg(masks: readonly MaskPolygon[], width: number, height: number): Buffer {
  const polys = masks
    .map((poly) => {
      const pts = poly.map(([x, y]) => `${(x * width).toFixed(1)},${(y * height).toFixed(1)}`).join(' ');
      return `<polygon points="${pts}" fill="#000" stroke="#000" stroke-width="2"/>`;
    })
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" shape-rendering="crispEdges">${polys}</svg>`,
  );
}
