/**
 * The call floor of a scan: the fewest API calls that collect a complete snapshot of every cluster of an
 * estate (every check selected), given each API's batch and page limits, and how the calls a run made
 * (the emulator's count per account, Region, service and operation) compare with it.
 *
 * Per cluster: DescribeCluster, ListNodegroups, DescribeNodegroup per managed group, ListFargateProfiles,
 * DescribeFargateProfile per profile (EKS has no batch describe); ListInsights, DescribeInsight per insight
 * in ERROR or WARNING, ListAddons, DescribeAddon per add-on (EKS lists neither per Region). Per (account,
 * Region), shared by its clusters and amortized over them: ListClusters, DescribeClusterVersions,
 * DescribeAddonVersions per Kubernetes version of the clusters with add-ons, and the batched EC2, Auto
 * Scaling, Inspector and SSM look-ups. Per account: AssumeRole (not the caller's own), DescribeRegions,
 * ListOpenIDConnectProviders (IAM is global) when it has clusters;
 * once: GetCallerIdentity, ListAccounts. Security Hub is judged on its own: BatchImportFindings against
 * ceil(findings / 100) per account and Region.
 */
import type { Estate } from '../emulator/estate.js';
import { addonsForKubernetesVersion } from '../emulator/services/eks.js';
import { DESCRIBED_INSIGHT_STATUSES, INSIGHT_CATEGORIES } from '../lib/snapshot/insights.js';
import { isTaggedForCluster, TAG, tagValue } from '../lib/snapshot/node-groups.js';
import { releaseParameterName } from '../lib/snapshot/references.js';

/** API limits the floor assumes (the largest page or batch each call takes). */
export const LIMITS = {
  /** ListClusters, ListNodegroups, ListFargateProfiles: maxResults 100. */
  eksPage: 100,
  /** DescribeInstances: MaxResults 1000 (one filter on the Kubernetes cluster tag key finds every node). */
  instancesPage: 1000,
  /** EC2 filters take at most 200 values (DescribeImages, DescribeSubnets, DescribeRouteTables). */
  ec2FilterValues: 200,
  /** DescribeAutoScalingGroups: MaxRecords 100. */
  autoScalingPage: 100,
  /** ListCoverage: maxResults 200, filtered on resource type only (every EC2 instance of the Region). */
  coveragePage: 200,
  /** GetParameters: 10 names. */
  parameterNames: 10,
  /** GuardDuty ListCoverage: MaxResults 50, filtered on RESOURCE_TYPE=EKS (every EKS cluster of the Region). */
  guardDutyCoveragePage: 50,
  /** DescribeInstanceInformation: MaxResults 50 (the Region's EC2 managed nodes, listed whole). */
  instanceInformationPage: 50,
  /** DescribeVolumes: 200 volume ids a call (the collector's batch; no paging with VolumeIds). */
  volumeIds: 200,
  /** Organizations ListAccounts: 20 a page. */
  accountsPage: 20,
  /** BatchImportFindings: 100 findings a call. */
  findingsPerImport: 100,
} as const;

const NODE_STATES = new Set(['pending', 'running', 'stopping', 'stopped']);
const RUNNING = new Set(['pending', 'running']);

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));
const batches = (items: number, size: number) => Math.ceil(items / size);

