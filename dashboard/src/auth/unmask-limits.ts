/**
 * How far unmasking goes (docs/hub.md, "Unmasking"). The defaults are what a
 * data-protection officer would sign: a handful of full records an hour, a
 * second factor re-entered minutes before, grants that end within a month.
 */
export interface UnmaskLimits {
  /** Unmasked reads one user may make in any sliding hour (counted in the database, so across hub nodes). */
  perHour: number;
  /** How long a step-up (TOTP re-entered for the session) counts as fresh. */
  stepUpMs: number;
  /** The longest an administrator may grant unmasking for at once. */
  maxGrantMs: number;
}

export const DEFAULT_UNMASK_LIMITS: UnmaskLimits = {
  perHour: 5,
  stepUpMs: 5 * 60_000,
  maxGrantMs: 30 * 24 * 3600_000,
};

export const HOUR_MS = 3600_000;

/** Defaults overridden by what is given; refuses values that would switch a limit off. */
export function unmaskLimits(over: Partial<UnmaskLimits> = {}): UnmaskLimits {
  const l = { ...DEFAULT_UNMASK_LIMITS, ...over };
  if (!Number.isInteger(l.perHour) || l.perHour < 1 || l.perHour > 100)
    throw new Error(`unmask perHour must be a whole number 1–100 (got ${l.perHour})`);
  if (!(l.stepUpMs >= 30_000 && l.stepUpMs <= 30 * 60_000))
    throw new Error(`unmask stepUpMs must be 30 s – 30 min (got ${l.stepUpMs})`);
  if (!(l.maxGrantMs >= 60_000 && l.maxGrantMs <= 90 * 24 * HOUR_MS))
    throw new Error(`unmask maxGrantMs must be 1 min – 90 days (got ${l.maxGrantMs})`);
  return l;
}
