// Who may do what, and where: the rules live once in the contract (contract/src/roles.ts), shared by the hub and
// the browser; the hub's modules import them from here.
export {
  ROLES,
  type Role,
  ROLE_TITLES,
  type Permission,
  PERMISSION_TITLES,
  permissionsOf,
  can,
  needsSecondFactor,
  enrolsSecondFactor,
  scopePrefix,
  inScope,
  type Viewer,
} from '@linli/contract';
