/**
 * Publishes one (account, Region) to that account's own Security Hub, with the finding lifecycle
 * right: findings Security Hub already holds keep their first-seen dates; a resource that now passes
 * is re-imported PASSED; a finding whose resource is gone, or no longer applies, is re-imported
 * ARCHIVED. Only what this run evaluated without error may resolve or archive anything: a check that
 * did not run, a cluster whose data is incomplete, or a Region whose listing failed leaves every
 * existing finding as it is.
 */
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  paginateGetFindings,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { toCollectionFailure } from '../aws/errors.js';
import { inputsOf } from '../checks/runner.js';
import type { Check, CheckResult } from '../checks/types.js';
import type { RegionCollection } from '../collect/collector.js';
import type { ClusterSnapshot, CollectionFailure } from '../snapshot/types.js';
import { archivedFinding, FIELD, findingId, NOTE_AUTHOR, productArn, toFinding } from './asff.js';
import { type Clock, createThrottle, SYSTEM_CLOCK, type Throttle } from './rate-limit.js';
import { resourceTags, type SuppressionRule, suppressionOf } from './suppressions.js';

/** What publishing needs beyond read-only access, for the member role's policy. */
export const SECURITY_HUB_PERMISSIONS = [
  'securityhub:BatchImportFindings',
  'securityhub:GetFindings',
  // Suppressing a finding that already exists: an import may set Workflow only when it creates one.
  'securityhub:BatchUpdateFindings',
] as const;

/** BatchImportFindings: 10 calls/s per account and Region, bursts of 30. */
export const IMPORT_RATE = { ratePerSecond: 10, burst: 30 } as const;
const MAX_FINDINGS_PER_CALL = 100;
const MAX_BYTES_PER_CALL = 6 * 1024 * 1024;
/** GetFindings filters take at most 20 values per field. */
const MAX_FILTER_VALUES = 20;
/** Retries of findings Security Hub reported in FailedFindings with a transient code. */
const FAILED_FINDING_RETRIES = 3;
const RETRY_BASE_MS = 250;
/** Codes that will fail again however often they are retried. */
const PERMANENT_CODES = new Set(['InvalidAccess', 'InvalidInput', 'AccessDeniedException']);

export interface PublishSettings {
  /** Import FAILED findings only, plus whatever updates findings Security Hub already holds. */
  readonly onlyFailed?: boolean;
  readonly suppressions?: readonly SuppressionRule[];
}

export interface EvaluatedCluster {
  readonly snapshot: ClusterSnapshot;
  readonly results: readonly CheckResult[];
}

export interface TargetToPublish {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly scannedAt: Date;
  /** The checks that ran: findings of other checks are never touched. */
  readonly checks: readonly Check[];
  readonly clusters: readonly EvaluatedCluster[];
  /**
   * Present only when the Region's cluster listing succeeded: then a cluster with findings that is
   * not among `clusterNames` (and is within `selection`, when the scan was narrowed) no longer exists.
   */
  readonly listing?: { readonly clusterNames: readonly string[]; readonly selection?: readonly string[] };
}

export interface PublishOutcome {
  readonly accountId: string;
  readonly region: string;
  /** Findings Security Hub accepted, of which `archived` were archived and `suppressed` arrived suppressed. */
  readonly imported: number;
  readonly archived: number;
  readonly suppressed: number;
  /** Findings Security Hub still refused after retries, by error code. */
  readonly failed: { readonly count: number; readonly codes: Readonly<Record<string, number>> };
  /** The same refusals by the operation that was refused (import or workflow update) and code. */
  readonly refusals: readonly PublishRefusal[];
  /** What stopped the whole target: Security Hub not enabled, or existing findings unreadable. */
  readonly error?: CollectionFailure;
}

export interface SecurityHubPublisher {
  readonly client: SecurityHubClient;
  /** Shared by every call of this account and Region. */
  readonly throttle?: Throttle;
  readonly clock?: Clock;
}

/** Findings one operation could not write, for one error code, with the first message Security Hub gave. */
export interface PublishRefusal extends CollectionFailure {
  readonly count: number;
}

