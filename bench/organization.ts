/**
 * The organization-scale bench: thousands of accounts across the 17 Regions every account has enabled
 * by default, most without a cluster, some with clusters in an opt-in Region only they have enabled. It
 * runs the scheduled scan through the local state machine (the real handlers of functions/, the quotas
 * of local/quotas.ts) against the emulator with latency on every call, and prints the wall time, the API
 * calls against their floor (an empty Region costs one ListClusters; a role is assumed once per account),
 * the largest state payload, the history events of the largest execution, the Lambda invocations and
 * state transitions; and, for each planned size, the payload of the plan (which must not grow).
 *
 *   tsx bench/organization.ts [--accounts 1000] [--clusters 1000] [--opt-in-accounts 20]
 *       [--latency 25] [--plan-sizes 100,1000,5000] [--seed 1] [--out FILE]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Context } from 'aws-lambda';
import { inputParameters } from '../deploy/config-rules.js';
import { type Estate, homeAccountId, parseEstate } from '../emulator/estate.js';
import { HOME_CREDENTIALS, startEmulator } from '../emulator/server.js';
import { resultTokenFor } from '../emulator/services/config.js';
import { createS3Client } from '../lib/aws/s3.js';
import { CHECKS } from '../lib/checks/registry.js';
import { configRuleName, hasConfigRule } from '../lib/publish/config-evaluations.js';
import { payloadBytes, QUOTAS } from '../local/quotas.js';
import type { TaskHandlers, TaskStateName } from '../local/state-machine.js';
import {
  costMarkdown,
  deploymentOf,
  type FunctionUse,
  type MeasuredConfigRound,
  type MeasuredRun,
  monthlyCost,
} from './cost.js';
import { analyzeCalls } from './floor.js';
import {
  accountIdOf,
  DEFAULT_NOW,
  emptyRegion,
  type GeneratedEstate,
  type GeneratedRegion,
  generateEstate,
  latencyFault,
} from './generate-estate.js';
import { mb, measure } from './measure.js';

/** The Regions enabled by default in every account (no opt-in needed): 17. */
export const DEFAULT_REGIONS = [
  'eu-west-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
] as const;

/** Opt-in Regions a member may enable that the central account has not. */
export const OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'me-south-1', 'eu-south-1'] as const;

export interface OrganizationOptions {
  readonly seed: number;
  readonly accounts: number;
  /** Clusters in all, in the first accounts (10 to an account, in one Region). */
  readonly clusters: number;
  /** Of the accounts with clusters, how many have them in an opt-in Region only they have enabled. */
  readonly optInAccounts: number;
  readonly now?: string;
  readonly latencyMs?: number;
}

export const CLUSTERS_PER_ACCOUNT = 10;

/**
 * An organization: every account has the 17 default Regions; the first ceil(clusters / 10) accounts
 * have 10 clusters each (the clusters of generateEstate, so every check passes and fails somewhere), in
 * eu-west-1, or, for the last `optInAccounts` of them, in an opt-in Region only that account has enabled.
 */
export function generateOrganization(options: OrganizationOptions): GeneratedEstate {
  const clustered = Math.ceil(options.clusters / CLUSTERS_PER_ACCOUNT);
  if (clustered > options.accounts)
    throw new RangeError(
      `${options.clusters} clusters need ${clustered} accounts, more than ${options.accounts}.`,
    );
  if (options.optInAccounts > clustered)
    throw new RangeError(`optInAccounts is at most the ${clustered} accounts with clusters.`);
  const base = generateEstate({
    seed: options.seed,
    accounts: Math.max(1, clustered),
    regionsPerAccount: 1,
    clusters: options.clusters,
    nodeGroupsPerCluster: 3,
    nodesPerGroup: 3,
    now: options.now ?? DEFAULT_NOW,
    faults: options.latencyMs === undefined ? [] : [latencyFault(options.latencyMs)],
  });
  const accounts = Array.from({ length: options.accounts }, (_, index) => {
    const generated = base.accounts[index];
    const regions: Record<string, GeneratedRegion> = {};
    for (const region of DEFAULT_REGIONS) regions[region] = emptyRegion();
    const clusteredRegion = index < clustered ? generated?.regions['eu-west-1'] : undefined;
    if (clusteredRegion !== undefined) {
      const optIn = index >= clustered - options.optInAccounts;
      if (!optIn) regions['eu-west-1'] = clusteredRegion;
      else {
        const region = OPT_IN_REGIONS[index % OPT_IN_REGIONS.length] as string;
        regions[region] = JSON.parse(JSON.stringify(clusteredRegion).replaceAll('eu-west-1', region));
      }
    }
    return {
      accountId: accountIdOf(index),
      name: generated?.name ?? `member-${index}`,
      state: 'ACTIVE' as const,
      assumeRole: 'allow' as const,
      regions,
    };
  });
  return { ...base, accounts };
}

