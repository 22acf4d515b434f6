import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FlowSet } from './flow-set.js';

/** Where the @linli/flows package (the Linli nodes and the shipped flows) is installed. */
export function flowsPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@linli/flows/package.json'));
}

/**
 * The flows that ship with this release (`flows/shipped/`): one tab per
 * scenario, loaded on a gateway's first start and updated with new releases
 * as long as nobody has replaced them with their own flows.
 */
export function shippedFlowSet(): FlowSet {
  const dir = join(flowsPackageDir(), 'shipped');
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { version: string; files: string[] };
  const flows = index.files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>[]);
  return { version: index.version, flows };
}

export const isShipped = (version: string) => version.startsWith('shipped-');
