export { type Actor, AlertService, type AlertServiceOptions } from './alert-service.js';
export {
  type AlertConfig,
  type AlertConfigInput,
  AlertConfigSchema,
  DEFAULT_ALERT_CONFIG,
  parseAlertConfig,
  type Sla,
  type SlaRule,
  slaFor,
} from './config.js';
export { AlertError, type AlertErrorCode } from './errors.js';
export { type AlertFilter, AlertFilterSchema } from './filter.js';
export { type CareHomes, isLifeSafety, LIFE_SAFETY_KINDS } from './life-safety.js';
export { MaintenanceWindows, type WindowInput, WindowInputSchema } from './maintenance.js';
export { isWideWindow } from './window-rules.js';
export { allowedActions, type TransitionAction } from './state-machine.js';
export {
  ALERT_ACTIONS,
  ALERT_STATES,
  type Alert,
  type AlertAction,
  type AlertState,
  type Assignee,
  type HistoryEntry,
  type MaintenanceWindow,
  SYSTEM_ACTOR,
  WINDOW_STATUSES,
  type WindowStatus,
} from './types.js';
