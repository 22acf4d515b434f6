import type { DefinitionRegistry, DeviceHandle } from '@linli/drivers';
import type { Outbox } from '../buffer/outbox.js';
import { type CheckResult, checkDevice, targetOf } from '../cli/device-checks.js';
import type { DeviceEntry } from '../config/schema.js';
import type { LoginLimiter } from '../flows/login-limiter.js';
import type { Logger } from '../log.js';
import { RecentEvents } from './recent-events.js';
import { localRoute } from './route.js';
import { labelEvent, type LocalDevice, type LocalState } from './view.js';

export { LOCAL_PATH } from './route.js';
export type { LocalState } from './view.js';

/**
 * Wires the local page to the gateway's parts: the outbox feeds the recent
 * events, device handles give live values, `checkDevice` (the installer's
 * `linli-gateway test`) runs a device test on its own connection.
 */
export function createLocalPage(o: {
  gatewayId: string;
  hash: string;
  limiter: LoginLimiter;
  log: Logger;
  outbox: Outbox;
  entries: DeviceEntry[];
  registry: DefinitionRegistry;
  handle: (id: string) => DeviceHandle | undefined;
  status: () => Pick<LocalState, 'uplink' | 'link' | 'flowsVersion' | 'buffer'>;
}) {
  const recent = new RecentEvents();
  o.outbox.onAppend((events) => recent.record(events), 'local-page');
  const units = new Map<string, Record<string, string>>();
  const unitsOf = async (type: string) => {
    let u = units.get(type);
    if (!u) {
      const def = await o.registry.get(type);
      const points = (def as { points?: { name: string; unit?: string }[] }).points ?? [];
      u = Object.fromEntries(points.map((p) => [p.name, p.unit ?? '']));
      units.set(type, u);
    }
    return u;
  };
  const state = async (): Promise<LocalState> => {
    const devices: LocalDevice[] = [];
    for (const e of o.entries) {
      const h = o.handle(e.id);
      const u = await unitsOf(e.type).catch(() => ({}) as Record<string, string>);
      devices.push({
        id: e.id,
        type: e.type,
        target: targetOf(e),
        online: h?.online() ?? null,
        note: h?.note?.() ?? null,
        values: Object.entries(h?.latest() ?? {}).map(([name, value]) => ({
          name,
          // Floats read off the wire (220.4000015 V) are shown to the milli-unit.
          value: Math.round(value * 1000) / 1000,
          unit: u[name] ?? '',
        })),
      });
    }
    return { gatewayId: o.gatewayId, now: Date.now(), ...o.status(), devices, events: recent.list().map(labelEvent) };
  };
  return localRoute({
    hash: o.hash,
    limiter: o.limiter,
    log: o.log,
    gatewayId: o.gatewayId,
    state,
    test: (id) => {
      const entry = o.entries.find((e) => e.id === id);
      if (!entry) return undefined;
      return holdsSerialPort(entry)
        ? Promise.resolve(liveVerdict(entry, o.handle(id)))
        : checkDevice(entry, o.registry);
    },
  });
}

/** The running gateway holds (and locks) this device's serial port: a second connection cannot open it. */
function holdsSerialPort(d: DeviceEntry): boolean {
  const t = d.transport;
  return t.kind === 'modbus-rtu' || ((t.kind === 'dlt645' || t.kind === 'cjt188') && t.line.kind === 'serial');
}

/**
 * For a device on a serial port the service itself is polling: the verdict
 * of the running driver's own polls (its last one), since the installer's
 * check would need the port the service holds.
 */
function liveVerdict(d: DeviceEntry, h: DeviceHandle | undefined): CheckResult {
  const base = { id: d.id, type: d.type, target: targetOf(d) };
  const n = Object.keys(h?.latest() ?? {}).length;
  if (h?.online())
    return {
      ...base,
      ok: true,
      detail: `running driver reads ${n} points (serial port in use by the service)`,
      fix: '',
    };
  return {
    ...base,
    ok: false,
    detail: h?.online() === false ? 'the running driver gets no answer' : 'no poll has finished yet',
    fix: 'check the address, baud rate/parity and the A/B wiring; for a full check stop the service and run `linli-gateway test`',
  };
}
