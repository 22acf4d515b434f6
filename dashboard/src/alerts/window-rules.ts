import { ValidationError, type ValidationIssue } from '@linli/contract';
import { AlertError } from './errors.js';
import { inScopes } from './scope.js';

/** A community code has 12 digits, a grid 15: a narrow window sits inside one community. */
const COMMUNITY_DIGITS = 12;
/** A window may be declared this far ahead, no further: a window for next year is a silent trap. */
export const MAX_LEAD_MS = 30 * 24 * 3600_000;
/** Clocks of people's browsers drift: a start this far in the past still counts as "now". */
export const START_LEEWAY_MS = 5 * 60_000;

export interface WindowShape {
  areaPrefix: string;
  deviceId?: string | null;
  kind?: string | null;
}

/**
 * Narrow: one device, or one kind, inside one community or grid. Anything
 * else (a whole area, or a street or wider) silences too much for one person
 * to decide alone and waits for a city-level approver.
 */
export function isWideWindow(w: WindowShape): boolean {
  const targeted = (w.deviceId ?? null) !== null || (w.kind ?? null) !== null;
  return !targeted || w.areaPrefix.length < COMMUNITY_DIGITS;
}

/**
 * Every check on a new window's place and time, all problems at once: inside
 * the creator's area, ends after it starts, starts now-ish and within 30 days,
 * and lasts at most `maxMs` (refused with its own code, MAINTENANCE_TOO_LONG).
 */
export function checkNewWindow(
  w: WindowShape & { startsAt: number; endsAt: number },
  scope: readonly string[],
  now: number,
  maxMs: number,
): void {
  const issues: ValidationIssue[] = [];
  if (!inScopes(w.areaPrefix, scope)) issues.push(issue('areaPrefix', 'must lie inside your area'));
  if (w.endsAt <= w.startsAt) issues.push(issue('endsAt', 'must be after startsAt'));
  if (w.startsAt < now - START_LEEWAY_MS) issues.push(issue('startsAt', 'must not lie in the past'));
  if (w.startsAt > now + MAX_LEAD_MS) issues.push(issue('startsAt', 'must lie within 30 days from now'));
  if (issues.length) throw new ValidationError('maintenance window', issues);
  if (w.endsAt - w.startsAt > maxMs)
    throw new AlertError(
      'MAINTENANCE_TOO_LONG',
      `维护窗口最长 ${hours(maxMs)} 小时 (a maintenance window lasts at most ${hours(maxMs)} h; declare a new one when it is over)`,
      { maxMs },
    );
}

const issue = (field: string, message: string): ValidationIssue => ({ field, message });
const hours = (ms: number) => Math.round((ms / 3600_000) * 100) / 100;
