import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@linli/contract';
import { type Document, isSeq, parseDocument } from 'yaml';
import { CONFIG_VERSION } from './schema.js';

/** A path into the config; `*` stands for every item of a list (e.g. every device). */
export type ConfigPath = (string | number)[];

/** One declarative change; run on the YAML document, so comments and layout survive. */
export type MigrationStep =
  | { op: 'rename'; from: ConfigPath; to: ConfigPath }
  | { op: 'set'; path: ConfigPath; value: unknown }
  | { op: 'setIfMissing'; path: ConfigPath; value: unknown }
  | { op: 'delete'; path: ConfigPath };

export interface Migration {
  from: number;
  to: number;
  summary: string;
  steps: MigrationStep[];
}

/**
 * Every change to the config layout since version 1, oldest first. Version 1
 * is the first released layout, so the list is empty today; a change to the
 * schema adds an entry here and bumps CONFIG_VERSION.
 */
export const MIGRATIONS: Migration[] = [];

export interface MigrateResult {
  file: string;
  version: number;
  applied: { from: number; to: number; summary: string }[];
  backup: string | null;
}

/** Expands `*` against the document: one concrete path per list item. */
function expand(doc: Document, path: ConfigPath): ConfigPath[] {
  const star = path.indexOf('*');
  if (star < 0) return [path];
  const list = doc.getIn(path.slice(0, star), true);
  if (!isSeq(list)) return [];
  return list.items.flatMap((_, i) => expand(doc, [...path.slice(0, star), i, ...path.slice(star + 1)]));
}

function applyStep(doc: Document, step: MigrationStep): void {
  switch (step.op) {
    case 'rename': {
      const froms = expand(doc, step.from);
      for (const from of froms) {
        if (!doc.hasIn(from)) continue;
        // The target keeps the same list indexes as the source it came from.
        const to = step.to.map((seg, i) => (seg === '*' ? from[i]! : seg));
        doc.setIn(to, doc.getIn(from, true));
        doc.deleteIn(from);
      }
      return;
    }
    case 'set':
      for (const p of expand(doc, step.path)) doc.setIn(p, step.value);
      return;
    case 'setIfMissing':
      for (const p of expand(doc, step.path)) if (!doc.hasIn(p)) doc.setIn(p, step.value);
      return;
    case 'delete':
      for (const p of expand(doc, step.path)) doc.deleteIn(p);
      return;
  }
}

/**
 * Brings a config file to the current version: runs each migration from the
 * file's version up, keeps the old file as `<file>.v<N>.bak`, and replaces the
 * file atomically. Refuses files from a newer gateway rather than guess.
 */
export function migrateConfigFile(
  file: string,
  migrations: Migration[] = MIGRATIONS,
  current: number = CONFIG_VERSION,
): MigrateResult {
  const path = resolve(file);
  const text = readFileSync(path, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new ConfigError(path, [
      { line: null, field: '', message: `YAML syntax: ${doc.errors[0]!.message.split('\n')[0]}` },
    ]);
  const start = doc.get('version');
  if (typeof start !== 'number' || !Number.isInteger(start))
    throw new ConfigError(path, [
      { line: null, field: 'version', message: 'missing or not a whole number; cannot tell which layout this is' },
    ]);
  if (start > current)
    throw new ConfigError(path, [
      {
        line: null,
        field: 'version',
        message: `version ${start} was written by a newer gateway (this one knows up to ${current}); upgrade the gateway`,
      },
    ]);
  const applied: MigrateResult['applied'] = [];
  let version = start;
  while (version < current) {
    const m = migrations.find((x) => x.from === version);
    if (!m)
      throw new ConfigError(path, [{ line: null, field: 'version', message: `no migration from version ${version}` }]);
    for (const step of m.steps) applyStep(doc, step);
    doc.set('version', m.to);
    applied.push({ from: m.from, to: m.to, summary: m.summary });
    version = m.to;
  }
  if (!applied.length) return { file: path, version, applied, backup: null };
  let backup = `${path}.v${start}.bak`;
  if (existsSync(backup)) backup = `${path}.v${start}.${Date.now()}.bak`;
  copyFileSync(path, backup);
  writeFileSync(`${path}.tmp`, doc.toString());
  renameSync(`${path}.tmp`, path);
  return { file: path, version, applied, backup };
}
