import { AlertError } from './errors.js';
import type { AlertState } from './types.js';

/** Actions a person (or the hub, for `suppress`) takes on an alert, and where each leads. */
export type TransitionAction = 'dispatch' | 'acknowledge' | 'resolve' | 'suppress' | 'unsuppress';

/**
 * The allowed moves. Re-dispatch from dispatched/acknowledged hands the alert
 * to someone else; resolve is allowed from every open state because a false
 * alarm is closed without sending anyone (the note says so). Resolved is final.
 */
const MOVES: Record<AlertState, Partial<Record<TransitionAction, AlertState>>> = {
  raised: { dispatch: 'dispatched', resolve: 'resolved', suppress: 'suppressed' },
  dispatched: { dispatch: 'dispatched', acknowledge: 'acknowledged', resolve: 'resolved' },
  acknowledged: { dispatch: 'dispatched', resolve: 'resolved' },
  suppressed: { unsuppress: 'raised', resolve: 'resolved' },
  resolved: {},
};

/** Actions allowed from `state`, in a stable order. */
export function allowedActions(state: AlertState): TransitionAction[] {
  return Object.keys(MOVES[state]) as TransitionAction[];
}

/** The state `action` leads to from `state`, or an ALERT_INVALID_TRANSITION error naming what is allowed. */
export function nextState(alertId: string, state: AlertState, action: TransitionAction): AlertState {
  const to = MOVES[state][action];
  if (to) return to;
  const allowed = allowedActions(state);
  throw new AlertError(
    'ALERT_INVALID_TRANSITION',
    `cannot ${action} alert ${alertId}: it is ${state}; ` +
      (allowed.length ? `from ${state} you may ${allowed.join(', ')}` : `${state} is final`),
    { alertId, action, current: state, allowed },
  );
}

/** States whose work an SLA timer watches. */
export function timedPhase(state: AlertState): 'dispatchMs' | 'acknowledgeMs' | 'resolveMs' | null {
  return state === 'raised'
    ? 'dispatchMs'
    : state === 'dispatched'
      ? 'acknowledgeMs'
      : state === 'acknowledged'
        ? 'resolveMs'
        : null;
}

export function isOpen(state: AlertState): boolean {
  return state !== 'resolved';
}
