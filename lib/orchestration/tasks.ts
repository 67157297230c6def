/**
 * The work of each state-machine task, as plain functions over the task's validated input. Handlers
 * (functions/) only parse, call these and log. Each task works inside the target account through
 * the member role, and returns counts, never findings.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { createEc2Client } from '../aws/ec2.js';
import { createEksClient } from '../aws/eks.js';
import { toCollectionFailure } from '../aws/errors.js';
import { createSecurityHubClient } from '../aws/securityhub.js';
import { selectChecks } from '../checks/registry.js';
import { inputsOf, runChecks } from '../checks/runner.js';
import type { CheckResult } from '../checks/types.js';
import { collectRegion } from '../collect/collector.js';
import { createLimiter } from '../collect/concurrency.js';
import { listClusterNames } from '../collect/eks.js';
import { assumeRoleCredentials, DEFAULT_ROLE_NAME, enabledRegions, roleArn } from '../discover.js';
import { ScannerError } from '../errors.js';
import {
  type PublishOutcome,
  type PublishSettings,
  publicationErrors,
  publishTarget,
  type TargetToPublish,
  targetToPublish,
} from '../publish/security-hub.js';
import { type CollectionFailure, snapshotFailures } from '../snapshot/types.js';
import type {
  AccountItem,
  ClusterOutcome,
  ClusterResult,
  Publication,
  Refusal,
  RegionListing,
  ScanRun,
  StatusCounts,
  Target,
  TargetOutcome,
} from './contracts.js';

export interface TaskEnvironment {
  readonly partition: string;
  /** The functions' own Region: where the member role is assumed and an account's Regions are listed. */
  readonly homeRegion: string;
  /** The configured Regions (settings REGIONS): each account scans those of them it has enabled. */
  readonly regions?: readonly string[];
  /** Clusters one ScanCluster task scans (1..100). */
  readonly clusterBatchSize: number;
  readonly memberRoleName?: string;
  readonly checkParameters: Readonly<Record<string, unknown>>;
  readonly publish: PublishSettings;
}

type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;

/** A failure that stops a task: Step Functions records it for the item, and the other items go on. */
export class TaskFailedError extends ScannerError {
  override name = 'TaskFailedError';
}

/** Session credentials kept while they have this long left: a warm function reuses them across tasks. */
const CREDENTIALS_MARGIN_MS = 5 * 60_000;
const sessions = new Map<string, AwsCredentialIdentity>();

/**
 * Every task works through the member role, the scanner's own account included (it deploys the role
 * too): the functions' own role then needs nothing but sts:AssumeRole on that one role name. The role
 * is assumed in the functions' own Region (a member's opt-in Region may be one the central account has
 * not enabled, where its STS would refuse the call); the session serves every Region of the account,
 * and a warm function reuses it until five minutes before it expires.
 */
async function credentialsFor(accountId: string, environment: TaskEnvironment): Promise<Credentials> {
  const role = roleArn({
    accountId,
    partition: environment.partition,
    roleName: environment.memberRoleName ?? DEFAULT_ROLE_NAME,
  });
  const kept = sessions.get(role);
  if (kept?.expiration !== undefined && kept.expiration.getTime() - Date.now() > CREDENTIALS_MARGIN_MS)
    return kept;
  try {
    const credentials = await assumeRoleCredentials({ roleArn: role, region: environment.homeRegion });
    sessions.set(role, credentials);
    return credentials;
  } catch (error) {
    sessions.delete(role);
    const { code, message } = toCollectionFailure('sts:AssumeRole', error);
    throw new TaskFailedError(`Cannot assume ${role}: ${code}: ${message}`, { cause: error });
  }
}

/**
 * The account's (account, Region) targets: its own enabled Regions (DescribeRegions inside the
 * account), narrowed to the configured Regions and to those the request names. A requested Region the
 * account has not enabled is refused and reported, never scanned. A failure fails the account.
 */
