import type { LinliEvent } from '@linli/contract';
import { gb28181 } from '@linli/drivers';
import type { Gb28181Config } from '../config/schema.js';
import type { UpChannel } from './gb-channels.js';

export { civilCodeOf } from './gb-channels.js';

type Manscdp = gb28181.Manscdp;

/** What the answers need to know about the gateway right now. */
export interface GbScene {
  gb: Gb28181Config;
  gatewayName: string;
  /** Every channel as it is now (ONVIF cameras and GB/T 28181 cameras registered to the gateway: gb-channels.ts). */
  channels: () => UpChannel[];
}

function itemOf(c: UpChannel, s: GbScene): gb28181.CatalogItem {
  return {
    deviceId: c.gbId,
    name: c.name,
    manufacturer: 'Linli',
    model: c.model,
    owner: s.gatewayName,
    civilCode: c.civilCode,
    address: `${s.gatewayName} ${c.name}`,
    parental: 0,
    parentId: s.gb.id,
    status: c.online ? 'ON' : 'OFF',
    longitude: c.lng,
    latitude: c.lat,
  };
}

/** The compound's cameras as Catalog channels, parented to the gateway. */
export function catalogItems(s: GbScene, channels = s.channels()): gb28181.CatalogItem[] {
  return channels.map((c) => itemOf(c, s));
}

/**
 * The MANSCDP bodies answering one query (sent as MESSAGEs after the 200):
 * Catalog (paged), DeviceInfo and DeviceStatus for the gateway or one of its
 * channels. Anything else gets no answer body (the 200 says it arrived).
 */
export function answerQuery(q: Manscdp, s: GbScene): string[] {
  const cs = s.gb.charset;
  const all = s.channels();
  const channel = all.find((c) => c.gbId === q.deviceId);
  const isSelf = q.deviceId === s.gb.id;
  if (!isSelf && !channel) return [];
  switch (q.cmdType) {
    case 'Catalog':
      return gb28181.catalogResponsePages(
        q.deviceId,
        q.sn,
        isSelf ? catalogItems(s, all) : [],
        s.gb.catalogPageSize,
        cs,
      );
    case 'DeviceInfo':
      return [
        gb28181.deviceInfoXml(
          q.deviceId,
          q.sn,
          {
            deviceName: channel ? channel.name : s.gatewayName,
            manufacturer: 'Linli',
            model: channel ? channel.model : 'linli-gateway',
            firmware: '0.1.0',
            channels: channel ? 1 : all.length,
          },
          cs,
        ),
      ];
    case 'DeviceStatus': {
      const online = channel ? channel.online : true;
      const alarms = (channel ? [channel] : all).map((c) => ({ deviceId: c.gbId, status: 'ONDUTY' as const }));
      return [gb28181.deviceStatusXml(q.deviceId, q.sn, { online, alarms }, cs)];
    }
    default:
      return [];
  }
}

/**
 * A camera going on or off line as catalog subscription changes: one per
 * channel of the device (an NVR registered to the gateway has several); none
 * for a device that is not a channel.
 */
export function catalogChangesFor(e: LinliEvent, s: GbScene): gb28181.CatalogChange[] {
  if (e.kind !== 'device.online' && e.kind !== 'device.offline') return [];
  const on = e.kind === 'device.online';
  return (
    s
      .channels()
      .filter((c) => c.entry.id === e.deviceId)
      // An NVR coming back on line brings back only the channels its last Catalog said were on.
      .filter((c) => !on || !c.down || c.online)
      .map((c) => ({ ...itemOf(c, s), status: on ? 'ON' : 'OFF', event: on ? 'ON' : 'OFF' }))
  );
}
