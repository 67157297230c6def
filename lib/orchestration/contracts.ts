/**
 * What the state machine's tasks pass each other: small documents (account ids, Region and cluster
 * names, counts), never findings, validated at every handler so a bad payload fails with the field's
 * name. Nothing the parent execution carries grows with the organization: the accounts to scan are an
 * S3 object the Distributed Map reads, and the children's outcomes are the objects its ResultWriter writes.
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

const clusterNames = z.array(nonEmpty).check(z.minLength(1));

/** One account to scan, as the planner writes it to the items object: one Distributed Map item. */
export const ACCOUNT_ITEM = z.strictObject({
  accountId,
  /** Only these Regions (those the account has enabled); all its enabled Regions when absent. */
  regions: z.optional(z.array(region).check(z.minLength(1))),
  /** Only these clusters, in whichever of the Regions they are; all when absent. */
  clusters: z.optional(clusterNames),
});

/** Something an event asked for that the run will not touch, and why (an account, Region, cluster or finding). */
export const REFUSAL = z.strictObject({
  accountId: z.optional(accountId),
  region: z.optional(region),
  subject: nonEmpty,
  reason: nonEmpty,
});

/** Where the planner wrote the items: the ItemReader's Bucket and Key. */
export const ITEMS_OBJECT = z.strictObject({ bucket: nonEmpty, key: nonEmpty });

/** PlanScan's output: the run, where its accounts are, how many, and what the event asked for that was refused. */
export const PLAN = z.strictObject({
  run: RUN,
  items: ITEMS_OBJECT,
  accounts: count,
  refused: z.array(REFUSAL),
});

/** One Distributed Map item after its ItemSelector: the run and the account. */
export const ACCOUNT_INPUT = z.strictObject({ run: RUN, account: ACCOUNT_ITEM });

export const TARGET = z.strictObject({
  accountId,
  region,
  /** Only these clusters of the target; all when absent. */
  clusters: z.optional(clusterNames),
});

/**
 * ListRegions' output: the account's (account, Region) targets among its own enabled Regions, the
 * requested Regions it refused, and the clusters the request named (empty: all).
 */
export const REGION_LISTING = z.strictObject({
  targets: z.array(TARGET),
  refused: z.array(REFUSAL),
  clusters: z.array(nonEmpty),
});

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
  /** The clusters the target named that it has (present only when it named some). */
  selected: z.optional(z.array(nonEmpty)),
  clustersFailed: count,
  results: STATUS_COUNTS,
  published: PUBLICATION,
  failures: z.array(FAILURE),
});

export const FAILED_TARGET = z.looseObject({ accountId, region, error: CAUGHT });

/** What one account came to: its Regions' outcomes, or the error that stopped it before any Region. */
export const ACCOUNT_OUTCOME = z.strictObject({
  accountId,
  refused: z.array(REFUSAL),
  /** The clusters the request named (empty: all). */
  requestedClusters: z.array(nonEmpty),
  regions: z.array(z.union([TARGET_OUTCOME, FAILED_TARGET])),
});
export const FAILED_ACCOUNT = z.looseObject({ accountId, error: CAUGHT });
/** A child execution's output: the outcomes of its batch of accounts. */
export const CHILD_OUTPUT = z.array(z.union([ACCOUNT_OUTCOME, FAILED_ACCOUNT]));
/** A child execution's input (ItemBatcher): its batch of accounts. */
export const CHILD_INPUT = z.looseObject({ Items: z.array(ACCOUNT_INPUT) });

/** The Map's output: the location of what its ResultWriter wrote, or the Map's own failure. */
export const WRITTEN_OUTCOMES = z.looseObject({
  ResultWriterDetails: z.looseObject({ Bucket: nonEmpty, Key: nonEmpty }),
});
export const MAP_FAILED = z.looseObject({ mapError: CAUGHT });
export const OUTCOMES = z.union([WRITTEN_OUTCOMES, MAP_FAILED]);

export const SUMMARIZE_INPUT = z.strictObject({
  run: RUN,
  plan: z.strictObject({ accounts: count, refused: z.array(REFUSAL) }),
  outcomes: OUTCOMES,
});

export type ScanRun = z.output<typeof RUN>;
export type AccountItem = z.output<typeof ACCOUNT_ITEM>;
export type Refusal = z.output<typeof REFUSAL>;
export type Target = z.output<typeof TARGET>;
export type RegionListing = z.output<typeof REGION_LISTING>;
export type Plan = z.output<typeof PLAN>;
export type AccountOutcome = z.output<typeof ACCOUNT_OUTCOME>;
export type FailedAccount = z.output<typeof FAILED_ACCOUNT>;
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
