import type { FieldUpdate, GatewayView } from '@linli/contract';
import type { FieldService } from '../../field/field-service.js';
import type { Alert, AlertService } from '../../alerts/index.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { AuditSink } from '../../auth/audit-sink.js';
import type { MediaStore } from '../../media/media-store.js';
import type { PeopleRegister } from '../../people/register.js';
import type { AuthService } from '../../auth/auth-service.js';
import type { StepUp } from '../../auth/step-up.js';
import type { UnmaskGrants } from '../../auth/unmask-grants.js';
import type { UnmaskReport } from '../../audit/unmask-report.js';
import type { CommandService } from '../../commands/command-service.js';
import type { HubStore } from '../../store/hub-store.js';
import type { ActiveCity } from '../../city/active-city.js';
import type { CityService } from '../../city/city-service.js';
import type { CityTiles } from '../../city/city-tiles.js';
import type { AreaCatalog } from '../area-catalog.js';

/** What the route modules use; each module takes only what it needs from here. */
export interface ApiDeps {
  auth: AuthService;
  store: HubStore;
  commands: CommandService;
  alerts: AlertService;
  /** Sends a changed alert to the cockpits of its area. */
  onAlertChanged: (alert: Alert) => void;
  /** The active city's catalogue, read at each call (a newly activated city answers at once). */
  areas: Pick<AreaCatalog, 'visibleTo' | 'exists'>;
  /** The active city's area polygons as vector tiles, cut per viewer's scope. */
  tiles: Pick<CityTiles, 'versionId' | 'tile'>;
  /** The active city (cockpit geography) and city versions (the admin's import and activation). */
  city: ActiveCity;
  cities: CityService;
  /** Field work: phone actions, tasks, matters, patrols (docs/field.md). */
  field: FieldService;
  /** Sends a field update (position, check-in) to the overseers of its grid. */
  onFieldUpdate: (update: FieldUpdate) => void;
  audit: AuditSink;
  auditLog: AuditLog;
  people: PeopleRegister;
  media: MediaStore;
  /** Where uploads are spooled before import (inside the hub's data folder). */
  tmpDir: string;
  gatewayViews: () => Promise<GatewayView[]>;
  /** Called after a gateway is revoked so its live connection is cut at once. */
  onGatewayRevoked: (gatewayId: string) => void;
  /** Step-up, per-user unmasking grants, and the auditors' report of unmasked reads. */
  unmask: {
    stepUp: StepUp;
    grants: UnmaskGrants;
    report: UnmaskReport;
  };
}
