import type { DeclaredDevice } from '@linli/contract';
import type { SqlDb } from './sql/sql-db.js';

/** A device the hub knows for a gateway; a retired one still owns the gateway's events up to `retiredAfterSeq`. */
export interface DeviceRecord extends DeclaredDevice {
  retiredAfterSeq: number | null;
}

/** What a new declaration changed: the provisioning act the audit log records. */
export interface DeviceDiff {
  added: DeclaredDevice[];
  removed: DeclaredDevice[];
  changed: { before: DeclaredDevice; after: DeclaredDevice }[];
}

interface Row {
  device_id: string;
  type: string;
  grid_id: string;
  retired_at: number | null;
  retired_after_seq: number | null;
}

/**
 * The devices each gateway declared (migration 013-gateway-devices), in the
 * hub database so every hub node judges a gateway's events the same way.
 * Removed devices are retired, never deleted: their events already in the
 * gateway's backlog (sequence up to the declaration) still drain.
 */
export class GatewayDevices {
  constructor(private readonly db: SqlDb) {}

  /** Whether the gateway ever declared its devices, and every device it declared (current and retired). */
  async load(gatewayId: string): Promise<{ declared: boolean; devices: DeviceRecord[] }> {
    const gw = await this.db.get<{ devices_declared_at: number | null }>(
      'SELECT devices_declared_at FROM gateways WHERE id = ?',
      [gatewayId],
    );
    const rows = await this.db.all<Row>(
      'SELECT device_id, type, grid_id, retired_at, retired_after_seq FROM gateway_devices WHERE gateway_id = ?',
      [gatewayId],
    );
    return {
      declared: gw?.devices_declared_at !== null && gw?.devices_declared_at !== undefined,
      devices: rows.map(toRecord),
    };
  }

  /**
   * Makes `devices` the gateway's current list (the caller has already refused
   * devices outside its area) and returns what changed. Devices no longer listed
   * are retired after `throughSeq`. One transaction under the gateway's device
   * lock, so two hub nodes handling a reconnect race do not interleave.
   */
  declare(gatewayId: string, devices: DeclaredDevice[], throughSeq: number, now: number): Promise<DeviceDiff> {
    return this.db.tx(async (t) => {
      await t.lock(`gwdev:${gatewayId}`);
      const rows = await t.all<Row>(
        'SELECT device_id, type, grid_id, retired_at, retired_after_seq FROM gateway_devices WHERE gateway_id = ?',
        [gatewayId],
      );
      const current = new Map(rows.filter((r) => r.retired_at === null).map((r) => [r.device_id, toDevice(r)]));
      const diff: DeviceDiff = { added: [], removed: [], changed: [] };
      for (const d of devices) {
        const before = current.get(d.id);
        current.delete(d.id);
        if (before && before.type === d.type && before.gridId === d.gridId) continue;
        if (before) diff.changed.push({ before, after: d });
        else diff.added.push(d);
        await t.run(
          `INSERT INTO gateway_devices (gateway_id, device_id, type, grid_id, declared_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (gateway_id, device_id) DO UPDATE SET type = excluded.type, grid_id = excluded.grid_id,
             declared_at = excluded.declared_at, retired_at = NULL, retired_after_seq = NULL`,
          [gatewayId, d.id, d.type, d.gridId, now],
        );
      }
      for (const gone of current.values()) {
        diff.removed.push(gone);
        await t.run(
          'UPDATE gateway_devices SET retired_at = ?, retired_after_seq = ? WHERE gateway_id = ? AND device_id = ?',
          [now, throughSeq, gatewayId, gone.id],
        );
      }
      await t.run('UPDATE gateways SET devices_declared_at = ? WHERE id = ?', [now, gatewayId]);
      return diff;
    });
  }

  /** Events of this gateway refused for authority so far. */
  async rejectedCount(gatewayId: string): Promise<number> {
    const r = await this.db.get<{ n: number }>('SELECT rejected_events AS n FROM gateways WHERE id = ?', [gatewayId]);
    return r?.n ?? 0;
  }
}

function toDevice(r: Row): DeclaredDevice {
  return { id: r.device_id, type: r.type, gridId: r.grid_id };
}

function toRecord(r: Row): DeviceRecord {
  return { ...toDevice(r), retiredAfterSeq: r.retired_at === null ? null : (r.retired_after_seq ?? 0) };
}
