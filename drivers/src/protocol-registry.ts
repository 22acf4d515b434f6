import { LinliError } from '@linli/contract';
import type { DeviceDefinition } from './definition.js';
import type { DeviceConfig, DeviceContext, DeviceHandle } from './device-types.js';
import type { Transport } from './transport.js';

type Protocol = DeviceDefinition['protocol'];

/**
 * How one protocol runs devices: which transports it takes, whether it runs a
 * definition's polled `rules`, and the factory. One registration per protocol
 * (protocol-drivers.ts); the gateway core never names a runtime class.
 */
export interface ProtocolDriver<P extends Protocol = Protocol> {
  protocol: P;
  transports: readonly Transport['kind'][];
  /** False for pushed-event protocols (ISAPI, ONVIF): a definition with rules there would be silently ignored. */
  runsRules: boolean;
  create(def: Extract<DeviceDefinition, { protocol: P }>, cfg: DeviceConfig, ctx: DeviceContext): DeviceHandle;
}

/** Protocol → driver; registering a protocol twice is a bug and throws. */
export class ProtocolRegistry {
  private readonly drivers = new Map<Protocol, ProtocolDriver>();

  register<P extends Protocol>(driver: ProtocolDriver<P>): this {
    if (this.drivers.has(driver.protocol))
      throw new LinliError('INTERNAL', `protocol ${driver.protocol} is registered twice`);
    this.drivers.set(driver.protocol, driver as unknown as ProtocolDriver);
    return this;
  }

  get(protocol: Protocol): ProtocolDriver {
    const d = this.drivers.get(protocol);
    if (!d) throw new LinliError('DEFINITION', `no driver runs protocol ${protocol}`);
    return d;
  }

  protocols(): Protocol[] {
    return [...this.drivers.keys()];
  }
}
