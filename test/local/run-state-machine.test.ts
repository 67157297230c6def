import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import {
  type ClusterOutcome,
  LIST_CLUSTERS_INPUT,
  PLAN,
  type Plan,
  RECONCILE_INPUT,
  SCAN_CLUSTER_INPUT,
  SUMMARIZE_INPUT,
  type TargetOutcome,
} from '../../lib/orchestration/contracts.js';
import {
  ExecutionFailedError,
  type FunctionModule,
  lambdaHandlers,
  runScanStateMachine,
  TASKS,
  type TaskHandler,
  type TaskHandlers,
  type TaskStateName,
} from '../../local/state-machine.js';

const INPUT = { source: 'eks-compliance-scanner.local', time: '2026-11-22T12:00:00.000Z' };
const RUN = { scannedAt: '2026-11-22T12:00:00.000Z', trigger: 'schedule' };
const HEALTHY = { accountId: '111111111111', region: 'eu-west-1' };
const DENIED = { accountId: '444444444444', region: 'eu-west-1' };
const PLANNED: Plan = { run: RUN, targets: [HEALTHY, DENIED] };
const PLATFORM_TOOLS: ClusterOutcome = {
  clusters: ['platform-tools'],
  results: { PASSED: 9, FAILED: 4, NOT_APPLICABLE: 2, ERROR: 0 },
  published: { imported: 15, archived: 1, suppressed: 0, failedFindings: 0 },
  failures: [],
};
const HEALTHY_OUTCOME: TargetOutcome = {
  ...HEALTHY,
  clusters: 2,
  clustersFailed: 1,
  results: PLATFORM_TOOLS.results,
  published: PLATFORM_TOOLS.published,
  failures: [],
};
const SUMMARY = { targets: 2, targetsFailed: 1, clusters: 2, clustersFailed: 1 };

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

