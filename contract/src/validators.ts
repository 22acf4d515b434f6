import { CommandReplySchema, CommandSchema } from './commands.js';
import { EventSchema } from './event.js';
import { FieldBatchReplySchema, FieldBatchSchema, FieldRouteInputSchema, FieldUpdateSchema } from './field.js';
import { EVENT_KINDS, type EventKind, payloadSchemas } from './kinds.js';
import { compile } from './validate.js';
import {
  BatchReplySchema,
  CockpitAuthSchema,
  EventBatchSchema,
  GatewayAuthSchema,
  GatewayStatusSchema,
  HelloReplySchema,
  HelloSchema,
  LiveBatchSchema,
  LiveReplySchema,
  MediaMessageSchema,
  MediaReplySchema,
  RecentQuerySchema,
  CityChangedSchema,
  StatusReplySchema,
} from './wire.js';

/** Compiled validators for everything that crosses a process boundary. */
export const validators = {
  event: compile(EventSchema, 'event'),
  eventBatch: compile(EventBatchSchema, 'event batch'),
  batchReply: compile(BatchReplySchema, 'batch reply'),
  liveBatch: compile(LiveBatchSchema, 'live batch'),
  liveReply: compile(LiveReplySchema, 'live reply'),
  gatewayStatus: compile(GatewayStatusSchema, 'gateway status'),
  statusReply: compile(StatusReplySchema, 'status reply'),
  hello: compile(HelloSchema, 'hello'),
  helloReply: compile(HelloReplySchema, 'hello reply'),
  gatewayAuth: compile(GatewayAuthSchema, 'gateway handshake'),
  cockpitAuth: compile(CockpitAuthSchema, 'cockpit handshake'),
  cityChanged: compile(CityChangedSchema, 'city changed'),
  recentQuery: compile(RecentQuerySchema, 'recent-events query'),
  command: compile(CommandSchema, 'command'),
  commandReply: compile(CommandReplySchema, 'command reply'),
  media: compile(MediaMessageSchema, 'media message'),
  mediaReply: compile(MediaReplySchema, 'media reply'),
  fieldBatch: compile(FieldBatchSchema, 'field action batch'),
  fieldBatchReply: compile(FieldBatchReplySchema, 'field batch reply'),
  fieldRoute: compile(FieldRouteInputSchema, 'patrol route'),
  fieldUpdate: compile(FieldUpdateSchema, 'field update'),
  /**
   * One validator per kind's payload: the gateway builds the envelope itself and
   * checks only what a driver supplied, which is several times cheaper than the
   * whole discriminated union on its hot path.
   */
  payload: Object.fromEntries(EVENT_KINDS.map((k) => [k, compile(payloadSchemas[k], `${k} payload`)])) as {
    [K in EventKind]: ReturnType<typeof compile<(typeof payloadSchemas)[K]>>;
  },
};