export interface OrganizationFigures {
  readonly accounts: number;
  readonly regions: number;
  readonly clusters: number;
  readonly optInAccounts: number;
  readonly latencyMs: number;
  readonly wallS: number;
  readonly succeeded: boolean;
  readonly failure?: string;
  readonly summary?: unknown;
  readonly calls: number;
  readonly floor: number;
  readonly ratio: number;
  readonly listClusters: { readonly calls: number; readonly floor: number };
  readonly assumeRole: { readonly calls: number; readonly floor: number };
  readonly describeRegions: { readonly calls: number; readonly floor: number };
  readonly securityHubCalls: number;
  readonly largestPayloadBytes: number;
  readonly largestHistory: number;
  readonly executions: number;
  readonly lambdaInvocations: number;
  readonly stateTransitions: number;
  /** Each function family's invocations and durations in the run. */
  readonly functions: readonly FunctionFigures[];
  /** Findings imported, for each (account, Region) that got any: from an empty Security Hub, all it holds. */
  readonly findingsByTarget: readonly number[];
  readonly s3PutRequests: number;
  readonly s3GetRequests: number;
  /** Bytes the functions wrote to stdout and stderr (their logs and metrics) during the run. */
  readonly functionLogBytes: number;
  readonly configRound: MeasuredConfigRound & { readonly sampled: string };
}

/** One function family's invocations in the run, and one of them run again alone. */
export interface FunctionFigures extends FunctionUse {
  readonly state: string;
  readonly longestMs: number;
  /**
   * The longest invocation run again alone after the run (nothing else in flight but the emulator
   * answering it): its wall time, and how far the process's RSS and heap rose above where they stood.
   */
  readonly alone?: { readonly wallMs: number; readonly rssRiseMb: number; readonly heapRiseMb: number };
}

interface Timing {
  invocations: number;
  durationMs: number;
  longestMs: number;
  longestEvent?: unknown;
}

/** The handlers, each invocation timed (wall time: what Lambda bills, waiting on AWS included). */
function timedHandlers(handlers: TaskHandlers, timings: Map<string, Timing>): TaskHandlers {
  return Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      async (event: unknown) => {
        const started = performance.now();
        try {
          return await handler(event);
        } finally {
          const ms = performance.now() - started;
          const timing = timings.get(state) ?? { invocations: 0, durationMs: 0, longestMs: 0 };
          timing.invocations += 1;
          timing.durationMs += ms;
          if (ms > timing.longestMs) Object.assign(timing, { longestMs: ms, longestEvent: event });
          timings.set(state, timing);
        }
      },
    ]),
  ) as TaskHandlers;
}

/**
 * Runs `run` with what the process writes to stdout and stderr counted and dropped: the functions' logs
 * and metrics (Powertools writes both there; in Lambda they go to CloudWatch Logs).
 */
async function countingOutput<T>(run: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  let bytes = 0;
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams)
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  try {
    return { value: await run(), bytes };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = writes[index] as typeof stream.write;
    });
  }
}

