import { can, createIdFactory, type LinliEvent, type Permission, type Role } from '@linli/contract';
import type { SafeCount } from '@linli/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Category, visibleCategories } from '../../src/people/categories.js';
import { generateDemoRegister } from '../../src/people/demo-register.js';
import type { ResidentInput } from '../../src/people/types.js';
import { idCheckChar } from '../../src/privacy/resident-id.js';
import { sumRange } from '../../src/privacy/safe-counts.js';
import { DIALECTS } from '../support/dialects.js';
import { Attacker } from './attacker.js';
import { startHubOn } from './hub-on-dialect.js';
import { cellName, exposures, hiddenCells, learnRows, type ViewRow } from './published-view.js';

const COUNTS = '/api/population/counts';
/**
 * Left out of the comparison, each for a reason: individual records (only for personal_read, masked and
 * audited; what they show is that role's to see), and the audit log, which grows with this test's own
 * requests (it records actions, and has no count endpoint).
 */
const NOT_COMPARED = ['/api/population/records', '/api/population/records/{id}', '/api/audit', '/api/audit/verify'];
/** Fixed values for the query parameters routes take, so both rounds ask the same question. */
// Alerts are raised on the hub's clock, so the window is around now (fixed once for both rounds).
const NOW = Date.now();
const QUERY: Record<string, string> = {
  from: String(NOW - 86_400_000),
  to: String(NOW + 86_400_000),
  ids: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
};
const AT = String(NOW);

const VIEWERS: [Role, string][] = [
  ['city_operator', '341300'],
  ['street_leader', '341302001'],
  ['community_worker', '341302001001'],
  ['grid_worker', '341302001001001'],
  ['judicial', '341302001'],
  ['installer', '341302001001'],
  ['admin', '341300'],
];

const demo = generateDemoRegister(7);
const truthOf = (records: readonly ResidentInput[]) => {
  const n = new Map<string, number>();
  for (const r of records) n.set(cellName(r.gridCode, r.category), (n.get(cellName(r.gridCode, r.category)) ?? 0) + 1);
  return (cell: string) => n.get(cell) ?? 0;
};

interface OpenApi {
  paths: Record<
    string,
    { get?: { 'x-permission'?: Permission; parameters: { name: string; in: string; required: boolean }[] } }
  >;
}

