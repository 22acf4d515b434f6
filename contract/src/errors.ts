/**
 * Fault domains, kept apart because they are handled apart: a caller's bad
 * input is answered with an error and logged once; a field fault (a device or
 * link misbehaving) is counted and retried; an internal error is our bug.
 */
export class LinliError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export interface ValidationIssue {
  /** Where the problem is, e.g. `events[3].payload.floor`; empty for the whole value. */
  field: string;
  message: string;
  /** The same location as path segments, for tools that map it back to a source (e.g. a YAML line). */
  path?: (string | number)[];
}

/** Input that crossed a boundary and does not match its schema. Lists every problem at once. */
export class ValidationError extends LinliError {
  readonly issues: ValidationIssue[];
  constructor(what: string, issues: ValidationIssue[]) {
    super('VALIDATION', `${what} is invalid: ${issues.map((i) => `${i.field || '(root)'} ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** A configuration file that cannot be used; says which file, line and field. */
export class ConfigError extends LinliError {
  readonly file: string;
  readonly problems: { line: number | null; field: string; message: string }[];
  constructor(file: string, problems: { line: number | null; field: string; message: string }[]) {
    const lines = problems.map(
      (p) => `  ${file}${p.line !== null ? `:${p.line}` : ''}: ${p.field || '(root)'}: ${p.message}`,
    );
    super('CONFIG', `invalid configuration in ${file}:\n${lines.join('\n')}`);
    this.file = file;
    this.problems = problems;
  }
}

/** A device or link misbehaved: timeout, bad checksum, exception reply, connection lost. */
export class FieldFault extends LinliError {}
