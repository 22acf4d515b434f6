import type { LinliEvent, Location } from '@linli/contract';

// Locations come from device config and are never mutated, so their JSON is computed once per device.
const locationJson = new WeakMap<Location, string>();

/**
 * JSON for an event, equal to JSON.stringify(event) once parsed, about twice as
 * fast: the envelope's fields are numbers, ids from a fixed alphabet and enum
 * strings, so only the payload and free-form ids go through JSON.stringify.
 * This is the hottest line of the gateway (every event, every commit).
 */
export function serializeEvent(e: LinliEvent): string {
  let loc = locationJson.get(e.location);
  if (loc === undefined) {
    loc = JSON.stringify(e.location);
    locationJson.set(e.location, loc);
  }
  return (
    `{"v":${e.v},"id":"${e.id}","gatewayId":${JSON.stringify(e.gatewayId)},"seq":${e.seq},` +
    `"deviceTime":${e.deviceTime},"receivedAt":${e.receivedAt},"deviceId":${JSON.stringify(e.deviceId)},` +
    `"kind":"${e.kind}","severity":"${e.severity}","location":${loc},"payload":${JSON.stringify(e.payload)}}`
  );
}
