import { AreaIndex, loadDemoCity, ringCentroid } from '@linli/geo';
import { createIdFactory } from '@linli/contract';

const areas = new AreaIndex(loadDemoCity());

/** A point inside a grid (its centroid), and one `metres` east of it. */
export function pointIn(gridId: string, eastMetres = 0): { lng: number; lat: number } {
  const ring = areas.byCode.get(gridId)?.ring;
  if (!ring) throw new Error(`no grid ${gridId}`);
  const [lng, lat] = ringCentroid(ring);
  return { lng: lng + eastMetres / (111_320 * Math.cos((lat * Math.PI) / 180)), lat };
}

/** The smallest JPEG-looking bytes, base64 (the hub checks the signature only). */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]).toString('base64');

const newId = createIdFactory();

/** A phone: its device id and its next sequence number, like the app's queue. */
export function phone(clock: () => number = Date.now) {
  let seq = 0;
  const deviceId = `dev-${newId().toLowerCase()}`;
  return {
    deviceId,
    action<T extends Record<string, unknown>>(type: string, body: T) {
      return { clientId: newId(), seq: ++seq, at: clock(), type, ...body };
    },
  };
}
