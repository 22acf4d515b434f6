export { CATEGORIES, CATEGORY_ZH, type Category, categoryFromText, visibleCategories } from './categories.js';
export { DEMO_ID_AREA, DEMO_PHONE_PREFIX, generateDemoRegister, seedDemoRegister } from './demo-register.js';
export { type ImportOptions, type ImportProgress, type ImportReport, importRegisterFile } from './import/importer.js';
export { COLUMNS as IMPORT_COLUMNS } from './import/template.js';
export type { RowIssue } from './import/validate-row.js';
export { PeopleRegister } from './register.js';
export { UNMASK_ACTION, type UnmaskRequest } from './unmask-gate.js';
export {
  type GridCounts,
  type ListFilter,
  type ResidentInput,
  type ResidentRecord,
  UNMASK_REASONS,
  type UnmaskReason,
} from './types.js';
