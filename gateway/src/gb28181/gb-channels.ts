import { gb28181 } from '@linli/drivers';
import type { DeviceEntry } from '../config/schema.js';

/** What the gateway needs from a GB/T 28181 camera or NVR registered to it (drivers' GbDevice). */
export interface DownwardGb {
  gbDeviceId(): string;
  online(): boolean | null;
  channels(): readonly gb28181.CatalogItem[] | null;
  liveLeg(channelId: string): Promise<gb28181.RelayLeg>;
  /** Forwards a DeviceControl body (PTZ) to the device; true when it answered 2xx. */
  control(xml: string): Promise<boolean>;
  onAlarm(fn: (a: gb28181.AlarmNotify) => void): () => void;
  onCatalog(fn: (list: readonly gb28181.CatalogItem[]) => void): () => void;
}

/** One channel of the gateway's upward Catalog. */
export interface UpChannel {
  /** The 20-digit code the upper platform knows it by. */
  gbId: string;
  name: string;
  model: string;
  civilCode: string;
  lng: number;
  lat: number;
  online: boolean;
  /** The configured device it belongs to. */
  entry: DeviceEntry;
  /** A downward GB/T 28181 camera's channel to INVITE for live view; absent for an ONVIF camera (RTSP). */
  down?: { device: DownwardGb; channelId: string };
}

/**
 * The CivilCode of a channel: the county (6 digits) of the grid the camera
 * stands in. Grid codes start with the 12-digit community code, whose first
 * six digits are the county's administrative division code.
 */
export function civilCodeOf(camera: DeviceEntry): string {
  return camera.location.gridId.slice(0, 6);
}

/**
 * Every channel the upper platform sees, now: ONVIF cameras with a `gbId`,
 * and GB/T 28181 cameras and NVRs registered to the gateway. A downward
 * device with a `gbId` is one channel under that code (its first channel on
 * line is what plays, as for a snapshot); without one, each channel of its
 * last Catalog keeps its own code, or the device is one channel under its own
 * code when it listed none. A code seen twice keeps its first owner.
 */
export function upChannels(
  devices: readonly DeviceEntry[],
  online: (deviceId: string) => boolean | null,
  downward: (deviceId: string) => DownwardGb | undefined,
): UpChannel[] {
  const out: UpChannel[] = [];
  const seen = new Set<string>();
  const add = (c: UpChannel) => {
    if (seen.has(c.gbId)) return;
    seen.add(c.gbId);
    out.push(c);
  };
  for (const d of devices) {
    const base = { model: d.type, civilCode: civilCodeOf(d), lng: d.location.lng, lat: d.location.lat, entry: d };
    if (d.transport.kind !== 'gb28181') {
      if (d.gbId) add({ ...base, gbId: d.gbId, name: d.gbName ?? d.id, online: online(d.id) === true });
      continue;
    }
    const dev = downward(d.id);
    if (!dev) continue;
    const up = dev.online() === true;
    const list = dev.channels() ?? [];
    if (d.gbId || !list.length) {
      const channelId = (list.find((c) => c.status === 'ON') ?? list[0])?.deviceId ?? dev.gbDeviceId();
      add({
        ...base,
        gbId: d.gbId ?? dev.gbDeviceId(),
        name: d.gbName ?? d.id,
        online: up,
        down: { device: dev, channelId },
      });
      continue;
    }
    for (const c of list)
      add({
        ...base,
        gbId: c.deviceId,
        name: c.name || c.deviceId,
        ...(c.model ? { model: c.model } : {}),
        lng: c.longitude ?? base.lng,
        lat: c.latitude ?? base.lat,
        online: up && c.status === 'ON',
        down: { device: dev, channelId: c.deviceId },
      });
  }
  return out;
}

/**
 * A downward camera's Alarm as the gateway forwards it: the same method,
 * type, priority and time, DeviceID the upward code of the channel that
 * raised it (the device's single channel when it has a `gbId`), the channel
 * named in the description, and the device's position when the alarm has none.
 */
export function forwardedAlarm(
  a: gb28181.AlarmNotify,
  entry: DeviceEntry,
  channels: readonly UpChannel[],
): gb28181.AlarmNotify | null {
  const own = channels.filter((c) => c.entry.id === entry.id);
  const ch =
    (entry.gbId ? own[0] : own.find((c) => c.down?.channelId === a.deviceId || c.gbId === a.deviceId)) ?? own[0];
  if (!ch) return null;
  return {
    ...a,
    deviceId: ch.gbId,
    description: `${ch.name}：${a.description || '国标报警'}`.slice(0, 200),
    longitude: a.longitude ?? ch.lng,
    latitude: a.latitude ?? ch.lat,
  };
}