type WorkflowChange = { readonly status: 'SUPPRESSED' | 'NEW'; readonly note: string; readonly id: string };

export async function publishTarget(
  target: TargetToPublish,
  settings: PublishSettings,
  publisher: SecurityHubPublisher,
): Promise<PublishOutcome> {
  const clock = publisher.clock ?? SYSTEM_CLOCK;
  const throttle = publisher.throttle ?? createThrottle(IMPORT_RATE, clock);
  const outcome = { accountId: target.accountId, region: target.region };
  const arn = productArn(target.partition, target.region, target.accountId);

  let existing: Map<string, AwsSecurityFinding>;
  try {
    existing = await readExisting(publisher.client, arn, target);
  } catch (error) {
    return {
      ...outcome,
      imported: 0,
      archived: 0,
      suppressed: 0,
      failed: noFailures(),
      refusals: [],
      error: explain(error, target),
    };
  }

  const plan = planImport(target, settings, existing);
  const failures = await importAll(publisher.client, throttle, clock, plan.findings);
  const refused = new Set(failures.map((failure) => failure.id));
  const accepted = plan.findings.filter((finding) => !refused.has(finding.Id ?? ''));
  const workflowChanges = plan.workflowChanges.filter((change) => !refused.has(change.id));
  const workflowFailures = await updateWorkflows(publisher.client, throttle, arn, workflowChanges);
  const unchanged = new Set(workflowFailures.map((failure) => failure.id));

  const codes: Record<string, number> = {};
  for (const failure of [...failures, ...workflowFailures])
    codes[failure.code] = (codes[failure.code] ?? 0) + 1;
  return {
    ...outcome,
    imported: accepted.length,
    archived: accepted.filter((finding) => finding.RecordState === 'ARCHIVED').length,
    suppressed:
      accepted.filter((finding) => finding.Workflow?.Status === 'SUPPRESSED').length +
      workflowChanges.filter((change) => change.status === 'SUPPRESSED' && !unchanged.has(change.id)).length,
    failed: { count: failures.length + workflowFailures.length, codes },
    refusals: refusalsOf([...failures, ...workflowFailures]),
    ...(failures.length > 0 && failures.every((failure) => failure.code === 'InvalidAccess')
      ? { error: notEnabled(target, failures[0]?.message ?? '') }
      : {}),
  };
}

const noFailures = () => ({ count: 0, codes: {} });

function notEnabled(target: TargetToPublish, detail: string): CollectionFailure {
  return {
    operation: IMPORT,
    code: 'InvalidAccess',
    message: `Security Hub is not enabled in account ${target.accountId}, Region ${target.region}: ${detail}`,
  };
}

function explain(error: unknown, target: TargetToPublish): CollectionFailure {
  const failure = toCollectionFailure('securityhub:GetFindings', error);
  if (failure.code !== 'InvalidAccessException') return failure;
  return {
    ...failure,
    message: `Security Hub is not enabled in account ${target.accountId}, Region ${target.region}: ${failure.message}`,
  };
}

/** Splits values into the chunks of at most 20 one GetFindings filter takes. */
const filterChunks = (values: readonly string[]): string[][] =>
  Array.from({ length: Math.ceil(values.length / MAX_FILTER_VALUES) }, (_, index) =>
    values.slice(index * MAX_FILTER_VALUES, (index + 1) * MAX_FILTER_VALUES),
  );

/** Our findings for the checks that ran, active or archived, so every first-seen date survives. */
async function readExisting(
  client: SecurityHubClient,
  arn: string,
  target: TargetToPublish,
): Promise<Map<string, AwsSecurityFinding>> {
  const existing = new Map<string, AwsSecurityFinding>();
  const clusters = clustersConfinedTo(target);
  // Every (checks, clusters) chunk pair: each filter field takes at most 20 values.
  for (const generatorIds of filterChunks(target.checks.map((check) => check.id))) {
    for (const clusterNames of clusters === undefined ? [undefined] : filterChunks(clusters)) {
      const pages = paginateGetFindings(
        { client, pageSize: 100 },
        {
          Filters: {
            ProductArn: [{ Value: arn, Comparison: 'EQUALS' }],
            AwsAccountId: [{ Value: target.accountId, Comparison: 'EQUALS' }],
            GeneratorId: generatorIds.map((Value) => ({ Value, Comparison: 'EQUALS' })),
            ...(clusterNames === undefined
              ? {}
              : {
                  ProductFields: clusterNames.map((Value) => ({
                    Key: FIELD.cluster,
                    Value,
                    Comparison: 'EQUALS' as const,
                  })),
                }),
          },
        },
      );
      for await (const page of pages) {
        for (const finding of page.Findings ?? []) {
          if (finding.Id !== undefined) existing.set(finding.Id, finding);
        }
      }
    }
  }
  return existing;
}

