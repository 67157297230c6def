/**
 * One scan: discover accounts and Regions, collect each (account, Region) once, evaluate the checks
 * purely, and report results and every failure. One account or Region that fails is reported in
 * `errors` and never stops the others.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { createEc2Client } from './aws/ec2.js';
import { toCollectionFailure } from './aws/errors.js';
import { createOrganizationsClient } from './aws/organizations.js';
import { createStsClient } from './aws/sts.js';
import { inputsOf, runChecks } from './checks/runner.js';
import type { Check, CheckResult } from './checks/types.js';
import { AccountCache, collectRegion, type RegionCollection } from './collect/collector.js';
import { mapWithConcurrency } from './collect/concurrency.js';
import {
  accountsToScan,
  assumeRoleCredentials,
  callerIdentity,
  DEFAULT_ROLE_NAME,
  enabledRegions,
  regionOptInStatuses,
  roleArn,
} from './discover.js';
import { type CollectionFailure, snapshotFailures } from './snapshot/types.js';

export interface ScanRequest {
  /** The scan time: the only clock the checks see. */
  readonly now: Date;
  readonly checks: readonly Check[];
  readonly parameters?: Readonly<Record<string, unknown>>;
  /**
   * Accounts to scan, among those a scan may enter: every ACTIVE account Organizations lists, else the
   * caller's own (the default). A named account outside them is reported, never entered.
   */
  readonly accounts?: readonly string[];
  /**
   * Regions to scan (Regions of the partition, validated by the caller); default: each account's
   * enabled Regions. A named Region not enabled for an account is reported as an error of that account.
   */
  readonly regions?: readonly string[];
  /** Clusters to scan, by name; a name found in no scanned account and Region is reported. */
  readonly clusters?: readonly string[];
  /** Role assumed in each account other than the caller's own. */
  readonly roleName?: string;
  /** The Region for account-level calls (STS, Organizations, DescribeRegions). */
  readonly homeRegion: string;
  /** An explicit endpoint (the emulator, LocalStack); otherwise the SDK's standard settings apply. */
  readonly endpoint?: string;
  /** Explicit credentials; otherwise the SDK's default credential chain. */
  readonly credentials?: AwsCredentialIdentity;
  readonly onProgress?: (progress: ScanProgress) => void;
  /**
   * Called once per (account, Region) as soon as it is collected and evaluated, with that account's
   * credentials (to publish from inside it). The errors it returns join the report's.
   */
  readonly onTarget?: (target: ScannedTarget) => Promise<readonly ScanError[]>;
}

