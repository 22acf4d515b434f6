import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type Migration, migrateConfigFile } from '../../src/config/migrate.js';

// A made-up history (v1 → v2 → v3) to exercise the engine; the real list is MIGRATIONS in migrate.ts.
const HISTORY: Migration[] = [
  {
    from: 1,
    to: 2,
    summary: 'devices[].pollMs became devices[].poll.intervalMs; buffer.synchronous defaults to full',
    steps: [
      { op: 'rename', from: ['devices', '*', 'pollMs'], to: ['devices', '*', 'poll', 'intervalMs'] },
      { op: 'setIfMissing', path: ['buffer', 'synchronous'], value: 'full' },
    ],
  },
  { from: 2, to: 3, summary: 'the http section is gone', steps: [{ op: 'delete', path: ['http'] }] },
];

const V1 = `# site config, keep this comment
version: 1
gateway: { id: gw-1, community: "341302001001" }
http: { port: 9100 }
devices:
  # the meter in the stairwell
  - id: m1
    pollMs: 500
  - id: m2
`;

describe('config migrations', () => {
  it('runs each step in order, keeps comments, and backs up the old file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-migrate-'));
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, V1);
    const r = migrateConfigFile(file, HISTORY, 3);
    expect(r.applied.map((a) => `${a.from}->${a.to}`)).toEqual(['1->2', '2->3']);
    expect(r.backup).toBe(`${file}.v1.bak`);
    expect(readFileSync(r.backup!, 'utf8')).toBe(V1);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# site config, keep this comment');
    expect(text).toContain('# the meter in the stairwell');
    const v3 = parse(text);
    expect(v3.version).toBe(3);
    expect(v3.http).toBeUndefined();
    expect(v3.buffer).toEqual({ synchronous: 'full' });
    expect(v3.devices).toEqual([{ id: 'm1', poll: { intervalMs: 500 } }, { id: 'm2' }]);
    // Running again is a no-op and makes no second backup.
    expect(migrateConfigFile(file, HISTORY, 3)).toMatchObject({ applied: [], backup: null, version: 3 });
  });

  it('refuses a gap in the history and a file without a version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-migrate-'));
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, V1);
    expect(() => migrateConfigFile(file, [HISTORY[1]!], 3)).toThrow(/no migration from version 1/);
    expect(readFileSync(file, 'utf8')).toBe(V1);
    writeFileSync(file, V1.replace('version: 1\n', ''));
    expect(() => migrateConfigFile(file, HISTORY, 3)).toThrow(/missing or not a whole number/);
  });
});