/** A periodic ScheduledNotification of a check's Config rule for one account, as Config sends it. */
function periodicConfigEvent(check: (typeof CHECKS)[number], accountId: string) {
  const name = configRuleName(check);
  return {
    version: '1.0',
    invokingEvent: JSON.stringify({
      awsAccountId: accountId,
      notificationCreationTime: DEFAULT_NOW,
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    }),
    ruleParameters: JSON.stringify(inputParameters(check)),
    resultToken: resultTokenFor(name),
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${accountId}:role/EksComplianceScannerRole`,
    configRuleArn: `arn:aws:config:eu-west-1:${accountId}:config-rule/config-rule-bench`,
    configRuleName: name,
    configRuleId: 'config-rule-bench',
    accountId,
    evaluationMode: 'DETECTIVE',
  };
}

/** Every Config rule invoked once for one account (periodic), timed, its output counted. */
async function configRulesFor(accountId: string, homeAccount: string) {
  const { handler } = (await import('../functions/config-rule.js')) as {
    handler: (event: unknown, context: Context) => Promise<{ evaluations: number }>;
  };
  const context = {
    functionName: 'eks-compliance-scanner-local-configRule',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:${homeAccount}:function:eks-compliance-scanner-local-configRule`,
    awsRequestId: 'bench',
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 300_000,
  } as unknown as Context;
  let invocations = 0;
  let durationMs = 0;
  let evaluations = 0;
  const { bytes } = await countingOutput(async () => {
    for (const check of CHECKS.filter(hasConfigRule)) {
      const started = performance.now();
      const outcome = await handler(periodicConfigEvent(check, accountId), context);
      durationMs += performance.now() - started;
      invocations += 1;
      evaluations += outcome.evaluations;
    }
  });
  return { invocations, durationMs, evaluations, logBytes: bytes };
}

/**
 * One periodic round of every Config rule deployed as organization rules (organizationConfigRules):
 * each rule runs once in every account, in the Region its clusters are in. Measured in one account with
 * clusters in eu-west-1 (the functions' Region) and one without, and scaled to the organization's
 * accounts with clusters (wherever they are) and without.
 */
async function measureConfigRound(estate: Estate): Promise<MeasuredConfigRound & { sampled: string }> {
  const home = homeAccountId(estate);
  const clustersIn = (account: Estate['accounts'][number]) =>
    Object.values(account.regions).reduce((sum, region) => sum + region.clusters.length, 0);
  const withClusters = estate.accounts.filter((account) => clustersIn(account) > 0);
  const without = estate.accounts.filter((account) => clustersIn(account) === 0);
  const clustered = withClusters.find((account) => (account.regions['eu-west-1']?.clusters.length ?? 0) > 0);
  const empty = without[0];
  if (clustered === undefined)
    throw new Error('No account has clusters in eu-west-1: nothing for the Config rules.');
  const full = await configRulesFor(clustered.accountId, home);
  const none = empty === undefined ? undefined : await configRulesFor(empty.accountId, home);
  const scaled = (pick: (sample: typeof full) => number) =>
    withClusters.length * pick(full) + (none === undefined ? 0 : without.length * pick(none));
  return {
    clusters: withClusters.reduce((sum, account) => sum + clustersIn(account), 0),
    function: {
      functionKey: 'configRule',
      invocations: scaled((sample) => sample.invocations),
      durationMs: scaled((sample) => sample.durationMs),
    },
    evaluations: scaled((sample) => sample.evaluations),
    functionLogBytes: scaled((sample) => sample.logBytes),
    sampled: `${full.invocations} rules in ${clustered.accountId} (${clustersIn(clustered)} clusters, ${full.evaluations} evaluations, ${(full.durationMs / 1000).toFixed(1)} s)${none === undefined ? '' : ` and in ${empty?.accountId} (no cluster, ${none.evaluations} evaluations, ${(none.durationMs / 1000).toFixed(1)} s), scaled to ${withClusters.length} and ${without.length} accounts`}`,
  };
}

/** The longest invocation of each family run again alone, with its memory measured. */
async function aloneFigures(handlers: TaskHandlers, timings: Map<string, Timing>) {
  const alone = new Map<string, FunctionFigures['alone']>();
  await countingOutput(async () => {
    for (const [state, timing] of timings) {
      const handler = handlers[state as TaskStateName];
      if (timing.longestEvent === undefined || handler === undefined) continue;
      const heapBefore = process.memoryUsage().heapUsed;
      const run = await measure(() => handler(timing.longestEvent), 5);
      alone.set(state, {
        wallMs: Math.round(run.wallMs),
        rssRiseMb: Number((run.peakRssSampledMb - run.rssBeforeMb).toFixed(1)),
        heapRiseMb: Number((run.peakHeapUsedMb - mb(heapBefore)).toFixed(1)),
      });
    }
  });
  return alone;
}

