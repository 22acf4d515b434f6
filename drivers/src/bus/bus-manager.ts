import { SharedPool } from '../line/shared-pool.js';
import { busKey, type ModbusTransport } from '../transport.js';
import { ModbusBus } from './modbus-bus.js';

/** Hands devices the bus for their transport: one per line or connection, shared, closed with the last user. */
export class BusManager {
  private readonly pool = new SharedPool<ModbusBus>();

  acquire(transport: ModbusTransport): ModbusBus {
    const key = busKey(transport);
    return this.pool.acquire(key, () => new ModbusBus(key, transport));
  }

  release(bus: ModbusBus): Promise<void> {
    return this.pool.release(bus);
  }

  keys(): string[] {
    return this.pool.keys();
  }
}
