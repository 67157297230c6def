/** The run summary: what was scanned, what failed, what was published; the run fails if anything failed. */

import * as z from 'zod/mini';
import type { ChildResult } from '../collect/map-results.js';
import { parseInput } from '../validation.js';
import {
  FAILED_TARGET,
  type FailedTarget,
  type Publication,
  type ScanRun,
  type StatusCounts,
  TARGET,
  TARGET_OUTCOME,
  type TargetOutcome,
} from './contracts.js';

export interface RunSummary {
  readonly scannedAt: string;
  readonly trigger: string;
  readonly targetsPlanned: number;
  readonly targetsScanned: number;
  readonly targetsFailed: readonly {
    readonly accountId: string;
    readonly region: string;
    readonly error: string;
  }[];
  readonly clusters: number;
  readonly clustersFailed: number;
  readonly results: StatusCounts;
  readonly published: Publication;
  readonly failures: readonly {
    readonly accountId: string;
    readonly region: string;
    readonly operation: string;
    readonly code: string;
  }[];
  /** The Map's own failure (too many failed items), when it gave up. */
  readonly mapError?: string;
}

/** Whether the run must be reported as failed: anything not scanned, not collected or not published. */
export const runFailed = (summary: RunSummary) =>
  summary.mapError !== undefined ||
  summary.targetsFailed.length > 0 ||
  summary.targetsScanned + summary.targetsFailed.length < summary.targetsPlanned ||
  summary.clustersFailed > 0 ||
  summary.failures.length > 0 ||
  summary.published.failedFindings > 0;

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

/** The summary as a failed run reports it: within Step Functions' 32 KB limit on an error's Cause. */
export function failedRunMessage(summary: RunSummary): string {
  const limit = 50;
  const brief = {
    ...summary,
    targetsFailed: summary.targetsFailed.slice(0, limit),
    failures: summary.failures.slice(0, limit),
    ...(summary.targetsFailed.length > limit || summary.failures.length > limit
      ? { truncated: `${limit} of each list shown; the function's log holds the whole summary` }
      : {}),
  };
  return JSON.stringify(brief);
}

/** Target outcomes from a Distributed Map's result files: failed child executions become failed targets. */
export function outcomesOfChildren(children: readonly ChildResult[]): (TargetOutcome | FailedTarget)[] {
  return children.map((child) => {
    if (child.status === 'succeeded') {
      return parseInput(z.union([TARGET_OUTCOME, FAILED_TARGET]), child.output, 'Map result');
    }
    const { target } = parseInput(z.looseObject({ target: TARGET }), child.input, 'Map result input');
    return {
      accountId: target.accountId,
      region: target.region,
      error: { Error: child.error, ...(child.cause === undefined ? {} : { Cause: child.cause }) },
    };
  });
}

export function summarizeRun(
  run: ScanRun,
  targetsPlanned: number,
  outcomes: readonly (TargetOutcome | FailedTarget)[],
  mapError?: { Error: string; Cause?: string | undefined },
): RunSummary {
  const scanned = outcomes.filter((outcome): outcome is TargetOutcome => !('error' in outcome));
  const failed = outcomes.filter((outcome): outcome is FailedTarget => 'error' in outcome);
  const sum = <K extends string>(pick: (outcome: TargetOutcome) => Record<K, number>, keys: readonly K[]) =>
    Object.fromEntries(
      keys.map((key) => [key, scanned.reduce((total, outcome) => total + pick(outcome)[key], 0)]),
    ) as Record<K, number>;
  return {
    scannedAt: run.scannedAt,
    trigger: run.trigger,
    targetsPlanned,
    targetsScanned: scanned.length,
    targetsFailed: failed.map((outcome) => ({
      accountId: outcome.accountId,
      region: outcome.region,
      error: errorText(outcome.error),
    })),
    clusters: scanned.reduce((total, outcome) => total + outcome.clusters, 0),
    clustersFailed: scanned.reduce((total, outcome) => total + outcome.clustersFailed, 0),
    results: sum((outcome) => outcome.results, ['PASSED', 'FAILED', 'NOT_APPLICABLE', 'ERROR'] as const),
    published: sum((outcome) => outcome.published, [
      'imported',
      'archived',
      'suppressed',
      'failedFindings',
    ] as const),
    // The same call failing for several clusters of a target (or again in its reconciliation) is one failure.
    failures: [
      ...new Map(
        scanned.flatMap((outcome) =>
          outcome.failures.map((failure) => {
            const located = { accountId: outcome.accountId, region: outcome.region, ...failure };
            return [JSON.stringify(located), located] as const;
          }),
        ),
      ).values(),
    ],
    ...(mapError === undefined ? {} : { mapError: errorText(mapError) }),
  };
}
