/**
 * The run summary: counts of what was scanned, what failed, what was refused and what was published,
 * and the first few problems with their errors (the rest are in the results object); the run fails if
 * anything failed, was refused or was not found. Its size does not grow with the organization.
 */
import type { ChildResult } from '../collect/map-results.js';
import { parseInput } from '../validation.js';
import {
  type AccountOutcome,
  CHILD_INPUT,
  CHILD_OUTPUT,
  type FailedAccount,
  type FailedTarget,
  type Publication,
  type Refusal,
  type ScanRun,
  type StatusCounts,
  type TargetOutcome,
} from './contracts.js';

/** One thing that went wrong, where: an account, a target, a refusal, a cluster not found, a failed call. */
export interface Problem {
  readonly accountId?: string;
  readonly region?: string;
  readonly problem: string;
}

export interface RunSummary {
  readonly scannedAt: string;
  readonly trigger: string;
  readonly accountsPlanned: number;
  readonly accountsScanned: number;
  /** Accounts not scanned at all: the role could not be assumed, or their Regions not listed. */
  readonly accountsFailed: number;
  /** (account, Region) targets scanned, of them those with no cluster to scan, and those that failed. */
  readonly targetsScanned: number;
  readonly targetsEmpty: number;
  readonly targetsFailed: number;
  readonly clusters: number;
  readonly clustersFailed: number;
  readonly results: StatusCounts;
  readonly published: Publication;
  /** Calls that failed (distinct by account, Region, operation and code): their results are ERROR. */
  readonly failures: number;
  /** Accounts, Regions and findings the event asked for that the run refused to touch. */
  readonly refused: number;
  /** Clusters the event named that no scanned Region of their account has. */
  readonly clustersNotFound: number;
  /** The first PROBLEMS_SHOWN problems, with their errors. */
  readonly problems: readonly Problem[];
  readonly problemsNotShown?: number;
  /** Where every child's outcome is: the manifest the Distributed Map's ResultWriter wrote. */
  readonly resultsObject?: string;
  /** The Map's own failure (too many failed children), when it gave up. */
  readonly mapError?: string;
}

/** Problems a summary lists: enough to act on, well within Step Functions' 32 KB limit on an error's Cause. */
export const PROBLEMS_SHOWN = 20;
const PROBLEM_TEXT = 400;

/** Whether the run must be reported as failed: anything not scanned, not collected, not published, refused or not found. */
export const runFailed = (summary: RunSummary) =>
  summary.mapError !== undefined ||
  summary.accountsFailed > 0 ||
  summary.accountsScanned + summary.accountsFailed < summary.accountsPlanned ||
  summary.targetsFailed > 0 ||
  summary.clustersFailed > 0 ||
  summary.failures > 0 ||
  summary.published.failedFindings > 0 ||
  summary.refused > 0 ||
  summary.clustersNotFound > 0;

/** An error as a person reads it: a Lambda's Cause is JSON whose errorMessage says what happened. */
function errorText(error: { Error: string; Cause?: string | undefined }): string {
  if (error.Cause === undefined) return error.Error;
  try {
    const cause = JSON.parse(error.Cause) as { errorMessage?: unknown };
    if (typeof cause.errorMessage === 'string') return `${error.Error}: ${cause.errorMessage}`;
  } catch {
    // Not JSON: a Step Functions error's Cause is plain text.
  }
  return `${error.Error}: ${error.Cause}`;
}

const brief = (text: string) => (text.length > PROBLEM_TEXT ? `${text.slice(0, PROBLEM_TEXT - 1)}…` : text);

/**
 * Account outcomes from a Distributed Map's result files: a failed child execution fails every
 * account of its batch, with the child's error.
 */
export function outcomesOfChildren(children: readonly ChildResult[]): (AccountOutcome | FailedAccount)[] {
  return children.flatMap((child): (AccountOutcome | FailedAccount)[] => {
    if (child.status === 'succeeded') return parseInput(CHILD_OUTPUT, child.output, 'Map result');
    const { Items } = parseInput(CHILD_INPUT, child.input, 'Map result input');
    const error = { Error: child.error, ...(child.cause === undefined ? {} : { Cause: child.cause }) };
    return Items.map(({ account }) => ({ accountId: account.accountId, error }));
  });
}

const isFailedAccount = (outcome: AccountOutcome | FailedAccount): outcome is FailedAccount =>
  'error' in outcome;
const isFailedTarget = (outcome: TargetOutcome | FailedTarget): outcome is FailedTarget => 'error' in outcome;

