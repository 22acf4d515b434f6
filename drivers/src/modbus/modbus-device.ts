import type { DeviceDefinition, PointValues } from '../definition.js';
import type { DeviceConfig, DeviceContext, DeviceHandle } from '../device.js';
import { decodePoint } from './decode.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import type { ModbusClient } from './lib.js';
import { planReads, type ReadBlock } from './read-plan.js';

/** Consecutive failed polls before a device is declared offline (one lost reply is noise, three is a fault). */
const OFFLINE_AFTER = 3;
const MAX_BACKOFF_MS = 30_000;

/** Polls one Modbus device through its bus and turns readings into events through the definition's rules. */
export class ModbusDevice implements DeviceHandle {
  readonly id: string;
  private readonly blocks: ReadBlock[];
  private readonly units: Record<string, string>;
  private bus: ModbusBus | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private failures = 0;
  private isOnline: boolean | null = null;
  private previous: PointValues | null = null;
  private readonly memory: Record<string, number> = {};

  constructor(
    private readonly def: DeviceDefinition,
    private readonly cfg: DeviceConfig,
    private readonly ctx: DeviceContext,
  ) {
    this.id = cfg.id;
    this.blocks = planReads(def.points);
    this.units = Object.fromEntries(def.points.filter((p) => p.unit).map((p) => [p.name, p.unit!]));
  }

  start(): void {
    this.bus = this.ctx.buses.acquire(this.cfg.transport);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (this.bus) await this.ctx.buses.release(this.bus);
    this.bus = null;
  }

  online(): boolean | null {
    return this.isOnline;
  }

  latest(): PointValues | null {
    return this.previous;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce().finally(() => {
        this.running = null;
      });
    }, ms);
  }

  private async pollOnce(): Promise<void> {
    let values: PointValues;
    try {
      values = await this.read();
    } catch (err) {
      await this.onFailure(err);
      const backoff = Math.min(this.cfg.pollMs * 2 ** Math.max(0, this.failures - OFFLINE_AFTER), MAX_BACKOFF_MS);
      this.schedule(Math.max(this.cfg.pollMs, backoff));
      return;
    }
    this.failures = 0;
    if (this.isOnline !== true) {
      this.isOnline = true;
      this.ctx.log.info('device online');
      await this.emitSafe({ kind: 'device.online', deviceId: this.id, deviceTime: Date.now(), payload: {} });
    }
    const now = Date.now();
    for (const rule of this.def.rules) {
      for (const draft of rule({
        deviceId: this.id,
        now,
        values,
        previous: this.previous,
        units: this.units,
        memory: this.memory,
        options: this.cfg.options ?? {},
      })) {
        await this.emitSafe(draft);
      }
    }
    this.previous = values;
    this.schedule(this.cfg.pollMs);
  }

  /** One transaction on the shared bus: every block of this device, back to back. */
  private read(): Promise<PointValues> {
    const bus = this.bus!;
    return bus.transact(this.cfg.transport.unitId, this.cfg.timeoutMs, async (client) => {
      const values: Record<string, number> = {};
      for (const b of this.blocks) {
        const words = await readBlock(client, b);
        for (const p of b.points) values[p.name] = decodePoint(p, words, p.address - b.start);
      }
      return values;
    });
  }

  private async onFailure(err: unknown): Promise<void> {
    this.failures++;
    const reason = err instanceof Error ? err.message : String(err);
    if (this.failures >= OFFLINE_AFTER && this.isOnline !== false) {
      this.isOnline = false;
      this.ctx.log.warn('device offline', { reason });
      await this.emitSafe({
        kind: 'device.offline',
        deviceId: this.id,
        deviceTime: Date.now(),
        payload: { reason: reason.slice(0, 200) },
      });
    }
  }

  /** A buffer that refuses an event is the gateway's problem to report; the poll loop keeps going. */
  private async emitSafe(draft: Parameters<DeviceContext['emit']>[0]): Promise<void> {
    try {
      await this.ctx.emit(draft);
    } catch (err) {
      this.ctx.log.warn('event not buffered', { kind: draft.kind, error: String(err) });
    }
  }
}

async function readBlock(client: ModbusClient, b: ReadBlock): Promise<number[]> {
  switch (b.table) {
    case 'holding':
      return (await client.readHoldingRegisters(b.start, b.count)).data;
    case 'input':
      return (await client.readInputRegisters(b.start, b.count)).data;
    case 'coil':
      return (await client.readCoils(b.start, b.count)).data.slice(0, b.count).map((x) => (x ? 1 : 0));
    case 'discrete':
      return (await client.readDiscreteInputs(b.start, b.count)).data.slice(0, b.count).map((x) => (x ? 1 : 0));
  }
}
