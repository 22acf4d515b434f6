import { busKey, type ModbusTransport } from '../transport.js';
import { ModbusBus } from './modbus-bus.js';

/** Hands devices the bus for their transport: one per line or connection, shared, closed with the last user. */
export class BusManager {
  private readonly buses = new Map<string, { bus: ModbusBus; users: number }>();

  acquire(transport: ModbusTransport): ModbusBus {
    const key = busKey(transport);
    let entry = this.buses.get(key);
    if (!entry) {
      entry = { bus: new ModbusBus(key, transport), users: 0 };
      this.buses.set(key, entry);
    }
    entry.users++;
    return entry.bus;
  }

  async release(bus: ModbusBus): Promise<void> {
    const entry = this.buses.get(bus.key);
    if (!entry || --entry.users > 0) return;
    this.buses.delete(bus.key);
    await entry.bus.close();
  }

  keys(): string[] {
    return [...this.buses.keys()];
  }
}
