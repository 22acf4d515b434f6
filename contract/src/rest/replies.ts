import type { Static, TSchema } from '@sinclair/typebox';
import { MeReplySchema, OpenApiDocumentSchema, PendingEnrollmentReplySchema, UsersReplySchema } from './accounts.js';
import {
  AlertHistoryReplySchema,
  AlertListReplySchema,
  AlertReplySchema,
  CommandRecordReplySchema,
  MaintenanceListReplySchema,
} from './alerts.js';
import {
  AreaCollectionSchema,
  AreaTilesReplySchema,
  AreaTreeReplySchema,
  CoverageReplySchema,
  EventCountReplySchema,
  EventsReplySchema,
  GatewaysReplySchema,
  HeatmapReplySchema,
  PatrolsReplySchema,
  ReviewReplySchema,
} from './cockpit.js';
import {
  CityDiffReplySchema,
  CityImportJobReplySchema,
  CityOrphansReplySchema,
  CityVersionReplySchema,
  CityVersionsReplySchema,
} from './city.js';
import {
  DispatchSuggestReplySchema,
  FieldConfigReplySchema,
  FieldPatrolsReplySchema,
  FieldReviewReplySchema,
  FieldTasksReplySchema,
  FieldWorkersReplySchema,
  MattersReplySchema,
  PatrolRoutesReplySchema,
  FieldGridsReplySchema,
} from './field.js';
import { AlertSourcesReplySchema, ReviewSeriesReplySchema } from './glance.js';
import {
  AuditPageReplySchema,
  AuditVerifyReplySchema,
  PopulationCountsReplySchema,
  ResidentRecordReplySchema,
  ResidentRecordsReplySchema,
  UnmaskedReportReplySchema,
  UnmaskGrantsReplySchema,
} from './people.js';

/**
 * The 200 reply of every GET route of the hub's REST API, by route path: the
 * one schema the hub declares (and its OpenAPI document shows), the cockpit
 * validates against, and a test checks every route's real reply against.
 * A new GET route without an entry here fails that test.
 */
export const GET_REPLIES = {
  '/api/me': MeReplySchema,
  '/api/users': UsersReplySchema,
  '/api/areas': AreaCollectionSchema,
  '/api/events': EventsReplySchema,
  '/api/gateways': GatewaysReplySchema,
  '/api/commands/:id': CommandRecordReplySchema,
  '/api/population/counts': PopulationCountsReplySchema,
  '/api/population/records': ResidentRecordsReplySchema,
  '/api/population/records/:id': ResidentRecordReplySchema,
  '/api/audit': AuditPageReplySchema,
  '/api/audit/verify': AuditVerifyReplySchema,
  '/api/unmask-grants': UnmaskGrantsReplySchema,
  '/api/audit/unmasked': UnmaskedReportReplySchema,
  '/api/alerts': AlertListReplySchema,
  '/api/alerts/:id': AlertReplySchema,
  '/api/alerts/:id/history': AlertHistoryReplySchema,
  '/api/maintenance-windows': MaintenanceListReplySchema,
  '/api/enrollment-codes': PendingEnrollmentReplySchema,
  '/api/area-tree': AreaTreeReplySchema,
  '/api/area-tiles.json': AreaTilesReplySchema,
  '/api/heatmap': HeatmapReplySchema,
  '/api/event-count': EventCountReplySchema,
  '/api/review': ReviewReplySchema,
  '/api/coverage': CoverageReplySchema,
  '/api/patrols': PatrolsReplySchema,
  '/api/openapi.json': OpenApiDocumentSchema,
  '/api/alert-sources': AlertSourcesReplySchema,
  '/api/review/series': ReviewSeriesReplySchema,
  '/api/city/versions': CityVersionsReplySchema,
  '/api/city/versions/:id': CityVersionReplySchema,
  '/api/city/versions/:id/diff': CityDiffReplySchema,
  '/api/city/versions/:id/orphans': CityOrphansReplySchema,
  '/api/city/imports/:id': CityImportJobReplySchema,
  '/api/field/config': FieldConfigReplySchema,
  '/api/field/grids': FieldGridsReplySchema,
  '/api/field/tasks': FieldTasksReplySchema,
  '/api/field/matters': MattersReplySchema,
  '/api/field/routes': PatrolRoutesReplySchema,
  '/api/field/workers': FieldWorkersReplySchema,
  '/api/field/patrols': FieldPatrolsReplySchema,
  /** JSON unless format=csv (then text/csv, like a download). */
  '/api/field/review': FieldReviewReplySchema,
  '/api/field/suggest/:alertId': DispatchSuggestReplySchema,
} satisfies Record<string, TSchema>;
export type GetPath = keyof typeof GET_REPLIES;
/** The type of a GET route's 200 reply, from its schema. */
export type GetReply<P extends GetPath> = Static<(typeof GET_REPLIES)[P]>;

/** GET routes whose reply is not JSON: the content type they answer with instead. */
export const GET_RAW_REPLIES: Readonly<Record<string, string>> = {
  '/api/events/:eventId/snapshot': 'image/webp',
  '/api/field/photos/:id': 'image/jpeg',
  '/api/area-tiles/:version/:z/:x/:y': 'application/vnd.mapbox-vector-tile',
};

/** The GET replies the cockpit, the field phone app and the city page read, and so validates in the browser with precompiled validators. */
export const BROWSER_GET_PATHS = [
  '/api/me',
  '/api/areas',
  '/api/area-tree',
  '/api/area-tiles.json',
  '/api/alerts',
  '/api/alerts/:id/history',
  '/api/gateways',
  '/api/event-count',
  '/api/heatmap',
  '/api/review',
  '/api/coverage',
  '/api/patrols',
  '/api/population/counts',
  '/api/maintenance-windows',
  '/api/alert-sources',
  '/api/review/series',
  '/api/field/matters',
  '/api/field/workers',
  '/api/field/suggest/:alertId',
  '/api/field/review',
  // The field phone app.
  '/api/field/config',
  '/api/field/grids',
  '/api/field/tasks',
  '/api/field/routes',
  // The administrator's city page.
  '/api/city/versions',
  '/api/city/versions/:id/orphans',
  '/api/city/imports/:id',
] as const satisfies readonly GetPath[];
export type BrowserGetPath = (typeof BROWSER_GET_PATHS)[number];

/** The exported name of a GET route's precompiled reply validator: `/api/area-tree` → `reply_api_area_tree`. */
export function replyValidatorName(path: string): string {
  return `reply${path.replace(/[^a-z0-9]+/gi, '_')}`;
}
