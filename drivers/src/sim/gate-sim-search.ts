import type { AcsRecord } from './gate-sim-records.js';

/** Terminals cap a page; asking for more just gets this many. */
const MAX_PAGE = 50;

/**
 * The terminal side of `POST /ISAPI/AccessControl/AcsEvent?format=json`:
 * filter the log by time and (major, minor) (0 = any), order by serial
 * (newest first with timeReverseOrder), page by searchResultPosition.
 */
export function searchLog(log: readonly AcsRecord[], text: string): { status: number; body: unknown } {
  let cond: Record<string, unknown>;
  try {
    cond = (JSON.parse(text) as { AcsEventCond?: Record<string, unknown> }).AcsEventCond ?? {};
  } catch {
    return { status: 400, body: { statusCode: 6, statusString: 'Invalid Content', subStatusCode: 'badJsonFormat' } };
  }
  const from = Date.parse(String(cond.startTime ?? ''));
  const to = Date.parse(String(cond.endTime ?? ''));
  const position = Number(cond.searchResultPosition ?? 0);
  const max = Math.min(Number(cond.maxResults ?? 10), MAX_PAGE);
  if (!Number.isFinite(from) || !Number.isFinite(to) || !(position >= 0) || !(max > 0))
    return { status: 400, body: { statusCode: 6, statusString: 'Invalid Content', subStatusCode: 'badParameters' } };
  const major = Number(cond.major ?? 0);
  const minor = Number(cond.minor ?? 0);
  const matches = log.filter((r) => {
    const t = Date.parse(r.time);
    return t >= from && t <= to && (major === 0 || r.major === major) && (minor === 0 || r.minor === minor);
  });
  matches.sort((a, b) => (cond.timeReverseOrder ? b.serialNo - a.serialNo : a.serialNo - b.serialNo));
  const page = matches.slice(position, position + max);
  const more = position + page.length < matches.length;
  return {
    status: 200,
    body: {
      AcsEvent: {
        searchID: String(cond.searchID ?? ''),
        totalMatches: matches.length,
        responseStatusStrg: page.length === 0 ? 'NO MATCH' : more ? 'MORE' : 'OK',
        numOfMatches: page.length,
        ...(page.length ? { InfoList: page } : {}),
      },
    },
  };
}
