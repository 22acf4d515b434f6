import { LinliError } from '@linli/contract';
import type { AlertState } from './types.js';

export type AlertErrorCode =
  /** No such alert or window inside the caller's scope (out-of-scope ids look exactly like missing ones). */
  | 'ALERT_NOT_FOUND'
  /** The action is not allowed from the alert's current state. */
  | 'ALERT_INVALID_TRANSITION'
  /** Resolving needs a note saying what was done. */
  | 'ALERT_NOTE_REQUIRED'
  /** Someone else changed the alert between read and write; re-read and retry. */
  | 'ALERT_CONFLICT'
  /** A maintenance window longer than the configured maximum (default 24 h). */
  | 'MAINTENANCE_TOO_LONG'
  /** Only a pending window can be approved. */
  | 'MAINTENANCE_NOT_PENDING'
  /** Two-person rule: whoever declared a wide window cannot approve it. */
  | 'MAINTENANCE_SELF_APPROVAL'
  /** The window is already over (ended early, or past its end). */
  | 'MAINTENANCE_OVER';

/** A caller's request the alert service refuses; `details` lets a UI say why in its own words. */
export class AlertError extends LinliError {
  declare readonly code: AlertErrorCode;
  readonly details: {
    alertId?: string;
    action?: string;
    current?: AlertState;
    allowed?: string[];
    windowId?: string;
    maxMs?: number;
  };
  constructor(code: AlertErrorCode, message: string, details: AlertError['details'] = {}) {
    super(code, message);
    this.details = details;
  }

  /** The structured form the REST API and Socket.IO replies send back. */
  toJSON(): { code: AlertErrorCode; message: string } & AlertError['details'] {
    return { code: this.code, message: this.message, ...this.details };
  }
}