export async function listRegions(
  account: AccountItem,
  environment: TaskEnvironment,
): Promise<RegionListing> {
  const credentials = await credentialsFor(account.accountId, environment);
  const ec2 = createEc2Client({ region: environment.homeRegion, credentials });
  let enabled: string[];
  try {
    enabled = await enabledRegions(ec2);
  } catch (error) {
    const { code, message } = toCollectionFailure('ec2:DescribeRegions', error);
    throw new TaskFailedError(`DescribeRegions failed in ${account.accountId}: ${code}: ${message}`, {
      cause: error,
    });
  } finally {
    ec2.destroy();
  }
  const configured = environment.regions;
  const inScope = enabled.filter((region) => configured === undefined || configured.includes(region));
  const requested = account.regions ?? inScope;
  const refused: Refusal[] = requested
    .filter((region) => !inScope.includes(region))
    .map((region) => ({
      accountId: account.accountId,
      region,
      subject: `Region ${region}`,
      reason: enabled.includes(region) ? 'not one of the configured Regions' : 'not enabled in the account',
    }));
  return {
    targets: requested
      .filter((region) => inScope.includes(region))
      .map((region) => ({
        accountId: account.accountId,
        region,
        ...(account.clusters === undefined ? {} : { clusters: [...account.clusters] }),
      })),
    refused,
    clusters: [...(account.clusters ?? [])],
  };
}

/** Splits names into batches of at most `size`, in order. */
export const batchesOf = (names: readonly string[], size: number): string[][] =>
  Array.from({ length: Math.ceil(names.length / size) }, (_, index) =>
    names.slice(index * size, (index + 1) * size),
  );

/**
 * The target's clusters (those it names, if it does), in batches of `environment.clusterBatchSize`:
 * one task per batch shares the per-Region calls among its clusters. A failed listing fails the target.
 */
export async function listClusters(target: Target, environment: TaskEnvironment) {
  const credentials = await credentialsFor(target.accountId, environment);
  const eks = createEksClient({ region: target.region, credentials });
  try {
    const listed = await listClusterNames(eks, createLimiter(1));
    const wanted = target.clusters;
    const clusters = listed.filter((name) => wanted === undefined || wanted.includes(name)).sort();
    return { clusters, batches: batchesOf(clusters, environment.clusterBatchSize) };
  } catch (error) {
    const { code, message } = toCollectionFailure('eks:ListClusters', error);
    throw new TaskFailedError(
      `ListClusters failed in ${target.accountId} ${target.region}: ${code}: ${message}`,
      {
        cause: error,
      },
    );
  } finally {
    eks.destroy();
  }
}

const countsOf = (results: readonly CheckResult[]): StatusCounts => ({
  PASSED: results.filter((result) => result.status === 'PASSED').length,
  FAILED: results.filter((result) => result.status === 'FAILED').length,
  NOT_APPLICABLE: results.filter((result) => result.status === 'NOT_APPLICABLE').length,
  ERROR: results.filter((result) => result.status === 'ERROR').length,
});

const publicationOf = (outcome: PublishOutcome): Publication => ({
  imported: outcome.imported,
  archived: outcome.archived,
  suppressed: outcome.suppressed,
  failedFindings: outcome.failed.count,
});

const briefly = (failures: readonly CollectionFailure[]) =>
  failures.map(({ operation, code }) => ({ operation, code }));

async function publish(target: TargetToPublish, environment: TaskEnvironment, credentials: Credentials) {
  const client = createSecurityHubClient({ region: target.region, credentials });
  try {
    return await publishTarget(target, environment.publish, { client });
  } finally {
    client.destroy();
  }
}

/**
 * Collects, evaluates and publishes one batch of the target's clusters (per-Region calls made once for
 * the batch); collection failures make ERROR results and are reported.
 */
