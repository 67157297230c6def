/**
 * One base error for the project, with specific subclasses. Callers branch on the class, never on
 * message text; each error says what failed and with which input. Each class states its name: the
 * deployed bundles are minified, and Lambda reports `name` as the errorType Step Functions shows.
 */
export class ScannerError extends Error {
  override name = 'ScannerError';
}

/** A parameter value (CLI `--param`, Config rule parameter, settings) that does not validate. */
export class ParameterError extends ScannerError {
  override name = 'ParameterError';

  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`Parameter ${parameter}: ${message}`);
  }
}

/** Bad command-line usage: unknown flag, missing value, unknown check id. */
export class UsageError extends ScannerError {
  override name = 'UsageError';
}

/** A publication the service refused (Config FailedEvaluations, ...): the invocation must fail and be retried. */
export class PublishError extends ScannerError {
  override name = 'PublishError';
}
