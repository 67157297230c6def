/**
 * The typed snapshot of one EKS cluster and the account/Region facts its checks need.
 *
 * AWS objects keep the exact shapes of the SDK v3 output types, so estate files, the emulator and
 * real API responses all fit. Every part records whether it was collected or why it failed: a check
 * reading a failed part yields ERROR, never PASSED.
 */
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { Image, Instance, LaunchTemplateVersion, RouteTable, Subnet, Volume } from '@aws-sdk/client-ec2';
import type { RegistryScanningConfiguration } from '@aws-sdk/client-ecr';
import type {
  Addon,
  AddonInfo,
  Cluster,
  ClusterVersionInformation,
  FargateProfile,
  Insight,
  InsightSummary,
  Nodegroup,
} from '@aws-sdk/client-eks';
import type { CoverageResource, GetDetectorResponse } from '@aws-sdk/client-guardduty';
import type { OpenIDConnectProviderListEntry } from '@aws-sdk/client-iam';
import type { AccountState, CoveredResource } from '@aws-sdk/client-inspector2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';

export type {
  AccountState,
  Addon,
  AddonInfo,
  AutoScalingGroup,
  Cluster,
  ClusterVersionInformation,
  CoverageResource,
  CoveredResource,
  FargateProfile,
  Image,
  Insight,
  InsightSummary,
  Instance,
  InstanceInformation,
  LaunchTemplateVersion,
  Nodegroup,
  OpenIDConnectProviderListEntry,
  RegistryScanningConfiguration,
  RouteTable,
  Subnet,
  Volume,
};

/** A GuardDuty detector: GetDetector's response with the id ListDetectors gave it. */
export type GuardDutyDetector = GetDetectorResponse & { readonly DetectorId: string };

/** Why a part of a snapshot is missing: the call that failed, with AWS's error code. */
export interface CollectionFailure {
  /** `<service>:<Operation>`, e.g. `ec2:DescribeInstances`. */
  readonly operation: string;
  readonly code: string;
  readonly message: string;
}

/** Failed look-ups of single resources (a deleted launch template, an AMI that could not be described), by key. */
export type LookupFailures = Readonly<Record<string, CollectionFailure>>;

export type Part<T> =
  | {
      readonly status: 'collected';
      readonly value: T;
      /**
       * Keys of this part whose own look-up failed: the value lacks them. The runner shows the part as
       * failed only to the node groups that need one of these keys (lib/snapshot/lookups.ts), so their
       * siblings are judged as usual.
       */
      readonly lookupFailures?: LookupFailures;
    }
  | { readonly status: 'failed'; readonly failure: CollectionFailure };

export const collected = <T>(value: T, lookupFailures: LookupFailures = {}): Part<T> =>
  Object.keys(lookupFailures).length === 0
    ? { status: 'collected', value }
    : { status: 'collected', value, lookupFailures };
export const failed = <T = never>(failure: CollectionFailure): Part<T> => ({ status: 'failed', failure });

/** Where a cluster lives. The cluster ARN is derivable, so results can name it even when DescribeCluster failed. */
export interface ClusterScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
}

/**
 * The parts of a cluster snapshot. Checks declare the parts they read; the collector fetches only
 * what the selected checks need, and the IAM policy is derived from the same list.
 */
export interface SnapshotParts {
  /** DescribeCluster. */
  readonly cluster: Part<Cluster>;
  /** DescribeClusterVersions for the Region (shared by its clusters). */
  readonly clusterVersions: Part<ClusterVersionInformation[]>;
  /** Every managed node group of the cluster (ListNodegroups + DescribeNodegroup each). */
  readonly nodegroups: Part<Nodegroup[]>;
  readonly fargateProfiles: Part<FargateProfile[]>;
  /** Every instance tagged as a node of this cluster, in any state. */
  readonly instances: Part<Instance[]>;
  /** Auto Scaling groups of the cluster's self-managed nodes (and those tagged for the cluster). */
  readonly autoScalingGroups: Part<AutoScalingGroup[]>;
  /** The cluster nodes' AMIs by id. An id absent here was not describable (deregistered or not shared). */
  readonly images: Part<Readonly<Record<string, Image>>>;
  /** Launch template versions referenced by node groups and Auto Scaling groups. */
  readonly launchTemplateVersions: Part<LaunchTemplateVersion[]>;
  /** Subnets of the node groups and nodes. */
  readonly subnets: Part<Subnet[]>;
  /** Every route table of the VPCs of those subnets (needed for the main-table fallback). */
  readonly routeTables: Part<RouteTable[]>;
  /** Inspector's state for the account (BatchGetAccountStatus). */
  readonly inspectorAccount: Part<AccountState>;
  /** Inspector coverage records of the cluster's instances. */
  readonly inspectorCoverage: Part<CoveredResource[]>;
  /** SSM public parameters (latest EKS AMI releases) by name. A requested name absent here does not exist. */
  readonly releaseParameters: Part<Readonly<Record<string, string>>>;
  /** The Region's SSM managed nodes (DescribeInstanceInformation, EC2 instances), listed once for all clusters. */
  readonly ssmManagedNodes: Part<InstanceInformation[]>;
  /** The EBS volumes attached to the cluster's running nodes (DescribeVolumes by id). */
  readonly volumes: Part<Volume[]>;
  /** Whether EBS encryption by default is on in the account and Region (GetEbsEncryptionByDefault). */
  readonly ebsEncryptionByDefault: Part<boolean>;
  /** The GuardDuty detector of the account and Region (shared by its clusters); null: there is none. */
  readonly guardDutyDetector: Part<GuardDutyDetector | null>;
  /** GuardDuty's EKS runtime coverage record of the cluster (one ListCoverage listing per Region); null: none. */
  readonly guardDutyCoverage: Part<CoverageResource | null>;
  /** ECR's registry scanning configuration of the account and Region (shared by its clusters). */
  readonly ecrScanningConfiguration: Part<RegistryScanningConfiguration>;
  /**
   * The cluster's EKS insights of the categories the insights check judges (ListInsights), with the
   * details (DescribeInsight) of those in status ERROR or WARNING. A detail whose look-up failed is a
   * lookup failure keyed by insight id: the status still comes from the listing.
   */
  readonly insights: Part<ClusterInsights>;
  /** Every installed EKS add-on of the cluster (ListAddons + DescribeAddon each). */
  readonly addons: Part<Addon[]>;
  /**
   * DescribeAddonVersions for the cluster's Kubernetes version, keyed by that version (one call per
   * Region and version, shared by its clusters); a failed version is a lookup failure under its key.
   */
  readonly addonVersions: Part<Readonly<Record<string, AddonInfo[]>>>;
  /** The account's IAM OIDC identity providers (ListOpenIDConnectProviders: global, once per account). */
  readonly oidcProviders: Part<OpenIDConnectProviderListEntry[]>;
}

