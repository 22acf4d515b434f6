/**
 * Who may do what, and where. Every user has one role scoped to one node of
 * the area tree (city → district → street → community → grid). Codes follow
 * the administrative division pattern, so "inside my area" is a prefix test
 * on the 15-digit grid code: district 6 digits, street 9, community 12, grid 15;
 * a city (e.g. 341300) covers every code that starts with its first 4 digits.
 */
export const ROLES = [
  'admin',
  'city_operator',
  'street_leader',
  'community_worker',
  'grid_worker',
  'installer',
  'auditor',
  'judicial',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'administrator' },
  city_operator: { zh: '市级指挥中心值班员', en: 'city operator' },
  street_leader: { zh: '街道领导', en: 'street leader' },
  community_worker: { zh: '社区工作者', en: 'community worker' },
  grid_worker: { zh: '网格员', en: 'grid worker' },
  installer: { zh: '安装调试人员', en: 'installer' },
  auditor: { zh: '安全审计员', en: 'auditor' },
  judicial: { zh: '司法所工作人员', en: 'judicial officer' },
};

export type Permission =
  /** See events, alerts, device status and aggregated counts inside the area. */
  | 'view'
  /** Move alerts through their life: dispatch, acknowledge, resolve; declare and end maintenance windows. */
  | 'handle_alerts'
  /** Approve a wide maintenance window someone else declared (two-person rule). */
  | 'approve_maintenance'
  /** Send commands to devices (open a gate, take a snapshot). */
  | 'command'
  /** Read individual key-population records, masked. */
  | 'personal_read'
  /**
   * One record at a time in full. No role holds it: an administrator grants it
   * to a named user until a set time (auth/unmask-grants.ts), and each read
   * needs a reason, a fresh step-up and room under the hourly limit.
   */
  | 'personal_unmasked'
  /** Community-correction (社区矫正) records: judicial staff only. */
  | 'correction_read'
  /** Import and edit the key-population register. */
  | 'personal_write'
  /** Enroll gateways, issue enrollment codes, push flows. */
  | 'provision'
  /** Read and verify the audit log; sees no personal data. */
  | 'audit_read'
  /** Create users and assign roles. */
  | 'manage_users'
  /** Import city versions (areas, facilities, roads) and choose the active one. */
  | 'manage_city'
  /** Work in the field from the phone: own tasks, report matters, patrols and visits (docs/field.md). */
  | 'field_work'
  /** Define patrol routes and their check-in points for grids in the area. */
  | 'field_plan'
  /** See workers on patrol or on a task (position, track), and the field figures for evaluation. */
  | 'field_oversee';

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['view', 'manage_users', 'provision', 'audit_read', 'manage_city', 'field_plan'],
  city_operator: ['view', 'handle_alerts', 'command', 'approve_maintenance', 'field_oversee'],
  street_leader: ['view', 'handle_alerts', 'command', 'field_oversee'],
  community_worker: [
    'view',
    'handle_alerts',
    'command',
    'personal_read',
    'personal_write',
    'field_work',
    'field_plan',
    'field_oversee',
  ],
  grid_worker: ['view', 'handle_alerts', 'personal_read', 'field_work'],
  installer: ['view', 'provision'],
  auditor: ['audit_read'],
  judicial: ['view', 'personal_read', 'correction_read'],
};

/** Short titles of each permission for the roles table in docs/hub.md (a Record, so none can be forgotten). */
export const PERMISSION_TITLES: Record<Permission, { zh: string; en: string }> = {
  view: { zh: '查看', en: 'view' },
  handle_alerts: { zh: '处置告警', en: 'handle alerts' },
  approve_maintenance: { zh: '审批维护窗口', en: 'approve wide maintenance windows' },
  command: { zh: '下发指令', en: 'device commands' },
  personal_read: { zh: '查看个人记录（脱敏）', en: 'read records, masked' },
  personal_unmasked: { zh: '查看明文（按人授权）', en: 'one record in full, by per-user grant' },
  correction_read: { zh: '社区矫正', en: 'community correction' },
  personal_write: { zh: '导入名册', en: 'import the register' },
  provision: { zh: '网关开通', en: 'provision gateways' },
  audit_read: { zh: '审计日志', en: 'read the audit log' },
  manage_users: { zh: '用户管理', en: 'manage users' },
  manage_city: { zh: '城市数据', en: 'import and activate the city' },
  field_work: { zh: '外勤（任务、事项、巡查）', en: 'field work (tasks, matters, patrols)' },
  field_plan: { zh: '巡查路线', en: 'patrol routes' },
  field_oversee: { zh: '外勤监看与考评', en: 'oversee field work' },
};

/** The permissions a role carries (never `personal_unmasked`: that is granted per user). */
export function permissionsOf(role: Role): readonly Permission[] {
  return PERMISSIONS[role];
}

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission);
}

/** Roles that can see personal data need a second factor (MLPS level 3). */
export function needsSecondFactor(role: Role): boolean {
  return can(role, 'personal_read') || can(role, 'personal_unmasked') || can(role, 'manage_users');
}

/**
 * Roles given an authenticator at account creation: those that need it to log
 * in, and those whose actions ask for a fresh second factor (step-up), such as
 * declaring or approving a maintenance window.
 */
export function enrolsSecondFactor(role: Role): boolean {
  return needsSecondFactor(role) || can(role, 'handle_alerts') || can(role, 'approve_maintenance');
}

/** The code prefix an area covers. */
export function scopePrefix(areaCode: string): string {
  if (!/^[0-9]{6}([0-9]{3}){0,3}$/.test(areaCode)) throw new Error(`not an area code: ${areaCode}`);
  // A prefecture-level city code ends in 00 and covers all its districts.
  return areaCode.length === 6 && areaCode.endsWith('00') ? areaCode.slice(0, 4) : areaCode;
}

/** True when `code` (any level, usually a 15-digit grid) lies inside the area `scope`. */
export function inScope(scope: string, code: string): boolean {
  return code.startsWith(scopePrefix(scope));
}

/** Who is asking: passed to every service call so the scope is enforced below the API, not only in it. */
export interface Viewer {
  userId: string;
  role: Role;
  /** The area the role is scoped to. */
  areaCode: string;
}
