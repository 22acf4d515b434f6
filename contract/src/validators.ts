import { EventSchema } from './event.js';
import { compile } from './validate.js';
import {
  BatchReplySchema,
  CockpitAuthSchema,
  EventBatchSchema,
  GatewayAuthSchema,
  HelloReplySchema,
  RecentQuerySchema,
} from './wire.js';

/** Compiled validators for everything that crosses a process boundary. */
export const validators = {
  event: compile(EventSchema, 'event'),
  eventBatch: compile(EventBatchSchema, 'event batch'),
  batchReply: compile(BatchReplySchema, 'batch reply'),
  helloReply: compile(HelloReplySchema, 'hello reply'),
  gatewayAuth: compile(GatewayAuthSchema, 'gateway handshake'),
  cockpitAuth: compile(CockpitAuthSchema, 'cockpit handshake'),
  recentQuery: compile(RecentQuerySchema, 'recent-events query'),
};
