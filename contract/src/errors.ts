import { type ErrorCode, type FaultDomain, faultDomain } from './error-codes.js';

/**
 * Fault domains, kept apart because they are handled apart (error-codes.ts):
 * a caller's bad input is answered with an error and logged once; a field
 * fault (a device or its line misbehaving) is counted and retried; network and
 * storage faults are retried without losing anything; an internal error is our
 * bug. Every error carries a code from the closed set, never prose to parse.
 */
export class LinliError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** Which fault domain the code belongs to. */
  get domain(): FaultDomain {
    return faultDomain(this.code);
  }
}

export interface ValidationIssue {
  /** Where the problem is, e.g. `events[3].payload.floor`; empty for the whole value. */
  field: string;
  message: string;
  /** The same location as path segments, for tools that map it back to a source (e.g. a YAML line). */
  path?: (string | number)[];
}

/** The caller's request is wrong or not allowed: answered once, never retried as it stands. */
export class BadInput extends LinliError {}

/** Input that crossed a boundary and does not match its schema. Lists every problem at once. */
export class ValidationError extends BadInput {
  readonly issues: ValidationIssue[];
  constructor(what: string, issues: ValidationIssue[]) {
    super('VALIDATION', `${what} is invalid: ${issues.map((i) => `${i.field || '(root)'} ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/** A configuration file that cannot be used; says which file, line and field. */
export class ConfigError extends BadInput {
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

/** A device or its line misbehaved: timeout, bad checksum, exception reply, connection lost. */
export class FieldFault extends LinliError {}

/** The link between gateway and hub failed (connect, time-out); retried with backoff. */
export class NetworkFault extends LinliError {}

/** A database or disk could not take or give data; retried, nothing dropped. */
export class StorageFault extends LinliError {}

/** Our own bug, or a peer answering outside the contract: logged with its cause, never blamed on the caller. */
export class InternalError extends LinliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTERNAL', message, options);
  }
}
