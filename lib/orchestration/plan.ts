/**
 * What a run scans, from the event that started it: the schedule (everything), an on-demand request
 * (`Scan Requested`, optionally narrowed), a debounced EKS change (that cluster: the EKS change rules
 * of serverless.yml reduce a CloudTrail event to its account, Region and cluster), or the Security Hub
 * custom action (the clusters of the selected findings).
 */
import * as z from 'zod/mini';
import { findCheck } from '../checks/registry.js';
import { FIELD, productArn } from '../publish/asff.js';
import { InputError, parseInput } from '../validation.js';
import type { AccountItem, Refusal, ScanRun } from './contracts.js';

export const ON_DEMAND_SOURCE = 'eks-compliance-scanner';
export const ON_DEMAND_DETAIL_TYPE = 'Scan Requested';
/**
 * What the EKS change pipe starts the state machine with: `{source, detail: {account, region, cluster}}`,
 * the detail being the queue message the EKS change rules wrote. It names nothing but the cluster, so
 * the queue's content-based deduplication collapses a burst of changes to one cluster (serverless.yml).
 */
export const EKS_CHANGE_SOURCE = 'eks-compliance-scanner.eks-change';
/** EKS API calls after which a cluster is rescanned (the EKS change rules' event pattern). */
export const EKS_CHANGE_EVENTS = [
  'CreateCluster',
  'UpdateClusterConfig',
  'UpdateClusterVersion',
  'CreateNodegroup',
  'UpdateNodegroupConfig',
  'UpdateNodegroupVersion',
  'DeleteNodegroup',
  'CreateFargateProfile',
  'DeleteFargateProfile',
  'AssociateEncryptionConfig',
] as const;
export const CUSTOM_ACTION_DETAIL_TYPE = 'Security Hub Findings - Custom Action';

const accountId = z.string().check(z.regex(/^\d{12}$/, { error: 'expected a 12-digit account id' }));
const region = z
  .string()
  .check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected a Region name like eu-west-1' }));
const time = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 time' });
// EKS cluster names (CreateCluster): a letter or digit, then letters, digits, hyphens and underscores.
const clusterName = z
  .string()
  .check(z.regex(/^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/, { error: 'expected an EKS cluster name' }));
const names = z
  .array(z.string().check(z.minLength(1, { error: 'must not be empty' })))
  .check(z.minLength(1, { error: 'must not be empty' }));

const SCHEDULED = z.looseObject({
  source: z.enum(['eks-compliance-scanner.schedule', 'eks-compliance-scanner.local']),
  time: z.optional(time),
});
const ON_DEMAND = z.looseObject({
  source: z.literal(ON_DEMAND_SOURCE),
  'detail-type': z.literal(ON_DEMAND_DETAIL_TYPE),
  time: z.optional(time),
  detail: z.strictObject({
    accounts: z.optional(z.array(accountId).check(z.minLength(1))),
    regions: z.optional(z.array(region).check(z.minLength(1))),
    clusters: z.optional(names),
    checks: z.optional(names),
  }),
});
const EKS_CHANGE = z.looseObject({
  source: z.literal(EKS_CHANGE_SOURCE),
  time: z.optional(time),
  detail: z.strictObject({ account: accountId, region, cluster: clusterName }),
});
const CUSTOM_ACTION = z.looseObject({
  source: z.literal('aws.securityhub'),
  'detail-type': z.literal(CUSTOM_ACTION_DETAIL_TYPE),
  time: z.optional(time),
  detail: z.looseObject({
    findings: z.array(
      z.looseObject({
        Id: z.optional(z.string()),
        ProductArn: z.optional(z.string()),
        AwsAccountId: accountId,
        Region: region,
        GeneratorId: z.optional(z.string()),
        ProductFields: z.optional(z.record(z.string(), z.string())),
      }),
    ),
  }),
});

const SOURCE = 'scan request event';