for (const dialect of DIALECTS) {
  describe(`every count one viewer can fetch, over HTTP on the demo register [${dialect}]`, () => {
    let h: Awaited<ReturnType<typeof startHubOn>>;
    const tokens = new Map<string, string>();
    const key = (role: Role, area: string) => `${role}@${area}`;

    beforeAll(async () => {
      h = await startHubOn(dialect);
      for (const [role, area] of VIEWERS) tokens.set(key(role, area), await h.login(`${role}.${area}`, role, area));
      // Alarms inside the review window, so the review, heatmap and alert views have counts to compare.
      const events = alarms();
      await h.store.upsertGateway('gw-341302001001', 'x'.repeat(64), '341302001001');
      await h.store.ingest('gw-341302001001', events);
      await h.hub.alerts.ingest(events);
    }, 120_000);
    afterAll(() => h?.stop());

    /** The counts route in every shape a viewer may ask: whole rows and each one-category projection, twice. */
    async function everythingFrom(role: Role, token: string): Promise<ViewRow[]> {
      const rows: ViewRow[] = [];
      for (let round = 0; round < 2; round++) {
        const all = await h.get(COUNTS, token);
        expect(all.status).toBe(200);
        rows.push(...(all.body as { grids: ViewRow[] }).grids);
        for (const c of visibleCategories(role)) {
          const one = await h.get(`${COUNTS}?category=${c}`, token);
          expect(one.status).toBe(200);
          rows.push(...(one.body as { grids: ViewRow[] }).grids);
        }
      }
      return rows;
    }

    it('leaves every hidden cell all of 0–4 against an attacker who combines rows, totals, sibling grids, area figures and projections', async () => {
      const truth = truthOf(demo);
      // Fetch everything first, then solve: the attacker works offline, and the sockets stay fresh.
      const seen = new Map<string, ViewRow[]>();
      for (const [role, area] of VIEWERS)
        if (can(role, 'view')) seen.set(key(role, area), await everythingFrom(role, tokens.get(key(role, area))!));
      let hiddenSeen = 0;
      for (const [who, rows] of seen) {
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows)
          for (const [c, v] of Object.entries(row.cells)) {
            if (typeof v === 'number') expect(v).toBe(truth(cellName(row.gridCode, c)));
            else expect(v).toBe('<5');
          }
        const att = new Attacker();
        learnRows(att, rows);
        learnAreaRanges(att, rows);
        const hidden = hiddenCells(rows);
        hiddenSeen += hidden.length;
        expect(exposures(att, hidden, truth), who).toEqual([]);
      }
      // The demo register has small cells to protect: the check above is not vacuous.
      expect(hiddenSeen).toBeGreaterThan(50);
    }, 240_000);

    it('sends nothing else that depends on the register: every other GET a viewer may call answers the same after it changes', async () => {
      const doc = (await h.get('/api/openapi.json', tokens.get(key('admin', '341300'))!)).body as OpenApi;
      const gets = Object.entries(doc.paths).filter(([p, ops]) => ops.get && p !== COUNTS && !NOT_COMPARED.includes(p));
      expect(gets.length).toBeGreaterThan(10);
      const urlOf = (path: string, params: OpenApi['paths'][string]['get'] & object) => {
        const query = new URLSearchParams();
        for (const p of params.parameters) {
          if (p.in !== 'query') continue;
          if (p.name === 'at') query.set('at', AT);
          else if (QUERY[p.name]) query.set(p.name, QUERY[p.name]!);
          else if (p.required) throw new Error(`${path} needs ?${p.name}: add a fixed value to QUERY`);
        }
        const q = query.toString();
        return path.replace(/\{[a-zA-Z]+\}/g, '01JZZZZZZZZZZZZZZZZZZZZZZZ') + (q ? `?${q}` : '');
      };
      const round = async () => {
        const out = new Map<string, unknown>();
        for (const [role, area] of VIEWERS)
          for (const [path, ops] of gets) {
            const perm = ops.get!['x-permission'];
            if (perm && !can(role, perm)) continue;
            const r = await h.get(urlOf(path, ops.get!), tokens.get(key(role, area))!);
            out.set(`${role}@${area} ${path}`, r);
          }
        return out;
      };
      const counts = async () =>
        (await h.get(COUNTS, tokens.get(key('street_leader', '341302001'))!)).body as { grids: ViewRow[] };

      const before = await round();
      const countsBefore = await counts();
      // The register changes: seven lone elders move into one grid, two children into another.
      const added = [
        ...Array.from({ length: 7 }, (_, i) => extra(i, '341302001001001', 'lone_elder')),
        ...Array.from({ length: 2 }, (_, i) => extra(7 + i, '341302001001002', 'left_behind_child')),
      ];
      await h.hub.services.people.store.insertAll(added, 'test', 'test');
      expect(await counts()).not.toEqual(countsBefore);
      const after = await round();
      expect([...after.keys()]).toEqual([...before.keys()]);
      const changed = [...before].filter(([k, v]) => JSON.stringify(after.get(k)) !== JSON.stringify(v));
      expect(changed.map(([k]) => k)).toEqual([]);
      // Sanity: the rounds did reach the count-carrying views, and those had counts in them.
      const review = before.get('street_leader@341302001 /api/review') as { body: { current: { alerts: number }[] } };
      expect(review.body.current.reduce((n, r) => n + r.alerts, 0)).toBeGreaterThan(0);
      const heat = before.get('street_leader@341302001 /api/heatmap') as { body: { total: number } };
      expect(heat.body.total).toBeGreaterThan(0);
    }, 240_000);
  });
}

/**
 * The community and street figures the cockpit shows above the grids: the range of all their grids'
 * cells together (overlays.ts addRanges). Computed from published figures, so they must narrow nothing.
 */
function learnAreaRanges(att: Attacker, rows: readonly ViewRow[]): void {
  const full = new Map<string, ViewRow>();
  for (const r of rows) if (Object.keys(r.cells).length > 1) full.set(r.gridCode, r);
  for (const digits of [12, 9]) {
    const areas = new Map<string, ViewRow[]>();
    for (const r of full.values())
      areas.set(r.gridCode.slice(0, digits), [...(areas.get(r.gridCode.slice(0, digits)) ?? []), r]);
    for (const grids of areas.values()) {
      const cells = grids.flatMap((g) =>
        Object.entries(g.cells).map(([c, v]) => [cellName(g.gridCode, c), v] as const),
      );
      att.learn(
        cells.map(([name]) => name),
        sumRange(cells.map(([, v]) => v as SafeCount)),
      );
    }
  }
}

const nextId = createIdFactory();
/** Smoke alarms and their clearing at two grids of street A, inside the QUERY window. */
function alarms(): LinliEvent[] {
  const t0 = NOW - 3_600_000;
  return [0, 1, 2, 3].map((i) => {
    const t = t0 + i * 60_000;
    return {
      v: 1,
      id: nextId(t),
      gatewayId: 'gw-341302001001',
      seq: i + 1,
      deviceId: `smoke-0${i % 2}`,
      kind: 'smoke.alarm',
      severity: i < 2 ? 'critical' : 'notice',
      deviceTime: t,
      receivedAt: t,
      location: { lng: 116.98, lat: 33.64, gridId: i % 2 ? '341302001001002' : '341302001001001' },
      payload: { active: i < 2 },
    } as LinliEvent;
  });
}

function extra(i: number, gridCode: string, category: Category): ResidentInput {
  const first17 = `3413991${String(960 + i).padStart(3, '0')}0101${String(500 + i).padStart(3, '0')}`;
  return {
    name: `测试居民X${i}`,
    idNumber: first17 + idCheckChar(first17),
    phone: null,
    category,
    gridCode,
    address: null,
  };
}
