import type { LinliEvent } from '@linli/contract';
import { gb28181 } from '@linli/drivers';
import type { DeviceEntry, Gb28181Config } from '../config/schema.js';

type Manscdp = gb28181.Manscdp;

/** What the answers need to know about the gateway right now. */
export interface GbScene {
  gb: Gb28181Config;
  gatewayName: string;
  cameras: readonly DeviceEntry[];
  /** A camera's state from its driver: true, false, or null when not yet known. */
  online: (deviceId: string) => boolean | null;
}

/**
 * The CivilCode of a channel: the county (6 digits) of the grid the camera
 * stands in. Grid codes start with the 12-digit community code, whose first
 * six digits are the county's administrative division code.
 */
export function civilCodeOf(camera: DeviceEntry): string {
  return camera.location.gridId.slice(0, 6);
}

/** The compound's cameras as Catalog channels, parented to the gateway. */
export function catalogItems(s: GbScene): gb28181.CatalogItem[] {
  return s.cameras.map((c) => ({
    deviceId: c.gbId!,
    name: c.gbName ?? c.id,
    manufacturer: 'Linli',
    model: c.type,
    owner: s.gatewayName,
    civilCode: civilCodeOf(c),
    address: `${s.gatewayName} ${c.gbName ?? c.id}`,
    parental: 0,
    parentId: s.gb.id,
    status: s.online(c.id) === true ? 'ON' : 'OFF',
    longitude: c.location.lng,
    latitude: c.location.lat,
  }));
}

/**
 * The MANSCDP bodies answering one query (sent as MESSAGEs after the 200):
 * Catalog (paged), DeviceInfo and DeviceStatus for the gateway or one of its
 * channels. Anything else gets no answer body (the 200 says it arrived).
 */
export function answerQuery(q: Manscdp, s: GbScene): string[] {
  const cs = s.gb.charset;
  const channel = s.cameras.find((c) => c.gbId === q.deviceId);
  const isSelf = q.deviceId === s.gb.id;
  if (!isSelf && !channel) return [];
  switch (q.cmdType) {
    case 'Catalog':
      return gb28181.catalogResponsePages(q.deviceId, q.sn, isSelf ? catalogItems(s) : [], s.gb.catalogPageSize, cs);
    case 'DeviceInfo':
      return [
        gb28181.deviceInfoXml(
          q.deviceId,
          q.sn,
          {
            deviceName: channel ? (channel.gbName ?? channel.id) : s.gatewayName,
            manufacturer: 'Linli',
            model: channel ? channel.type : 'linli-gateway',
            firmware: '0.1.0',
            channels: channel ? 1 : s.cameras.length,
          },
          cs,
        ),
      ];
    case 'DeviceStatus': {
      const online = channel ? s.online(channel.id) === true : true;
      const alarms = (channel ? [channel] : s.cameras).map((c) => ({ deviceId: c.gbId!, status: 'ONDUTY' as const }));
      return [gb28181.deviceStatusXml(q.deviceId, q.sn, { online, alarms }, cs)];
    }
    default:
      return [];
  }
}

/** A camera going on or off line, as a catalog subscription's change (null for any other event). */
export function catalogChangeFor(e: LinliEvent, s: GbScene): gb28181.CatalogChange | null {
  if (e.kind !== 'device.online' && e.kind !== 'device.offline') return null;
  const camera = s.cameras.find((c) => c.id === e.deviceId && c.gbId);
  if (!camera) return null;
  const item = catalogItems({ ...s, cameras: [camera] })[0]!;
  const on = e.kind === 'device.online';
  return { ...item, status: on ? 'ON' : 'OFF', event: on ? 'ON' : 'OFF' };
}
