/**
 * Waits for a condition (never for a time); `ms` only bounds a hang. It is under the suite's 30 s test
 * timeout, so a test that hangs fails here, naming the condition it waited for, not with Vitest's bare
 * timeout. `what` may be a function, to say the state the wait ended in.
 */
export async function until<T>(
  fn: () => T | undefined | false | null,
  what: string | (() => string),
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