/** One (account, Region), collected and evaluated. */
export interface ScannedTarget {
  readonly collection: RegionCollection;
  readonly results: readonly CheckResult[];
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface ScanProgress {
  readonly targetsDone: number;
  readonly targetsTotal: number;
  readonly clusters: number;
}

/** A target or call that failed: the `errors` entries of the JSON results. */
export interface ScanError {
  readonly accountId: string | null;
  readonly region: string | null;
  readonly operation: string;
  readonly code: string;
  readonly message: string;
}

export interface ScanReport {
  readonly scannedAt: string;
  readonly results: CheckResult[];
  readonly errors: ScanError[];
}

const ACCOUNT_CONCURRENCY = 4;
const REGION_CONCURRENCY = 4;

const scanError = (
  accountId: string | null,
  region: string | null,
  failure: CollectionFailure,
): ScanError => ({
  accountId,
  region,
  ...failure,
});

export async function scan(request: ScanRequest): Promise<ScanReport> {
  const errors: ScanError[] = [];
  const results: CheckResult[] = [];
  const inputs = new Set(request.checks.flatMap(inputsOf));
  const clientOptions = {
    region: request.homeRegion,
    endpoint: request.endpoint,
    credentials: request.credentials,
  };

  let identity: Awaited<ReturnType<typeof callerIdentity>>;
  try {
    identity = await callerIdentity(createStsClient(clientOptions));
  } catch (error) {
    errors.push(scanError(null, null, toCollectionFailure('sts:GetCallerIdentity', error)));
    return { scannedAt: request.now.toISOString(), results, errors };
  }

  const organizations = createOrganizationsClient(clientOptions);
  const discovered = await accountsToScan(identity.accountId, organizations).finally(() =>
    organizations.destroy(),
  );
  if (discovered.failure !== undefined) errors.push(scanError(identity.accountId, null, discovered.failure));
  const selected = selectAccounts(request.accounts, discovered, identity.accountId);
  errors.push(...selected.errors);
  const accountIds = selected.accounts;
  let targetsDone = 0;
  let targetsTotal = 0;
  let clusters = 0;
  /** Accounts and Regions whose clusters could not be listed: a cluster name not found may be there. */
  let unlisted = 0;
  const found = new Set<string>();

  await mapWithConcurrency(accountIds, ACCOUNT_CONCURRENCY, async (accountId) => {
    let credentials = request.credentials;
    if (accountId !== identity.accountId) {
      try {
        credentials = await assumeRoleCredentials({
          roleArn: roleArn({
            accountId,
            partition: identity.partition,
            roleName: request.roleName ?? DEFAULT_ROLE_NAME,
          }),
          region: request.homeRegion,
          sourceCredentials: request.credentials,
          endpoint: request.endpoint,
        });
      } catch (error) {
        errors.push(scanError(accountId, null, toCollectionFailure('sts:AssumeRole', error)));
        unlisted += 1;
        return;
      }
    }
    let regions: readonly string[];
    const ec2 = createEc2Client({ ...clientOptions, credentials });
    try {
      if (request.regions === undefined) regions = await enabledRegions(ec2);
      else {
        const statuses = await regionOptInStatuses(ec2);
        regions = request.regions.filter((region) => isEnabled(statuses.get(region)));
        for (const region of request.regions.filter((name) => !regions.includes(name))) {
          errors.push(regionNotEnabled(accountId, region, statuses.get(region)));
        }
      }
    } catch (error) {
      errors.push(
        scanError(accountId, request.homeRegion, toCollectionFailure('ec2:DescribeRegions', error)),
      );
      unlisted += 1;
      return;
    } finally {
      ec2.destroy();
    }
    targetsTotal += regions.length;
    // Global calls (IAM) are made once for the account, whichever Region needs them first.
    const account = new AccountCache();
    await mapWithConcurrency(regions, REGION_CONCURRENCY, async (region) => {
      const collection = await collectRegion(
        {
          partition: identity.partition,
          accountId,
          region,
          credentials,
          endpoint: request.endpoint,
          clusterNames: request.clusters,
        },
        { inputs, account },
      );
      for (const failure of [...collection.failures, ...snapshotFailures(collection.snapshots)]) {
        errors.push(scanError(accountId, region, failure));
      }
      if (collection.failures.length > 0) unlisted += 1;
      for (const snapshot of collection.snapshots) found.add(snapshot.scope.clusterName);
      const targetResults = runChecks(request.checks, collection.snapshots, {
        now: request.now,
        parameters: request.parameters,
      });
      results.push(...targetResults);
      if (request.onTarget !== undefined) {
        errors.push(...(await request.onTarget({ collection, results: targetResults, credentials })));
      }
      targetsDone += 1;
      clusters += collection.snapshots.length;
      request.onProgress?.({ targetsDone, targetsTotal, clusters });
    });
  });

  for (const name of (request.clusters ?? []).filter((cluster) => !found.has(cluster))) {
    const maybe = unlisted > 0 ? ` (${unlisted} account(s) or Region(s) could not be listed)` : '';
    errors.push({
      accountId: null,
      region: null,
      operation: 'selection:clusters',
      code: 'NotFound',
      message: `Cluster ${name} was found in no scanned account and Region${maybe}.`,
    });
  }

  return {
    scannedAt: request.now.toISOString(),
    results: sortResults(results, request.checks),
    errors: sortErrors(errors),
  };
}

/**
 * The accounts a scan enters: those `--accounts` names among the accounts discovery allows (never
 * more: an input never widens the accounts the scanner enters), and an error for each other one.
 */
function selectAccounts(
  requested: readonly string[] | undefined,
  discovered: {
    readonly accounts: readonly string[];
    readonly fromOrganization: boolean;
    readonly failure?: CollectionFailure;
  },
  ownAccountId: string,
): { accounts: readonly string[]; errors: ScanError[] } {
  if (requested === undefined) return { accounts: discovered.accounts, errors: [] };
  const allowed = new Set(discovered.accounts);
  const why =
    discovered.failure !== undefined
      ? 'could not be checked against the organization (organizations:ListAccounts failed)'
      : discovered.fromOrganization
        ? 'is not an ACTIVE account of the organization'
        : `is not the caller's own account ${ownAccountId}, and Organizations cannot list others for it`;
  return {
    accounts: requested.filter((account) => allowed.has(account)),
    errors: requested
      .filter((account) => !allowed.has(account))
      .map((account) => ({
        accountId: account,
        region: null,
        operation: 'selection:accounts',
        code: discovered.failure === undefined ? 'NotFound' : 'NotVerified',
        message: `Account ${account} ${why}; it was not scanned.`,
      })),
  };
}

/** DescribeRegions (AllRegions) lists every Region of the partition; `not-opted-in` ones are disabled. */
const isEnabled = (status: string | undefined) => status !== undefined && status !== 'not-opted-in';

function regionNotEnabled(accountId: string, region: string, status: string | undefined): ScanError {
  return {
    accountId,
    region,
    operation: 'selection:regions',
    code: 'RegionNotEnabled',
    message:
      status === undefined
        ? `Region ${region} is not among the Regions DescribeRegions lists for account ${accountId}; it was not scanned.`
        : `Region ${region} is not enabled for account ${accountId} (${status}); it was not scanned.`,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A stable order: account, Region, cluster, catalogue order, resource. */
function sortResults(results: CheckResult[], checks: readonly Check[]): CheckResult[] {
  const order = new Map(checks.map((check, index) => [check.id, index]));
  return results.sort(
    (a, b) =>
      compare(a.accountId, b.accountId) ||
      compare(a.region, b.region) ||
      compare(a.cluster, b.cluster) ||
      (order.get(a.checkId) ?? 0) - (order.get(b.checkId) ?? 0) ||
      compare(a.resourceId, b.resourceId),
  );
}

function sortErrors(errors: ScanError[]): ScanError[] {
  return errors.sort(
    (a, b) =>
      compare(a.accountId ?? '', b.accountId ?? '') ||
      compare(a.region ?? '', b.region ?? '') ||
      compare(a.operation, b.operation),
  );
}
