import { type LinliEvent, scopePrefix } from '@linli/contract';

/**
 * Socket.IO rooms by area. A client is put in exactly one room, the one of its
 * own area, by the server; clients never name rooms. A batch is split so that
 * each room gets only the events inside its area: one message per room.
 */
export const roomFor = (areaCode: string): string => `area:${scopePrefix(areaCode)}`;

/** The room prefixes (city, district, street, community, grid) a grid code belongs to. */
function prefixesOf(gridId: string): string[] {
  return [gridId.slice(0, 4), gridId.slice(0, 6), gridId.slice(0, 9), gridId.slice(0, 12), gridId];
}

export function splitByRoom<T>(items: T[], codeOf: (item: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  // A batch comes from few grids: each code's rooms are worked out once per batch (per event, this was
  // ~0.5 µs of the hub's ingest).
  const roomsOf = new Map<string, string[]>();
  for (const item of items) {
    const code = codeOf(item);
    if (!code) continue;
    let rooms = roomsOf.get(code);
    if (!rooms) {
      rooms = prefixesOf(code.padEnd(15, '0').slice(0, 15))
        .filter((p) => code.startsWith(p))
        .map((p) => `area:${p}`);
      roomsOf.set(code, rooms);
    }
    for (const room of rooms) {
      const list = out.get(room);
      if (list) list.push(item);
      else out.set(room, [item]);
    }
  }
  return out;
}

export const eventArea = (e: LinliEvent) => e.location.gridId;
