import { LinliError } from '@linli/contract';

/** The viewer's role or area does not allow this. The REST layer maps it to 403; the attempt is already audited. */
export class AccessDenied extends LinliError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** The closed set of refusals around unmasking: the grant, the step-up, the rate limit, bulk requests. */
export type UnmaskRefusalCode =
  | 'UNMASK_NOT_GRANTED'
  | 'UNMASK_REASON_REQUIRED'
  | 'STEP_UP_REQUIRED'
  | 'RATE_LIMITED'
  | 'BULK_UNMASK_REFUSED'
  | 'GRANT_NOT_APPLICABLE'
  | 'GRANT_TOO_LONG'
  | 'GRANT_INVALID_UNTIL'
  | 'UNKNOWN_USER';

/**
 * A refusal with its own code and HTTP status, already audited by whoever throws
 * it. `retryAfterMs` is set for RATE_LIMITED (the REST layer sends Retry-After).
 */
export class UnmaskRefused extends LinliError {
  constructor(
    override readonly code: UnmaskRefusalCode,
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(code, message);
  }
}
