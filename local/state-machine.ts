/**
 * The scan's state machine run locally: statemachines/scan.asl.yaml, resolved as the deployment resolves
 * it, made runnable by aws-local-stepfunctions (inline Maps only) and executed with local Task handlers,
 * either stubs (tests) or the real Lambda handlers of functions/ (local/start.ts).
 */
import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { parse } from 'yaml';

/** The definition file, as serverless.yml deploys it. */
export const DEFINITION_FILE = new URL('../statemachines/scan.asl.yaml', import.meta.url);

/** Values of the definition's `${param:...}` variables when the caller gives none. */
export const DEFAULT_PARAMS: Readonly<Record<string, string>> = {
  targetConcurrency: '10',
  toleratedFailurePercentage: '100',
  clusterConcurrency: '4',
};

/** ASL fields that take a number: a `${param:...}` there becomes a JSON number. */
const NUMERIC_FIELDS = new Set([
  'MaxConcurrency',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
  'MaxItemsPerBatch',
  'MaxInputBytesPerBatch',
  'MaxItems',
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'IntervalSeconds',
  'MaxAttempts',
  'BackoffRate',
  'MaxDelaySeconds',
  'Seconds',
]);

const PARAM = /\$\{param:([^}]+)\}/g;
const WHOLE_PARAM = /^\$\{param:([^}]+)\}$/;

/** The Task states of the scan and the function each one invokes. */
export const TASKS = {
  PlanScan: { module: 'plan-scan', functionKey: 'planScan' },
  ListClusters: { module: 'list-clusters', functionKey: 'listClusters' },
  ScanCluster: { module: 'scan-cluster', functionKey: 'scanCluster' },
  ReconcileTarget: { module: 'reconcile-target', functionKey: 'reconcileTarget' },
  Summarize: { module: 'summarize', functionKey: 'summarize' },
} as const;

export type TaskStateName = keyof typeof TASKS;

/** A Task handler as the runner calls it: the state's input in, the state's result out. */
export type TaskHandler = (event: unknown) => Promise<unknown>;
export type TaskHandlers = Readonly<Record<TaskStateName, TaskHandler>>;

export interface AslState {
  readonly Type: string;
  readonly [field: string]: unknown;
}

export interface AslMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly [field: string]: unknown;
}

