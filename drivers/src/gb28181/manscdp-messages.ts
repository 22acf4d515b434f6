import { buildManscdp, type Charset, child, children, type Manscdp, text0, type XmlFields } from './manscdp.js';

/**
 * The MANSCDP messages a lower platform exchanges with its upper platform
 * (GB/T 28181-2016 Appendix A.2; the same elements in 2022): Keepalive,
 * Catalog, DeviceInfo, DeviceStatus and Alarm. Builders return XML text;
 * readers take a parsed `Manscdp` and never throw.
 */

export function keepaliveXml(deviceId: string, sn: number, charset: Charset): string {
  return buildManscdp('Notify', { cmdType: 'Keepalive', sn, deviceId }, [['Status', 'OK']], charset);
}

export function queryXml(cmdType: 'Catalog' | 'DeviceInfo' | 'DeviceStatus', deviceId: string, sn: number): string {
  return buildManscdp('Query', { cmdType, sn, deviceId }, [], 'GB2312');
}

/** One channel in a Catalog answer (A.2.6.4 item). */
export interface CatalogItem {
  deviceId: string;
  name: string;
  manufacturer?: string;
  model?: string;
  owner?: string;
  civilCode: string;
  address?: string;
  parental?: 0 | 1;
  parentId?: string;
  registerWay?: number;
  secrecy?: 0 | 1;
  status: 'ON' | 'OFF';
  longitude?: number;
  latitude?: number;
}

/** A Catalog item's elements in the standard's order (also used in catalog NOTIFYs). */
export function catalogItemFields(i: CatalogItem): XmlFields {
  return [
    ['DeviceID', i.deviceId],
    ['Name', i.name],
    ['Manufacturer', i.manufacturer ?? 'Linli'],
    ['Model', i.model ?? 'IPC'],
    ['Owner', i.owner ?? 'Owner'],
    ['CivilCode', i.civilCode],
    ['Address', i.address ?? i.name],
    ['Parental', i.parental ?? 0],
    ['ParentID', i.parentId],
    ['SafetyWay', 0],
    ['RegisterWay', i.registerWay ?? 1],
    ['Secrecy', i.secrecy ?? 0],
    ['Status', i.status],
    ['Longitude', i.longitude?.toFixed(6)],
    ['Latitude', i.latitude?.toFixed(6)],
  ];
}

/**
 * A Catalog answer split into MESSAGE bodies of at most `pageSize` items each,
 * every one carrying the total (SumNum) and its own count (DeviceList Num), as
 * platforms expect from an NVR with many channels. An empty catalog is one page.
 */
export function catalogResponsePages(
  deviceId: string,
  sn: number,
  items: readonly CatalogItem[],
  pageSize: number,
  charset: Charset,
): string[] {
  const size = Math.max(1, Math.floor(pageSize));
  const pages: string[] = [];
  for (let at = 0; at === 0 || at < items.length; at += size) {
    const page = items.slice(at, at + size);
    pages.push(
      buildManscdp(
        'Response',
        { cmdType: 'Catalog', sn, deviceId },
        [
          ['SumNum', items.length],
          [`DeviceList Num="${page.length}"`, page.map((i) => ['Item', catalogItemFields(i)] as const)],
        ],
        charset,
      ),
    );
  }
  return pages;
}

/** One page of a Catalog answer as read. */
export interface CatalogPage {
  sumNum: number;
  items: CatalogItem[];
}

export function readCatalogPage(m: Manscdp): { ok: true; value: CatalogPage } | { ok: false; error: string } {
  if (m.cmdType !== 'Catalog') return { ok: false, error: `CmdType ${m.cmdType}, not Catalog` };
  const sum = text0(m.body.SumNum);
  if (!/^\d{1,7}$/.test(sum)) return { ok: false, error: `SumNum "${sum}" is not a count` };
  const items = children(child(m.body, 'DeviceList'), 'Item').map((it): CatalogItem => ({
    deviceId: text0(it.DeviceID),
    name: text0(it.Name),
    civilCode: text0(it.CivilCode),
    status: /^(ON|ONLINE)$/i.test(text0(it.Status)) ? 'ON' : 'OFF',
    ...optionalNumber('longitude', text0(it.Longitude)),
    ...optionalNumber('latitude', text0(it.Latitude)),
    ...(text0(it.ParentID) ? { parentId: text0(it.ParentID) } : {}),
    ...(text0(it.Manufacturer) ? { manufacturer: text0(it.Manufacturer) } : {}),
    ...(text0(it.Model) ? { model: text0(it.Model) } : {}),
  }));
  return { ok: true, value: { sumNum: Number(sum), items } };
}