/**
 * The clusters a publication is confined to, when it is (a scan of some of a Region's clusters, as each
 * state-machine task does): then only their findings are read back, not the whole Region's.
 */
function clustersConfinedTo(target: TargetToPublish): string[] | undefined {
  const names = target.clusters.map((cluster) => cluster.snapshot.scope.clusterName);
  if (names.length === 0) return undefined;
  if (target.listing === undefined) return names;
  const selection = target.listing.selection;
  return selection !== undefined &&
    selection.length === names.length &&
    names.every((name) => selection.includes(name))
    ? names
    : undefined;
}

interface ImportPlan {
  readonly findings: AwsSecurityFinding[];
  readonly workflowChanges: WorkflowChange[];
}

function planImport(
  target: TargetToPublish,
  settings: PublishSettings,
  existing: ReadonlyMap<string, AwsSecurityFinding>,
): ImportPlan {
  const findings: AwsSecurityFinding[] = [];
  const workflowChanges: WorkflowChange[] = [];
  const current = new Set<string>();
  const checks = new Map(target.checks.map((check) => [check.id, check]));
  const isActive = (finding: AwsSecurityFinding | undefined) =>
    finding !== undefined && finding.RecordState !== 'ARCHIVED';

  for (const { snapshot, results } of target.clusters) {
    for (const result of results) {
      const check = checks.get(result.checkId);
      if (check === undefined) continue;
      const id = findingId(result);
      current.add(id);
      const previous = existing.get(id);
      if (result.status === 'NOT_APPLICABLE') {
        // The check no longer applies to this resource: what it reported before is closed.
        if (previous !== undefined && isActive(previous))
          findings.push(archivedFinding(previous, target.scannedAt));
        continue;
      }
      if (settings.onlyFailed === true && result.status !== 'FAILED' && !isActive(previous)) continue;
      const suppression = suppressionOf(
        result,
        resourceTags(result, snapshot),
        settings.suppressions ?? [],
        target.scannedAt,
      );
      const firstSeen =
        previous === undefined
          ? undefined
          : {
              createdAt: previous.CreatedAt ?? target.scannedAt.toISOString(),
              firstObservedAt:
                previous.FirstObservedAt ?? previous.CreatedAt ?? target.scannedAt.toISOString(),
            };
      findings.push(
        toFinding(result, {
          check,
          snapshot,
          scannedAt: target.scannedAt,
          firstSeen,
          suppression: previous === undefined ? suppression : undefined,
        }),
      );
      if (previous !== undefined) {
        const change = workflowChange(id, previous, suppression);
        if (change !== undefined) workflowChanges.push(change);
      }
    }
  }

  for (const [id, previous] of existing) {
    if (current.has(id) || !isActive(previous)) continue;
    if (resourceIsGone(previous, target, checks)) findings.push(archivedFinding(previous, target.scannedAt));
  }
  return { findings, workflowChanges };
}

/**
 * Suppress an existing finding the settings now suppress; lift a suppression the scanner itself set
 * once it no longer applies. A person's suppression (a Note by anyone else) is theirs to lift.
 */
function workflowChange(
  id: string,
  previous: AwsSecurityFinding,
  suppression: { readonly reason: string } | undefined,
): WorkflowChange | undefined {
  const suppressed = previous.Workflow?.Status === 'SUPPRESSED';
  if (suppression !== undefined && !suppressed) return { id, status: 'SUPPRESSED', note: suppression.reason };
  if (suppression === undefined && suppressed && previous.Note?.UpdatedBy === NOTE_AUTHOR) {
    return {
      id,
      status: 'NEW',
      note: 'The suppression no longer applies (tag removed, rule removed or expired).',
    };
  }
  return undefined;
}

