import { ScannerError } from '../errors.js';
import type { CollectionFailure, Part } from './types.js';

/** The data a check needs was not collected (or is absent): the result is ERROR, never PASSED. */
export class MissingDataError extends ScannerError {
  override name = 'MissingDataError';

  constructor(
    message: string,
    readonly failure?: CollectionFailure,
  ) {
    super(message);
  }
}

export const describeFailure = (failure: CollectionFailure) =>
  `${failure.operation} failed (${failure.code}: ${failure.message})`;

/** The value of a collected part, or a MissingDataError naming the failed call. */
export function need<T>(part: Part<T>, what: string): T {
  if (part.status === 'collected') return part.value;
  throw new MissingDataError(
    `${what} could not be collected: ${describeFailure(part.failure)}.`,
    part.failure,
  );
}
