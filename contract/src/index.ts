export {
  type Command,
  COMMAND_NAMES,
  type CommandName,
  type CommandReply,
  CommandReplySchema,
  CommandSchema,
  DEVICE_COMMANDS,
} from './commands.js';
export {
  ERROR_CODE_LIST,
  ERROR_CODES,
  type ErrorCode,
  type FaultDomain,
  faultDomain,
  isErrorCode,
} from './error-codes.js';
export {
  BadInput,
  ConfigError,
  FieldFault,
  InternalError,
  LinliError,
  NetworkFault,
  StorageFault,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export {
  EVENT_VERSION,
  type EventDraft,
  type EventOf,
  EventSchema,
  GRID_CODE_PATTERN,
  ID_PATTERN,
  type LinliEvent,
  type Location,
  LocationSchema,
  type PayloadOf,
  ULID_PATTERN,
} from './event.js';
export {
  CLIENT_ID_PATTERN,
  FIELD_RESULT_STATUSES,
  type FieldAction,
  FieldActionSchema,
  type FieldActionType,
  type FieldBatch,
  type FieldBatchReply,
  FieldBatchReplySchema,
  FieldBatchSchema,
  type FieldPhoto,
  FieldPhotoSchema,
  type FieldPosition,
  FieldPositionSchema,
  type FieldResult,
  FieldResultSchema,
  type FieldRouteInput,
  FieldRouteInputSchema,
  type FieldUpdate,
  FieldUpdateSchema,
  MAX_FIELD_PHOTO_BASE64,
  MAX_FIELD_PHOTOS,
  VISIT_OUTCOMES,
} from './field.js';
export { createIdFactory } from './ids.js';
export { seededRandom } from './random.js';
export {
  ALERT_ACTIONS,
  ALERT_STATES,
  type Alert,
  type AlertAction,
  type AlertState,
  AlertSchema,
  type Assignee,
  type MaintenanceWindowView,
  OPEN_ALERT_STATES,
  WINDOW_STATUSES,
} from './rest/alerts.js';
export type {
  ActiveCity,
  AreaCollection,
  AreaFeature,
  AreaNode,
  AreaTreeNode,
  CoverageRow,
  Facility,
  GridReview,
  PatrolTrack,
} from './rest/cockpit.js';
export type {
  CityCoverageState,
  CityDiff,
  CityImportJob,
  CityReport,
  CityVersionSummary,
  Orphan,
} from './rest/city.js';
export type { DispatchCandidate, FieldTask, FieldWorker, Matter, PatrolRoute } from './rest/field.js';
export type { AlertSource, PeriodSeries, ReviewSeriesReply } from './rest/glance.js';
export type { PublicUser } from './rest/accounts.js';
export {
  BROWSER_GET_PATHS,
  type BrowserGetPath,
  GET_RAW_REPLIES,
  GET_REPLIES,
  type GetPath,
  type GetReply,
} from './rest/replies.js';
export {
  defaultSeverity,
  EVENT_KINDS,
  type EventKind,
  type PriorityClass,
  payloadSchemas,
  priorityOf,
  SEVERITIES,
  type Severity,
} from './kinds.js';
export { type Checked, compile, fieldName, toIssues, type Validator } from './validate.js';
export { validators } from './validators.js';
export type {
  AuthorityCode,
  BatchReply,
  CityChanged,
  CockpitToHub,
  DeclaredDevice,
  DeviceRefusal,
  EventBatch,
  EvictedRange,
  GatewayStatus,
  GatewayView,
  LiveBatch,
  LiveReply,
  MediaMessage,
  MediaReply,
  StatusReply,
  GatewayAuth,
  GatewayToHub,
  Hello,
  HelloReply,
  HubToCockpit,
  HubToGateway,
  RecentQuery,
  RecentReply,
  RejectedEvent,
  WireError,
} from './wire.js';
export * as wire from './wire.js';
export {
  ROLES,
  type Role,
  ROLE_TITLES,
  type Permission,
  PERMISSION_TITLES,
  permissionsOf,
  can,
  needsSecondFactor,
  enrolsSecondFactor,
  scopePrefix,
  inScope,
  type Viewer,
} from './roles.js';
