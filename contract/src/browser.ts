import type { ErrorObject } from 'ajv';
import type { LinliEvent } from './event.js';
import type { FieldUpdate } from './field.js';
import {
  validate,
  validateCityChanged,
  validateFieldUpdate,
  validateGatewayViews,
} from './generated/event-validator.js';
import type { Checked } from './validate.js';
import type { CityChanged, GatewayView } from './wire.js';

/**
 * Validation for the browser, with no run-time code generation (the cockpit's
 * CSP forbids eval). Reports problems like the server-side validators.
 */
export function checkEvent(value: unknown): Checked<LinliEvent> {
  return run<LinliEvent>(validate, value);
}

/** The hub's periodic list of gateways and their delivery state. */
export function checkGatewayViews(value: unknown): Checked<GatewayView[]> {
  return run<GatewayView[]>(validateGatewayViews, value);
}

/** A field update (a worker's position, a check-in) on the cockpit socket. */
export function checkFieldUpdate(value: unknown): Checked<FieldUpdate> {
  return run<FieldUpdate>(validateFieldUpdate, value);
}

/** The hub's word that another city version is active (`city:changed`). */
export function checkCityChanged(value: unknown): Checked<CityChanged> {
  return run<CityChanged>(validateCityChanged, value);
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
