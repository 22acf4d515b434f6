import type { Location } from '@linli/contract';
import {
  BusManager,
  createDevice,
  type DefinitionRegistry,
  type DeviceContext,
  type DeviceHandle,
  LineManager,
} from '@linli/drivers';
import type { Outbox } from '../buffer/outbox.js';
import type { DeviceEntry } from '../config/schema.js';
import type { Logger } from '../log.js';

/** The care scenario's default: a lone elder's water unused for 12 hours needs a visit. */
const DEFAULT_INACTIVITY_HOURS = 12;

/**
 * Starts every configured device from its declared type. A device that fails
 * to start is logged and left out; it never stops the others.
 */
export class DeviceManager {
  private readonly handles: DeviceHandle[] = [];
  /** Where cameras keep pictures taken on command (set by the controller before start). */
  snapshots: DeviceContext['snapshots'];
  private readonly buses = new BusManager();
  private readonly lines = new LineManager();

  constructor(
    private readonly entries: DeviceEntry[],
    private readonly registry: DefinitionRegistry,
    private readonly outbox: Outbox,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    for (const entry of this.entries) {
      try {
        const def = await this.registry.get(entry.type);
        const location: Location = entry.location;
        const log = this.log.child({ device: entry.id });
        const hours = entry.inactivityHours ?? (entry.loneElder ? DEFAULT_INACTIVITY_HOURS : undefined);
        const options = {
          ...(hours ? { inactivityHours: hours } : {}),
          ...(entry.masks ? { masks: entry.masks } : {}),
          ...(entry.healthIntervalMs ? { healthIntervalMs: entry.healthIntervalMs } : {}),
          ...(entry.streamCheck ? { streamCheck: entry.streamCheck } : {}),
          ...(entry.wordOrder ? { wordOrder: entry.wordOrder } : {}),
        };
        const handle = createDevice(
          def,
          { ...entry, options },
          {
            emit: async (draft) => {
              await this.outbox.enqueue(draft, location);
            },
            log: { info: (m, f) => log.info(f ?? {}, m), warn: (m, f) => log.warn(f ?? {}, m) },
            buses: this.buses,
            lines: this.lines,
            ...(this.snapshots ? { snapshots: this.snapshots } : {}),
          },
        );
        handle.start();
        this.handles.push(handle);
      } catch (err) {
        this.log.error({ device: entry.id, err: String(err) }, 'device not started');
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.stop()));
  }

  /** The running device with this id, for commands, snapshots and state reads (hub commands, local rules, media). */
  handle(id: string): DeviceHandle | undefined {
    return this.handles.find((h) => h.id === id);
  }

  /** Where a configured device is, for events raised about it. */
  locationOf(id: string): Location | undefined {
    return this.entries.find((e) => e.id === id)?.location;
  }

  status(): { id: string; online: boolean | null }[] {
    return this.handles.map((h) => ({ id: h.id, online: h.online() }));
  }
}
