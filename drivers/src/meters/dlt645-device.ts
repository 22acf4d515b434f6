import { FieldFault } from '@linli/contract';
import type { Dlt645Definition, PointValues } from '../definition.js';
import type { DeviceConfig, DeviceContext } from '../device-types.js';
import { LineDevice } from './line-device.js';
import {
  DATA_IDS,
  type DataIdName,
  decodeFrame,
  type Dlt645Frame,
  MAX_FRAME_BYTES,
  parseReadReply,
  readDataRequest,
} from '../protocols/dlt645/index.js';
import type { MeterTransport } from '../transport.js';

/** Polls a DL/T 645-2007 meter: one read-data request per data identifier, on the shared line. */
export class Dlt645Device extends LineDevice {
  private readonly transport: Extract<MeterTransport, { kind: 'dlt645' }>;

  constructor(
    private readonly meterDef: Dlt645Definition,
    cfg: DeviceConfig,
    ctx: DeviceContext,
  ) {
    super(
      meterDef,
      cfg,
      ctx,
      Object.fromEntries(meterDef.points.map((p) => [p.name, p.unit ?? DATA_IDS[p.dataId as DataIdName].unit])),
    );
    if (cfg.transport.kind !== 'dlt645')
      throw new FieldFault('CONFIG', `device ${cfg.id}: a DL/T 645 meter needs a dlt645 transport`);
    this.transport = cfg.transport;
  }

  protected lineSpec() {
    return { config: this.transport.line, maxFrameBytes: MAX_FRAME_BYTES };
  }

  protected async read(): Promise<PointValues> {
    const values: Record<string, number> = {};
    const address = this.transport.address;
    for (const p of this.meterDef.points) {
      const name = p.dataId as DataIdName;
      const frame = await this.line!.request<Dlt645Frame>(
        readDataRequest(address, name, { preamble: true }),
        decodeFrame,
        // Replies from this meter only; our own request echoed by a 2-wire adapter is skipped.
        (f) => f.address === address && f.control.direction === 'reply',
        this.cfg.timeoutMs,
      );
      const r = parseReadReply(frame, name);
      if (!r.ok)
        throw new FieldFault('DEVICE_REPLY', `meter ${address} answered ${p.dataId}: ${JSON.stringify(r.error)}`);
      values[p.name] = r.value;
    }
    return values;
  }
}
