import { FieldFault } from '@linli/contract';
import type { Cjt188Definition, PointValues } from '../definition.js';
import type { DeviceConfig, DeviceContext } from '../device-types.js';
import { LineDevice } from './line-device.js';
import {
  type Cjt188Frame,
  decodeFrame,
  MAX_FRAME_BYTES,
  parseMeteringReply,
  readMeteringRequest,
} from '../protocols/cjt188/index.js';
import type { MeterTransport } from '../transport.js';

/** Polls a CJ/T 188 meter: one metering-data read (DI 901F) gives flow, valve and battery. */
export class Cjt188Device extends LineDevice {
  private ser = 0;
  private readonly transport: Extract<MeterTransport, { kind: 'cjt188' }>;

  constructor(
    private readonly meterDef: Cjt188Definition,
    cfg: DeviceConfig,
    ctx: DeviceContext,
  ) {
    super(meterDef, cfg, ctx, Object.fromEntries(meterDef.points.filter((p) => p.unit).map((p) => [p.name, p.unit!])));
    if (cfg.transport.kind !== 'cjt188')
      throw new FieldFault('CONFIG', `device ${cfg.id}: a CJ/T 188 meter needs a cjt188 transport`);
    this.transport = cfg.transport;
  }

  protected lineSpec() {
    return { config: this.transport.line, maxFrameBytes: MAX_FRAME_BYTES };
  }

  protected async read(): Promise<PointValues> {
    const { address } = this.transport;
    // The serial number ties a reply to its request, so a late answer to an earlier poll is never taken for this one.
    const ser = (this.ser = (this.ser + 1) & 0xff);
    const frame = await this.line!.request<Cjt188Frame>(
      readMeteringRequest(this.meterDef.meterType, address, ser),
      decodeFrame,
      (f) => f.address === address && f.control.direction === 'slave-to-master' && f.data[2] === ser,
      this.cfg.timeoutMs,
    );
    const r = parseMeteringReply(frame);
    if (!r.ok) throw new FieldFault('DEVICE_REPLY', `meter ${address}: ${JSON.stringify(r.error)}`);
    const m = r.value;
    return {
      cumulativeFlow: m.cumulativeFlow,
      settlementFlow: m.settlementFlow,
      valveClosed: m.valve === 'open' ? 0 : 1,
      batteryLow: m.batteryLow ? 1 : 0,
    };
  }
}