/** Every (account, Region) outcome of the scanned accounts. */
export const targetsOf = (outcomes: readonly (AccountOutcome | FailedAccount)[]) =>
  outcomes.flatMap((outcome) => (isFailedAccount(outcome) ? [] : outcome.regions));

const refusalProblem = (refusal: Refusal): Problem => ({
  ...(refusal.accountId === undefined ? {} : { accountId: refusal.accountId }),
  ...(refusal.region === undefined ? {} : { region: refusal.region }),
  problem: `refused ${refusal.subject}: ${refusal.reason}`,
});

const ZERO_COUNTS: StatusCounts = { PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0, ERROR: 0 };
const ZERO_PUBLICATION: Publication = { imported: 0, archived: 0, suppressed: 0, failedFindings: 0 };
const add = <T extends Record<string, number>>(a: T, b: T): T =>
  Object.fromEntries(Object.entries(a).map(([key, value]) => [key, value + (b[key] ?? 0)])) as T;

export interface SummaryInput {
  readonly run: ScanRun;
  readonly plan: { readonly accounts: number; readonly refused: readonly Refusal[] };
  readonly outcomes: readonly (AccountOutcome | FailedAccount)[];
  readonly resultsObject?: string;
  readonly mapError?: { Error: string; Cause?: string | undefined };
}

export function summarizeRun({ run, plan, outcomes, resultsObject, mapError }: SummaryInput): RunSummary {
  const failedAccounts = outcomes.filter(isFailedAccount);
  const accounts = outcomes.filter((outcome): outcome is AccountOutcome => !isFailedAccount(outcome));
  const targets = targetsOf(accounts);
  const scanned = targets.filter((target): target is TargetOutcome => !isFailedTarget(target));
  const failedTargets = targets.filter(isFailedTarget);
  const refusals = [...plan.refused, ...accounts.flatMap((account) => account.refused)];

  const notFound = accounts.flatMap((account) => {
    const found = new Set(
      account.regions.flatMap((target) => (isFailedTarget(target) ? [] : (target.selected ?? []))),
    );
    // A cluster may be in a Region whose listing failed: only a complete look finds it absent.
    if (account.regions.some(isFailedTarget)) return [];
    return account.requestedClusters
      .filter((cluster) => !found.has(cluster))
      .map((cluster) => ({ accountId: account.accountId, cluster }));
  });
  // The same call failing for several clusters of a target (or again in its reconciliation) is one failure.
  const failures = [
    ...new Map(
      scanned.flatMap((target) =>
        target.failures.map((failure) => {
          const located = { accountId: target.accountId, region: target.region, ...failure };
          return [JSON.stringify(located), located] as const;
        }),
      ),
    ).values(),
  ];

  const problems: Problem[] = [
    ...(mapError === undefined ? [] : [{ problem: `the Map failed: ${errorText(mapError)}` }]),
    ...failedAccounts.map((account) => ({
      accountId: account.accountId,
      problem: `account not scanned: ${errorText(account.error)}`,
    })),
    ...failedTargets.map((target) => ({
      accountId: target.accountId,
      region: target.region,
      problem: `Region not scanned: ${errorText(target.error)}`,
    })),
    ...refusals.map(refusalProblem),
    ...notFound.map(({ accountId, cluster }) => ({
      accountId,
      problem: `cluster ${cluster} not found in any Region scanned`,
    })),
    ...failures.map(({ accountId, region, operation, code }) => ({
      accountId,
      region,
      problem: `${operation} failed: ${code}`,
    })),
  ].map((problem) => ({ ...problem, problem: brief(problem.problem) }));

  return {
    scannedAt: run.scannedAt,
    trigger: run.trigger,
    accountsPlanned: plan.accounts,
    accountsScanned: accounts.length,
    accountsFailed: failedAccounts.length,
    targetsScanned: scanned.length,
    targetsEmpty: scanned.filter((target) => target.clusters === 0).length,
    targetsFailed: failedTargets.length,
    clusters: scanned.reduce((total, target) => total + target.clusters, 0),
    clustersFailed: scanned.reduce((total, target) => total + target.clustersFailed, 0),
    results: scanned.reduce((total, target) => add(total, target.results), ZERO_COUNTS),
    published: scanned.reduce((total, target) => add(total, target.published), ZERO_PUBLICATION),
    failures: failures.length,
    refused: refusals.length,
    clustersNotFound: notFound.length,
    problems: problems.slice(0, PROBLEMS_SHOWN),
    ...(problems.length > PROBLEMS_SHOWN ? { problemsNotShown: problems.length - PROBLEMS_SHOWN } : {}),
    ...(resultsObject === undefined ? {} : { resultsObject }),
    ...(mapError === undefined ? {} : { mapError: errorText(mapError) }),
  };
}
