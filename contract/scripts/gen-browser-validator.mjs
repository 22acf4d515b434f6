// Regenerates contract/src/generated/event-validator.ts. Run after changing the
// event schema (and `npm run build`); the contract tests say when it is stale.
import { writeFileSync } from 'node:fs';
import { browserValidatorSource } from '../dist/codegen.js';

writeFileSync(new URL('../src/generated/event-validator.ts', import.meta.url), browserValidatorSource());
console.log('contract/src/generated/event-validator.ts written');
