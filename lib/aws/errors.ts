/** Turns whatever an SDK call threw into the failure a snapshot records. */
import type { CollectionFailure } from '../collect/types.js';
import { ScannerError } from '../errors.js';

/** A response that lacks what the call exists for (e.g. DescribeCluster without `cluster`). */
export class IncompleteResponseError extends ScannerError {
  override name = 'IncompleteResponseError';
}

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The failure of `operation` (`<service>:<Operation>`). The code is the AWS error code: SDK service
 * exceptions carry it as their name (some protocols also as `Code`); Node's network errors carry it
 * as `code` (ECONNREFUSED...).
 */
export function toCollectionFailure(operation: string, error: unknown): CollectionFailure {
  if (typeof error !== 'object' || error === null) {
    return { operation, code: 'UnknownError', message: String(error) };
  }
  const fields = error as { name?: unknown; Code?: unknown; code?: unknown; message?: unknown };
  const name = nonEmptyString(fields.name);
  const code =
    (name !== 'Error' ? name : undefined) ??
    nonEmptyString(fields.Code) ??
    nonEmptyString(fields.code) ??
    name ??
    'UnknownError';
  const message = nonEmptyString(fields.message) ?? code;
  return { operation, code, message };
}
