import { ValidationError } from '@linli/contract';
import { AlertError } from '../alerts/errors.js';
import { PhotoError } from './photo-store.js';

export type FieldRefusalCode =
  | 'FIELD_NOT_ASSIGNED'
  | 'FIELD_NOT_THERE'
  | 'FIELD_TOO_FAR'
  | 'FIELD_OUTSIDE_AREA'
  | 'FIELD_NO_GRID'
  | 'FIELD_UNKNOWN_CATEGORY'
  | 'FIELD_NO_PATROL'
  | 'FIELD_PATROL_CLOSED'
  | 'FIELD_PATROL_EXISTS'
  | 'FIELD_UNKNOWN_POINT'
  | 'FIELD_ALREADY_CHECKED_IN'
  | 'FIELD_UNKNOWN_ROUTE';

/**
 * A phone action the hub will not apply, for a reason the worker can act on
 * (too far from the point, not your task). Final: the action is recorded as
 * refused and the device's sequence moves on, so a queue never sticks on it.
 */
export class FieldRefusal extends Error {
  constructor(
    readonly code: FieldRefusalCode,
    message: string,
    readonly data: Record<string, string | number | null> = {},
  ) {
    super(message);
    this.name = 'FieldRefusal';
  }
}

/** The code and words of a refusal, or null when `err` is not one (a fault: the batch is answered with an error). */
export function asRefusal(err: unknown): { code: string; message: string; data?: FieldRefusal['data'] } | null {
  if (err instanceof FieldRefusal) return { code: err.code, message: err.message, data: err.data };
  if (err instanceof AlertError) return { code: err.code, message: err.message };
  if (err instanceof PhotoError) return { code: err.code, message: err.message };
  if (err instanceof ValidationError) return { code: 'FIELD_INVALID', message: err.message.slice(0, 500) };
  return null;
}
