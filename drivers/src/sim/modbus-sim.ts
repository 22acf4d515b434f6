import { seededRandom } from '@linli/contract';
import type { ModbusDefinition, RegisterTable } from '../definition.js';
import { encodePoint } from '../modbus/decode.js';
import { ServerSerial, ServerTCP, type ServiceVector } from '../modbus/lib.js';
import { type SimValues, simModels } from './models.js';

interface SimUnit {
  def: ModbusDefinition;
  values: SimValues;
  tables: Record<RegisterTable, Map<number, number>>;
}

export interface ModbusSimOptions {
  host: string;
  port: number;
  /** Serve Modbus RTU on this serial device instead of Modbus TCP (e.g. one end of a socat pty pair). */
  serial?: { path: string; baudRate: number };
  units: { unitId: number; def: ModbusDefinition }[];
  tickMs?: number;
  seed?: number;
}

const ILLEGAL_ADDRESS = { modbusErrorCode: 0x02, msg: 'illegal data address' };
const GATEWAY_TARGET_FAILED = { modbusErrorCode: 0x0b, msg: 'no such unit' };

/**
 * A Modbus TCP server hosting several simulated devices by unit id, the way an
 * RS-485-to-Ethernet gateway in a plant room exposes a bus. Registers move as
 * the device model says; unmapped addresses answer exception 02 like real meters.
 */
export class ModbusSimulator {
  private server: InstanceType<typeof ServerTCP> | InstanceType<typeof ServerSerial> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly units = new Map<number, SimUnit>();
  private readonly rnd: () => number;

  constructor(private readonly opts: ModbusSimOptions) {
    this.rnd = seededRandom(opts.seed ?? Date.now());
  }

  async start(): Promise<void> {
    // modbus-serial's server treats port 0 as "unset" and silently listens on 502.
    if (!this.opts.serial && !this.opts.port) throw new Error('ModbusSimulator needs a TCP port (0 is not supported)');
    for (const { unitId, def } of this.opts.units) {
      const model = simModels[def.type];
      if (!model) throw new Error(`no simulator model for device type "${def.type}"`);
      const unit: SimUnit = { def, values: model.initial(this.rnd), tables: emptyTables() };
      this.units.set(unitId, unit);
      this.render(unit);
    }
    const tickMs = this.opts.tickMs ?? 1000;
    this.timer = setInterval(() => this.tick(tickMs), tickMs);
    this.timer.unref();
    const read = (table: RegisterTable) => (addr: number, unitId: number) => {
      const unit = this.units.get(unitId);
      if (!unit) throw GATEWAY_TARGET_FAILED;
      const v = unit.tables[table].get(addr);
      if (v === undefined) throw ILLEGAL_ADDRESS;
      return table === 'coil' || table === 'discrete' ? v === 1 : v;
    };
    const vector = {
      getHoldingRegister: read('holding'),
      getInputRegister: read('input'),
      getCoil: read('coil'),
      getDiscreteInput: read('discrete'),
      // Relay outputs (coils) can be switched, like the real module's; the model sees the new value.
      setCoil: (addr: number, value: boolean, unitId: number) => {
        const unit = this.units.get(unitId);
        if (!unit) throw GATEWAY_TARGET_FAILED;
        const point = unit.def.points.find((p) => p.table === 'coil' && p.address === addr);
        if (!point) throw ILLEGAL_ADDRESS;
        unit.values[point.name] = value ? 1 : 0;
        this.render(unit);
      },
    } as ServiceVector;
    await new Promise<void>((resolve, reject) => {
      const serial = this.opts.serial;
      const server = serial
        ? new ServerSerial(vector, { path: serial.path, baudRate: serial.baudRate, unitID: 255 } as never)
        : new ServerTCP(vector, { host: this.opts.host, port: this.opts.port, unitID: 255 });
      server.once('initialized', () => resolve());
      server.on('socketError', () => {}); // a client that vanishes is normal; the server keeps serving others
      server.once('error', reject);
      this.server = server;
    });
  }

  /** Sets a point by name (tests and the installer training mode use it). */
  set(unitId: number, point: string, value: number): void {
    const unit = this.units.get(unitId);
    if (!unit) throw new Error(`no unit ${unitId}`);
    unit.values[point] = value;
    this.render(unit);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const s = this.server;
    this.server = null;
    if (!s) return;
    for (const sock of s.socks.keys()) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private tick(dtMs: number): void {
    for (const unit of this.units.values()) {
      simModels[unit.def.type]!.tick(unit.values, dtMs, this.rnd);
      this.render(unit);
    }
  }

  private render(unit: SimUnit): void {
    for (const p of unit.def.points) {
      const words = encodePoint(p, unit.values[p.name] ?? 0);
      for (const [i, w] of words.entries()) unit.tables[p.table].set(p.address + i, w);
    }
  }
}

function emptyTables(): Record<RegisterTable, Map<number, number>> {
  return { holding: new Map(), input: new Map(), coil: new Map(), discrete: new Map() };
}
