import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSchema } from '@sinclair/typebox';
import type { Permission } from '@linli/contract';
import type { Principal } from '../auth/auth-service.js';

export interface RouteContext<B = unknown, Q = Record<string, unknown>> {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: Q;
  body: B;
  /** Null only on public routes. */
  principal: Principal;
  ip: string;
  now: number;
}

/** A reply other than 200 JSON: a status, headers, or a raw body (images, CSV). */
export interface RawReply {
  status?: number;
  headers?: Record<string, string>;
  raw?: Buffer | string;
  json?: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/api/alerts/:id/history` style. */
  path: string;
  summary: string;
  tag: string;
  /** `public`: no session; `session`: any logged-in user; otherwise the permission needed. */
  access: 'public' | 'session' | Permission;
  body?: TSchema;
  query?: TSchema;
  /** Request bodies above this are refused before parsing (default 64 KiB). */
  maxBodyBytes?: number;
  /** Schema of the 200 reply, for the OpenAPI document. */
  reply?: TSchema;
  /** Audit actions a successful call writes (refusals are always audited); rendered into docs/hub.md's roles table. */
  audits?: readonly string[];
  /**
   * Replies of 8 KiB or more are compressed as they are sent when the caller
   * accepts it (http/compression.ts); false sends them as they are.
   */
  compress?: boolean;
  /** Needs a fresh second factor for the session (step-up, auth/step-up.ts), checked by the handler or its service. */
  stepUp?: boolean;
  // The body and query were validated against the route's own schemas before the call; handlers read them as such.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (ctx: RouteContext<any, any>) => unknown | Promise<unknown>;
}

export const isRaw = (v: unknown): v is { __raw: RawReply } =>
  typeof v === 'object' && v !== null && '__raw' in (v as object);
export const raw = (r: RawReply) => ({ __raw: r });
