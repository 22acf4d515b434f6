import type { EventDraft } from '@linli/contract';
import type { GateFact } from './minimise.js';

/** A minimised terminal fact → the Linli event it stands for (null for facts kept only as state). */
export function draftOf(deviceId: string, f: GateFact, door: string, heldSeconds: number): EventDraft | null {
  const base = { deviceId, deviceTime: f.time };
  switch (f.kind) {
    case 'pass':
      return {
        ...base,
        kind: 'gate.pass',
        payload: {
          method: f.method,
          direction: f.direction,
          ...(f.credentialMasked !== undefined ? { credentialMasked: f.credentialMasked } : {}),
        },
      };
    case 'refused':
      return { ...base, kind: 'gate.refused', payload: { method: f.method, reason: f.reason } };
    case 'forced':
      return { ...base, kind: 'gate.forced', payload: { door } };
    case 'held_open':
      return { ...base, kind: 'gate.held_open', payload: { door, seconds: heldSeconds } };
    case 'tamper':
      return { ...base, kind: 'gate.tamper', payload: { door } };
    case 'door_open':
      return null;
  }
}
