import type { ErrorObject } from 'ajv';
import type { LinliEvent } from './event.js';
import * as generated from './generated/event-validator.js';
import type { Alert } from './rest/alerts.js';
import { type BrowserGetPath, type GetReply, replyValidatorName } from './rest/replies.js';
import type { FieldUpdate } from './field.js';
import type { Checked } from './validate.js';
import type { CityChanged, GatewayView } from './wire.js';

export { type ErrorCode, refusalCode } from './error-codes.js';
export { OPEN_ALERT_STATES } from './rest/alerts.js';
// The role rules the hub enforces, so the page offers only what the hub will allow.
export { can, inScope, type Role, ROLES, scopePrefix } from './roles.js';
export { BROWSER_GET_PATHS, type BrowserGetPath, type GetReply } from './rest/replies.js';

/**
 * Validation for the browser, with no run-time code generation (the cockpit's
 * CSP forbids eval). Reports problems like the server-side validators.
 */
export function checkEvent(value: unknown): Checked<LinliEvent> {
  return run<LinliEvent>(generated.validate, value);
}

/** The hub's periodic list of gateways and their delivery state. */
export function checkGatewayViews(value: unknown): Checked<GatewayView[]> {
  return run<GatewayView[]>(generated.validateGatewayViews, value);
}

/** One changed alert pushed by the hub (`alert` on /cockpit). */
export function checkAlert(value: unknown): Checked<Alert> {
  return run<Alert>(generated.validateAlert, value);
}

/** The 200 reply of a GET route the cockpit reads, against the route's schema (rest/replies.ts). */
export function checkReply<P extends BrowserGetPath>(path: P, value: unknown): Checked<GetReply<P>> {
  const fn = (generated as unknown as Record<string, (v: unknown) => boolean>)[replyValidatorName(path)];
  if (!fn) return { ok: false, issues: [{ field: '', message: `no reply schema for ${path}` }] };
  return run<GetReply<P>>(fn, value);
}

/** A field update (a worker's position, a check-in) on the cockpit socket. */
export function checkFieldUpdate(value: unknown): Checked<FieldUpdate> {
  return run<FieldUpdate>(generated.validateFieldUpdate, value);
}

/** The hub's word that another city version is active (`city:changed`). */
export function checkCityChanged(value: unknown): Checked<CityChanged> {
  return run<CityChanged>(generated.validateCityChanged, value);
}

function run<T>(fn: (v: unknown) => boolean, value: unknown): Checked<T> {
  if (fn(value)) return { ok: true, value: value as T };
  const errors = ((fn as unknown as { errors?: ErrorObject[] }).errors ?? []).slice(0, 10);
  return {
    ok: false,
    issues: errors.map((e) => ({
      field: e.instancePath.slice(1).replace(/\//g, '.'),
      message: e.message ?? 'is invalid',
    })),
  };
}