function optionalNumber<K extends string>(key: K, s: string): { [P in K]?: number } {
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? ({ [key]: n } as { [P in K]?: number }) : {};
}

/**
 * Collects the pages of one Catalog answer (same SN) until SumNum items have
 * arrived; a channel sent twice (a resent page) counts once.
 */
export class CatalogAssembler {
  private readonly items = new Map<string, CatalogItem>();
  private sumNum: number | null = null;

  add(page: CatalogPage): void {
    this.sumNum = page.sumNum;
    for (const i of page.items) this.items.set(i.deviceId, i);
  }

  done(): boolean {
    return this.sumNum !== null && this.items.size >= this.sumNum;
  }

  result(): CatalogItem[] {
    return [...this.items.values()];
  }
}

export interface DeviceInfo {
  deviceName: string;
  manufacturer: string;
  model: string;
  firmware: string;
  channels: number;
}

export function deviceInfoXml(deviceId: string, sn: number, info: DeviceInfo, charset: Charset): string {
  return buildManscdp(
    'Response',
    { cmdType: 'DeviceInfo', sn, deviceId },
    [
      ['DeviceName', info.deviceName],
      ['Result', 'OK'],
      ['Manufacturer', info.manufacturer],
      ['Model', info.model],
      ['Firmware', info.firmware],
      ['Channel', info.channels],
    ],
    charset,
  );
}

export function deviceStatusXml(
  deviceId: string,
  sn: number,
  s: { online: boolean; alarms: ReadonlyArray<{ deviceId: string; status: 'ONDUTY' | 'OFFDUTY' | 'ALARM' }> },
  charset: Charset,
): string {
  return buildManscdp(
    'Response',
    { cmdType: 'DeviceStatus', sn, deviceId },
    [
      ['Result', 'OK'],
      ['Online', s.online ? 'ONLINE' : 'OFFLINE'],
      ['Status', s.online ? 'OK' : 'ERROR'],
      ['Encode', 'ON'],
      ['Record', 'OFF'],
      ['DeviceTime', localIsoTime(new Date())],
      [
        `Alarmstatus Num="${s.alarms.length}"`,
        s.alarms.map(
          (a) =>
            [
              'Item',
              [
                ['DeviceID', a.deviceId],
                ['DutyStatus', a.status],
              ],
            ] as const,
        ),
      ],
    ],
    charset,
  );
}

/** AlarmMethod (A.2.5): 2 device alarm, 5 video alarm, 7 other. Compound alarms that are not the camera's own are 7. */
export interface AlarmNotify {
  /** The channel (camera) the platform should open; the one covering the alarm's place. */
  deviceId: string;
  /** 1 (most urgent) … 4. */
  priority: 1 | 2 | 3 | 4;
  method: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  time: Date;
  description: string;
  longitude?: number;
  latitude?: number;
  /** Within method 2 or 5: the alarm type number of A.2.5 (optional). */
  alarmType?: number;
}

export function alarmXml(sn: number, a: AlarmNotify, charset: Charset): string {
  return buildManscdp(
    'Notify',
    { cmdType: 'Alarm', sn, deviceId: a.deviceId },
    [
      ['AlarmPriority', a.priority],
      ['AlarmMethod', a.method],
      ['AlarmTime', localIsoTime(a.time)],
      ['AlarmDescription', a.description],
      ['Longitude', a.longitude?.toFixed(6)],
      ['Latitude', a.latitude?.toFixed(6)],
      ['Info', a.alarmType === undefined ? undefined : [['AlarmType', a.alarmType]]],
    ],
    charset,
  );
}

export function readAlarm(m: Manscdp): AlarmNotify | null {
  if (m.cmdType !== 'Alarm') return null;
  const priority = Number(text0(m.body.AlarmPriority));
  const method = Number(text0(m.body.AlarmMethod));
  if (![1, 2, 3, 4].includes(priority) || !(method >= 1 && method <= 7)) return null;
  const time = new Date(text0(m.body.AlarmTime) + '+08:00');
  return {
    deviceId: m.deviceId,
    priority: priority as AlarmNotify['priority'],
    method: method as AlarmNotify['method'],
    time: Number.isNaN(time.getTime()) ? new Date(0) : time,
    description: text0(m.body.AlarmDescription),
    ...optionalNumber('longitude', text0(m.body.Longitude)),
    ...optionalNumber('latitude', text0(m.body.Latitude)),
    // 2016 puts AlarmType under Info; some cameras send it at the top level.
    ...optionalNumber('alarmType', text0(child(m.body, 'Info').AlarmType) || text0(m.body.AlarmType)),
  };
}

/** GB/T 28181 times are local (Beijing) without a zone: `2026-12-02T17:21:52`. */
export function localIsoTime(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
}
