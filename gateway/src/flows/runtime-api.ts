import { EVENT_KINDS, LinliError, type LinliEvent, type Location, SEVERITIES, type Severity } from '@linli/contract';
import type { PointValues } from '@linli/drivers';
import type { Outbox } from '../buffer/outbox.js';
import type { DeviceManager } from '../devices/device-manager.js';

export interface AlertRequest {
  rule: string;
  severity: Severity;
  text: string;
  /** The device the alert is about (its location is used); the gateway itself when absent. */
  deviceId?: string;
}

/**
 * What the gateway gives its Linli Node-RED nodes (through the `linli`
 * settings key): the buffered event stream, device state, and the two ways a
 * rule acts, raising an alarm and commanding a device. Everything a rule does
 * goes through the same outbox and drivers as the rest of the gateway, so a
 * rule's alarm is as durable as a device's and is delivered the same way.
 */
export interface LinliRuntimeApi {
  readonly gatewayId: string;
  readonly vocabulary: { kinds: readonly string[]; severities: readonly string[] };
  /** Every event once it is committed to the outbox; returns the unsubscribe function. */
  onEvent(listener: (event: LinliEvent) => void): () => void;
  latest(deviceId: string): { online: boolean | null; values: PointValues | null } | null;
  raiseAlert(alert: AlertRequest): Promise<{ id: string; seq: number }>;
  command(deviceId: string, name: string, args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

export interface RuntimeApiDeps {
  gatewayId: string;
  outbox: Outbox;
  devices: DeviceManager;
  /** The gateway's own location, for alerts not about a device. */
  location: Location | undefined;
  onListenerError?: (err: unknown) => void;
}

export function createRuntimeApi(d: RuntimeApiDeps): LinliRuntimeApi {
  return {
    gatewayId: d.gatewayId,
    vocabulary: { kinds: EVENT_KINDS, severities: SEVERITIES },
    onEvent(listener) {
      return d.outbox.onAppend((events) => {
        for (const e of events) {
          // A faulty flow must never break the outbox's commit loop.
          try {
            listener(e);
          } catch (err) {
            d.onListenerError?.(err);
          }
        }
      }, 'flows');
    },
    latest(deviceId) {
      const h = d.devices.handle(deviceId);
      return h ? { online: h.online(), values: h.latest() } : null;
    },
    async raiseAlert(a) {
      const deviceId = a.deviceId ?? d.gatewayId;
      const location = a.deviceId ? d.devices.locationOf(a.deviceId) : d.location;
      if (!location)
        throw new LinliError(
          'NOT_FOUND',
          a.deviceId ? `no device ${a.deviceId} on this gateway` : 'the gateway has no location (set gateway.location)',
        );
      const event = await d.outbox.enqueue(
        {
          kind: 'rule.alert',
          deviceId,
          deviceTime: Date.now(),
          severity: a.severity,
          payload: { rule: a.rule, text: a.text },
        },
        location,
      );
      return { id: event.id, seq: event.seq };
    },
    async command(deviceId, name, args) {
      const h = d.devices.handle(deviceId);
      if (!h) throw new LinliError('NOT_FOUND', `no device ${deviceId} on this gateway`);
      if (!h.command) throw new LinliError('UNSUPPORTED', `device ${deviceId} takes no commands`);
      return h.command(name, args);
    },
  };
}