/** Sets what the functions read (endpoint, credentials, settings) for a run against `endpoint`. */
function functionEnvironment(endpoint: string) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: HOME_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: HOME_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'eu-west-1',
    MEMBER_ROLE_NAME: 'EksComplianceScannerRole',
    SCAN_RESULTS_BUCKET: 'local-scan-results-bucket',
    // As deployed (serverless.yml sets neither): the bench counts the bytes they log.
    POWERTOOLS_LOG_LEVEL: 'INFO',
  });
  for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'POWERTOOLS_METRICS_DISABLED'])
    delete process.env[name];
}

/** The scheduled scan of the organization through the local state machine, measured. */
export async function runOrganization(
  estate: Estate,
  latencyMs: number,
  optInAccounts: number,
): Promise<OrganizationFigures> {
  const running = await startEmulator({ estate });
  try {
    functionEnvironment(running.endpoint);
    const { emptyStats, ExecutionFailedError, lambdaHandlers, runScanStateMachine, TASKS } = await import(
      '../local/state-machine.js'
    );
    const { s3ObjectStore } = await import('../local/object-store.js');
    const handlers = await lambdaHandlers({ accountId: homeAccountId(estate) });
    const timings = new Map<string, Timing>();
    const s3 = createS3Client({ region: 'eu-west-1' });
    const stats = emptyStats();
    const started = performance.now();
    let summary: unknown;
    let failure: string | undefined;
    const { bytes: functionLogBytes } = await countingOutput(async () => {
      try {
        summary = await runScanStateMachine(
          { source: 'eks-compliance-scanner.local', time: DEFAULT_NOW },
          { handlers: timedHandlers(handlers, timings), store: s3ObjectStore(s3), stats },
        );
      } catch (error) {
        if (!(error instanceof ExecutionFailedError)) throw error;
        failure = `${error.Error}: ${error.Cause.slice(0, 3000)}`;
      } finally {
        s3.destroy();
      }
    });
    const wallS = (performance.now() - started) / 1000;
    const runCalls = running.emulator.calls();
    const findings = new Map(
      Object.entries(running.emulator.state().securityHub).flatMap(([account, regions]) =>
        Object.entries(regions).map(
          ([region, list]) => [`${account}|${region}`, (list as unknown[]).length] as const,
        ),
      ),
    );
    const analysis = analyzeCalls(estate, runCalls, findings);
    const s3Calls = (operations: readonly string[]) =>
      runCalls
        .filter((call) => call.service === 's3' && operations.includes(call.operation ?? ''))
        .reduce((total, call) => total + call.count, 0);
    // After the counts: both re-enter the accounts, which the run's figures must not include.
    const alone = await aloneFigures(handlers, timings);
    const configRound = await measureConfigRound(estate);
    const operation = (name: string) => {
      const found = analysis.operations.find((entry) => entry.operation === name);
      return { calls: found?.calls ?? 0, floor: found?.floor ?? 0 };
    };
    return {
      accounts: estate.accounts.length,
      regions: estate.accounts.reduce((total, account) => total + Object.keys(account.regions).length, 0),
      clusters: analysis.clusters,
      optInAccounts,
      latencyMs,
      wallS: Number(wallS.toFixed(1)),
      succeeded: failure === undefined,
      ...(failure === undefined ? {} : { failure }),
      summary,
      calls: analysis.calls,
      floor: analysis.floor,
      ratio: analysis.ratio,
      listClusters: operation('eks:ListClusters'),
      assumeRole: operation('sts:AssumeRole'),
      describeRegions: operation('ec2:DescribeRegions'),
      securityHubCalls: analysis.operations
        .filter((entry) => entry.operation.startsWith('securityhub:'))
        .reduce((total, entry) => total + entry.calls, 0),
      largestPayloadBytes: stats.largestPayloadBytes,
      largestHistory: stats.largestHistory,
      executions: stats.executions,
      lambdaInvocations: stats.lambdaInvocations,
      stateTransitions: stats.stateTransitions,
      functions: [...timings].map(([state, timing]) => {
        const aloneFigure = alone.get(state);
        return {
          state,
          functionKey: TASKS[state as TaskStateName].functionKey,
          ...(state === 'PlanScan' || state === 'Summarize' ? { oncePerRun: true } : {}),
          invocations: timing.invocations,
          durationMs: Math.round(timing.durationMs),
          longestMs: Math.round(timing.longestMs),
          ...(aloneFigure === undefined ? {} : { alone: aloneFigure }),
        };
      }),
      findingsByTarget: [...findings.values()].filter((count) => count > 0),
      s3PutRequests: s3Calls([
        'PutObject',
        'CopyObject',
        'ListObjects',
        'ListObjectsV2',
        'CreateMultipartUpload',
        'UploadPart',
        'CompleteMultipartUpload',
      ]),
      s3GetRequests: s3Calls(['GetObject', 'HeadObject']),
      functionLogBytes,
      configRound,
    };
  } finally {
    await running.stop();
  }
}

