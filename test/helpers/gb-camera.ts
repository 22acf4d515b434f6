import { gb28181 } from '@linli/drivers';

/**
 * A GB/T 28181 camera or NVR registering to a platform (the gateway's downward
 * listener), as `linli-sim --gb-device` plays one: the LowerAgent registers and
 * keeps alive, answers Catalog with `channels`, and streams each listed
 * channel's live view as PS over RTP from `rtspUrl` (LiveSessions, ffmpeg), and
 * records the Controls (PTZ) it is sent.
 */
export function startGbCamera(o: {
  deviceId: string;
  serverId: string;
  port: number;
  password: string;
  channels: gb28181.CatalogItem[];
  rtspUrl: string;
  maxStreams?: number;
  /** Media made another way than ffmpeg from `rtspUrl` (a test's own RTP sender). */
  source?: gb28181.LiveRelaySource;
}) {
  /** Every live view started, stopped or refused, in order. */
  const events: { event: string; channel: string; why?: string }[] = [];
  /** Every Control (DeviceControl: PTZ) the platform sent, as parsed. */
  const controls: gb28181.Manscdp[] = [];
  const live: gb28181.LiveSessions = new gb28181.LiveSessions({
    deviceId: o.deviceId,
    bindHost: '127.0.0.1',
    advertise: () => '127.0.0.1',
    maxStreams: o.maxStreams ?? 4,
    onEvent: (e) => events.push(e),
    // Hanging up (`live.stopAll(why, true)`) sends BYE to the platform, as a camera whose stream stops does.
    request: (req) => agent.request(req),
    identity: () => agent.identity(),
    source: (ch) => (ch === o.deviceId || o.channels.some((c) => c.deviceId === ch) ? (o.source ?? o.rtspUrl) : null),
  });
  const agent: gb28181.LowerAgent = new gb28181.LowerAgent({
    ...{ deviceId: o.deviceId, serverId: o.serverId, serverDomain: o.serverId.slice(0, 10) },
    ...{ serverHost: '127.0.0.1', serverPort: o.port, transport: 'UDP', password: o.password },
    ...{ expiresS: 3600, keepaliveS: 0.5, keepaliveMisses: 3, charset: 'GB2312', bindHost: '127.0.0.1' },
    timers: { t1Ms: 50, t2Ms: 400 },
    backoffMaxMs: 300,
    answer: (q) => {
      if (q.root === 'Control') controls.push(q);
      return q.cmdType === 'Catalog' ? gb28181.catalogResponsePages(o.deviceId, q.sn, o.channels, 10, 'GB2312') : [];
    },
    handle: (req) => live.handle(req),
  });
  agent.start();
  return {
    agent,
    live,
    events,
    controls,
    /** Sends an Alarm notification as the camera would (answered 200 by the gateway). */
    alarm: (a: gb28181.AlarmNotify) => agent.notify(gb28181.alarmXml(agent.nextSn(), a, 'GB2312')),
    /** Unregisters (Expires 0) and ends every stream. */
    stop: async () => {
      await live.stopAll('camera stopping');
      await agent.stop();
    },
  };
}