/** Floor calls by `service:Operation` (EKS, EC2, Auto Scaling, Inspector, SSM, STS, Organizations). */
export function callFloor(estate: Estate): Record<string, number> {
  const floor: Record<string, number> = {};
  const add = (operation: string, calls: number) => {
    if (calls > 0) floor[operation] = (floor[operation] ?? 0) + calls;
  };
  const home = estate.organization?.managementAccountId ?? estate.accounts[0]?.accountId;
  add('sts:GetCallerIdentity', 1);
  if (estate.organization !== undefined)
    add('organizations:ListAccounts', pages(estate.accounts.length, LIMITS.accountsPage));
  for (const account of estate.accounts) {
    if (account.state !== 'ACTIVE') continue;
    if (account.accountId !== home) add('sts:AssumeRole', 1);
    add('ec2:DescribeRegions', 1);
    const hasClusters = Object.values(account.regions).some((region) => region.clusters.length > 0);
    if (hasClusters) add('iam:ListOpenIDConnectProviders', 1);
    for (const region of Object.values(account.regions)) {
      const names = region.clusters.map((entry) => entry.cluster.name);
      add('eks:ListClusters', pages(names.length, LIMITS.eksPage));
      if (names.length === 0) continue;
      add('eks:DescribeClusterVersions', 1);
      for (const entry of region.clusters) {
        add('eks:DescribeCluster', 1);
        add('eks:ListNodegroups', pages(entry.nodegroups.length, LIMITS.eksPage));
        add('eks:DescribeNodegroup', entry.nodegroups.length);
        add('eks:ListFargateProfiles', pages(entry.fargateProfiles.length, LIMITS.eksPage));
        add('eks:DescribeFargateProfile', entry.fargateProfiles.length);
        const insights = (entry.insights ?? []).filter((insight) =>
          (INSIGHT_CATEGORIES as readonly string[]).includes(insight.category ?? ''),
        );
        add('eks:ListInsights', pages(insights.length, LIMITS.eksPage));
        add(
          'eks:DescribeInsight',
          insights.filter((insight) =>
            DESCRIBED_INSIGHT_STATUSES.includes(insight.insightStatus?.status ?? ''),
          ).length,
        );
        add('eks:ListAddons', pages((entry.addons ?? []).length, LIMITS.eksPage));
        add('eks:DescribeAddon', (entry.addons ?? []).length);
      }
      const addonVersions = new Set(
        region.clusters.flatMap((entry) =>
          (entry.addons ?? []).length > 0 && entry.cluster.version !== undefined
            ? [entry.cluster.version]
            : [],
        ),
      );
      for (const version of addonVersions) {
        const offered = addonsForKubernetesVersion(region.eksAddonVersions ?? [], version);
        add('eks:DescribeAddonVersions', pages(offered.length, LIMITS.eksPage));
      }
      const ofClusters = (tags: Parameters<typeof isTaggedForCluster>[0]) =>
        names.some((name) => isTaggedForCluster(tags, name));
      const nodes = region.ec2.instances.filter(
        (node) => NODE_STATES.has(node.State?.Name ?? '') && ofClusters(node.Tags),
      );
      const running = nodes.filter((node) => RUNNING.has(node.State?.Name ?? ''));
      add('ec2:DescribeInstances', pages(nodes.length, LIMITS.instancesPage));
      add(
        'ec2:DescribeImages',
        batches(new Set(running.map((node) => node.ImageId)).size, LIMITS.ec2FilterValues),
      );

      const managed = region.clusters.flatMap((entry) => entry.nodegroups);
      const named = new Set(
        nodes.flatMap((node) =>
          tagValue(node.Tags, TAG.nodegroupName) === undefined
            ? [tagValue(node.Tags, TAG.autoScalingGroupName) ?? '']
            : [],
        ),
      );
      const tagged = new Set(
        region.autoscaling.groups.filter((group) =>
          names.some((name) =>
            (group.Tags ?? []).some((tag) => tag.Key === `${TAG.kubernetesClusterPrefix}${name}`),
          ),
        ),
      );
      const selfManaged = region.autoscaling.groups.filter(
        (group) =>
          tagValue(group.Tags, TAG.nodegroupName) === undefined &&
          (named.has(group.AutoScalingGroupName) || tagged.has(group)),
      );
      const untaggedNamed = [...named].filter(
        (name) => name !== '' && ![...tagged].some((group) => group.AutoScalingGroupName === name),
      );
      add(
        'autoscaling:DescribeAutoScalingGroups',
        pages(tagged.size, LIMITS.autoScalingPage) + batches(untaggedNamed.length, 50),
      );

      const templates = new Set([
        ...managed.flatMap((group) => {
          const template = group.launchTemplate;
          return template === undefined ? [] : [template.id ?? template.name ?? ''];
        }),
        ...selfManaged.flatMap((group) => {
          const template =
            group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
          return template === undefined
            ? []
            : [template.LaunchTemplateId ?? template.LaunchTemplateName ?? ''];
        }),
      ]);
      add('ec2:DescribeLaunchTemplateVersions', templates.size);

      const subnetIds = new Set([
        ...managed.flatMap((group) => group.subnets ?? []),
        ...selfManaged.flatMap((group) =>
          (group.VPCZoneIdentifier ?? '').split(',').filter((id) => id !== ''),
        ),
        ...running.flatMap((node) => (node.SubnetId === undefined ? [] : [node.SubnetId])),
      ]);
      const vpcIds = new Set(
        region.ec2.subnets.filter((subnet) => subnetIds.has(subnet.SubnetId)).map((subnet) => subnet.VpcId),
      );
      add('ec2:DescribeSubnets', batches(subnetIds.size, LIMITS.ec2FilterValues));
      add('ec2:DescribeRouteTables', batches(vpcIds.size, LIMITS.ec2FilterValues));

      add('inspector2:BatchGetAccountStatus', 1);
      const scanning = region.inspector2?.accountState.resourceState?.ec2?.status === 'ENABLED';
      // Coverage only matters where Inspector scans EC2; elsewhere every node fails on the account status.
      if (scanning && running.length > 0)
        add('inspector2:ListCoverage', pages(running.length, LIMITS.coveragePage));

      const parameters = new Set(
        managed.flatMap((group) => {
          const name =
            group.amiType === undefined || group.version === undefined
              ? undefined
              : releaseParameterName(group.amiType, group.version);
          return name === undefined ? [] : [name];
        }),
      );
      add('ssm:GetParameters', batches(parameters.size, LIMITS.parameterNames));

      // Once per Region whatever the clusters: the detector, then (if there is one) its EKS coverage.
      add('guardduty:ListDetectors', 1);
      if (region.guardduty !== undefined) {
        add('guardduty:GetDetector', 1);
        const eksRecords = region.guardduty.coverage.filter(
          (record) => record.ResourceDetails?.ResourceType === 'EKS',
        ).length;
        add('guardduty:ListCoverage', pages(eksRecords, LIMITS.guardDutyCoveragePage));
      }
      add('ecr:GetRegistryScanningConfiguration', 1);
      // The node checks of the 2026 estate: one managed-node listing and one EBS default per Region.
      add(
        'ssm:DescribeInstanceInformation',
        pages(
          (region.ssm.instanceInformation ?? []).filter((node) => node.ResourceType === 'EC2Instance').length,
          LIMITS.instanceInformationPage,
        ),
      );
      const volumeIds = new Set(
        running.flatMap((node) =>
          (node.BlockDeviceMappings ?? []).flatMap((mapping) =>
            mapping.Ebs?.VolumeId === undefined ? [] : [mapping.Ebs.VolumeId],
          ),
        ),
      );
      add('ec2:DescribeVolumes', batches(volumeIds.size, LIMITS.volumeIds));
      add('ec2:GetEbsEncryptionByDefault', 1);
    }
  }
  return floor;
}

