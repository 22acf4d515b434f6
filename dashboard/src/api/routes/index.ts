import { GET_REPLIES } from '@linli/contract';
import { openApiDocument } from '../openapi.js';
import type { TSchema } from '@sinclair/typebox';
import type { Route } from '../route.js';
import { alertRoutes } from './alert-routes.js';
import { alertSourceRoutes } from './alert-source-routes.js';
import { areaTileRoutes } from './area-tile-routes.js';
import { authRoutes } from './auth-routes.js';
import { cityRoutes } from './city-routes.js';
import { cockpitRoutes } from './cockpit-routes.js';
import { commandRoutes } from './command-routes.js';
import type { ApiDeps } from './deps.js';
import { maintenanceRoutes } from './maintenance-routes.js';
import { mediaRoutes } from './media-routes.js';
import { enrollmentRoutes } from './enrollment-routes.js';
import { fieldRoutes } from './field-routes.js';
import { fieldGridRoutes } from './field-grid-routes.js';
import { peopleRoutes } from './people-routes.js';
import { reviewSeriesRoutes } from './review-series-routes.js';
import { unmaskRoutes } from './unmask-routes.js';
import { userRoutes } from './user-routes.js';
import { viewRoutes } from './view-routes.js';

export type { ApiDeps } from './deps.js';

/** The whole REST API; the OpenAPI document is derived from this same list. */
export function apiRoutes(d: ApiDeps, version: string): Route[] {
  const routes = [
    ...authRoutes(d),
    ...userRoutes(d),
    ...viewRoutes(d),
    ...areaTileRoutes(d),
    ...commandRoutes(d),
    ...peopleRoutes(d),
    ...unmaskRoutes(d),
    ...alertRoutes(d),
    ...alertSourceRoutes(d),
    ...maintenanceRoutes(d),
    ...mediaRoutes(d),
    ...enrollmentRoutes(d),
    ...cockpitRoutes(d),
    ...cityRoutes(d),
    ...fieldRoutes(d),
    ...fieldGridRoutes(d),
    ...reviewSeriesRoutes(d),
  ];
  routes.push({
    method: 'GET',
    path: '/api/openapi.json',
    tag: 'meta',
    access: 'public',
    summary: 'This document',
    handler: () => JSON.parse(doc) as unknown,
  });
  // Every GET reply's schema lives in the contract, shared with the cockpit (test/api/get-replies.test.ts checks them).
  for (const r of routes) if (r.method === 'GET') r.reply ??= replyOf(r.path);
  const doc = JSON.stringify(openApiDocument(routes, version));
  return routes;
}

const replyOf = (path: string) => (GET_REPLIES as Record<string, TSchema | undefined>)[path];
