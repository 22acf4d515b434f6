import { LinliError } from '@linli/contract';
import type { CallBoxDefinition, PointValues } from '../definition.js';
import type { DeviceConfig, DeviceContext } from '../device-types.js';
import { LineDevice } from '../meters/line-device.js';
import type { CallBoxTransport } from '../transport.js';
import { type CallBoxReply, decodeReply, encodePoll, MAX_FRAME_BYTES } from './codec.js';

/** Polls a call box; its definition's rules (sosOnPress) turn a press into `sos.call`. */
export class CallBoxDevice extends LineDevice {
  private readonly transport: CallBoxTransport;

  constructor(def: CallBoxDefinition, cfg: DeviceConfig, ctx: DeviceContext) {
    super(def, cfg, ctx, {});
    if (cfg.transport.kind !== 'callbox')
      throw new LinliError('CONFIG', `device ${cfg.id}: a call box needs a callbox transport`);
    this.transport = cfg.transport;
  }

  protected lineSpec() {
    return { config: this.transport.line, maxFrameBytes: MAX_FRAME_BYTES };
  }

  protected async read(): Promise<PointValues> {
    const { address } = this.transport;
    // Boxes share the line: only the polled box's answer counts.
    const reply = await this.line!.request<CallBoxReply>(
      encodePoll(address),
      decodeReply,
      (r) => r.address === address,
      this.cfg.timeoutMs,
    );
    return { pressed: reply.pressed ? 1 : 0 };
  }
}
