import type { ErrorCode, ValidationIssue } from '@linli/contract';

/** A refusal with an HTTP status, a stable code, a message that says what to do, and field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Pick<ValidationIssue, 'field' | 'message'>[],
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new ApiError(404, 'NOT_FOUND', `${what} 不存在或不在您的管辖范围内 (not found)`);
export const forbidden = (what: string) => new ApiError(403, 'FORBIDDEN', `无权${what} (your role may not do this)`);