export interface CallCount {
  readonly account?: string;
  readonly region?: string;
  readonly service?: string;
  readonly operation?: string;
  readonly count: number;
}

export interface OperationCalls {
  readonly operation: string;
  readonly calls: number;
  readonly floor: number;
  readonly perCluster: number;
  readonly floorPerCluster: number;
}

export interface SecurityHubCalls {
  readonly targets: number;
  readonly findings: number;
  readonly batchImportCalls: number;
  /** Sum over accounts and Regions of ceil(findings / 100). */
  readonly batchImportFloor: number;
  readonly batchImportRatio: number;
  /** Accounts and Regions that made more import calls than their floor. */
  readonly targetsOverFloor: number;
  readonly getFindingsCalls: number;
  readonly batchUpdateCalls: number;
}

export interface CallAnalysis {
  readonly clusters: number;
  readonly calls: number;
  readonly floor: number;
  /** Calls / floor, Security Hub excluded (it is judged on its own, in `securityHub`). */
  readonly ratio: number;
  readonly operations: readonly OperationCalls[];
  readonly securityHub: SecurityHubCalls;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * Compares the calls a run made with the floor. `findings` is what each account's Security Hub holds
 * after the run (from an empty one): the findings imported, per `account|region`.
 */
export function analyzeCalls(
  estate: Estate,
  calls: readonly CallCount[],
  findings: ReadonlyMap<string, number>,
): CallAnalysis {
  const clusters = estate.accounts.reduce(
    (total, account) =>
      total + Object.values(account.regions).reduce((sum, region) => sum + region.clusters.length, 0),
    0,
  );
  const floor = callFloor(estate);
  const byOperation = new Map<string, number>();
  const imports = new Map<string, number>();
  for (const call of calls) {
    const operation = `${call.service}:${call.operation}`;
    byOperation.set(operation, (byOperation.get(operation) ?? 0) + call.count);
    if (operation === 'securityhub:BatchImportFindings') {
      const target = `${call.account}|${call.region}`;
      imports.set(target, (imports.get(target) ?? 0) + call.count);
    }
  }
  let importFloor = 0;
  let targetsOverFloor = 0;
  let findingTotal = 0;
  for (const target of new Set([...findings.keys(), ...imports.keys()])) {
    const count = findings.get(target) ?? 0;
    const targetFloor = batches(count, LIMITS.findingsPerImport);
    findingTotal += count;
    importFloor += targetFloor;
    if ((imports.get(target) ?? 0) > targetFloor) targetsOverFloor += 1;
  }
  // Security Hub, from an empty one: one GetFindings page and ceil(findings / 100) imports per account and Region.
  floor['securityhub:GetFindings'] = findings.size;
  floor['securityhub:BatchImportFindings'] = importFloor;

  const perCluster = (value: number) => (clusters === 0 ? 0 : round(value / clusters, 3));
  const names = [...new Set([...byOperation.keys(), ...Object.keys(floor)])].sort();
  const operations = names.map((operation) => {
    const made = byOperation.get(operation) ?? 0;
    const needed = floor[operation] ?? 0;
    return {
      operation,
      calls: made,
      floor: needed,
      perCluster: perCluster(made),
      floorPerCluster: perCluster(needed),
    };
  });
  // S3 is the state machine's own bookkeeping (its items and results objects), not collection.
  const collection = operations.filter(
    (operation) => !operation.operation.startsWith('securityhub:') && !operation.operation.startsWith('s3:'),
  );
  const made = collection.reduce((sum, operation) => sum + operation.calls, 0);
  const needed = collection.reduce((sum, operation) => sum + operation.floor, 0);

  const importCalls = byOperation.get('securityhub:BatchImportFindings') ?? 0;
  return {
    clusters,
    calls: made,
    floor: needed,
    ratio: needed === 0 ? 0 : round(made / needed),
    operations,
    securityHub: {
      targets: findings.size,
      findings: findingTotal,
      batchImportCalls: importCalls,
      batchImportFloor: importFloor,
      batchImportRatio: importFloor === 0 ? 0 : round(importCalls / importFloor),
      targetsOverFloor,
      getFindingsCalls: byOperation.get('securityhub:GetFindings') ?? 0,
      batchUpdateCalls: byOperation.get('securityhub:BatchUpdateFindings') ?? 0,
    },
  };
}
