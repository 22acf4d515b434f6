import { type Static, Type } from '@sinclair/typebox';
import { EventSchema } from '../event.js';
import { GatewayViewSchema } from '../wire.js';
import { AreaCode, Count, Millis, Nullable, okReply, oneOf } from './shapes.js';

/** What the cockpit's layers, KPIs and review read; all aggregated and cut to the caller's area by the hub. */

const LngLat = Type.Tuple([Type.Number(), Type.Number()]);
export const AREA_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
const Level = oneOf(AREA_LEVELS);

/** One area of the tree (no ring): the breadcrumb and the area picker. */
export const AreaNodeSchema = Type.Object(
  { code: AreaCode, name: Type.String(), level: Level, parent: Nullable(AreaCode) },
  { additionalProperties: false },
);
export type AreaNode = Static<typeof AreaNodeSchema>;
/** The active city (null before one is activated): the cockpit's title and its 演示 mark. */
export const ActiveCitySchema = Type.Object(
  { version: Type.Integer({ minimum: 1 }), name: Type.String(), demo: Type.Boolean() },
  { additionalProperties: false },
);
export type ActiveCity = Static<typeof ActiveCitySchema>;
/**
 * One area of `/api/area-tree`: the node plus what the map needs without any
 * polygon (those come as vector tiles, or per community from `/api/areas?under=`).
 */
export const AreaTreeNodeSchema = Type.Object(
  {
    ...AreaNodeSchema.properties,
    /** [west, south, east, north]: its own ring's, else its grids'; null for ring-less areas above the viewer's. */
    bbox: Nullable(Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()])),
    /** Where its name is drawn (districts, streets, communities): inside the area (dashboard/src/api/area-extents.ts). */
    anchor: Type.Optional(LngLat),
  },
  { additionalProperties: false },
);
export type AreaTreeNode = Static<typeof AreaTreeNodeSchema>;
export const AreaTreeReplySchema = okReply({ city: Nullable(ActiveCitySchema), areas: Type.Array(AreaTreeNodeSchema) });

/** `/api/area-tiles.json`: TileJSON 3.0 of the active city's area tiles (not the `{ ok }` envelope: map libraries read it as is). */
export const AreaTilesReplySchema = Type.Object(
  {
    tilejson: Type.Literal('3.0.0'),
    /** The city version the tiles are cut from; a tile of another version answers 410. */
    version: Type.Integer({ minimum: 1 }),
    tiles: Type.Array(Type.String({ pattern: '^/api/area-tiles/' }), { minItems: 1 }),
    minzoom: Type.Integer({ minimum: 0 }),
    maxzoom: Type.Integer({ minimum: 0 }),
    vector_layers: Type.Array(
      Type.Object(
        { id: Type.String(), fields: Type.Record(Type.String(), Type.String()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** `/api/areas`: the polygons (GeoJSON, not the `{ ok }` envelope: GIS tools read it as is). */
export const AreaFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    properties: AreaNodeSchema,
    geometry: Type.Object(
      { type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(LngLat, { minItems: 4 })) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const AreaCollectionSchema = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(AreaFeatureSchema) },
  { additionalProperties: false },
);
export type AreaCollection = Static<typeof AreaCollectionSchema>;
export type AreaFeature = Static<typeof AreaFeatureSchema>;

/**
 * Events per ~110 m cell: the cells as a flat [x, y, x, y, …] list of whole
 * cell numbers (a cell's centre is x × cellDegrees east, y × cellDegrees
 * north; null for events without a position), one weight per cell. Whole
 * numbers, not degrees: a city's 37,000 cells are written and parsed in well
 * under half the time (docs/hub.md, "Event roll-ups").
 */
export const HeatmapReplySchema = okReply({
  from: Millis,
  to: Millis,
  cellDegrees: Type.Number({ exclusiveMinimum: 0 }),
  total: Count,
  cells: Type.Array(Nullable(Type.Integer({ minimum: -180_000, maximum: 180_000 }))),
  weights: Type.Array(Count),
  truncated: Type.Boolean(),
});
export type HeatmapReply = Static<typeof HeatmapReplySchema>;

export const EventCountReplySchema = okReply({ from: Millis, to: Millis, events: Count });

const ReviewRow = Type.Object(
  {
    grid: AreaCode,
    alerts: Count,
    critical: Count,
    /** Mean time from raise to first acknowledge, over the alerts acknowledged; null when none were. */
    ackMs: Nullable(Type.Integer()),
    resolveMs: Nullable(Type.Integer()),
    events: Count,
  },
  { additionalProperties: false },
);
const Period = Type.Object({ from: Type.Integer(), to: Type.Integer() }, { additionalProperties: false });
export const ReviewReplySchema = okReply({
  period: Period,
  previous: Period,
  current: Type.Array(ReviewRow),
  before: Type.Array(ReviewRow),
  days: Type.Array(Type.Object({ day: Type.Integer(), alerts: Count }, { additionalProperties: false })),
});
export type ReviewReply = Static<typeof ReviewReplySchema>;
export type GridReview = Static<typeof ReviewRow>;

export const CoverageRowSchema = Type.Object(
  {
    grid: AreaCode,
    homes: Count,
    /** Mean share of homes within a 15-minute walk over the service types, 0..1. */
    share: Type.Number({ minimum: 0, maximum: 1 }),
    /** Service types some homes of this grid cannot reach in 15 minutes. */
    gaps: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type CoverageRow = Static<typeof CoverageRowSchema>;
export const FacilitySchema = Type.Object(
  { id: Type.String(), type: Type.String(), name: Type.String(), position: LngLat },
  { additionalProperties: false },
);
export type Facility = Static<typeof FacilitySchema>;
export const CoverageReplySchema = okReply({
  minutes: Type.Number({ exclusiveMinimum: 0 }),
  /** null (with `ready: false` and empty lists) until the active city's coverage is computed. */
  method: Nullable(Type.Union([Type.Literal('walk'), Type.Literal('straight-line')])),
  ready: Type.Boolean(),
  grids: Type.Array(CoverageRowSchema),
  facilities: Type.Array(FacilitySchema),
});

/**
 * A grid worker's day: one timestamp (seconds since midnight) per path vertex;
 * `real` on tracks the phone app recorded, absent on synthetic demo ones.
 */
export const PatrolTrackSchema = Type.Object(
  {
    grid: AreaCode,
    worker: Type.String(),
    path: Type.Array(LngLat),
    timestamps: Type.Array(Count),
    real: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);
export type PatrolTrack = Static<typeof PatrolTrackSchema>;
export const PatrolsReplySchema = okReply({
  /** Some tracks are synthetic (grids with no recorded patrol that day). */
  synthetic: Type.Boolean(),
  /** How many tracks are real (recorded), shown only to roles that oversee field work. */
  real: Count,
  day: Millis,
  tracks: Type.Array(PatrolTrackSchema),
});

export const EventsReplySchema = okReply({ events: Type.Array(EventSchema) });
export const GatewaysReplySchema = okReply({ gateways: Type.Array(GatewayViewSchema) });
