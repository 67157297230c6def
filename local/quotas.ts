/**
 * The Step Functions quotas the local run enforces, so a definition that would fail in AWS fails here
 * first: every state's input and output within 256 KiB (States.DataLimitExceeded, a terminal error that
 * States.ALL does not catch), every execution within 25,000 history events. Docs: "Handling errors in
 * Step Functions workflows" (States.DataLimitExceeded), "Step Functions service quotas", and "Avoid
 * reaching the history quota" (event 25,000 that is not ExecutionSucceeded fails the execution).
 */
import type { StateMachine } from 'aws-local-stepfunctions';

/** An event of aws-local-stepfunctions' execution log (the package does not export the type). */
export type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export const QUOTAS = {
  /** Payload of a state's input or output, a task's result, an execution's input or output (UTF-8). */
  payloadBytes: 256 * 1024,
  /** Events in one execution's history (a Distributed Map's children are executions of their own). */
  historyEvents: 25_000,
} as const;

export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';
/** The error a history that passes its quota fails with (AWS's cause reads as HISTORY_LIMIT_CAUSE). */
export const HISTORY_LIMIT_EXCEEDED = 'States.Runtime';
export const HISTORY_LIMIT_CAUSE = `The execution reached the maximum number of history events (${QUOTAS.historyEvents}).`;

export const payloadBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

/** A quota the execution passed: it fails with this error, whatever its Catch fields say. */
export class QuotaExceededError extends Error {
  override readonly name: string;
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

export function checkPayload(value: unknown, what: string): number {
  const bytes = payloadBytes(value);
  if (bytes > QUOTAS.payloadBytes)
    throw new QuotaExceededError(
      DATA_LIMIT_EXCEEDED,
      `${what} is ${bytes} bytes, more than the ${QUOTAS.payloadBytes} bytes Step Functions allows.`,
    );
  return bytes;
}

/**
 * The history events AWS records for what aws-local-stepfunctions reports, by the event types of
 * GetExecutionHistory: a Lambda task is TaskStateEntered, LambdaFunctionScheduled, LambdaFunctionStarted,
 * then LambdaFunctionSucceeded and TaskStateExited (a failed attempt LambdaFunctionFailed, a retry
 * another Scheduled and Started); an inline Map is MapStateEntered, MapStateStarted, MapIterationStarted
 * and Succeeded/Failed per item, MapStateSucceeded and MapStateExited; a Distributed Map adds MapRunStarted
 * and MapRunSucceeded and records nothing per item (its children have histories of their own); Pass and
 * the others are Entered and Exited. A caught error may count one event more than AWS records.
 */
export function historyEventsOf(event: EventLog, distributedMaps: ReadonlySet<string>): number {
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
    case 'ExecutionAborted':
    case 'ExecutionTimeout':
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
    case 'ParallelBranchStarted':
    case 'ParallelBranchSucceeded':
    case 'ParallelBranchFailed':
      return 1;
    case 'StateEntered':
      if (distributedMaps.has(event.state.name)) return 3;
      return event.state.type === 'Task'
        ? 3
        : event.state.type === 'Map' || event.state.type === 'Parallel'
          ? 2
          : 1;
    case 'StateExited':
      if (distributedMaps.has(event.state.name)) return 3;
      return event.state.type === 'Task' || event.state.type === 'Map' || event.state.type === 'Parallel'
        ? 2
        : 1;
    case 'StateFailed':
      return 1;
    case 'StateRetried':
      return 2;
    case 'StateCaught':
      return 0;
  }
}
