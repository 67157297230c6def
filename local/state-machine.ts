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
import { type AslState, runDistributedMap } from './distributed-map.js';
import type { ObjectStore } from './object-store.js';
import {
  checkPayload,
  HISTORY_LIMIT_CAUSE,
  HISTORY_LIMIT_EXCEEDED,
  historyEventsOf,
  QUOTAS,
  QuotaExceededError,
} from './quotas.js';

export type { AslState } from './distributed-map.js';

/** The definition file, as serverless.yml deploys it. */
export const DEFINITION_FILE = new URL('../statemachines/scan.asl.yaml', import.meta.url);

/** Values of the definition's `${param:...}` variables when the caller gives none. */
export const DEFAULT_PARAMS: Readonly<Record<string, string>> = {
  childConcurrency: '40',
  accountsPerChild: '10',
  regionConcurrency: '4',
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
  ListRegions: { module: 'list-regions', functionKey: 'listRegions' },
  ListClusters: { module: 'list-clusters', functionKey: 'listClusters' },
  ScanCluster: { module: 'scan-cluster', functionKey: 'scanCluster' },
  ReconcileTarget: { module: 'reconcile-target', functionKey: 'reconcileTarget' },
  Summarize: { module: 'summarize', functionKey: 'summarize' },
} as const;

export type TaskStateName = keyof typeof TASKS;

/** A Task handler as the runner calls it: the state's input in, the state's result out. */
export type TaskHandler = (event: unknown) => Promise<unknown>;
export type TaskHandlers = Readonly<Record<TaskStateName, TaskHandler>>;

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
export const placeholderRef = (logicalId: string) =>
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

/** A Task state's fields a Distributed Map shares: what the state around the map run does. */
const TASK_FIELDS = [
  'Comment',
  'InputPath',
  'OutputPath',
  'ResultPath',
  'ResultSelector',
  'Retry',
  'Catch',
  'Next',
  'End',
];

const isDistributed = (state: AslState) =>
  state.Type === 'Map' &&
  isObject(state.ItemProcessor) &&
  isObject(state.ItemProcessor.ProcessorConfig) &&
  state.ItemProcessor.ProcessorConfig.Mode === 'DISTRIBUTED';

/** 23 days: a Map run or a Task has no timeout of its own here, and Node's timers take at most 2^31 - 1 ms. */
const DISTRIBUTED_MAP_TIMEOUT_SECONDS = 2_000_000;

/** The placeholder a Distributed Map's Task state invokes (its local handler runs the map). */
const DISTRIBUTED_MAP_RESOURCE = placeholderArn('local-distributed-map');

const localStates = (
  states: Readonly<Record<string, AslState>>,
  distributed: Map<string, AslState>,
): Record<string, AslState> =>
  Object.fromEntries(
    Object.entries(states).map(([name, state]) => [name, localState(name, state, distributed)]),
  );

const localMachine = (machine: AslMachine, distributed: Map<string, AslState>): AslMachine => ({
  ...machine,
  States: localStates(machine.States, distributed),
});

function localState(name: string, state: AslState, distributed: Map<string, AslState>): AslState {
  if (state.Type === 'Parallel' && Array.isArray(state.Branches))
    return {
      ...state,
      Branches: (state.Branches as AslMachine[]).map((branch) => localMachine(branch, distributed)),
    };
  if (isDistributed(state)) {
    distributed.set(name, state);
    return {
      Type: 'Task',
      Resource: DISTRIBUTED_MAP_RESOURCE,
      // A Map runs until its items are done; the runner would time a Task out after 60 s (the ASL
      // spec's default for Tasks).
      TimeoutSeconds: DISTRIBUTED_MAP_TIMEOUT_SECONDS,
      ...Object.fromEntries(
        TASK_FIELDS.filter((field) => field in state).map((field) => [field, state[field]]),
      ),
    };
  }
  // Step Functions gives a Task 99999999 s unless told otherwise (the Lambda function's own timeout
  // bounds it); the runner follows the ASL spec's 60 s, which a slow local scan would pass.
  if (state.Type === 'Task') return { TimeoutSeconds: DISTRIBUTED_MAP_TIMEOUT_SECONDS, ...state };
  if (state.Type !== 'Map') return state;
  const processor = state.ItemProcessor as AslMachine | undefined;
  const iterator = state.Iterator as AslMachine | undefined;
  return {
    ...state,
    ...(processor && { ItemProcessor: localMachine(processor, distributed) }),
    ...(iterator && { Iterator: localMachine(iterator, distributed) }),
  };
}

