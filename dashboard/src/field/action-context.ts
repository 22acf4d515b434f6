import type { FieldConfig } from './config.js';
import type { FieldPhotoStore } from './photo-store.js';
import type { Alert, AlertService } from '../alerts/index.js';
import type { AreaIndex } from '@linli/geo';
import type { FieldUpdate } from '@linli/contract';
import type { SqlExec } from '../store/sql/sql-db.js';

/** The worker acting: from the session, never from the phone's message. */
export interface FieldUser {
  id: string;
  displayName: string;
  /** The area the user's role covers (for a grid worker, the grid). */
  areaCode: string;
}

/** What an action handler works with: everything over the one transaction the action commits in. */
export interface ActionContext {
  t: SqlExec;
  alerts: AlertService;
  photos: FieldPhotoStore;
  areas: AreaIndex;
  config: FieldConfig;
  user: FieldUser;
  now: number;
  newId: () => string;
  /** Alerts changed, to send to cockpits once committed. */
  changed: Alert[];
  /** Field updates (positions, check-ins), to send to overseers once committed. */
  updates: FieldUpdate[];
}

export type ActionData = Record<string, string | number | null>;
