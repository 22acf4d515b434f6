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
export {
  MaintenanceWindows,
  type WindowInput,
  WindowInputSchema,
  type WindowPatch,
  WindowPatchSchema,
} from './maintenance.js';
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
} from './types.js';
