import type { ErrorObject } from 'ajv';
import type { LinliEvent } from './event.js';
import { validate } from './generated/event-validator.js';
import type { Checked } from './validate.js';

/**
 * Event validation for the browser, with no run-time code generation (the
 * cockpit's CSP forbids eval). Reports problems like the server-side validator.
 */
export function checkEvent(value: unknown): Checked<LinliEvent> {
  if (validate(value)) return { ok: true, value: value as LinliEvent };
  const errors = ((validate as unknown as { errors?: ErrorObject[] }).errors ?? []).slice(0, 10);
  return {
    ok: false,
    issues: errors.map((e) => ({
      field: e.instancePath.slice(1).replace(/\//g, '.'),
      message: e.message ?? 'is invalid',
    })),
  };
}
