import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import type { ChildResult } from '../../lib/collect/map-results.js';
import {
  ACCOUNT_INPUT,
  type ClusterOutcome,
  LIST_CLUSTERS_INPUT,
  PLAN,
  type Plan,
  RECONCILE_INPUT,
  REGION_LISTING,
  SCAN_CLUSTER_INPUT,
  SUMMARIZE_INPUT,
  type TargetOutcome,
} from '../../lib/orchestration/contracts.js';
import { outcomesOfChildren } from '../../lib/orchestration/summary.js';
import { memoryObjectStore, type ObjectStore } from '../../local/object-store.js';
import { QUOTAS } from '../../local/quotas.js';
import {
  type AslMachine,
  ExecutionFailedError,
  emptyStats,
  type FunctionModule,
  lambdaHandlers,
  loadDefinition,
  runScanStateMachine,
  TASKS,
  type TaskHandler,
  type TaskHandlers,
  type TaskStateName,
} from '../../local/state-machine.js';

const INPUT = { source: 'eks-compliance-scanner.local', time: '2026-11-22T12:00:00.000Z' };
const RUN = { scannedAt: '2026-11-22T12:00:00.000Z', trigger: 'schedule' };
const HEALTHY = { accountId: '111111111111', region: 'eu-west-1' };
const DENIED_ACCOUNT = '444444444444';
const ITEMS = { bucket: 'local-scan-results-bucket', key: 'scan-items/run.json' };
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
const SUMMARY = { accountsScanned: 1 };

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

/**
 * Stub handlers returning canned payloads of the contracts, each recording the inputs it received;
 * PlanScan writes `accounts` to the store as the items object.
 */