/**
 * Whether a finding absent from this run is about a resource that no longer exists, judged only from
 * complete data: its check ran, and either its cluster was collected with every part the check reads
 * and the check gave no ERROR there, or the cluster is missing from a successful listing.
 */
function resourceIsGone(
  previous: AwsSecurityFinding,
  target: TargetToPublish,
  checks: ReadonlyMap<string, Check>,
): boolean {
  const check = checks.get(previous.GeneratorId ?? '');
  const clusterName = previous.ProductFields?.[FIELD.cluster];
  if (check === undefined || clusterName === undefined) return false;
  const evaluated = target.clusters.find((cluster) => cluster.snapshot.scope.clusterName === clusterName);
  if (evaluated !== undefined) {
    // Tagged for this cluster but judged by the cluster that owns it: the resource still exists.
    if (evaluated.snapshot.ownedElsewhere?.includes(previous.Resources?.[0]?.Id ?? '') === true) return false;
    const complete = inputsOf(check).every((part) => evaluated.snapshot[part].status === 'collected');
    const errored = evaluated.results.some(
      (result) => result.checkId === check.id && result.status === 'ERROR',
    );
    return complete && !errored;
  }
  const { listing } = target;
  if (listing === undefined) return false;
  if (listing.selection !== undefined && !listing.selection.includes(clusterName)) return false;
  return !listing.clusterNames.includes(clusterName);
}

/** One finding Security Hub did not take, and the operation that was refused. */
interface ImportFailure extends CollectionFailure {
  readonly id: string;
}

const IMPORT = 'securityhub:BatchImportFindings';
const UPDATE = 'securityhub:BatchUpdateFindings';

/** Failures grouped by operation and code, in the order they first occurred. */
function refusalsOf(failures: readonly ImportFailure[]): PublishRefusal[] {
  const grouped = new Map<string, PublishRefusal>();
  for (const { operation, code, message } of failures) {
    const key = `${operation}\u0000${code}`;
    const seen = grouped.get(key);
    grouped.set(
      key,
      seen === undefined ? { operation, code, message, count: 1 } : { ...seen, count: seen.count + 1 },
    );
  }
  return [...grouped.values()];
}