/** Which kind of event this is, from its source; then validated as that kind, naming every bad field. */
function classify(event: unknown) {
  const source =
    typeof event === 'object' && event !== null ? (event as { source?: unknown }).source : undefined;
  switch (source) {
    case 'eks-compliance-scanner.schedule':
    case 'eks-compliance-scanner.local':
      return { kind: 'schedule', event: parseInput(SCHEDULED, event, SOURCE) } as const;
    case ON_DEMAND_SOURCE:
      return { kind: 'on-demand', event: parseInput(ON_DEMAND, event, SOURCE) } as const;
    case EKS_CHANGE_SOURCE:
      return { kind: 'eks-change', event: parseInput(EKS_CHANGE, event, SOURCE) } as const;
    case 'aws.securityhub':
      return { kind: 'security-hub-action', event: parseInput(CUSTOM_ACTION, event, SOURCE) } as const;
    default:
      throw new InputError(
        [
          {
            path: 'source',
            message: `expected eks-compliance-scanner.schedule, ${ON_DEMAND_SOURCE}, ${EKS_CHANGE_SOURCE} or aws.securityhub, got ${JSON.stringify(source)}`,
          },
        ],
        SOURCE,
      );
  }
}

/** The accounts this deployment scans: the configured list, else the organization's ACTIVE accounts. */
export interface Discovery {
  accounts(): Promise<readonly string[]>;
}