/**
 * The definition aws-local-stepfunctions can run (it runs inline Maps only): each Distributed Map a Task
 * state of the same name, with the same InputPath, ResultPath, Retry, Catch and transitions, whose local
 * handler runs the map as Step Functions does (local/distributed-map.ts: item reader, selector, batcher,
 * child executions, tolerated failures, result writer). Nested inline Maps and Parallel branches too.
 * Returns the definition and the Distributed Map states by name.
 */
export function toLocalDefinition(definition: AslMachine): {
  readonly definition: AslMachine;
  readonly distributedMaps: ReadonlyMap<string, AslState>;
} {
  const distributedMaps = new Map<string, AslState>();
  return { definition: localMachine(definition, distributedMaps), distributedMaps };
}

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

/** What a run took, over the execution and every child execution of its Distributed Maps. */
export interface RunStats {
  executions: number;
  /** History events of the largest execution (AWS's quota: 25,000 each). */
  largestHistory: number;
  /** The largest state input or output, task result or execution input/output, in bytes (quota: 256 KiB). */
  largestPayloadBytes: number;
  lambdaInvocations: number;
  /** States entered, retries included: what Step Functions bills. */
  stateTransitions: number;
}

export const emptyStats = (): RunStats => ({
  executions: 0,
  largestHistory: 0,
  largestPayloadBytes: 0,
  lambdaInvocations: 0,
  stateTransitions: 0,
});

export interface RunOptions {
  readonly handlers: TaskHandlers;
  /** Where the Distributed Maps read their items and write their results: S3 (the emulator), or memory. */
  readonly store: ObjectStore;
  /** The definition to run, before toLocalDefinition; loadDefinition() when absent. */
  readonly definition?: AslMachine;
  /** Filled in as the run goes. */
  readonly stats?: RunStats;
}

/** Evaluates payload templates with aws-local-stepfunctions' own path and intrinsic functions. */
function templateEvaluator() {
  const machines = new Map<string, StateMachine>();
  return async (template: unknown, input: unknown, context: Record<string, unknown> = {}) => {
    const key = JSON.stringify(template);
    let machine = machines.get(key);
    if (machine === undefined) {
      machine = new StateMachine(
        {
          StartAt: 'Evaluate',
          States: { Evaluate: { Type: 'Pass', Parameters: template, End: true } },
        } as never,
        { validationOptions: { noValidate: true } },
      );
      machines.set(key, machine);
    }
    return machine.run(asJson(input), { context: context as never }).result;
  };
}

/**
 * The runnable machine of each definition, built (and validated, which compiles JSON schemas) once
 * per run, not once per child execution.
 */
function machineCache() {
  const machines = new Map<string, StateMachine>();
  return (definition: AslMachine) => {
    // A JSON copy, not structuredClone: the validator annotates what it validates, and the runner resolves
    // nested Parameters only in plain objects of its own realm (jest runs in a VM context).
    const text = JSON.stringify(definition);
    let machine = machines.get(text);
    if (machine === undefined) {
      machine = new StateMachine(JSON.parse(text) as StateMachineDefinition);
      machines.set(text, machine);
    }
    return machine;
  };
}

interface Execution {
  readonly machines: ReturnType<typeof machineCache>;
  readonly definition: AslMachine;
  readonly handlers: Readonly<Record<string, TaskHandler>>;
  readonly store: ObjectStore;
  readonly stats: RunStats;
  readonly evaluate: ReturnType<typeof templateEvaluator>;
}

/**
 * Runs one execution (the state machine, or a Distributed Map's child) within the quotas: a payload
 * over 256 KiB or a history over 25,000 events fails it with AWS's error, which no Catch catches.
 */
