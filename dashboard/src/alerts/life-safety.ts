import type { EventKind, LinliEvent } from '@linli/contract';

/**
 * Alarms where a person's life may be at stake right now: fire, gas, a call
 * for help, someone trapped in a lift. No maintenance window silences them;
 * inside one they are raised as usual and marked 维护期间 ("during maintenance").
 */
export const LIFE_SAFETY_KINDS: readonly EventKind[] = ['smoke.alarm', 'gas.alarm', 'sos.call', 'elevator.entrapment'];

/** Where a forced door is life-safety too: care homes, named by the operator (alert config `maintenance`). */
export interface CareHomes {
  /** Area code prefixes (a care home's compound or grid). */
  careHomeAreas: readonly string[];
  /** Gateways installed in a care home. */
  careHomeGateways: readonly string[];
}

/** True when no maintenance window may silence this alarm. */
export function isLifeSafety(e: Pick<LinliEvent, 'kind' | 'gatewayId' | 'location'>, care: CareHomes): boolean {
  if (LIFE_SAFETY_KINDS.includes(e.kind)) return true;
  // A resident with dementia leaving through a forced door is a life-safety case in a care home, a nuisance elsewhere.
  return (
    e.kind === 'gate.forced' &&
    (care.careHomeGateways.includes(e.gatewayId) || care.careHomeAreas.some((p) => e.location.gridId.startsWith(p)))
  );
}
