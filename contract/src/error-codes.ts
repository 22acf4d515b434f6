import { Type } from '@sinclair/typebox';

/**
 * Every error code Linli sends or throws, closed, each in its fault domain,
 * because each domain is handled differently:
 * - `input`: the caller's request is wrong or not allowed (bad fields, no
 *   permission, over a limit, an authority refusal). Answered once; resending
 *   the same thing gets the same answer.
 * - `device`: a device or its line misbehaved (timeout, bad reply, refused,
 *   not running). Counted and retried.
 * - `network`: the link between gateway and hub (cannot connect, timed out).
 *   Retried with backoff.
 * - `storage`: a database or disk could not take or give the data. Retried;
 *   nothing is dropped.
 * - `internal`: our own bug or a peer speaking outside the contract. Logged
 *   with its cause; never the caller's fault.
 * A code outside this list does not type-check (`LinliError`, `wire.failure`,
 * the REST errors) and does not validate on the wire (`WireErrorSchema`).
 */
export const ERROR_CODES = {
  // input: shape and content
  VALIDATION: 'input',
  CONFIG: 'input',
  IMPORT: 'input',
  DEFINITION: 'input',
  DUPLICATE_TYPE: 'input',
  UNKNOWN_TYPE: 'input',
  INVALID_ARGS: 'input',
  INVALID_BODY: 'input',
  INVALID_QUERY: 'input',
  INVALID_WINDOW: 'input',
  INVALID_USERNAME: 'input',
  INVALID_COMMAND: 'input',
  INVALID_HELLO: 'input',
  INVALID_BATCH: 'input',
  INVALID_MEDIA: 'input',
  EMPTY_BATCH: 'input',
  MALFORMED_JSON: 'input',
  BODY_TOO_LARGE: 'input',
  TOO_LARGE: 'input',
  UNSUPPORTED_MEDIA_TYPE: 'input',
  METHOD_NOT_ALLOWED: 'input',
  NOT_FOUND: 'input',
  UNKNOWN_AREA: 'input',
  UNKNOWN_USER: 'input',
  UNKNOWN_EVENT: 'input',
  USERNAME_TAKEN: 'input',
  WEAK_PASSWORD: 'input',
  DEVICE_REQUIRED: 'input',
  UNSUPPORTED: 'input',
  WRONG_PROTOCOL: 'input',
  WRONG_GATEWAY: 'input',
  EXPIRED: 'input',
  TRUSTED_PROXY_INVALID: 'input',
  ROLE_NOT_ALLOWED: 'input',
  FLOWS_REFUSED: 'input',
  FLOWS_ROLLED_BACK: 'input',
  // input: who may do what
  UNAUTHORIZED: 'input',
  FORBIDDEN: 'input',
  BAD_CREDENTIALS: 'input',
  LOCKED: 'input',
  DISABLED: 'input',
  TOTP_REQUIRED: 'input',
  TOTP_INVALID: 'input',
  TOTP_NOT_ENROLLED: 'input',
  STEP_UP_REQUIRED: 'input',
  STEP_UP_CANCELLED: 'input',
  SETUP_REFUSED: 'input',
  SETUP_BUSY: 'input',
  DUPLICATE_IDENTITY: 'input',
  NO_NAMESPACE: 'input',
  RATE_LIMITED: 'input',
  TOO_MANY_ATTEMPTS: 'input',
  UNMASK_NOT_GRANTED: 'input',
  UNMASK_REASON_REQUIRED: 'input',
  BULK_UNMASK_REFUSED: 'input',
  GRANT_NOT_APPLICABLE: 'input',
  GRANT_TOO_LONG: 'input',
  GRANT_INVALID_UNTIL: 'input',
  ENROLL_CODE_UNKNOWN: 'input',
  ENROLL_CODE_USED: 'input',
  ENROLL_CODE_EXPIRED: 'input',
  ENROLL_CODE_OTHER_GATEWAY: 'input',
  // input: a gateway beyond its enrolled authority (wire.ts AUTHORITY_CODES)
  GATEWAY_NO_AREA: 'input',
  DEVICES_NOT_DECLARED: 'input',
  GRID_OUTSIDE_AREA: 'input',
  DEVICE_UNDECLARED: 'input',
  DEVICE_OUTSIDE_AREA: 'input',
  // input: the alert life (dashboard/src/alerts/errors.ts)
  ALERT_NOT_FOUND: 'input',
  ALERT_INVALID_TRANSITION: 'input',
  ALERT_NOTE_REQUIRED: 'input',
  ALERT_CONFLICT: 'input',
  MAINTENANCE_TOO_LONG: 'input',
  MAINTENANCE_NOT_PENDING: 'input',
  MAINTENANCE_SELF_APPROVAL: 'input',
  MAINTENANCE_OVER: 'input',
  // input: the city's versions (dashboard/src/city, sent as CITY_<code>)
  CITY_NOT_FOUND: 'input',
  CITY_FAILED_VERSION: 'input',
  CITY_ORPHANS: 'input',
  CITY_BAD_REASSIGN: 'input',
  CITY_ALREADY_ACTIVE: 'input',
  UNKNOWN_UPLOAD: 'input',
  // input: the area tiles of the active city (api/routes/area-tile-routes.ts)
  NO_CITY: 'input',
  BAD_TILE: 'input',
  /** A tile of a version that is no longer active (410): the page reloads its tile source. */
  CITY_CHANGED: 'input',
  // input: phone actions the hub will not apply (dashboard/src/field/errors.ts)
  FIELD_INVALID: 'input',
  FIELD_BAD_PHOTO: 'input',
  FIELD_SEQ_GAP: 'input',
  FIELD_SEQ_REUSED: 'input',
  FIELD_NOT_ASSIGNED: 'input',
  FIELD_NOT_THERE: 'input',
  FIELD_TOO_FAR: 'input',
  FIELD_OUTSIDE_AREA: 'input',
  FIELD_NO_GRID: 'input',
  FIELD_UNKNOWN_CATEGORY: 'input',
  FIELD_NO_PATROL: 'input',
  FIELD_PATROL_CLOSED: 'input',
  FIELD_PATROL_EXISTS: 'input',
  FIELD_UNKNOWN_POINT: 'input',
  FIELD_ALREADY_CHECKED_IN: 'input',
  FIELD_UNKNOWN_ROUTE: 'input',
  /** A gateway sent a kind only phones may raise (field.*). */
  KIND_NOT_FROM_GATEWAY: 'input',
  // device
  TIMEOUT: 'device',
  CONNECT: 'device',
  WRITE: 'device',
  UNREACHABLE: 'device',
  ABORTED: 'device',
  CLOSED: 'device',
  REFUSED: 'device',
  /** A device answered with an error, or with bytes or a document that cannot be understood. */
  DEVICE_REPLY: 'device',
  FRAME_LIMIT: 'device',
  LINE_CLOSED: 'device',
  NOT_RUNNING: 'device',
  OFFLINE: 'device',
  AUTH: 'device',
  ONVIF: 'device',
  STREAM: 'device',
  SNAPSHOT: 'device',
  IMAGE: 'device',
  FFMPEG: 'device',
  NO_FFMPEG: 'device',
  // network
  CONNECT_TIMEOUT: 'network',
  HUB_UNREACHABLE: 'network',
  // storage
  STORAGE: 'storage',
  STORAGE_FULL: 'storage',
  STORAGE_FAILED: 'storage',
  BUFFER_FULL: 'storage',
  BASEMAP: 'storage',
  // internal
  INTERNAL: 'internal',
  /** A peer process answered outside the contract. */
  INVALID_REPLY: 'internal',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type FaultDomain = (typeof ERROR_CODES)[ErrorCode];
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** The code of a refused Socket.IO handshake as a client sees it (`connect_error`'s `data`), or null when none was sent. */
export function refusalCode(err: unknown): ErrorCode | null {
  const code = (err as { data?: { code?: unknown } } | null)?.data?.code;
  return isErrorCode(code) ? code : null;
}

/** The fault domain of a code. */
export function faultDomain(code: ErrorCode): FaultDomain {
  return ERROR_CODES[code];
}

/** One of the closed set, as a schema (an `enum`) for wire messages. */
export const ErrorCodeSchema = Type.Unsafe<ErrorCode>({ type: 'string', enum: ERROR_CODE_LIST });
