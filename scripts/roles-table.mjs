// Writes the roles × permissions × second factor × audit tables into
// docs/hub.md, between the markers, from the built hub (dashboard/dist): the
// roles in contract/src/roles.ts and what each REST route declares (access, stepUp,
// audits). `--check` only compares and exits 1 on a difference; the unit test
// dashboard/test/api/roles-table.test.ts does the same from the sources on
// every `npm test`, so the page cannot drift from the code.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = `${root}docs/hub.md`;
const { apiRoutes } = await import(`${root}dashboard/dist/api/routes/index.js`);
const { inertDeps, rolesTable, spliceRolesTable } = await import(`${root}dashboard/dist/api/roles-table.js`);

// The route list needs no services to be listed: handlers are never called here.
const routes = apiRoutes(inertDeps(), 'docs');
const doc = readFileSync(file, 'utf8');
const config = (await prettier.resolveConfig(file)) ?? {};
const next = await prettier.format(spliceRolesTable(doc, rolesTable(routes)), { ...config, filepath: file });
if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('docs/hub.md: the roles table differs from the code; run `node scripts/roles-table.mjs`');
    process.exit(1);
  }
  console.log('docs/hub.md: roles table matches the code');
} else if (next !== doc) {
  writeFileSync(file, next);
  console.log('docs/hub.md: roles table written');
} else console.log('docs/hub.md: roles table already up to date');
