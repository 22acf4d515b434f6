import {
  type DeclaredDevice,
  type DeviceRefusal,
  type LinliEvent,
  type RejectedEvent,
  scopePrefix,
  type WireError,
} from '@linli/contract';
import type { DeviceRecord } from '../store/gateway-devices.js';

/**
 * Kinds a gateway raises about itself (every `gateway.*` kind: its buffer
 * overflowed, its disk filled or freed; and its local rules firing) under its
 * own name rather than a device's: they need no declared device, but their
 * grid must still lie in the gateway's area. A prefix, not a list, so a new
 * gateway kind is not refused by a hub that forgot to list it.
 */
const isGatewayKind = (kind: string): boolean => kind.startsWith('gateway.') || kind === 'rule.alert';

/**
 * What one gateway may send, as enrolled (its area) and declared (its
 * devices): a snapshot the namespace takes at `hello` and judges every event,
 * live alarm and picture of that connection by. Pure; no I/O.
 */
export class GatewayAuthority {
  private readonly devices: Map<string, DeviceRecord>;
  /** The grid-code prefix of the area (null: no usable area); computed once, checked per event. */
  private readonly prefix: string | null;

  constructor(
    readonly gatewayId: string,
    /** The community (or larger area) the gateway was enrolled into; null for gateways added before areas. */
    readonly areaCode: string | null,
    /** Whether the gateway ever declared its devices (gateways from before declarations have not). */
    readonly declared: boolean,
    devices: DeviceRecord[],
  ) {
    this.devices = new Map(devices.map((d) => [d.id, d]));
    this.prefix = areaPrefix(areaCode);
  }

  /** True when the declared list is exactly `devices` (same ids, types and grids, none retired in between). */
  lists(devices: DeclaredDevice[]): boolean {
    const current = [...this.devices.values()].filter((d) => d.retiredAfterSeq === null);
    if (current.length !== devices.length) return false;
    return devices.every((d) => {
      const had = this.devices.get(d.id);
      return had?.retiredAfterSeq === null && had.type === d.type && had.gridId === d.gridId;
    });
  }

  /**
   * Why this gateway may send nothing at all yet, or null. The whole message is
   * refused and nothing moves: the operator must act (enroll it into an area,
   * upgrade it so it declares), and then its backlog drains untouched.
   */
  gatewayRefusal(): WireError | null {
    if (this.prefix === null)
      return {
        code: 'GATEWAY_NO_AREA',
        message: `网关 ${this.gatewayId} 未登记所属社区，请用 linli-hub gateway add --area 重新登记 (the gateway has no enrolled area; nothing was stored)`,
      };
    if (!this.declared)
      return {
        code: 'DEVICES_NOT_DECLARED',
        message:
          '网关尚未申报设备清单，请升级网关软件 (the gateway has not declared its devices in hello; nothing was stored)',
      };
    return null;
  }

  /** Why this event may not be stored, or null. Assumes `gatewayRefusal()` is null. */
  checkEvent(e: LinliEvent): RejectedEvent | null {
    const gridId = e.location.gridId;
    if (!this.inArea(gridId))
      return {
        seq: e.seq,
        deviceId: e.deviceId,
        code: 'GRID_OUTSIDE_AREA',
        message: `网格 ${gridId} 不在网关所属区域 ${this.areaCode} 内 (grid outside the gateway's area; not stored)`,
      };
    // Matters come from grid workers' phones through the REST API, never from a gateway.
    if (e.kind.startsWith('field.'))
      return {
        seq: e.seq,
        deviceId: e.deviceId,
        code: 'KIND_NOT_FROM_GATEWAY',
        message: `${e.kind} 只能由网格员手机端上报 (only the hub makes ${e.kind} events; not stored)`,
      };
    if (this.isGatewayLevel(e)) return null;
    const d = this.devices.get(e.deviceId);
    // A retired device still owns what it raised before the gateway stopped listing it.
    if (d && (d.retiredAfterSeq === null || e.seq <= d.retiredAfterSeq)) return null;
    return {
      seq: e.seq,
      deviceId: e.deviceId,
      code: 'DEVICE_UNDECLARED',
      message: `设备 ${e.deviceId} 未由该网关申报 (device not declared by this gateway; not stored)`,
    };
  }

  /** Why a device may not be declared by this gateway, or null. */
  checkDeclared(d: DeclaredDevice): DeviceRefusal | null {
    if (this.inArea(d.gridId)) return null;
    return {
      deviceId: d.id,
      code: 'DEVICE_OUTSIDE_AREA',
      message: `设备 ${d.id} 的网格 ${d.gridId} 不在网关所属区域 ${this.areaCode ?? '(无)'} 内 (device grid outside the gateway's area; refused)`,
    };
  }

  /** A device the gateway lists now (a camera sending a picture must be one). */
  hasCurrentDevice(deviceId: string): boolean {
    const d = this.devices.get(deviceId);
    return d !== undefined && d.retiredAfterSeq === null;
  }

  private isGatewayLevel(e: LinliEvent): boolean {
    return isGatewayKind(e.kind) && (e.deviceId === 'gateway' || e.deviceId === this.gatewayId);
  }

  private inArea(gridId: string): boolean {
    return this.prefix !== null && gridId.startsWith(this.prefix);
  }
}

function areaPrefix(areaCode: string | null): string | null {
  if (!areaCode) return null;
  try {
    return scopePrefix(areaCode);
  } catch {
    return null; // a malformed stored code grants nothing
  }
}
