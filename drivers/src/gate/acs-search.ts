import { randomUUID } from 'node:crypto';
import { FieldFault } from '@linli/contract';
import type { IsapiClient } from './isapi-client.js';

export const ACS_EVENT_PATH = '/ISAPI/AccessControl/AcsEvent?format=json';
/** Terminals are slow: 30 records a page is what they handle without stalling. */
const PAGE = 30;
/** A catch-up never reads more than this many pages (6000 records); the rest is reported as a gap. */
const MAX_PAGES = 200;

/** ISAPI wants local time with its offset; Chinese terminals run on UTC+8 (one zone nationwide). */
export function isapiTime(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export interface SearchPage {
  items: Record<string, unknown>[];
  more: boolean;
}

/** One page of `POST /ISAPI/AccessControl/AcsEvent?format=json`. */
export async function searchPage(
  client: IsapiClient,
  cond: { searchID: string; position: number; max: number; startTime: string; endTime: string; reverse?: boolean },
  signal?: AbortSignal,
): Promise<SearchPage> {
  const body = JSON.stringify({
    AcsEventCond: {
      searchID: cond.searchID,
      searchResultPosition: cond.position,
      maxResults: cond.max,
      major: 0,
      minor: 0,
      startTime: cond.startTime,
      endTime: cond.endTime,
      ...(cond.reverse ? { timeReverseOrder: true } : {}),
    },
  });
  const res = await client.request('POST', ACS_EVENT_PATH, body, 'application/json', signal);
  if (res.status !== 200)
    throw new FieldFault('REFUSED', `gate terminal ${client.address} refused the event search (HTTP ${res.status})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body.toString('utf8'));
  } catch {
    // The parser's message would quote the body, which holds names: say only what and how long.
    throw new FieldFault('DEVICE_REPLY', `event search reply is not JSON (${res.body.length} bytes)`);
  }
  const acs = (parsed as { AcsEvent?: unknown })?.AcsEvent as Record<string, unknown> | undefined;
  if (!acs || typeof acs !== 'object')
    throw new FieldFault('DEVICE_REPLY', 'event search reply has no AcsEvent object');
  const list = acs.InfoList;
  const items = Array.isArray(list)
    ? list.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x))
    : [];
  return { items, more: acs.responseStatusStrg === 'MORE' && items.length > 0 };
}

/**
 * Every record between two times, page by page. `onPage` sees each page as it
 * arrives so a long catch-up does not hold thousands of records (with names)
 * in memory at once.
 */
export async function searchAll(
  client: IsapiClient,
  fromMs: number,
  toMs: number,
  onPage: (items: Record<string, unknown>[]) => Promise<void>,
  signal?: AbortSignal,
): Promise<{ pages: number; complete: boolean }> {
  const searchID = randomUUID();
  let position = 0;
  for (let pages = 1; pages <= MAX_PAGES; pages++) {
    const page = await searchPage(
      client,
      {
        searchID,
        position,
        max: PAGE,
        startTime: isapiTime(fromMs),
        endTime: isapiTime(toMs),
      },
      signal,
    );
    await onPage(page.items);
    position += page.items.length;
    if (!page.more) return { pages, complete: true };
  }
  return { pages: MAX_PAGES, complete: false };
}

/** The terminal's newest serial number (0 when its log is empty): where a fresh driver starts. */
export async function newestSerial(client: IsapiClient, nowMs: number, signal?: AbortSignal): Promise<number> {
  const page = await searchPage(
    client,
    {
      searchID: randomUUID(),
      position: 0,
      max: 1,
      startTime: isapiTime(nowMs - 7 * 86_400_000),
      endTime: isapiTime(nowMs + 86_400_000),
      reverse: true,
    },
    signal,
  );
  const n = Number(page.items[0]?.serialNo ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}