/** A cluster's insights: every summary listed, and the details of those described, by insight id. */
export interface ClusterInsights {
  readonly summaries: readonly InsightSummary[];
  readonly details: Readonly<Record<string, Insight>>;
}

export type SnapshotPartName = keyof SnapshotParts;

export interface ClusterSnapshot extends SnapshotParts {
  readonly scope: ClusterScope;
  /**
   * Resource ids (instance and Auto Scaling group ARNs) of resources tagged for this cluster that
   * another existing cluster owns (lib/snapshot/node-groups.ts, ownerOf): they are judged there, and
   * they still exist, so nothing of this cluster may archive their findings.
   */
  readonly ownedElsewhere?: readonly string[];
}

/** The IAM actions that collecting each part takes; the check declarations' permissions derive from this. */
export const PART_PERMISSIONS: Readonly<Record<SnapshotPartName, readonly string[]>> = {
  cluster: ['eks:DescribeCluster'],
  clusterVersions: ['eks:DescribeClusterVersions'],
  nodegroups: ['eks:ListNodegroups', 'eks:DescribeNodegroup'],
  fargateProfiles: ['eks:ListFargateProfiles', 'eks:DescribeFargateProfile'],
  instances: ['ec2:DescribeInstances'],
  autoScalingGroups: ['autoscaling:DescribeAutoScalingGroups'],
  images: ['ec2:DescribeImages'],
  launchTemplateVersions: ['ec2:DescribeLaunchTemplateVersions'],
  subnets: ['ec2:DescribeSubnets'],
  routeTables: ['ec2:DescribeRouteTables'],
  inspectorAccount: ['inspector2:BatchGetAccountStatus'],
  inspectorCoverage: ['inspector2:ListCoverage'],
  releaseParameters: ['ssm:GetParameters'],
  guardDutyDetector: ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  // The coverage listing names the detector, so it lists the detectors too.
  guardDutyCoverage: ['guardduty:ListDetectors', 'guardduty:ListCoverage'],
  ecrScanningConfiguration: ['ecr:GetRegistryScanningConfiguration'],
  insights: ['eks:ListInsights', 'eks:DescribeInsight'],
  addons: ['eks:ListAddons', 'eks:DescribeAddon'],
  addonVersions: ['eks:DescribeAddonVersions'],
  oidcProviders: ['iam:ListOpenIDConnectProviders'],
  ssmManagedNodes: ['ssm:DescribeInstanceInformation'],
  volumes: ['ec2:DescribeVolumes'],
  ebsEncryptionByDefault: ['ec2:GetEbsEncryptionByDefault'],
};

export const SNAPSHOT_PART_NAMES = Object.keys(PART_PERMISSIONS) as SnapshotPartName[];

/** What every collection of a Region takes whatever the checks: finding the clusters. */
export const LISTING_PERMISSIONS = ['eks:ListClusters'] as const;

export const clusterArn = (scope: ClusterScope): string =>
  `arn:${scope.partition}:eks:${scope.region}:${scope.accountId}:cluster/${scope.clusterName}`;

export const instanceArn = (scope: ClusterScope, instanceId: string): string =>
  `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:instance/${instanceId}`;

/** Every distinct call failure recorded in the snapshots (parts no check asked for are not failures). */
export function snapshotFailures(snapshots: readonly ClusterSnapshot[]): CollectionFailure[] {
  const seen = new Map<string, CollectionFailure>();
  for (const snapshot of snapshots) {
    for (const name of SNAPSHOT_PART_NAMES) {
      const part = snapshot[name];
      const failures = part.status === 'failed' ? [part.failure] : Object.values(part.lookupFailures ?? {});
      for (const failure of failures) {
        if (failure.code === 'NotRequested') continue;
        seen.set(`${failure.operation}|${failure.code}|${failure.message}`, failure);
      }
    }
  }
  return [...seen.values()];
}