/** The placeholder ARN a `Fn::GetAtt: [fn, Arn]` becomes (the local runner never calls it). */
export const placeholderArn = (functionKey: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:${functionKey}`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface LoadOptions {
  /** A definition file other than statemachines/scan.asl.yaml. */
  readonly file?: URL | string;
  /** What a `Ref: <logical id>` stands for; `local-<logical-id>` (kebab case) when absent. */
  readonly refs?: Readonly<Record<string, string>>;
}

/** `ScanResultsBucket` as `local-scan-results-bucket`: a name a bucket could have. */
const placeholderRef = (logicalId: string) =>
  `local-${logicalId.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;

/**
 * Reads statemachines/scan.asl.yaml as serverless-step-functions would deploy it: `${param:...}`
 * substituted (numbers where ASL wants numbers), each `Fn::GetAtt: [fn, Arn]` a Lambda ARN, each
 * `Ref` a placeholder; any other CloudFormation function is refused.
 */
export function loadDefinition(
  params: Readonly<Record<string, string>> = {},
  { file = DEFINITION_FILE, refs = {} }: LoadOptions = {},
): AslMachine {
  const values = { ...DEFAULT_PARAMS, ...params };
  const param = (name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for \${param:${name}} in ${String(file)}.`);
    return value;
  };

  const resolve = (value: unknown, field: string | undefined): unknown => {
    if (typeof value === 'string') {
      const whole = WHOLE_PARAM.exec(value);
      if (whole && field !== undefined && NUMERIC_FIELDS.has(field)) {
        const number = Number(param(whole[1] as string));
        if (!Number.isFinite(number)) throw new Error(`\${param:${whole[1]}} of ${field} must be a number.`);
        return number;
      }
      return value.replace(PARAM, (_, name: string) => param(name));
    }
    if (Array.isArray(value)) return value.map((item) => resolve(item, undefined));
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::'))) {
      const ref = value.Ref;
      if (typeof ref === 'string') return refs[ref] ?? placeholderRef(ref);
      const getAtt = value['Fn::GetAtt'];
      if (
        Array.isArray(getAtt) &&
        getAtt.length === 2 &&
        getAtt[1] === 'Arn' &&
        typeof getAtt[0] === 'string'
      )
        return placeholderArn(getAtt[0]);
      throw new Error(`Unsupported CloudFormation function in ${String(file)}: ${JSON.stringify(value)}.`);
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, key)]));
  };

  return resolve(parse(readFileSync(file, 'utf8')), undefined) as AslMachine;
}

/** Distributed Map fields an inline Map does not have. */
const DISTRIBUTED_ONLY = new Set([
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
  'Label',
]);

const localStates = (states: Readonly<Record<string, AslState>>) =>
  Object.fromEntries(Object.entries(states).map(([name, state]) => [name, localState(state)]));

const localMachine = (machine: AslMachine): AslMachine => ({
  ...machine,
  States: localStates(machine.States),
});

function localState(state: AslState): AslState {
  if (state.Type === 'Parallel' && Array.isArray(state.Branches))
    return { ...state, Branches: (state.Branches as AslMachine[]).map(localMachine) };
  if (state.Type !== 'Map') return state;
  const processor = state.ItemProcessor as AslMachine | undefined;
  const iterator = state.Iterator as AslMachine | undefined;
  const distributed =
    isObject(processor?.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
  const kept = Object.fromEntries(
    Object.entries(state).filter(([field]) => !(distributed && DISTRIBUTED_ONLY.has(field))),
  ) as AslState;
  return {
    ...kept,
    ...(processor && {
      ItemProcessor: {
        ...localMachine(processor),
        ...(distributed && { ProcessorConfig: { Mode: 'INLINE' } }),
      },
    }),
    ...(iterator && { Iterator: localMachine(iterator) }),
  };
}

/**
 * The definition aws-local-stepfunctions can run: every Distributed Map an inline Map (it runs only
 * those), with the same items, selector, processor, concurrency, Retry, Catch and ResultPath, without
 * the reader, batcher, result writer, tolerated failures and label. Nested Maps too; the input is kept.
 *
 * What differs from AWS: the outcomes are the Map's output instead of a ResultWriter's S3 object, and
 * a failed item fails the Map (no tolerated failures); the scan's children catch their errors anyway.
 */
export const toLocalDefinition = (definition: AslMachine): AslMachine => localMachine(definition);

/** The execution failed: `Error` and `Cause` as Step Functions reports them. */
export class ExecutionFailedError extends Error {
  override readonly name = 'ExecutionFailedError';
  readonly Error: string;
  readonly Cause: string;

  constructor(error: { readonly Error: string; readonly Cause: string }, options?: ErrorOptions) {
    super(`Execution failed: ${error.Error}${error.Cause === '' ? '' : `: ${error.Cause}`}`, options);
    this.Error = error.Error;
    this.Cause = error.Cause;
  }
}

/** A state's result as Step Functions keeps it: JSON (undefined is null). */
const asJson = (value: unknown): JSONValue => JSON.parse(JSON.stringify(value ?? null)) as JSONValue;

type JSONValue = Parameters<StateMachine['run']>[0];

const taskStates = (machine: AslMachine): string[] =>
  Object.entries(machine.States).flatMap(([name, state]) => [
    ...(state.Type === 'Task' ? [name] : []),
    ...[state.ItemProcessor, state.Iterator, ...(Array.isArray(state.Branches) ? state.Branches : [])]
      .filter(isObject)
      .flatMap((nested) => taskStates(nested as unknown as AslMachine)),
  ]);

export interface RunOptions {
  readonly handlers: TaskHandlers;
  /** The definition to run, before toLocalDefinition; loadDefinition() when absent. */
  readonly definition?: AslMachine;
}

/**
 * Runs the scan's state machine locally, each Task state by its handler (never a Lambda function).
 * Returns the execution's output; throws ExecutionFailedError when the execution fails.
 */
export async function runScanStateMachine(input: unknown, options: RunOptions): Promise<unknown> {
  const definition = toLocalDefinition(options.definition ?? loadDefinition());
  const unhandled = taskStates(definition).filter((name) => !Object.hasOwn(options.handlers, name));
  // Without a local handler, aws-local-stepfunctions would invoke the Resource in AWS.
  if (unhandled.length > 0) throw new Error(`No local handler for Task state(s): ${unhandled.join(', ')}.`);

  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(options.handlers).map(([name, handler]) => [
      name,
      async (event: JSONValue) => asJson(await handler(event)),
    ]),
  );
  // The validator annotates what it validates: give it a copy.
  const machine = new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition);
  const execution = machine.run(asJson(input), { overrides: { taskResourceLocalHandlers } });
  try {
    return await execution.result;
  } catch (error) {
    if (error instanceof ExecutionError) {
      const cause = error.cause as { name?: unknown; message?: unknown } | undefined;
      throw new ExecutionFailedError(
        { Error: String(cause?.name ?? 'States.Runtime'), Cause: String(cause?.message ?? '') },
        { cause: error },
      );
    }
    throw error;
  }
}

/** A function module of functions/: a (middy) Lambda handler. */
export interface FunctionModule {
  handler(event: unknown, context: Context): Promise<unknown>;
}

export interface LambdaHandlerOptions {
  /** The account the functions run in, as their ARNs say. */
  readonly accountId?: string;
  /** The functions' timeout (serverless.yml: 300 s), for getRemainingTimeInMillis. */
  readonly timeoutMs?: number;
  /** Loads a module of functions/ by file name; a dynamic import when absent. */
  readonly importModule?: (module: string) => Promise<FunctionModule>;
}

const importFunction = async (module: string) =>
  // A relative specifier, so tsx and jest alike resolve it to the TypeScript source.
  (await import(`../functions/${module}.js`)) as FunctionModule;

/**
 * What Lambda would tell Step Functions of a failed invocation: the error's type as `Error`, and as
 * `Cause` the JSON of errorType, errorMessage and trace.
 */
function lambdaFailure(error: unknown): Error {
  const { name, message, stack } =
    error instanceof Error ? error : { name: 'Error', message: String(error), stack: undefined };
  const failure = new Error(
    JSON.stringify({
      errorType: name,
      errorMessage: message,
      trace: (stack ?? '').split('\n').filter((line) => line !== ''),
    }),
    { cause: error },
  );
  failure.name = name;
  return failure;
}

/**
 * The Task handlers of the real functions: each module of functions/ invoked as Lambda would, with a
 * Lambda context named as the `local` stage of serverless.yml would name it, and its result as JSON.
 */
export async function lambdaHandlers(options: LambdaHandlerOptions = {}): Promise<TaskHandlers> {
  const accountId = options.accountId ?? '111111111111';
  const timeoutMs = options.timeoutMs ?? 300_000;
  const region = process.env.AWS_REGION ?? 'eu-west-1';
  const importModule = options.importModule ?? importFunction;

  const handlers: Partial<Record<TaskStateName, TaskHandler>> = {};
  // One module at a time: jest's ESM loader fails on concurrent dynamic imports sharing dependencies.
  for (const state of Object.keys(TASKS) as TaskStateName[]) {
    const { module, functionKey } = TASKS[state];
    const { handler } = await importModule(module);
    if (typeof handler !== 'function') throw new Error(`functions/${module}.ts exports no handler.`);
    const functionName = `eks-compliance-scanner-local-${functionKey}`;
    handlers[state] = async (event) => {
      const deadline = Date.now() + timeoutMs;
      const context: Context = {
        callbackWaitsForEmptyEventLoop: true,
        functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
        memoryLimitInMB: '512',
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/${functionName}`,
        logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: () => {},
        fail: () => {},
        succeed: () => {},
      };
      try {
        // Lambda hands each invocation its own copy of the event and returns the result as JSON.
        return asJson(await handler(asJson(event), context));
      } catch (error) {
        throw lambdaFailure(error);
      }
    };
  }
  return handlers as TaskHandlers;
}
