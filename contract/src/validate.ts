import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { nearestName } from './nearest.js';
import { ValidationError, type ValidationIssue } from './errors.js';

// One Ajv instance for every contract schema. Each validator compiles on its first use, then is reused on the
// hot path: compiling all of them at import cost most of a second of CPU in every process (and every test file)
// that imports the contract, most of which use a handful.
const ajv = new Ajv({ allErrors: true, discriminator: true, strict: false, verbose: true });

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A compiled validator: `check` returns issues, `assert` throws a ValidationError naming `what`. */
export interface Validator<T> {
  check(value: unknown): Checked<T>;
  assert(value: unknown): T;
}

export function compile<S extends TSchema>(schema: S, what: string): Validator<Static<S>> {
  let fn: ValidateFunction | undefined;
  const check = (value: unknown): Checked<Static<S>> => {
    fn ??= ajv.compile(schema);
    return fn(value) ? { ok: true, value: value as Static<S> } : { ok: false, issues: toIssues(fn.errors ?? []) };
  };
  return {
    check,
    assert(value) {
      const r = check(value);
      if (!r.ok) throw new ValidationError(what, r.issues);
      return r.value;
    },
  };
}

/** `/events/3/payload/floor` → `events[3].payload.floor`. */
export function fieldName(pointer: string): string {
  return pathOf(pointer).reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
}

function pathOf(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function toIssues(errors: ErrorObject[]): ValidationIssue[] {
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const e of errors) {
    let field = fieldName(e.instancePath);
    const path = pathOf(e.instancePath);
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      field = field ? `${field}.${extra}` : extra;
      path.push(extra);
      // With Ajv's `verbose`, the object's schema says which fields exist: name the likely one.
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const near = nearestName(extra, known);
      message = near ? `is not an allowed field; did you mean "${near}"?` : 'is not an allowed field';
    } else if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      field = field ? `${field}.${missing}` : missing;
      path.push(missing);
      message = 'is required';
    } else if (e.keyword === 'discriminator') {
      const p = e.params as { tag: string; tagValue: unknown };
      field = field ? `${field}.${p.tag}` : p.tag;
      path.push(p.tag);
      message = `has unknown value ${JSON.stringify(p.tagValue)}`;
    } else if (e.keyword === 'enum' || e.keyword === 'const') {
      message = `${message} (${JSON.stringify(e.params)})`;
    }
    const key = `${field}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ field, message, path });
    }
  }
  // A union reports one error per failed branch; when a literal mismatch exists, say "must be one of" once.
  return collapseUnionNoise(out);
}

function collapseUnionNoise(issues: ValidationIssue[]): ValidationIssue[] {
  const byField = new Map<string, ValidationIssue[]>();
  for (const i of issues) byField.set(i.field, [...(byField.get(i.field) ?? []), i]);
  const out: ValidationIssue[] = [];
  for (const [field, list] of byField) {
    const consts = list.filter((i) => i.message.startsWith('must be equal to constant'));
    if (consts.length > 1) {
      const allowed = consts.map((c) => /"allowedValue":(.*)\)$/.exec(c.message)?.[1]?.replace(/}$/, '')).join(', ');
      out.push({ field, message: `must be one of ${allowed}`, path: consts[0]!.path ?? [] });
      continue;
    }
    out.push(...list.filter((i) => i.message !== 'must match a schema in anyOf'));
  }
  return out;
}