export interface PlanFigures {
  readonly accounts: number;
  /** PlanScan's output (the state data): must stay the same size whatever the organization's. */
  readonly planBytes: number;
  /** The items object in S3 (one item per account), which the Distributed Map reads. */
  readonly itemsBytes: number;
  readonly withinLimit: boolean;
}

/** Plans the scheduled scan of an organization of `accounts` accounts with the real PlanScan function. */
export async function measurePlan(accounts: number, seed: number): Promise<PlanFigures> {
  const estate = parseEstate(generateOrganization({ seed, accounts, clusters: 0, optInAccounts: 0 }));
  const running = await startEmulator({ estate });
  try {
    functionEnvironment(running.endpoint);
    const { lambdaHandlers } = await import('../local/state-machine.js');
    const handlers = await lambdaHandlers({ accountId: homeAccountId(estate) });
    const { value: plan } = (await countingOutput(() =>
      handlers.PlanScan({ source: 'eks-compliance-scanner.local', time: DEFAULT_NOW }),
    )) as { value: { items: { bucket: string; key: string } } };
    const { s3ObjectStore } = await import('../local/object-store.js');
    const s3 = createS3Client({ region: 'eu-west-1' });
    const items = await s3ObjectStore(s3)
      .get(plan.items.bucket, plan.items.key)
      .finally(() => s3.destroy());
    const planBytes = payloadBytes(plan);
    return {
      accounts,
      planBytes,
      itemsBytes: Buffer.byteLength(items),
      withinLimit: planBytes <= QUOTAS.payloadBytes,
    };
  } finally {
    await running.stop();
  }
}

export function organizationMarkdown(run: OrganizationFigures, plans: readonly PlanFigures[]): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const limit = (value: number, quota: number) =>
    `${value} of ${quota} (${((100 * value) / quota).toFixed(1)}%)`;
  return [
    `## Organization scale: ${run.accounts} accounts x ${DEFAULT_REGIONS.length} Regions, ${run.clusters} clusters, ${run.optInAccounts} accounts with clusters in an opt-in Region of their own; ${run.latencyMs} ms a call`,
    '',
    '| Figure | Value |',
    '| --- | --- |',
    `| Wall time | ${run.wallS} s${run.succeeded ? '' : ` (run failed: ${run.failure})`} |`,
    `| (account, Region) targets | ${run.regions} |`,
    `| API calls (Security Hub and S3 apart) / floor | ${run.calls} / ${run.floor} (${run.ratio}x) |`,
    `| eks:ListClusters / floor | ${run.listClusters.calls} / ${run.listClusters.floor} |`,
    `| sts:AssumeRole / floor | ${run.assumeRole.calls} / ${run.assumeRole.floor} |`,
    `| ec2:DescribeRegions / floor | ${run.describeRegions.calls} / ${run.describeRegions.floor} |`,
    `| Security Hub calls | ${run.securityHubCalls} |`,
    `| Largest state payload | ${kib(run.largestPayloadBytes)} (limit ${kib(QUOTAS.payloadBytes)}) |`,
    `| History events of the largest execution | ${limit(run.largestHistory, QUOTAS.historyEvents)} |`,
    `| Executions (1 + children) | ${run.executions} |`,
    `| Lambda invocations | ${run.lambdaInvocations} |`,
    `| State transitions | ${run.stateTransitions} |`,
    `| Findings imported (Security Hub) | ${run.findingsByTarget.reduce((sum, count) => sum + count, 0)} in ${run.findingsByTarget.length} (account, Region) targets |`,
    `| S3 requests (PUT-class / GET-class) | ${run.s3PutRequests} / ${run.s3GetRequests} |`,
    `| Function logs and metrics written | ${(run.functionLogBytes / 1_048_576).toFixed(1)} MiB |`,
    `| Config rules, one periodic round | ${run.configRound.function.invocations} invocations, ${run.configRound.evaluations} evaluations (${run.configRound.sampled}) |`,
    '',
    '| Function (Task state) | Invocations | Wall s in all | Mean ms | Longest ms | Longest again, alone: ms / RSS rise MB / heap rise MB |',
    '| --- | --- | --- | --- | --- | --- |',
    ...run.functions.map(
      (fn) =>
        `| ${fn.functionKey} (${fn.state}) | ${fn.invocations} | ${(fn.durationMs / 1000).toFixed(1)} | ${Math.round(fn.durationMs / fn.invocations)} | ${fn.longestMs} | ${fn.alone === undefined ? 'n/a' : `${fn.alone.wallMs} / ${fn.alone.rssRiseMb} / ${fn.alone.heapRiseMb}`} |`,
    ),
    `| configRule (one round, scaled) | ${run.configRound.function.invocations} | ${(run.configRound.function.durationMs / 1000).toFixed(1)} | ${Math.round(run.configRound.function.durationMs / run.configRound.function.invocations)} | | |`,
    '',
    '| Accounts planned | PlanScan output (state) | Items object (S3) | Within 256 KiB |',
    '| --- | --- | --- | --- |',
    ...plans.map(
      (plan) =>
        `| ${plan.accounts} | ${plan.planBytes} B | ${kib(plan.itemsBytes)} | ${plan.withinLimit ? 'yes' : 'NO'} |`,
    ),
  ].join('\n');
}

