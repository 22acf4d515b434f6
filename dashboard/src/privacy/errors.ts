import { LinliError } from '@linli/contract';

/** The viewer's role or area does not allow this. The REST layer maps it to 403; the attempt is already audited. */
export class AccessDenied extends LinliError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
