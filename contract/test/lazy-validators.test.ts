import { describe, expect, it } from 'vitest';
import { validators } from '../src/index.js';

/**
 * Validators compile on first use (validate.ts), so a schema Ajv cannot compile
 * would no longer fail at import: this compiles every one the contract exports.
 */
describe('every contract validator compiles', () => {
  const { payload, ...wire } = validators;
  const all = [...Object.entries(wire), ...Object.entries(payload).map(([k, v]) => [`payload ${k}`, v] as const)];

  it.each(all)('%s', (_name, v) => {
    // `Symbol()` matches no schema: the call compiles the schema and reports issues instead of throwing.
    const r = v.check(Symbol('not a message'));
    expect(r.ok).toBe(false);
  });

  it('covers the wire messages and every event kind', () => {
    expect(all.length).toBeGreaterThan(20 + Object.keys(payload).length - 1);
  });
});