/** Stub handlers returning canned payloads of the contracts, each recording the inputs it received. */
function stubs(overrides: Partial<Record<TaskStateName, TaskHandler>> = {}) {
  const received: Record<TaskStateName, unknown[]> = {
    PlanScan: [],
    ListClusters: [],
    ScanCluster: [],
    ReconcileTarget: [],
    Summarize: [],
  };
  const canned: Record<TaskStateName, TaskHandler> = {
    PlanScan: async () => PLANNED,
    ListClusters: async (event) => {
      if ((event as { target: { accountId: string } }).target.accountId === DENIED.accountId)
        throw named('AccessDenied', 'not authorized to perform: sts:AssumeRole');
      return { clusters: ['platform-tools', 'ci-runners'], batches: [['platform-tools'], ['ci-runners']] };
    },
    ScanCluster: async (event) => {
      if ((event as { clusters: string[] }).clusters.includes('ci-runners'))
        throw named('ClusterGone', 'ResourceNotFoundException: ci-runners');
      return PLATFORM_TOOLS;
    },
    ReconcileTarget: async () => HEALTHY_OUTCOME,
    Summarize: async () => SUMMARY,
    ...overrides,
  };
  const handlers = Object.fromEntries(
    (Object.keys(canned) as TaskStateName[]).map((state) => [
      state,
      async (event: unknown) => {
        received[state].push(event);
        return canned[state](event);
      },
    ]),
  ) as unknown as TaskHandlers;
  return { handlers, received };
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe('runScanStateMachine', () => {
  it('scans the clusters of the targets it can list and reports the others as TargetFailed', async () => {
    // Prepare
    const { handlers, received } = stubs();
    // Act
    const output = await runScanStateMachine(INPUT, { handlers });
    // Assess
    expect(output).toEqual(SUMMARY);
    expect(received.PlanScan).toEqual([INPUT]);
    expect([...received.ListClusters].sort(byJson)).toEqual([
      { run: RUN, target: HEALTHY },
      { run: RUN, target: DENIED },
    ]);
    expect([...received.ScanCluster].sort(byJson)).toEqual([
      { run: RUN, target: HEALTHY, clusters: ['ci-runners'] },
      { run: RUN, target: HEALTHY, clusters: ['platform-tools'] },
    ]);
    expect(received.ReconcileTarget).toEqual([
      {
        run: RUN,
        target: HEALTHY,
        listing: {
          clusters: ['platform-tools', 'ci-runners'],
          batches: [['platform-tools'], ['ci-runners']],
        },
        clusterResults: [
          PLATFORM_TOOLS,
          {
            clusters: ['ci-runners'],
            error: { Error: 'ClusterGone', Cause: 'ResourceNotFoundException: ci-runners' },
          },
        ],
      },
    ]);
    expect(received.Summarize).toEqual([
      {
        run: RUN,
        targetCount: 2,
        outcomes: [
          HEALTHY_OUTCOME,
          {
            ...DENIED,
            error: { Error: 'AccessDenied', Cause: 'not authorized to perform: sts:AssumeRole' },
          },
        ],
      },
    ]);
  });

  it('hands every task an input its contract accepts', async () => {
    // Prepare
    const { handlers, received } = stubs();
    // Act
    await runScanStateMachine(INPUT, { handlers });
    // Assess
    const problems = [
      ...received.ListClusters.map((event) => LIST_CLUSTERS_INPUT.safeParse(event)),
      ...received.ScanCluster.map((event) => SCAN_CLUSTER_INPUT.safeParse(event)),
      ...received.ReconcileTarget.map((event) => RECONCILE_INPUT.safeParse(event)),
      ...received.Summarize.map((event) => SUMMARIZE_INPUT.safeParse(event)),
    ].filter((result) => !result.success);
    expect(problems).toEqual([]);
    expect(PLAN.safeParse(PLANNED).success).toBe(true);
    expect(received.ScanCluster).toHaveLength(2);
  });

  it('reports a target whose reconciliation fails as TargetFailed, with its cluster results scanned', async () => {
    // Prepare
    const { handlers, received } = stubs({
      ReconcileTarget: async () => {
        throw named('ReconcileFailed', 'GetFindings throttled');
      },
    });
    // Act
    await runScanStateMachine(INPUT, { handlers });
    // Assess
    expect(received.ReconcileTarget).toHaveLength(1);
    expect((received.Summarize[0] as { outcomes: unknown[] }).outcomes).toEqual([
      { ...HEALTHY, error: { Error: 'ReconcileFailed', Cause: 'GetFindings throttled' } },
      { ...DENIED, error: { Error: 'AccessDenied', Cause: 'not authorized to perform: sts:AssumeRole' } },
    ]);
  });

  it('throws the execution error, Error and Cause, when Summarize fails after the Map', async () => {
    // Prepare
    const { handlers, received } = stubs({
      Summarize: async () => {
        throw named('ScanIncomplete', '1 of 2 targets failed');
      },
    });
    // Act
    const run = runScanStateMachine(INPUT, { handlers });
    // Assess
    await expect(run).rejects.toBeInstanceOf(ExecutionFailedError);
    await expect(run).rejects.toMatchObject({
      Error: 'ScanIncomplete',
      Cause: '1 of 2 targets failed',
      message: 'Execution failed: ScanIncomplete: 1 of 2 targets failed',
    });
    expect(received.Summarize).toHaveLength(1);
  });

  it('refuses to run a definition with a Task state it has no handler for, before running anything', async () => {
    // Prepare
    const { handlers, received } = stubs();
    const { Summarize: _, ...withoutSummarize } = handlers;
    // Act
    const run = runScanStateMachine(INPUT, { handlers: withoutSummarize as TaskHandlers });
    // Assess
    await expect(run).rejects.toThrow('No local handler for Task state(s): Summarize.');
    expect(received.PlanScan).toEqual([]);
  });
});

describe('lambdaHandlers', () => {
  const savedRegion = process.env.AWS_REGION;

  beforeEach(() => {
    process.env.AWS_REGION = 'eu-central-1';
  });

  afterEach(() => {
    if (savedRegion === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = savedRegion;
  });

  /** Fake function modules that record what they were invoked with. */
  function fakeModules(handler: (module: string, event: unknown, context: Context) => Promise<unknown>) {
    const imported: string[] = [];
    const invocations: { module: string; event: unknown; context: Context }[] = [];
    const importModule = async (module: string): Promise<FunctionModule> => {
      imported.push(module);
      return {
        handler: async (event, context) => {
          invocations.push({ module, event, context });
          return handler(module, event, context);
        },
      };
    };
    return { importModule, imported, invocations };
  }

  it('imports the five function modules and invokes each with a Lambda context of the local stage', async () => {
    // Prepare
    const { importModule, imported, invocations } = fakeModules(async () => ({
      at: new Date(0),
      none: undefined,
    }));
    const handlers = await lambdaHandlers({ accountId: '222222222222', importModule });
    // Act
    const result = await handlers.ScanCluster({ clusters: ['platform-tools'] });
    // Assess
    expect(imported.sort()).toEqual(
      Object.values(TASKS)
        .map(({ module }) => module)
        .sort(),
    );
    expect(result).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    expect(invocations).toHaveLength(1);
    const { module, event, context } = invocations[0] as (typeof invocations)[number];
    expect(module).toBe('scan-cluster');
    expect(event).toEqual({ clusters: ['platform-tools'] });
    expect(context).toMatchObject({
      functionName: 'eks-compliance-scanner-local-scanCluster',
      invokedFunctionArn:
        'arn:aws:lambda:eu-central-1:222222222222:function:eks-compliance-scanner-local-scanCluster',
      functionVersion: '$LATEST',
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(290_000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(300_000);
  });

  it('names the functions of the account 111111111111 when given none', async () => {
    // Prepare
    const { importModule, invocations } = fakeModules(async () => null);
    const handlers = await lambdaHandlers({ importModule });
    // Act
    await handlers.PlanScan({});
    // Assess
    expect(invocations[0]?.context.invokedFunctionArn).toBe(
      'arn:aws:lambda:eu-central-1:111111111111:function:eks-compliance-scanner-local-planScan',
    );
  });

  it('fails a Task as a failed Lambda invocation does: Error the type, Cause the JSON of type, message and trace', async () => {
    // Prepare: the fake modules answer as the stubs do, for the Task state whose module they are.
    const { handlers: stub, received } = stubs();
    const stateOf = (module: string) =>
      (Object.keys(TASKS) as TaskStateName[]).find(
        (state) => TASKS[state].module === module,
      ) as TaskStateName;
    const { importModule } = fakeModules((module, event) => stub[stateOf(module)](event));
    const handlers = await lambdaHandlers({ importModule });
    // Act
    await runScanStateMachine(INPUT, { handlers });
    // Assess
    const { outcomes } = received.Summarize[0] as {
      outcomes: { error?: { Error: string; Cause: string } }[];
    };
    const failed = outcomes.find((outcome) => outcome.error !== undefined);
    expect(failed?.error?.Error).toBe('AccessDenied');
    expect(JSON.parse(failed?.error?.Cause ?? '{}')).toEqual({
      errorType: 'AccessDenied',
      errorMessage: 'not authorized to perform: sts:AssumeRole',
      trace: expect.arrayContaining([expect.stringContaining('AccessDenied: not authorized')]),
    });
  });
});