export async function scanClusters(
  run: ScanRun,
  target: Target,
  clusters: readonly string[],
  environment: TaskEnvironment,
): Promise<ClusterOutcome> {
  const credentials = await credentialsFor(target.accountId, environment);
  const checks = selectChecks(run.checks);
  const scannedAt = new Date(run.scannedAt);
  const collection = await collectRegion(
    {
      partition: environment.partition,
      accountId: target.accountId,
      region: target.region,
      clusterNames: clusters,
      ...(credentials === undefined ? {} : { credentials }),
    },
    { inputs: new Set(checks.flatMap(inputsOf)) },
  );
  if (collection.failures.length > 0) {
    const [failure] = collection.failures;
    throw new TaskFailedError(
      `Cannot collect clusters ${clusters.join(', ')}: ${failure?.operation} ${failure?.code}: ${failure?.message}`,
    );
  }
  const results = runChecks(checks, collection.snapshots, {
    now: scannedAt,
    parameters: environment.checkParameters,
  });
  const outcome = await publish(
    targetToPublish({ collection, results }, { checks, scannedAt, selection: clusters }),
    environment,
    credentials,
  );
  return {
    clusters: [...clusters],
    results: countsOf(results),
    published: publicationOf(outcome),
    failures: briefly([...snapshotFailures(collection.snapshots), ...publicationErrors(outcome)]),
  };
}

const ZERO_COUNTS: StatusCounts = { PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0, ERROR: 0 };
const ZERO_PUBLICATION: Publication = { imported: 0, archived: 0, suppressed: 0, failedFindings: 0 };

const addCounts = (a: StatusCounts, b: StatusCounts): StatusCounts => ({
  PASSED: a.PASSED + b.PASSED,
  FAILED: a.FAILED + b.FAILED,
  NOT_APPLICABLE: a.NOT_APPLICABLE + b.NOT_APPLICABLE,
  ERROR: a.ERROR + b.ERROR,
});

const addPublications = (a: Publication, b: Publication): Publication => ({
  imported: a.imported + b.imported,
  archived: a.archived + b.archived,
  suppressed: a.suppressed + b.suppressed,
  failedFindings: a.failedFindings + b.failedFindings,
});

/**
 * After every cluster of a target: archives the findings of clusters that no longer exist (the
 * listing succeeded, or this task would not run), then sums the target up.
 */
export async function reconcileTarget(
  run: ScanRun,
  target: Target,
  listedClusters: readonly string[],
  clusterResults: readonly ClusterResult[],
  environment: TaskEnvironment,
): Promise<TargetOutcome> {
  const credentials = await credentialsFor(target.accountId, environment);
  const reconciled = await publish(
    {
      partition: environment.partition,
      accountId: target.accountId,
      region: target.region,
      scannedAt: new Date(run.scannedAt),
      checks: selectChecks(run.checks),
      clusters: [],
      listing: {
        clusterNames: listedClusters,
        ...(target.clusters === undefined ? {} : { selection: target.clusters }),
      },
    },
    environment,
    credentials,
  );
  const scanned = clusterResults.filter((result): result is ClusterOutcome => !('error' in result));
  const failed = clusterResults.filter((result) => 'error' in result);
  const clustersIn = (results: readonly ClusterResult[]) =>
    results.reduce((total, result) => total + result.clusters.length, 0);
  return {
    accountId: target.accountId,
    region: target.region,
    clusters: clustersIn(clusterResults),
    // The clusters the target named are those its listing kept: which of them it has.
    ...(target.clusters === undefined ? {} : { selected: [...listedClusters] }),
    clustersFailed: clustersIn(failed),
    results: scanned.reduce((total, result) => addCounts(total, result.results), ZERO_COUNTS),
    published: addPublications(
      scanned.reduce((total, result) => addPublications(total, result.published), ZERO_PUBLICATION),
      publicationOf(reconciled),
    ),
    failures: [
      ...scanned.flatMap((result) => result.failures),
      // A batch that failed as a whole (its error caught by ClusterFailed) is named by its error.
      ...failed.map((result) => ({ operation: 'ScanCluster', code: result.error.Error })),
      ...briefly(publicationErrors(reconciled)),
    ],
  };
}
