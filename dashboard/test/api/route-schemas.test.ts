import { compile } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { inertDeps } from '../../src/api/roles-table.js';
import { apiRoutes } from '../../src/api/routes/index.js';

/**
 * The router compiles each route's body and query schema on its first request
 * (contract's `compile` is lazy), so a schema Ajv refuses would surface only
 * then: this compiles every one the router would serve.
 */
describe('every route body and query schema compiles', () => {
  const routes = apiRoutes(inertDeps(), 'docs');
  const schemas = routes.flatMap((r) => [
    ...(r.body ? [[`${r.method} ${r.path} body`, r.body] as const] : []),
    ...(r.query ? [[`${r.method} ${r.path} query`, r.query] as const] : []),
  ]);

  it('finds the routes that take input', () => {
    expect(schemas.length).toBeGreaterThan(10);
  });

  it.each(schemas)('%s', (what, schema) => {
    expect(compile(schema, what).check(Symbol('not input')).ok).toBe(false);
  });
});
