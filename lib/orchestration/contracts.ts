/**
 * What the state machine's tasks pass each other: small documents (targets, cluster names, counts),
 * never findings, validated at every handler so a bad payload fails with the field's name.
 */
import * as z from 'zod/mini';
import { parseInput } from '../validation.js';

const accountId = z.string().check(z.regex(/^\d{12}$/, { error: 'expected 12 digits' }));
const region = z
  .string()
  .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected a Region name like eu-west-1' }));
const nonEmpty = z.string().check(z.minLength(1, { error: 'must not be empty' }));
/** A count: a whole number, at least 0. */
const count = z.number().check(z.int(), z.minimum(0));

/** The scan as planned: when, and what it is narrowed to. */
export const RUN = z.strictObject({
  scannedAt: z.iso.datetime({ offset: true, error: 'expected an ISO-8601 time' }),
  /** Check ids; all checks when absent. */
  checks: z.optional(z.array(nonEmpty).check(z.minLength(1))),
  /** Why the scan runs: schedule, on-demand, eks-change, security-hub-action. */
  trigger: nonEmpty,
});

export const TARGET = z.strictObject({
  accountId,
  region,
  /** Only these clusters of the target; all when absent. */
  clusters: z.optional(z.array(nonEmpty).check(z.minLength(1))),
});

export const PLAN = z.strictObject({ run: RUN, targets: z.array(TARGET) });

export const LIST_CLUSTERS_INPUT = z.strictObject({ run: RUN, target: TARGET });
/** Batches of at most this many clusters: one task must collect and publish them well within its timeout. */
export const MAX_CLUSTER_BATCH = 100;
const clusterBatch = z.array(nonEmpty).check(z.minLength(1), z.maxLength(MAX_CLUSTER_BATCH));

/** The target's clusters, and the same in batches: each ScanCluster task scans one batch. */
export const LISTING = z.strictObject({ clusters: z.array(nonEmpty), batches: z.array(clusterBatch) });

export const SCAN_CLUSTER_INPUT = z.strictObject({ run: RUN, target: TARGET, clusters: clusterBatch });

export const STATUS_COUNTS = z.strictObject({
  PASSED: count,
  FAILED: count,
  NOT_APPLICABLE: count,
  ERROR: count,
});

/** A call that failed, by operation and code only: messages stay in the logs, not in the payloads. */
export const FAILURE = z.strictObject({ operation: nonEmpty, code: nonEmpty });

export const PUBLICATION = z.strictObject({
  imported: count,
  archived: count,
  suppressed: count,
  failedFindings: count,
});

export const CLUSTER_OUTCOME = z.strictObject({
  clusters: z.array(nonEmpty),
  results: STATUS_COUNTS,
  published: PUBLICATION,
  failures: z.array(FAILURE),
});

/** A Step Functions error caught by a Catch: `{Error, Cause}`. */
export const CAUGHT = z.looseObject({ Error: z.string(), Cause: z.optional(z.string()) });

export const CLUSTER_RESULT = z.union([
  CLUSTER_OUTCOME,
  z.looseObject({ clusters: z.array(nonEmpty), error: CAUGHT }),
]);

export const RECONCILE_INPUT = z.strictObject({
  run: RUN,
  target: TARGET,
  listing: LISTING,
  clusterResults: z.array(CLUSTER_RESULT),
});

export const TARGET_OUTCOME = z.strictObject({
  accountId,
  region,
  clusters: count,
  clustersFailed: count,
  results: STATUS_COUNTS,
  published: PUBLICATION,
  failures: z.array(FAILURE),
});

export const FAILED_TARGET = z.looseObject({ accountId, region, error: CAUGHT });

/** The Map's output: outcomes inline (local runs), written to S3 (Distributed Map), or the Map's own failure. */
export const INLINE_OUTCOMES = z.array(z.union([TARGET_OUTCOME, FAILED_TARGET]));
export const WRITTEN_OUTCOMES = z.looseObject({
  ResultWriterDetails: z.looseObject({ Bucket: nonEmpty, Key: nonEmpty }),
});
export const MAP_FAILED = z.looseObject({ mapError: CAUGHT });
export const OUTCOMES = z.union([INLINE_OUTCOMES, WRITTEN_OUTCOMES, MAP_FAILED]);

export const SUMMARIZE_INPUT = z.strictObject({
  run: RUN,
  targetCount: count,
  outcomes: OUTCOMES,
});

export type ScanRun = z.output<typeof RUN>;
export type Target = z.output<typeof TARGET>;
export type Plan = z.output<typeof PLAN>;
export type StatusCounts = z.output<typeof STATUS_COUNTS>;
export type Publication = z.output<typeof PUBLICATION>;
export type ClusterOutcome = z.output<typeof CLUSTER_OUTCOME>;
export type ClusterResult = z.output<typeof CLUSTER_RESULT>;
export type TargetOutcome = z.output<typeof TARGET_OUTCOME>;
export type FailedTarget = z.output<typeof FAILED_TARGET>;
export type Outcomes = z.output<typeof OUTCOMES>;

/** Validates a task's input, naming the task and every bad field. */
export const parseTaskInput = <S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  task: string,
): z.output<S> => parseInput(schema, input, `${task} input`);
