import { LinliError } from '@linli/contract';
import type { ModbusBus } from '../bus/modbus-bus.js';
import type { ModbusDefinition, PointValues } from '../definition.js';
import type { DeviceConfig, DeviceContext } from '../device-types.js';
import { PollingDevice } from '../polling-device.js';
import type { ModbusTransport } from '../transport.js';
import { decodePoint } from './decode.js';
import type { ModbusClient } from './lib.js';
import { planReads, type ReadBlock } from './read-plan.js';

/** Polls one Modbus device through its (shared) bus. */
export class ModbusDevice extends PollingDevice {
  private readonly blocks: ReadBlock[];
  private bus: ModbusBus | null = null;

  constructor(def: ModbusDefinition, cfg: DeviceConfig & { transport: ModbusTransport }, ctx: DeviceContext) {
    super(def, cfg, ctx, Object.fromEntries(def.points.filter((p) => p.unit).map((p) => [p.name, p.unit!])));
    this.blocks = planReads(def.points);
  }

  protected acquire(): void {
    this.bus = this.ctx.buses.acquire(this.transport());
  }

  protected async release(): Promise<void> {
    if (this.bus) await this.ctx.buses.release(this.bus);
    this.bus = null;
  }

  private transport(): ModbusTransport {
    return this.cfg.transport as ModbusTransport;
  }

  /**
   * `relay.set {relay, on}`: writes the named coil point (e.g. the safety
   * module's siren relay) with function code 5. Only points the definition
   * declares as coils can be written; nothing else on the device is touched.
   */
  async command(name: string, args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    if (name !== 'relay.set') throw new LinliError('UNSUPPORTED', `${this.id} does not take ${name}`);
    const point = (this.def as ModbusDefinition).points.find((p) => p.name === args.relay && p.table === 'coil');
    if (!point) throw new LinliError('INVALID_ARGS', `${this.id} has no relay "${String(args.relay)}"`);
    if (typeof args.on !== 'boolean') throw new LinliError('INVALID_ARGS', 'relay.set needs on: true or false');
    if (!this.bus) throw new LinliError('NOT_RUNNING', `${this.id} is not running`);
    const on = args.on;
    await this.bus.transact(this.transport().unitId, this.cfg.timeoutMs, (client) =>
      client.writeCoil(point.address, on),
    );
    return { relay: point.name, on };
  }

  /** One transaction on the shared bus: every block of this device, back to back. */
  protected read(): Promise<PointValues> {
    return this.bus!.transact(this.transport().unitId, this.cfg.timeoutMs, async (client) => {
      const values: Record<string, number> = {};
      for (const b of this.blocks) {
        const words = await readBlock(client, b);
        for (const p of b.points)
          values[p.name] = decodePoint(p, words, p.address - b.start, this.cfg.options?.wordOrder ?? p.order);
      }
      return values;
    });
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