/** The figures of a run the cost is computed from. */
export const measuredRun = (run: OrganizationFigures): MeasuredRun => ({
  clusters: run.clusters,
  functions: run.functions,
  stateTransitions: run.stateTransitions,
  childExecutions: run.executions - 1,
  findingsByTarget: run.findingsByTarget,
  s3PutRequests: run.s3PutRequests,
  s3GetRequests: run.s3GetRequests,
  functionLogBytes: run.functionLogBytes,
});

const USAGE = `Usage: tsx bench/organization.ts [--accounts 1000] [--clusters 1000] [--opt-in-accounts 20]
         [--latency 25] [--plan-sizes 100,1000,5000] [--seed 1] [--out FILE]
`;

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      accounts: { type: 'string', default: '1000' },
      clusters: { type: 'string', default: '1000' },
      'opt-in-accounts': { type: 'string', default: '20' },
      latency: { type: 'string', default: '25' },
      'plan-sizes': { type: 'string', default: '100,1000,5000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const number = (value: string, flag: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new RangeError(`--${flag} expects a whole number, got ${value}.`);
    return parsed;
  };
  const seed = number(values.seed, 'seed');
  const plans: PlanFigures[] = [];
  for (const size of values['plan-sizes'].split(',').filter((entry) => entry !== ''))
    plans.push(await measurePlan(number(size, 'plan-sizes'), seed));
  const optInAccounts = number(values['opt-in-accounts'], 'opt-in-accounts');
  const latencyMs = number(values.latency, 'latency');
  const estate = parseEstate(
    generateOrganization({
      seed,
      accounts: number(values.accounts, 'accounts'),
      clusters: number(values.clusters, 'clusters'),
      optInAccounts,
      latencyMs,
    }),
  );
  const run = await runOrganization(estate, latencyMs, optInAccounts);
  const deployment = deploymentOf(await readFile(new URL('../serverless.yml', import.meta.url), 'utf8'));
  const month = monthlyCost(measuredRun(run), deployment, run.configRound);
  const text = `${organizationMarkdown(run, plans)}\n\n${costMarkdown(month, deployment)}`;
  process.stdout.write(`${text}\n`);
  const out =
    values.out ??
    join(
      fileURLToPath(new URL('./results/', import.meta.url)),
      `organization-${new Date().toISOString().replaceAll(':', '-')}.json`,
    );
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify({ run, plans, deployment, month }, null, 2)}\n`);
  return run.succeeded ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`bench/organization: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
