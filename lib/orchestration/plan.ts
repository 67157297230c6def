/**
 * What a run scans, from the event that started it: the schedule (everything), an on-demand request
 * (`Scan Requested`, optionally narrowed), an EKS API call recorded by CloudTrail (that cluster), or
 * the Security Hub custom action (the clusters of the selected findings).
 */
import * as z from 'zod/mini';
import { findCheck } from '../checks/registry.js';
import { FIELD } from '../publish/asff.js';
import { InputError, parseInput } from '../validation.js';
import type { Plan, ScanRun, Target } from './contracts.js';

export const ON_DEMAND_SOURCE = 'eks-compliance-scanner';
export const ON_DEMAND_DETAIL_TYPE = 'Scan Requested';
/** EKS API calls after which a cluster is rescanned. */
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
  source: z.literal('aws.eks'),
  'detail-type': z.literal('AWS API Call via CloudTrail'),
  account: accountId,
  region,
  time: z.optional(time),
  detail: z.looseObject({
    eventName: z.enum(EKS_CHANGE_EVENTS),
    recipientAccountId: z.optional(accountId),
    // CreateCluster and UpdateClusterConfig name the cluster `name`; node group calls, `clusterName`.
    requestParameters: z.looseObject({ name: z.optional(z.string()), clusterName: z.optional(z.string()) }),
  }),
});
const CUSTOM_ACTION = z.looseObject({
  source: z.literal('aws.securityhub'),
  'detail-type': z.literal(CUSTOM_ACTION_DETAIL_TYPE),
  time: z.optional(time),
  detail: z.looseObject({
    findings: z.array(
      z.looseObject({
        AwsAccountId: accountId,
        Region: region,
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
    case 'aws.eks':
      return { kind: 'eks-change', event: parseInput(EKS_CHANGE, event, SOURCE) } as const;
    case 'aws.securityhub':
      return { kind: 'security-hub-action', event: parseInput(CUSTOM_ACTION, event, SOURCE) } as const;
    default:
      throw new InputError(
        [
          {
            path: 'source',
            message: `expected eks-compliance-scanner.schedule, ${ON_DEMAND_SOURCE}, aws.eks or aws.securityhub, got ${JSON.stringify(source)}`,
          },
        ],
        SOURCE,
      );
  }
}

/** Where to scan when the event does not say: discovered at plan time. */
export interface Discovery {
  accounts(): Promise<readonly string[]>;
  regions(): Promise<readonly string[]>;
}

export async function planScan(event: unknown, discovery: Discovery, now: Date): Promise<Plan> {
  const classified = classify(event);
  const scannedAt = new Date(classified.event.time ?? now.toISOString()).toISOString();
  const run = (checks?: readonly string[]): ScanRun => ({
    scannedAt,
    trigger: classified.kind,
    ...(checks === undefined ? {} : { checks: [...checks] }),
  });
  switch (classified.kind) {
    case 'schedule':
      return { run: run(), targets: everyTarget(await discovery.accounts(), await discovery.regions()) };
    case 'on-demand': {
      const { accounts, regions, clusters, checks } = classified.event.detail;
      const unknown = (checks ?? []).findIndex((id) => findCheck(id) === undefined);
      if (unknown >= 0) {
        throw new InputError(
          [
            {
              path: `detail.checks[${unknown}]`,
              message: `unknown check id ${JSON.stringify(checks?.[unknown])}`,
            },
          ],
          SOURCE,
        );
      }
      const targets = everyTarget(
        accounts ?? (await discovery.accounts()),
        regions ?? (await discovery.regions()),
      );
      return {
        run: run(checks),
        targets: targets.map((target) =>
          clusters === undefined ? target : { ...target, clusters: [...clusters] },
        ),
      };
    }
    case 'eks-change': {
      const { account, region: changedRegion, detail } = classified.event;
      const cluster = detail.requestParameters.clusterName ?? detail.requestParameters.name;
      if (cluster === undefined || cluster === '') {
        throw new InputError(
          [
            {
              path: 'detail.requestParameters',
              message: `${detail.eventName} names no cluster (name or clusterName)`,
            },
          ],
          SOURCE,
        );
      }
      return {
        run: run(),
        targets: [
          { accountId: detail.recipientAccountId ?? account, region: changedRegion, clusters: [cluster] },
        ],
      };
    }
    case 'security-hub-action':
      return { run: run(), targets: clustersOfFindings(classified.event.detail.findings) };
  }
}

const everyTarget = (accounts: readonly string[], regions: readonly string[]): Target[] =>
  accounts.flatMap((accountId) => regions.map((targetRegion) => ({ accountId, region: targetRegion })));

/** The clusters of the selected findings, by account and Region; findings not ours are ignored. */
function clustersOfFindings(
  findings: readonly { AwsAccountId: string; Region: string; ProductFields?: Record<string, string> }[],
): Target[] {
  const byTarget = new Map<string, Target & { clusters: string[] }>();
  for (const finding of findings) {
    const cluster = finding.ProductFields?.[FIELD.cluster];
    if (cluster === undefined) continue;
    const key = `${finding.AwsAccountId}|${finding.Region}`;
    const target = byTarget.get(key) ?? {
      accountId: finding.AwsAccountId,
      region: finding.Region,
      clusters: [],
    };
    if (!target.clusters.includes(cluster)) target.clusters.push(cluster);
    byTarget.set(key, target);
  }
  return [...byTarget.values()];
}
