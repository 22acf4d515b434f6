import { monotonicFactory } from 'ulidx';

/** Sortable unique ids (ULID): time-ordered, monotonic within one process even in the same millisecond. */
export function createIdFactory(): (time?: number) => string {
  return monotonicFactory();
}