/** Greedy batches within both call limits: 100 findings and 6 MB of JSON. */
export function batchesOf(findings: readonly AwsSecurityFinding[]): AwsSecurityFinding[][] {
  const batches: AwsSecurityFinding[][] = [];
  let batch: AwsSecurityFinding[] = [];
  let bytes = 0;
  const encoder = new TextEncoder();
  for (const finding of findings) {
    const size = encoder.encode(JSON.stringify(finding)).length;
    if (batch.length === MAX_FINDINGS_PER_CALL || (batch.length > 0 && bytes + size > MAX_BYTES_PER_CALL)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(finding);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Imports every finding; findings Security Hub refuses with a transient code are sent again with
 * backoff. A call that fails as a whole (after the SDK's own retries) counts all its findings failed.
 */
async function importAll(
  client: SecurityHubClient,
  throttle: Throttle,
  clock: Clock,
  findings: readonly AwsSecurityFinding[],
): Promise<ImportFailure[]> {
  const finalFailures: ImportFailure[] = [];
  let pending = [...findings];
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await clock.sleep(RETRY_BASE_MS * 2 ** (attempt - 1));
    const failures: ImportFailure[] = [];
    for (const batch of batchesOf(pending)) failures.push(...(await importBatch(client, throttle, batch)));
    const retryable = failures.filter((failure) => !PERMANENT_CODES.has(failure.code));
    finalFailures.push(...failures.filter((failure) => PERMANENT_CODES.has(failure.code)));
    if (attempt === FAILED_FINDING_RETRIES) {
      finalFailures.push(...retryable);
      break;
    }
    const retryIds = new Set(retryable.map((failure) => failure.id));
    pending = pending.filter((finding) => retryIds.has(finding.Id ?? ''));
  }
  return finalFailures;
}

async function importBatch(
  client: SecurityHubClient,
  throttle: Throttle,
  batch: readonly AwsSecurityFinding[],
): Promise<ImportFailure[]> {
  await throttle();
  try {
    const response = await client.send(new BatchImportFindingsCommand({ Findings: [...batch] }));
    return (response.FailedFindings ?? []).map((failure) => ({
      id: failure.Id ?? '',
      operation: IMPORT,
      code: failure.ErrorCode ?? 'Unknown',
      message: failure.ErrorMessage ?? '',
    }));
  } catch (error) {
    const failure = toCollectionFailure(IMPORT, error);
    return batch.map((finding) => ({ ...failure, id: finding.Id ?? '' }));
  }
}

/** BatchUpdateFindings, grouped by identical Workflow and Note, 100 findings a call; returns what failed. */
async function updateWorkflows(
  client: SecurityHubClient,
  throttle: Throttle,
  arn: string,
  changes: readonly WorkflowChange[],
): Promise<ImportFailure[]> {
  const groups = new Map<string, WorkflowChange[]>();
  for (const change of changes) {
    const key = `${change.status}\u0000${change.note}`;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  const failures: ImportFailure[] = [];
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += MAX_FINDINGS_PER_CALL) {
      const slice = group.slice(start, start + MAX_FINDINGS_PER_CALL);
      const [first] = slice;
      if (first === undefined) continue;
      await throttle();
      try {
        const response = await client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: slice.map((change) => ({ Id: change.id, ProductArn: arn })),
            Workflow: { Status: first.status },
            Note: { Text: first.note, UpdatedBy: NOTE_AUTHOR },
          }),
        );
        for (const unprocessed of response.UnprocessedFindings ?? []) {
          failures.push({
            id: unprocessed.FindingIdentifier?.Id ?? '',
            operation: UPDATE,
            code: unprocessed.ErrorCode ?? 'Unknown',
            message: unprocessed.ErrorMessage ?? '',
          });
        }
      } catch (error) {
        const failure = toCollectionFailure(UPDATE, error);
        failures.push(...slice.map((change) => ({ ...failure, id: change.id })));
      }
    }
  }
  return failures;
}

/** A scanned (account, Region) as the publisher sees it: results grouped by cluster, listing if complete. */
export function targetToPublish(
  scanned: { readonly collection: RegionCollection; readonly results: readonly CheckResult[] },
  scan: {
    readonly checks: readonly Check[];
    readonly scannedAt: Date;
    readonly selection?: readonly string[];
  },
): TargetToPublish {
  const { collection, results } = scanned;
  const resultsOf = new Map<string, CheckResult[]>();
  for (const result of results)
    resultsOf.set(result.cluster, [...(resultsOf.get(result.cluster) ?? []), result]);
  const clusterNames = collection.snapshots.map((snapshot) => snapshot.scope.clusterName);
  return {
    partition: collection.partition,
    accountId: collection.accountId,
    region: collection.region,
    scannedAt: scan.scannedAt,
    checks: scan.checks,
    clusters: collection.snapshots.map((snapshot) => ({
      snapshot,
      results: resultsOf.get(snapshot.scope.clusterName) ?? [],
    })),
    ...(collection.failures.length === 0
      ? { listing: { clusterNames, ...(scan.selection === undefined ? {} : { selection: scan.selection }) } }
      : {}),
  };
}

/** The findings a first import of this target would send (`--format asff`): nothing is read back. */
export const findingsToImport = (target: TargetToPublish, settings: PublishSettings): AwsSecurityFinding[] =>
  planImport(target, settings, new Map()).findings;

/**
 * The errors a publication adds to the scan report: a target Security Hub refused, or one per operation
 * and error code that refused findings, with Security Hub's message.
 */
export function publicationErrors(outcome: PublishOutcome): CollectionFailure[] {
  if (outcome.error !== undefined) return [outcome.error];
  return outcome.refusals.map(({ operation, code, message, count }) => ({
    operation,
    code,
    message:
      (operation === UPDATE
        ? `The workflow status of ${count} finding(s) was not updated`
        : `${count} finding(s) were not imported after retries`) + (message === '' ? '.' : `: ${message}`),
  }));
}
