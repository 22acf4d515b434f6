import { isapiTime } from '../gate/acs-search.js';

/**
 * What the simulated terminal stores and sends, in ISAPI's own shapes: the
 * event log record (the AcsEvent search `InfoList` item) and the alert-stream
 * notification wrapped around it. Fake people only: every name, card and
 * plate here comes from the traffic generator.
 */
export interface AcsRecord {
  major: number;
  minor: number;
  time: string;
  serialNo: number;
  doorNo: number;
  cardReaderNo?: number;
  name?: string;
  cardNo?: string;
  employeeNoString?: string;
  currentVerifyMode?: string;
  userType?: string;
}

export interface PlateRead {
  licensePlate: string;
  direction: 'forward' | 'reverse';
  vehicleListName: 'allowList' | 'blockList' | 'otherList';
  time: string;
}

export interface Device {
  ip: string;
  port: number;
  mac: string;
  name: string;
}

function envelope(d: Device, time: string, eventType: string, description: string) {
  return {
    ipAddress: d.ip,
    portNo: d.port,
    protocol: 'HTTP',
    macAddress: d.mac,
    channelID: 1,
    dateTime: time,
    activePostCount: 1,
    eventType,
    eventState: 'active',
    eventDescription: description,
  };
}

/** The alert-stream JSON for one access-control record (majorEventType/subEventType, as terminals send). */
export function accessAlert(d: Device, r: AcsRecord): Record<string, unknown> {
  const { major, minor, time, ...rest } = r;
  return {
    ...envelope(d, time, 'AccessControllerEvent', 'Access Controller Event'),
    AccessControllerEvent: { deviceName: d.name, majorEventType: major, subEventType: minor, ...rest, mask: 'no' },
  };
}

export function plateAlert(d: Device, p: PlateRead): Record<string, unknown> {
  const { time, ...rest } = p;
  return {
    ...envelope(d, time, 'ANPR', 'ANPR'),
    ANPR: { ...rest, country: 'CN', plateColor: 'blue', confidenceLevel: 97 },
  };
}

export function heartbeat(d: Device, now: number): Record<string, unknown> {
  return { ...envelope(d, isapiTime(now), 'heartBeat', 'heartBeat'), eventState: 'inactive' };
}

/** An ISAPI ResponseStatus reply. */
export function responseStatus(url: string, code: number, statusString: string, sub: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ResponseStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">' +
    `<requestURL>${url.replace(/[<&]/g, '')}</requestURL><statusCode>${code}</statusCode>` +
    `<statusString>${statusString}</statusString><subStatusCode>${sub}</subStatusCode></ResponseStatus>`
  );
}

/** The bytes of one multipart part; `withLength` false leaves the body to run to the next delimiter. */
export function part(boundary: string, contentType: string, body: Buffer, withLength = true, extra = ''): Buffer {
  const head =
    `--${boundary}\r\nContent-Type: ${contentType}\r\n` +
    (withLength ? `Content-Length: ${body.length}\r\n` : '') +
    extra +
    '\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from('\r\n')]);
}
