import { expect, it } from 'vitest';
import { can, ROLES } from '@linli/contract';
import { AREAS } from '../../../test/helpers/hub-fixture.js';
import { describeHubOnEachDialect } from './insider-hub.js';

interface Param {
  name: string;
  in: string;
  schema: {
    type?: string;
    pattern?: string;
    minimum?: number;
    maximum?: number;
    anyOf?: { const?: unknown }[];
    enum?: unknown[];
  };
}
type Operation = { parameters: Param[]; 'x-permission'?: string };

/**
 * A value for each documented query parameter, the way a browser sends it: a
 * string. Free text and codes are digits wherever the schema allows, because
 * that is what the router used to mistake for numbers (areaCode=341302001 was
 * refused with "must be string").
 */
function sample(p: Param, now: number): string {
  const byName: Record<string, string> = {
    from: String(now - 3600_000),
    to: String(now),
    at: String(now),
    areaCode: AREAS.streetA,
    // /api/areas?under=: the rings under one area of the viewer's scope.
    under: AREAS.communityA,
    // What every reader may ask for; unmasking has rules of its own (and tests of its own).
    unmasked: 'false',
    // Comma-separated lists the service checks against its closed sets.
    states: 'raised,dispatched',
    severities: 'critical,warning',
    kinds: 'smoke.alarm,gate.forced',
    // Alert ids (ULIDs) whose sources the cockpit asks for in one call.
    ids: '01J00000000000000000000000,01J00000000000000000000001',
  };
  if (byName[p.name]) return byName[p.name]!;
  const s = p.schema;
  const choices = s.anyOf?.map((c) => c.const) ?? s.enum;
  if (choices?.length) return String(choices[0]);
  if (s.type === 'integer' || s.type === 'number') return String(Math.max(s.minimum ?? 1, 1));
  if (s.type === 'string' && !s.pattern) return '341302001';
  throw new Error(`add a sample for query parameter ${p.name} (${JSON.stringify(s)})`);
}

/**
 * Issue 17, item 6: GET /api/population/records?areaCode=… answered 400 "must
 * be string". Every route's documented query parameters (from the OpenAPI
 * document, which is built from the same schemas the router enforces) are sent
 * together as strings; none may be refused as an invalid query.
 */
describeHubOnEachDialect(
  'insider: every documented query parameter is accepted as sent',
  (ctx) => {
    it('answers each route with all its query parameters without INVALID_QUERY', async () => {
      const { h } = ctx;
      const doc = (await h.api('GET', '/api/openapi.json')).body as {
        paths: Record<string, Record<string, Operation>>;
      };
      const tokens = new Map<string, string>();
      const tokenFor = async (permission: string | undefined) => {
        const role = permission ? ROLES.find((r) => can(r, permission as never))! : 'city_operator';
        if (!tokens.has(role)) tokens.set(role, (await h.user(`q.${role.replace('_', '.')}`, role, AREAS.city)).token);
        return tokens.get(role)!;
      };
      const now = Date.now();
      let checked = 0;
      for (const [path, ops] of Object.entries(doc.paths)) {
        const get = ops.get;
        const query = get?.parameters.filter((p) => p.in === 'query') ?? [];
        if (!get || !query.length) continue;
        const qs = new URLSearchParams(query.map((p): [string, string] => [p.name, sample(p, now)])).toString();
        // Made-up ids; a tile address keeps its numeric shape (a malformed one is a 400 of the path, not the query).
        const made: Record<string, string> = { version: '1', z: '0', x: '0', y: '0' };
        const url = `${path.replace(/\{([a-zA-Z]+)\}/g, (_m, k: string) => made[k] ?? 'no-such-id')}?${qs}`;
        const r = await h.api('GET', url, { token: await tokenFor(get['x-permission']) });
        // A made-up id may be missing (404) or refused by the service; the query itself is never a 400.
        const seen = { url, status: r.status, code: r.body?.error?.code, issues: r.body?.error?.issues };
        if (path.includes('{')) expect(seen.status, JSON.stringify(seen)).not.toBe(400);
        else expect(seen).toEqual({ url, status: 200, code: undefined, issues: undefined });
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(8);

      // The reported case, answered with the records of that street only.
      const worker = await tokenFor('personal_read');
      const r = await h.api('GET', `/api/population/records?areaCode=${AREAS.streetA}&limit=50`, { token: worker });
      expect(r.status).toBe(200);
      expect(r.body.records.length).toBeGreaterThan(0);
      for (const rec of r.body.records as { gridCode: string }[])
        expect(rec.gridCode.startsWith(AREAS.streetA)).toBe(true);
    });
  },
  { demoRegister: true },
);
