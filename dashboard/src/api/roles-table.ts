import {
  can,
  needsSecondFactor,
  type Permission,
  PERMISSION_TITLES,
  permissionsOf,
  type Role,
  ROLE_TITLES,
  ROLES,
} from '@linli/contract';
import { mayHoldUnmaskGrant } from '../auth/unmask-grants.js';
import { DEFAULT_UNMASK_LIMITS, type UnmaskLimits } from '../auth/unmask-limits.js';
import type { Route } from './route.js';
import type { ApiDeps } from './routes/deps.js';

/** docs/hub.md holds the generated tables between these two lines; scripts/roles-table.mjs writes them. */
export const ROLES_TABLE_BEGIN =
  '<!-- roles-table:begin — generated from contract/src/roles.ts and the route table by `node scripts/roles-table.mjs`; do not edit by hand -->';
export const ROLES_TABLE_END = '<!-- roles-table:end -->';

const code = (s: string) => `\`${s}\``;
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

/** Routes a role may call once logged in (public routes are nobody's in particular). */
function mayCall(role: Role, r: Route): boolean {
  return r.access === 'session' || (r.access !== 'public' && can(role, r.access as Permission));
}

/**
 * The roles table of docs/hub.md, rendered from the code: each role's
 * permissions (roles.ts), its second factor (login TOTP from
 * `needsSecondFactor`, step-up from the routes that declare `stepUp`), and what
 * its actions write to the audit log (the routes' `audits`). A test fails when
 * docs/hub.md differs from this, so the page cannot drift from the code.
 */
export function rolesTable(routes: readonly Route[], limits: UnmaskLimits = DEFAULT_UNMASK_LIMITS): string {
  const stepUpMin = `${limits.stepUpMs / 60_000} min`;
  const sig = (r: Route) => code(`${r.method} ${r.path}`);
  const roles = ROLES.map((role) => {
    const mine = routes.filter((r) => mayCall(role, r));
    const stepUps = mine.filter((r) => r.stepUp).map(sig);
    const factor = [
      needsSecondFactor(role) ? 'TOTP at login' : 'password only',
      ...(stepUps.length ? [`step-up (TOTP again, ≤ ${stepUpMin}) for ${stepUps.join(', ')}`] : []),
    ].join('; ');
    const unmask = mayHoldUnmaskGrant(role)
      ? `only with a per-user grant (none by default), ≤ ${limits.perHour}/h, one record at a time`
      : 'never';
    const audits = [...new Set(mine.flatMap((r) => r.audits ?? []))].sort().map(code);
    return [
      code(role),
      ROLE_TITLES[role].zh,
      permissionsOf(role).map(code).join(', '),
      factor,
      unmask,
      audits.join(', ') || '—',
    ];
  });
  const perms = (Object.keys(PERMISSION_TITLES) as Permission[]).map((p) => {
    const holders = ROLES.filter((r) => can(r, p)).map(code);
    const granted = p === 'personal_unmasked' ? ROLES.filter(mayHoldUnmaskGrant).map(code) : [];
    return [
      code(p),
      `${PERMISSION_TITLES[p].zh} (${PERMISSION_TITLES[p].en})`,
      holders.join(', ') || (granted.length ? `no role; granted per user to ${granted.join(', ')}` : 'no role'),
    ];
  });
  const byRoute = routes
    .filter((r) => r.access !== 'public')
    .map((r) => [
      sig(r),
      r.access === 'session' ? 'any session' : code(r.access),
      r.stepUp ? `step-up ≤ ${stepUpMin}` : '—',
      (r.audits ?? []).map(code).join(', ') || 'refusals only',
    ]);
  return [
    table(['role', '中文', 'permissions', 'second factor', 'unmasked records', 'audited when it acts'], roles),
    '',
    'Every role: each login (`login`, also refused ones) and each refusal (`api:METHOD /path`, or the service’s own action with outcome `denied`) is audited too.',
    '',
    table(['permission', 'meaning', 'held by'], perms),
    '',
    table(['route (signed in)', 'needs', 'second factor', 'audited'], byRoute),
  ].join('\n');
}

/** docs/hub.md with its generated section replaced by `generated`; throws if the markers are missing. */
export function spliceRolesTable(doc: string, generated: string): string {
  const a = doc.indexOf(ROLES_TABLE_BEGIN);
  const b = doc.indexOf(ROLES_TABLE_END);
  if (a < 0 || b < a) throw new Error(`docs/hub.md: the markers ${ROLES_TABLE_BEGIN} … ${ROLES_TABLE_END} are missing`);
  return `${doc.slice(0, a + ROLES_TABLE_BEGIN.length)}\n\n${generated}\n\n${doc.slice(b)}`;
}

/**
 * Services for listing the routes without a hub (the docs, the roles table):
 * every property is another stand-in, so a module may keep references while
 * building its routes; calling one throws, so a handler run by mistake fails loudly.
 */
export function inertDeps(): ApiDeps {
  const inert: object = new Proxy(function inert() {}, {
    get: (_t, key) => (key === 'then' ? undefined : inert),
    apply: () => {
      throw new Error('a service was called while listing routes for the docs');
    },
  });
  return inert as ApiDeps;
}