function stubs(
  store: ObjectStore,
  overrides: Partial<Record<TaskStateName, TaskHandler>> = {},
  accounts: readonly string[] = [HEALTHY.accountId, DENIED_ACCOUNT],
) {
  const received: Record<TaskStateName, unknown[]> = {
    PlanScan: [],
    ListRegions: [],
    ListClusters: [],
    ScanCluster: [],
    ReconcileTarget: [],
    Summarize: [],
  };
  const canned: Record<TaskStateName, TaskHandler> = {
    PlanScan: async () => {
      await store.put(ITEMS.bucket, ITEMS.key, JSON.stringify(accounts.map((accountId) => ({ accountId }))));
      return { run: RUN, items: ITEMS, accounts: accounts.length, refused: [] } satisfies Plan;
    },
    ListRegions: async (event) => {
      const { accountId } = (event as { account: { accountId: string } }).account;
      if (accountId === DENIED_ACCOUNT)
        throw named('AccessDenied', 'not authorized to perform: sts:AssumeRole');
      return { targets: [{ accountId, region: 'eu-west-1' }], refused: [], clusters: [] };
    },
    ListClusters: async () => ({
      clusters: ['platform-tools', 'ci-runners'],
      batches: [['platform-tools'], ['ci-runners']],
    }),
    ScanCluster: async (event) => {
      if ((event as { clusters: string[] }).clusters.includes('ci-runners'))
        throw named('ClusterGone', 'ResourceNotFoundException: ci-runners');
      return PLATFORM_TOOLS;
    },
    ReconcileTarget: async (event) => ({ ...HEALTHY_OUTCOME, ...(event as { target: object }).target }),
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

/** The account outcomes the Distributed Map's ResultWriter left in the store, as Summarize reads them. */
async function writtenOutcomes(store: ObjectStore, summarizeInput: unknown) {
  const { Bucket, Key } = (
    summarizeInput as { outcomes: { ResultWriterDetails: { Bucket: string; Key: string } } }
  ).outcomes.ResultWriterDetails;
  const manifest = JSON.parse(await store.get(Bucket, Key)) as {
    ResultFiles: Record<string, { Key: string }[]>;
  };
  const children: ChildResult[] = [];
  for (const [status, files] of Object.entries(manifest.ResultFiles))
    for (const file of files)
      for (const execution of JSON.parse(await store.get(Bucket, file.Key)) as Record<string, string>[])
        children.push(
          status === 'SUCCEEDED'
            ? { status: 'succeeded', output: JSON.parse(execution.Output as string) }
            : {
                status: 'failed',
                input: JSON.parse(execution.Input as string),
                error: execution.Error as string,
                cause: execution.Cause as string,
              },
        );
  return { manifest, outcomes: outcomesOfChildren(children) };
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

describe('runScanStateMachine', () => {
  it("reads the planned accounts from the items object, lists each account's Regions, scans them, and writes the outcomes", async () => {
    // Prepare
    const store = memoryObjectStore();
    const { handlers, received } = stubs(store);
    const stats = emptyStats();
    // Act
    const output = await runScanStateMachine(INPUT, { handlers, store, stats });
    // Assess
    expect(output).toEqual(SUMMARY);
    expect(received.PlanScan).toEqual([INPUT]);
    expect([...received.ListRegions].sort(byJson)).toEqual([
      { run: RUN, account: { accountId: HEALTHY.accountId } },
      { run: RUN, account: { accountId: DENIED_ACCOUNT } },
    ]);
    expect(received.ListClusters).toEqual([{ run: RUN, target: HEALTHY }]);
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
        plan: { accounts: 2, refused: [] },
        outcomes: {
          MapRunArn: expect.stringContaining(':mapRun:'),
          ResultWriterDetails: {
            Bucket: 'local-scan-results-bucket',
            Key: expect.stringMatching(/^scan-runs\/.+\/manifest\.json$/),
          },
        },
      },
    ]);
    const { outcomes } = await writtenOutcomes(store, received.Summarize[0]);
    expect(outcomes).toEqual([
      { accountId: HEALTHY.accountId, refused: [], requestedClusters: [], regions: [HEALTHY_OUTCOME] },
      {
        accountId: DENIED_ACCOUNT,
        error: { Error: 'AccessDenied', Cause: 'not authorized to perform: sts:AssumeRole' },
      },
    ]);
    // One execution and one child (both accounts fit one batch); well within the quotas.
    expect(stats.executions).toBe(2);
    expect(stats.lambdaInvocations).toBe(1 + 2 + 1 + 2 + 1 + 1);
    expect(stats.largestHistory).toBeGreaterThan(0);
    expect(stats.largestHistory).toBeLessThan(QUOTAS.historyEvents);
    expect(stats.largestPayloadBytes).toBeLessThan(QUOTAS.payloadBytes);
  });

  it('hands every task an input its contract accepts', async () => {
    // Prepare
    const store = memoryObjectStore();
    const { handlers, received } = stubs(store);
    // Act
    await runScanStateMachine(INPUT, { handlers, store });
    // Assess
    const problems = [
      ...received.ListRegions.map((event) => ACCOUNT_INPUT.safeParse(event)),
      ...received.ListClusters.map((event) => LIST_CLUSTERS_INPUT.safeParse(event)),
      ...received.ScanCluster.map((event) => SCAN_CLUSTER_INPUT.safeParse(event)),
      ...received.ReconcileTarget.map((event) => RECONCILE_INPUT.safeParse(event)),
      ...received.Summarize.map((event) => SUMMARIZE_INPUT.safeParse(event)),
    ].filter((result) => !result.success);
    expect(problems).toEqual([]);
    expect(received.ScanCluster).toHaveLength(2);
    // And the stubs answer as the contracts say the functions answer.
    expect(PLAN.safeParse(await handlers.PlanScan(INPUT)).success).toBe(true);
    expect(REGION_LISTING.safeParse(await handlers.ListRegions(received.ListRegions[0])).success).toBe(true);
  });

  it('gives each child execution a batch of accounts (ItemBatcher), the plan staying the same size', async () => {
    // Prepare
    const store = memoryObjectStore();
    const accounts = Array.from({ length: 25 }, (_, index) => String(200000000000 + index));
    const { handlers, received } = stubs(store, {}, accounts);
    const stats = emptyStats();
    // Act
    await runScanStateMachine(INPUT, { handlers, store, stats });
    // Assess: 25 accounts, 10 a child: 3 children.
    expect(stats.executions).toBe(1 + 3);
    expect(received.ListRegions).toHaveLength(25);
    const { manifest, outcomes } = await writtenOutcomes(store, received.Summarize[0]);
    expect(manifest.ResultFiles.SUCCEEDED).toHaveLength(1);
    expect(outcomes.map((outcome) => outcome.accountId)).toEqual(accounts);
  });

  it('fails a child whose state output passes 256 KiB with States.DataLimitExceeded, which its Catch does not catch', async () => {
    // Prepare
    const store = memoryObjectStore();
    const { handlers, received } = stubs(store, {
      ListClusters: async () => ({ clusters: ['x'.repeat(300_000)], batches: [] }),
    });
    // Act
    await runScanStateMachine(INPUT, { handlers, store });
    // Assess: TargetFailed would have caught any other error; the child failed instead.
    expect(received.ReconcileTarget).toEqual([]);
    const { outcomes } = await writtenOutcomes(store, received.Summarize[0]);
    expect(outcomes).toEqual([
      {
        accountId: HEALTHY.accountId,
        error: {
          Error: 'States.DataLimitExceeded',
          Cause: expect.stringContaining('The result of ListClusters is'),
        },
      },
      { accountId: DENIED_ACCOUNT, error: expect.objectContaining({ Error: 'States.DataLimitExceeded' }) },
    ]);
  });

  it('fails the execution with States.DataLimitExceeded when a plan carries its targets in state', async () => {
    // Prepare: the former plan, one (account, Region) per item, for 5,000 accounts x 17 Regions.
    const store = memoryObjectStore();
    const refused = Array.from({ length: 5000 * 17 }, (_, index) => ({
      accountId: String(100000000000 + Math.floor(index / 17)),
      region: 'eu-west-1',
      subject: 'Region eu-west-1',
      reason: 'planned',
    }));
    const { handlers, received } = stubs(store, {
      PlanScan: async () => ({ run: RUN, items: ITEMS, accounts: 5000, refused }),
    });
    // Act
    const run = runScanStateMachine(INPUT, { handlers, store });
    // Assess
    await expect(run).rejects.toMatchObject({
      Error: 'States.DataLimitExceeded',
      Cause: expect.stringContaining('The result of PlanScan is'),
    });
    expect(received.ListRegions).toEqual([]);
  });

  it('fails an execution whose history passes 25,000 events, as Step Functions does', async () => {
    // Prepare: an inline Map of 10,000 Pass states: 4 events each.
    const store = memoryObjectStore();
    const definition: AslMachine = {
      StartAt: 'Many',
      States: {
        Many: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 40,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Nothing',
            States: { Nothing: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    };
    // Act
    const run = runScanStateMachine(
      { items: Array.from({ length: 10_000 }, (_, index) => index) },
      { handlers: stubs(store).handlers, store, definition },
    );
    // Assess
    await expect(run).rejects.toMatchObject({
      Error: 'States.Runtime',
      Cause: 'The execution reached the maximum number of history events (25000).',
    });
  }, 60_000);

  it('fails the Map with States.ExceedToleratedFailureThreshold past its tolerated failures, and still summarizes', async () => {
    // Prepare
    const store = memoryObjectStore();
    const { handlers, received } = stubs(store, {
      // A result over the payload limit fails the child (no Catch catches States.DataLimitExceeded).
      ListRegions: async () => ({ targets: [], refused: [], clusters: ['x'.repeat(300_000)] }),
    });
    const definition = loadDefinition({ toleratedFailurePercentage: '0', accountsPerChild: '1' });
    // Act
    await runScanStateMachine(INPUT, { handlers, store, definition });
    // Assess
    expect(received.Summarize).toEqual([
      {
        run: RUN,
        plan: { accounts: 2, refused: [] },
        outcomes: {
          mapError: {
            Error: 'States.ExceedToleratedFailureThreshold',
            Cause: expect.stringContaining('items failed'),
          },
        },
      },
    ]);
  });

  it('reports a target whose reconciliation fails as TargetFailed, with its cluster results scanned', async () => {
    // Prepare
    const store = memoryObjectStore();
    const { handlers, received } = stubs(store, {
      ReconcileTarget: async () => {
        throw named('ReconcileFailed', 'GetFindings throttled');
      },
    });
    // Act
    await runScanStateMachine(INPUT, { handlers, store });
    // Assess
    expect(received.ReconcileTarget).toHaveLength(1);
    const { outcomes } = await writtenOutcomes(store, received.Summarize[0]);
    expect(outcomes[0]).toEqual({
      accountId: HEALTHY.accountId,
      refused: [],
      requestedClusters: [],
      regions: [{ ...HEALTHY, error: { Error: 'ReconcileFailed', Cause: 'GetFindings throttled' } }],
    });
  });

  it('throws the execution error, Error and Cause, when Summarize fails after the Map', async () => {
    // Prepare
    const store = memoryObjectStore();
    const { handlers, received } = stubs(store, {
      Summarize: async () => {
        throw named('ScanIncomplete', '1 of 2 targets failed');
      },
    });
    // Act
    const run = runScanStateMachine(INPUT, { handlers, store });
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
    const store = memoryObjectStore();
    const { handlers, received } = stubs(store);
    const { ListRegions: _, ...withoutListRegions } = handlers;
    // Act
    const run = runScanStateMachine(INPUT, { handlers: withoutListRegions as TaskHandlers, store });
    // Assess
    await expect(run).rejects.toThrow('No local handler for Task state(s): ListRegions.');
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

  it('imports the function modules and invokes each with a Lambda context of the local stage', async () => {
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
    const store = memoryObjectStore();
    const { handlers: stub, received } = stubs(store);
    const stateOf = (module: string) =>
      (Object.keys(TASKS) as TaskStateName[]).find(
        (state) => TASKS[state].module === module,
      ) as TaskStateName;
    const { importModule } = fakeModules((module, event) => stub[stateOf(module)](event));
    const handlers = await lambdaHandlers({ importModule });
    // Act
    await runScanStateMachine(INPUT, { handlers, store });
    // Assess
    const { outcomes } = await writtenOutcomes(store, received.Summarize[0]);
    const failed = outcomes.find((outcome) => 'error' in outcome) as
      | { error?: { Error: string; Cause?: string } }
      | undefined;
    expect(failed?.error?.Error).toBe('AccessDenied');
    expect(JSON.parse(failed?.error?.Cause ?? '{}')).toEqual({
      errorType: 'AccessDenied',
      errorMessage: 'not authorized to perform: sts:AssumeRole',
      trace: expect.arrayContaining([expect.stringContaining('AccessDenied: not authorized')]),
    });
  });
});