/** How much one event may ask for (settings MAX_REQUEST_*): more is refused, with the field named. */
export interface RequestLimits {
  readonly accounts: number;
  readonly regions: number;
  readonly clusters: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { accounts: 100, regions: 50, clusters: 100 };

/** What a run scans: one item per account, and what the event asked for that it refused. */
export interface PlannedRun {
  readonly run: ScanRun;
  readonly accounts: AccountItem[];
  readonly refused: Refusal[];
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** The event's list, without duplicates, within its limit; otherwise an InputError naming the field. */
function withinLimit(values: readonly string[] | undefined, limit: number, path: string) {
  if (values === undefined) return undefined;
  const distinct = unique(values);
  if (distinct.length > limit)
    throw new InputError(
      [{ path, message: `${distinct.length} distinct values; at most ${limit} per request` }],
      SOURCE,
    );
  return distinct;
}

/**
 * The accounts the event names that this deployment scans; the others are refused, never assumed into
 * (an event may narrow a scan, never widen it).
 */
async function admitted(
  requested: readonly { readonly accountId: string; readonly item: AccountItem }[],
  discovery: Discovery,
) {
  const members = new Set(await discovery.accounts());
  const refused: Refusal[] = [];
  const accounts: AccountItem[] = [];
  for (const { accountId, item } of requested) {
    if (members.has(accountId)) accounts.push(item);
    else
      refused.push({
        accountId,
        subject: `account ${accountId}`,
        reason: 'not an ACTIVE account of the organization nor a configured account',
      });
  }
  return { accounts, refused };
}

export async function planScan(
  event: unknown,
  discovery: Discovery,
  now: Date,
  limits: RequestLimits = DEFAULT_REQUEST_LIMITS,
): Promise<PlannedRun> {
  const classified = classify(event);
  const scannedAt = new Date(classified.event.time ?? now.toISOString()).toISOString();
  const run = (checks?: readonly string[]): ScanRun => ({
    scannedAt,
    trigger: classified.kind,
    ...(checks === undefined ? {} : { checks: [...checks] }),
  });
  switch (classified.kind) {
    case 'schedule':
      return {
        run: run(),
        accounts: (await discovery.accounts()).map((accountId) => ({ accountId })),
        refused: [],
      };
    case 'on-demand': {
      const { detail } = classified.event;
      const checks = unique(detail.checks ?? []);
      const unknown = checks.findIndex((id) => findCheck(id) === undefined);
      if (unknown >= 0) {
        throw new InputError(
          [{ path: 'detail.checks', message: `unknown check id ${JSON.stringify(checks[unknown])}` }],
          SOURCE,
        );
      }
      const accounts = withinLimit(detail.accounts, limits.accounts, 'detail.accounts');
      const regions = withinLimit(detail.regions, limits.regions, 'detail.regions');
      const clusters = withinLimit(detail.clusters, limits.clusters, 'detail.clusters');
      const narrowing = {
        ...(regions === undefined ? {} : { regions }),
        ...(clusters === undefined ? {} : { clusters }),
      };
      const planned =
        accounts === undefined
          ? {
              accounts: (await discovery.accounts()).map((accountId) => ({ accountId, ...narrowing })),
              refused: [],
            }
          : await admitted(
              accounts.map((accountId) => ({ accountId, item: { accountId, ...narrowing } })),
              discovery,
            );
      return { run: run(detail.checks === undefined ? undefined : checks), ...planned };
    }
    case 'eks-change': {
      const { account: accountId, region: changedRegion, cluster } = classified.event.detail;
      return {
        run: run(),
        ...(await admitted(
          [{ accountId, item: { accountId, regions: [changedRegion], clusters: [cluster] } }],
          discovery,
        )),
      };
    }
    case 'security-hub-action': {
      const { items, refused } = clustersOfFindings(classified.event.detail.findings);
      if (items.length > limits.clusters)
        throw new InputError(
          [
            {
              path: 'detail.findings',
              message: `${items.length} (account, Region, cluster) selections; at most ${limits.clusters} per request`,
            },
          ],
          SOURCE,
        );
      const planned = await admitted(items, discovery);
      return { run: run(), accounts: planned.accounts, refused: [...refused, ...planned.refused] };
    }
  }
}

type SelectedFinding = {
  readonly Id?: string | undefined;
  readonly ProductArn?: string | undefined;
  readonly AwsAccountId: string;
  readonly Region: string;
  readonly GeneratorId?: string | undefined;
  readonly ProductFields?: Record<string, string> | undefined;
};

/** Why a selected finding cannot choose a cluster, or undefined when it is this scanner's own. */
function notOurs(finding: SelectedFinding): string | undefined {
  const expectedArn = productArn('[^:]+', finding.Region, finding.AwsAccountId);
  if (finding.ProductArn === undefined || !new RegExp(`^${expectedArn}$`).test(finding.ProductArn))
    return `not imported by this scanner (ProductArn ${finding.ProductArn ?? 'absent'})`;
  const checkId = finding.ProductFields?.[FIELD.checkId];
  if (checkId === undefined || findCheck(checkId) === undefined || finding.GeneratorId !== checkId)
    return `no check of this scanner (${FIELD.checkId} ${checkId ?? 'absent'})`;
  if ((finding.ProductFields?.[FIELD.cluster] ?? '') === '') return `names no cluster (${FIELD.cluster})`;
  return undefined;
}

/**
 * The clusters of the selected findings, one item per (account, Region): only this scanner's own
 * findings (its product ARN and check ids) choose clusters; any other finding is refused.
 */
function clustersOfFindings(findings: readonly SelectedFinding[]) {
  const byTarget = new Map<string, { accountId: string; item: AccountItem & { clusters: string[] } }>();
  const refused: Refusal[] = [];
  for (const finding of findings) {
    const reason = notOurs(finding);
    if (reason !== undefined) {
      refused.push({
        accountId: finding.AwsAccountId,
        region: finding.Region,
        subject: `finding ${finding.Id ?? '(no Id)'}`,
        reason,
      });
      continue;
    }
    const cluster = finding.ProductFields?.[FIELD.cluster] as string;
    const key = `${finding.AwsAccountId}|${finding.Region}`;
    const selected = byTarget.get(key) ?? {
      accountId: finding.AwsAccountId,
      item: { accountId: finding.AwsAccountId, regions: [finding.Region], clusters: [] },
    };
    if (!selected.item.clusters.includes(cluster)) selected.item.clusters.push(cluster);
    byTarget.set(key, selected);
  }
  return { items: [...byTarget.values()], refused };
}
