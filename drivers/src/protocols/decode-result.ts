/**
 * What every byte-level decoder in drivers/ returns. Decoders never throw on
 * bad bytes and never read past their input: a stream reader either gets a
 * frame, is told to wait for more bytes, or is told how many bytes to skip.
 */
export type DecodeResult<T> =
  | { ok: true; value: T; /** bytes used from the start of the input */ consumed: number }
  | { ok: false; error: DecodeError };

export type DecodeError =
  /** The input is a valid prefix of a frame: wait for more bytes (never more than `maxFrameBytes` in total). */
  | { kind: 'incomplete'; needAtLeast: number }
  /** The bytes cannot start a valid frame; drop `skip` bytes (≥ 1) and try again. */
  | { kind: 'invalid'; reason: string; skip: number };

export const incomplete = (needAtLeast: number): { ok: false; error: DecodeError } => ({
  ok: false,
  error: { kind: 'incomplete', needAtLeast },
});

export const invalid = (reason: string, skip = 1): { ok: false; error: DecodeError } => ({
  ok: false,
  error: { kind: 'invalid', reason, skip: Math.max(1, skip) },
});
