/**
 * One base error for the project, with specific subclasses. Callers branch on the class, never on
 * message text; each error says what failed and with which input.
 */
export class ScannerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A parameter value (CLI `--param`, Config rule parameter, settings) that does not validate. */
export class ParameterError extends ScannerError {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`Parameter ${parameter}: ${message}`);
  }
}

/** Bad command-line usage: unknown flag, missing value, unknown check id. */
export class UsageError extends ScannerError {}

/** A publication the service refused (Config FailedEvaluations, ...): the invocation must fail and be retried. */
export class PublishError extends ScannerError {}