async function runExecution(execution: Execution, input: unknown): Promise<unknown> {
  const { definition, distributedMaps } = toLocalDefinition(execution.definition);
  const { stats } = execution;
  stats.executions += 1;
  let exceeded: QuotaExceededError | undefined;
  let abort = () => {};
  const guard = <T>(check: () => T): T => {
    try {
      return check();
    } catch (error) {
      if (error instanceof QuotaExceededError && exceeded === undefined) {
        exceeded = error;
        abort();
      }
      throw error;
    }
  };
  const measure = (value: unknown, what: string) =>
    guard(() => {
      stats.largestPayloadBytes = Math.max(stats.largestPayloadBytes, checkPayload(value, what));
    });

  const distributedNames = new Set(distributedMaps.keys());
  const handlers = Object.fromEntries([
    ...Object.entries(execution.handlers).map(([name, handler]) => [
      name,
      async (event: JSONValue) => {
        measure(event, `The input of ${name} (after Parameters)`);
        stats.lambdaInvocations += 1;
        const result = asJson(await handler(event));
        measure(result, `The result of ${name}`);
        return result;
      },
    ]),
    ...[...distributedMaps].map(([name, state]) => [
      name,
      async (event: JSONValue) =>
        asJson(
          await runDistributedMap(name, state, event, {
            store: execution.store,
            evaluate: execution.evaluate,
            runChild: async (childInput) => {
              try {
                const output = await runExecution(
                  { ...execution, definition: childMachine(state) },
                  childInput,
                );
                return { status: 'SUCCEEDED', output };
              } catch (error) {
                if (!(error instanceof ExecutionFailedError)) throw error;
                return { status: 'FAILED', error: error.Error, cause: error.Cause };
              }
            },
          }),
        ),
    ]),
  ]);

  let history = 0;
  const machine = execution.machines(definition);
  const running = machine.run(asJson(input), { overrides: { taskResourceLocalHandlers: handlers } });
  abort = running.abort;
  const watching = (async () => {
    for await (const event of running.eventLogs) {
      history += historyEventsOf(event, distributedNames);
      if (event.type === 'StateEntered' || event.type === 'StateRetried') stats.stateTransitions += 1;
      try {
        if (event.type === 'ExecutionStarted') measure(event.input, 'The execution input');
        if (event.type === 'StateEntered') measure(event.state.input, `The input of ${event.state.name}`);
        if (event.type === 'StateExited') measure(event.state.output, `The output of ${event.state.name}`);
        if (history > QUOTAS.historyEvents)
          guard(() => {
            throw new QuotaExceededError(HISTORY_LIMIT_EXCEEDED, HISTORY_LIMIT_CAUSE);
          });
      } catch {
        // Recorded in `exceeded`; the execution is aborted.
      }
    }
  })();
  try {
    const output = await running.result;
    await watching;
    if (exceeded !== undefined) throw exceeded;
    return output;
  } catch (error) {
    await watching;
    stats.largestHistory = Math.max(stats.largestHistory, history);
    if (exceeded !== undefined)
      throw new ExecutionFailedError({ Error: exceeded.name, Cause: exceeded.message }, { cause: error });
    if (error instanceof ExecutionError) {
      const cause = error.cause as { name?: unknown; message?: unknown } | undefined;
      throw new ExecutionFailedError(
        { Error: String(cause?.name ?? 'States.Runtime'), Cause: String(cause?.message ?? '') },
        { cause: error },
      );
    }
    throw error;
  } finally {
    stats.largestHistory = Math.max(stats.largestHistory, history);
  }
}

/** A Distributed Map's ItemProcessor as the state machine its children execute. */
const childMachine = (state: AslState): AslMachine => {
  const { ProcessorConfig: _, ...machine } = state.ItemProcessor as AslMachine;
  return machine as AslMachine;
};

/**
 * Runs the scan's state machine locally, each Task state by its handler (never a Lambda function),
 * each Distributed Map's children as executions of their own, within Step Functions' quotas.
 * Returns the execution's output; throws ExecutionFailedError when the execution fails.
 */
export async function runScanStateMachine(input: unknown, options: RunOptions): Promise<unknown> {
  const definition = options.definition ?? loadDefinition();
  const unhandled = taskStates(definition).filter((name) => !Object.hasOwn(options.handlers, name));
  // Without a local handler, aws-local-stepfunctions would invoke the Resource in AWS.
  if (unhandled.length > 0) throw new Error(`No local handler for Task state(s): ${unhandled.join(', ')}.`);
  return runExecution(
    {
      definition,
      handlers: options.handlers,
      store: options.store,
      stats: options.stats ?? emptyStats(),
      evaluate: templateEvaluator(),
      machines: machineCache(),
    },
    input,
  );
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
