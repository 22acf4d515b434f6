import { GRID_CODE_PATTERN, ID_PATTERN, LocationSchema } from '@linli/contract';
import { TransportSchema } from '@linli/drivers';
import { type Static, Type } from '@sinclair/typebox';

/** Current config version; older files are migrated on load (none exist yet). */
export const CONFIG_VERSION = 1;

export const DeviceEntrySchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, description: 'unique within this gateway, e.g. meter-01' }),
    type: Type.String({ minLength: 1, description: 'a device type from the driver registry' }),
    pollMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 5000 }),
    timeoutMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 1000 }),
    transport: TransportSchema,
    /** A lone elder's meter: watch it for no consumption (12 h unless inactivityHours says otherwise). */
    loneElder: Type.Optional(Type.Boolean()),
    /** Care watch: raise meter.inactive after this many quiet hours. */
    inactivityHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 720 })),
    /** Cameras: devices (doors, gates, sensors) whose alarms get a picture from this camera. */
    covers: Type.Optional(Type.Array(Type.String({ pattern: ID_PATTERN }), { maxItems: 64, uniqueItems: true })),
    /** Cameras: privacy masks, polygons of [x, y] in [0..1] image coordinates (e.g. over windows of homes). */
    masks: Type.Optional(
      Type.Array(
        Type.Array(Type.Tuple([Type.Number({ minimum: 0, maximum: 1 }), Type.Number({ minimum: 0, maximum: 1 })]), {
          minItems: 3,
          maxItems: 64,
        }),
        { maxItems: 32 },
      ),
    ),
    /** Cameras: how often the stream is checked by pulling a frame. */
    healthIntervalMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 3_600_000 })),
    /** Modbus: byte order of 32-bit values (many meters sold in China use CDAB); ABCD by default. */
    wordOrder: Type.Optional(
      Type.Union([Type.Literal('ABCD'), Type.Literal('CDAB'), Type.Literal('BADC'), Type.Literal('DCBA')]),
    ),
    /** Cameras: `snapshot` checks health through the HTTP snapshot URI (a camera whose RTSP is off or unreachable). */
    streamCheck: Type.Optional(Type.Union([Type.Literal('rtsp'), Type.Literal('snapshot')])),
    /** Cameras: the long-poll Timeout sent with each PullMessages (whole seconds; ONVIF cameras must allow 60 s). */
    eventPullWaitMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 60_000 })),
    /** Cameras: the 20-digit GB/T 28181 channel code the upper platform lists it under (type 131 or 132). */
    gbId: Type.Optional(Type.String({ pattern: '^[0-9]{20}$' })),
    /** Cameras: the channel name the upper platform shows (the device id when absent). */
    gbName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    location: Type.Object(
      {
        lng: Type.Number({ minimum: -180, maximum: 180 }),
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        gridId: Type.String({ pattern: GRID_CODE_PATTERN }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Gb28181Schema = Type.Object(
  {
    /** This gateway's 20-digit code as a lower platform (type 200), given by the upper platform's administrator. */
    id: Type.String({ pattern: '^[0-9]{20}$' }),
    /** File holding the registration password (mode 0600); relative to the config file. Never the password itself. */
    passwordFile: Type.String({ minLength: 1 }),
    /** Digest username when the platform gave an account that is not the gateway's code. */
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    upper: Type.Object(
      {
        /** The upper platform's SIP server code (type 200). */
        id: Type.String({ pattern: '^[0-9]{20}$' }),
        /** Its SIP domain (the digest realm), usually the first 10 digits of its code. */
        domain: Type.String({ pattern: '^[0-9A-Za-z.-]{1,64}$' }),
        host: Type.String({ minLength: 1, maxLength: 253 }),
        port: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
        transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')], { default: 'udp' }),
      },
      { additionalProperties: false },
    ),
    /** Registration lifetime asked for; the gateway registers again at 60 % of what is granted. */
    expiresS: Type.Integer({ minimum: 60, maximum: 86_400, default: 3600 }),
    /** Keepalive MESSAGE interval (the standard's default is 60 s). */
    keepaliveS: Type.Number({ minimum: 0.05, maximum: 3600, default: 60 }),
    /** Unanswered keepalives before the gateway registers again (the standard's default is 3). */
    keepaliveMisses: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
    /** Body charset: GB2312 as in the standard's examples (written as GB18030), or UTF-8 for platforms that ask. */
    charset: Type.Union([Type.Literal('GB2312'), Type.Literal('UTF-8')], { default: 'GB2312' }),
    /** The edition the upper platform speaks: 2022 adds `X-GB-Ver: 3.0` to REGISTER (docs/gb28181.md). */
    edition: Type.Union([Type.Literal(2016), Type.Literal(2022)], { default: 2016 }),
    /** Channels per Catalog MESSAGE; big catalogs are paged with SumNum. */
    catalogPageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    /** Live views (INVITE) at once per gateway; one more is refused with 486 Busy Here. Each is one ffmpeg. */
    maxStreams: Type.Integer({ minimum: 0, maximum: 32, default: 2 }),
    /** A relayed downward camera that sends no RTP for this long (a power cut sends no BYE) is hung up both ways. */
    relaySilenceS: Type.Number({ minimum: 0.1, maximum: 600, default: 10 }),
    /** Local address to send from (a gateway with a leg on the public-security network). */
    bindHost: Type.String({ minLength: 1, default: '0.0.0.0' }),
    /** SIP T1 (retransmission base, RFC 3261); raise it on a slow or lossy link. */
    t1Ms: Type.Integer({ minimum: 10, maximum: 5000, default: 500 }),
  },
  { additionalProperties: false },
);

export const GatewayConfigSchema = Type.Object(
  {
    version: Type.Literal(CONFIG_VERSION),
    gateway: Type.Object(
      {
        id: Type.String({ pattern: ID_PATTERN }),
        name: Type.Optional(Type.String({ maxLength: 100 })),
        community: Type.String({ pattern: '^[0-9]{12}$', description: '12-digit community code' }),
        /** Where the gateway box is: used for the events it raises about itself. */
        location: Type.Optional(LocationSchema),
      },
      { additionalProperties: false },
    ),
    /** Where the buffer and other state live; relative paths are relative to the config file. */
    dataDir: Type.String({ minLength: 1 }),
    hub: Type.Object(
      {
        url: Type.String({ pattern: '^https?://' }),
        /** File holding this gateway's token (mode 0600). The token itself never sits in the config. */
        tokenFile: Type.String({ minLength: 1 }),
        /** An attempt that has not reached the hub by then is dropped and retried (a few seconds fits a city link). */
        connectTimeoutMs: Type.Integer({ minimum: 500, maximum: 120_000, default: 5000 }),
        /** Reconnect backoff (full jitter) never waits longer than this. */
        reconnectMaxMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 10_000 }),
        /** After the hub has been unreachable this long, a warn line names it and the reason. */
        unreachableWarnMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 60_000 }),
      },
      { additionalProperties: false },
    ),
    buffer: Type.Object(
      {
        /**
         * full: every commit is fsynced; a power cut loses nothing acknowledged.
         * normal: WAL fsyncs at checkpoints; a power cut can lose the last commits (not corrupt).
         */
        synchronous: Type.Union([Type.Literal('full'), Type.Literal('normal')], { default: 'full' }),
        /** Limit on buffered event bytes; beyond it the oldest telemetry is evicted. Alarms never are. */
        maxBytes: Type.Integer({ minimum: 65_536, default: 536_870_912 }),
        /** Telemetry older than this is evicted; alarms never expire. */
        maxAgeHours: Type.Number({ exclusiveMinimum: 0, default: 168 }),
        /** Reserved disk space released on a full disk so eviction can still run (0 disables). */
        ballastBytes: Type.Integer({ minimum: 0, default: 8_388_608 }),
      },
      { additionalProperties: false, default: {} },
    ),
    http: Type.Optional(
      Type.Object(
        {
          host: Type.String({ default: '127.0.0.1' }),
          port: Type.Integer({ minimum: 0, maximum: 65535 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Camera pictures: how long full JPEGs stay on the gateway, ffmpeg bound, thumbnails queued for the hub. */
    media: Type.Object(
      {
        keepHours: Type.Number({ exclusiveMinimum: 0, maximum: 8760, default: 72 }),
        maxFfmpeg: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
        maxQueued: Type.Integer({ minimum: 1, maximum: 100_000, default: 500 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * Local rules: Node-RED embedded in the gateway (docs/flows.md). On by default (the shipped safety
     * flows run on every gateway, hub or no hub); the editor and status page stay off until a password is set.
     */
    flows: Type.Optional(
      Type.Object(
        {
          /**
           * The editor and status-page password's bcrypt hash, written by `linli-gateway flows set-password`.
           * Without a readable hash the editor and status page stay off (there is no default); rules still run.
           */
          passwordFile: Type.String({ minLength: 1, default: './flows.password' }),
          /** Ed25519 public key (PEM) that must have signed pushed flow sets; without it the hub's authenticated link is trusted. */
          trustedKeyFile: Type.Optional(Type.String({ minLength: 1 })),
          /** After a flow set is applied, node errors within this window roll it back. */
          rollbackWindowMs: Type.Integer({ minimum: 200, maximum: 60_000, default: 3000 }),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
    /** The compound's video towards the public-security network (docs/gb28181.md): this gateway as a lower platform. */
    gb28181: Type.Optional(Gb28181Schema),
    devices: Type.Array(DeviceEntrySchema, { default: [] }),
  },
  { additionalProperties: false },
);

export type GatewayConfig = Static<typeof GatewayConfigSchema>;
export type DeviceEntry = Static<typeof DeviceEntrySchema>;
export type Gb28181Config = Static<typeof Gb28181Schema>;
