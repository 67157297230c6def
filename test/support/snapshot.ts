/**
 * Plain-data builders for check tests: each returns a realistic SDK-shaped object, overridable.
 * A snapshot starts with every part collected and empty; tests set the parts they need.
 */
import type { CoverageEksClusterDetails } from '@aws-sdk/client-guardduty';
import endpointNotPublic from '../../lib/checks/eks_cluster_endpoint_not_public.js';
import { mappingsInForce } from '../../lib/checks/frameworks.js';
import { resolveParameters, runCheck } from '../../lib/checks/runner.js';
import type { Check, CheckResult } from '../../lib/checks/types.js';
import {
  type AccountState,
  type Addon,
  type AddonInfo,
  type AutoScalingGroup,
  type Cluster,
  type ClusterScope,
  type ClusterSnapshot,
  type ClusterVersionInformation,
  type CollectionFailure,
  type CoverageResource,
  type CoveredResource,
  collected,
  type FargateProfile,
  failed,
  type GuardDutyDetector,
  type Image,
  type Insight,
  type InsightSummary,
  type Instance,
  type InstanceInformation,
  type LaunchTemplateVersion,
  type Nodegroup,
  type OpenIDConnectProviderListEntry,
  type Part,
  type RegistryScanningConfiguration,
  type RouteTable,
  type SnapshotPartName,
  type Subnet,
  type Volume,
} from '../../lib/snapshot/types.js';

export const ACCOUNT = '222222222222';
export const REGION = 'eu-west-1';
export const CLUSTER = 'payments';
export const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
export const VPC = 'vpc-0a1b2c3d';
export const NOW = new Date('2026-11-22T12:00:00.000Z');
export const DAY_MS = 86_400_000;

/** An ISO timestamp `ms` milliseconds before the scan time NOW. */
export const beforeNow = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

export const STOPPED = { Code: 80, Name: 'stopped' } as const;

export const aScope = (overrides: Partial<ClusterScope> = {}): ClusterScope => ({
  partition: 'aws',
  accountId: ACCOUNT,
  region: REGION,
  clusterName: CLUSTER,
  ...overrides,
});

export const aFailure = (overrides: Partial<CollectionFailure> = {}): CollectionFailure => ({
  operation: 'ec2:DescribeInstances',
  code: 'ThrottlingException',
  message: 'Rate exceeded',
  ...overrides,
});

export const failedPart = <T>(overrides: Partial<CollectionFailure> = {}): Part<T> =>
  failed<T>(aFailure(overrides));

export const aCluster = (overrides: Partial<Cluster> = {}): Cluster => ({
  name: CLUSTER,
  arn: CLUSTER_ARN,
  version: '1.33',
  platformVersion: 'eks.9',
  status: 'ACTIVE',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/eks-cluster`,
  endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
  resourcesVpcConfig: {
    vpcId: VPC,
    subnetIds: ['subnet-private-a', 'subnet-private-b'],
    securityGroupIds: ['sg-0cluster'],
    clusterSecurityGroupId: 'sg-0eksmanaged',
    endpointPublicAccess: false,
    endpointPrivateAccess: true,
    publicAccessCidrs: [],
  },
  logging: {
    clusterLogging: [
      { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true },
    ],
  },
  encryptionConfig: [
    {
      resources: ['secrets'],
      provider: { keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef` },
    },
  ],
  accessConfig: { authenticationMode: 'API' },
  deletionProtection: true,
  upgradePolicy: { supportType: 'STANDARD' },
  ...overrides,
});

export const aClusterVersion = (
  overrides: Partial<ClusterVersionInformation> = {},
): ClusterVersionInformation => ({
  clusterVersion: '1.33',
  clusterType: 'eks',
  defaultPlatformVersion: 'eks.9',
  releaseDate: new Date('2025-05-29T00:00:00Z'),
  endOfStandardSupportDate: new Date('2026-07-29T00:00:00Z'),
  endOfExtendedSupportDate: new Date('2027-07-29T00:00:00Z'),
  status: 'extended-support' as never,
  versionStatus: 'EXTENDED_SUPPORT',
  kubernetesPatchVersion: '1.33.5',
  ...overrides,
});

/** The resource id of a Karpenter node pool. */
export const nodePoolResourceId = (pool: string) => `${CLUSTER_ARN}/nodepool/${pool}`;

/** The resource id of a lone self-managed node: its instance ARN. */
export const instanceResourceId = (instanceId: string) =>
  `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${instanceId}`;

export const nodegroupArn = (name: string) =>
  `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/${CLUSTER}/${name}/0bc5-${name}`;

export const aManagedNodegroup = (overrides: Partial<Nodegroup> = {}): Nodegroup => {
  const name = overrides.nodegroupName ?? 'ng-1';
  return {
    nodegroupName: name,
    nodegroupArn: nodegroupArn(name),
    clusterName: CLUSTER,
    version: '1.33',
    releaseVersion: '1.33.5-20261110',
    amiType: 'AL2023_x86_64_STANDARD',
    capacityType: 'ON_DEMAND',
    status: 'ACTIVE',
    subnets: ['subnet-private-a', 'subnet-private-b'],
    instanceTypes: ['m6i.large'],
    nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-node`,
    resources: { autoScalingGroups: [{ name: `eks-${name}-0bc5` }] },
    scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
    ...overrides,
  };
};

/** A node of the cluster. `group` sets the managed node group tag; pass `tags` for other kinds. */
export const anInstance = (
  overrides: Partial<Instance> & { group?: string; extraTags?: { Key: string; Value: string }[] } = {},
): Instance => {
  const { group = 'ng-1', extraTags = [], ...rest } = overrides;
  return {
    InstanceId: 'i-0aaa0000000000001',
    InstanceType: 'm6i.large',
    ImageId: 'ami-0al2023',
    State: { Code: 16, Name: 'running' },
    SubnetId: 'subnet-private-a',
    VpcId: VPC,
    PrivateIpAddress: '10.0.1.10',
    LaunchTime: new Date('2026-11-15T00:00:00Z'),
    MetadataOptions: {
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 1,
      HttpEndpoint: 'enabled',
      State: 'applied',
    },
    Tags: [
      { Key: 'aws:eks:cluster-name', Value: CLUSTER },
      { Key: 'eks:cluster-name', Value: CLUSTER },
      { Key: 'eks:nodegroup-name', Value: group },
      { Key: 'aws:autoscaling:groupName', Value: `eks-${group}-0bc5` },
      ...extraTags,
    ],
    ...rest,
  };
};

/** A self-managed node: Kubernetes cluster tag and, when `asg` is given, its Auto Scaling group. */
export const aSelfManagedInstance = (overrides: Partial<Instance> & { asg?: string } = {}): Instance => {
  const { asg, ...rest } = overrides;
  return anInstance({
    InstanceId: 'i-0bbb0000000000001',
    ImageId: 'ami-0custom',
    Tags: [
      { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned' },
      ...(asg === undefined ? [] : [{ Key: 'aws:autoscaling:groupName', Value: asg }]),
    ],
    ...rest,
  });
};

/** A Karpenter node of the given pool. */
export const aKarpenterInstance = (pool: string, overrides: Partial<Instance> = {}): Instance =>
  anInstance({
    InstanceId: 'i-0ccc0000000000001',
    ImageId: 'ami-0bottlerocket',
    Tags: [
      { Key: 'aws:eks:cluster-name', Value: CLUSTER },
      { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned' },
      { Key: 'karpenter.sh/nodepool', Value: pool },
    ],
    ...overrides,
  });

/** A node EKS Auto Mode launched: EC2 reports EKS as its operator (aws-facts, "The 2026 estate"). */
export const anAutoModeInstance = (pool: string, overrides: Partial<Instance> = {}): Instance =>
  anInstance({
    InstanceId: 'i-0dda0000000000001',
    ImageId: 'ami-0automode',
    Operator: { Managed: true, Principal: 'eks.amazonaws.com' },
    Tags: [
      { Key: 'eks:eks-cluster-name', Value: CLUSTER },
      { Key: 'eks:kubernetes-node-pool-name', Value: pool },
      { Key: 'eks:kubernetes-node-class-name', Value: 'default' },
      { Key: 'karpenter.sh/nodepool', Value: pool },
    ],
    ...overrides,
  });

export const anAutoScalingGroup = (
  name: string,
  overrides: Partial<AutoScalingGroup> = {},
): AutoScalingGroup => ({
  AutoScalingGroupName: name,
  AutoScalingGroupARN: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:5f2e-${name}:autoScalingGroupName/${name}`,
  MinSize: 1,
  MaxSize: 3,
  DesiredCapacity: 1,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2026-01-01T00:00:00Z'),
  VPCZoneIdentifier: 'subnet-private-a,subnet-private-b',
  Tags: [{ Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned', PropagateAtLaunch: true }],
  ...overrides,
});

/** The resource id of a self-managed Auto Scaling group built by `anAutoScalingGroup(name)`. */
export const autoScalingGroupResourceId = (name: string) =>
  anAutoScalingGroup(name).AutoScalingGroupARN ?? name;

export const anImage = (overrides: Partial<Image> = {}): Image => ({
  ImageId: 'ami-0al2023',
  Name: 'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110',
  CreationDate: '2026-11-10T00:00:00.000Z',
  OwnerId: '602401143452',
  State: 'available',
  Architecture: 'x86_64',
  ...overrides,
});

export const aSubnet = (overrides: Partial<Subnet> = {}): Subnet => ({
  SubnetId: 'subnet-private-a',
  VpcId: VPC,
  CidrBlock: '10.0.1.0/24',
  AvailabilityZone: 'eu-west-1a',
  MapPublicIpOnLaunch: false,
  State: 'available',
  ...overrides,
});

/** A route table; by default the VPC's main table with only a local route. */
export const aRouteTable = (overrides: Partial<RouteTable> = {}): RouteTable => ({
  RouteTableId: 'rtb-main',
  VpcId: VPC,
  Associations: [{ Main: true, RouteTableAssociationId: 'rtbassoc-main', RouteTableId: 'rtb-main' }],
  Routes: [
    { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active', Origin: 'CreateRouteTable' },
  ],
  ...overrides,
});

export const aLaunchTemplateVersion = (
  overrides: Partial<LaunchTemplateVersion> = {},
): LaunchTemplateVersion => ({
  LaunchTemplateId: 'lt-0abc',
  LaunchTemplateName: 'nodes',
  VersionNumber: 1,
  DefaultVersion: true,
  LaunchTemplateData: { InstanceType: 'm6i.large' },
  ...overrides,
});

const inspectorState = (status: string) => ({
  status: status as never,
  errorCode: undefined,
  errorMessage: undefined,
});

/** Inspector's account state with EC2 scanning in `ec2Status` (ENABLED, DISABLED, ENABLING, ...). */
export const anInspectorAccount = (ec2Status = 'ENABLED'): AccountState => ({
  accountId: ACCOUNT,
  state: inspectorState('ENABLED'),
  resourceState: { ec2: inspectorState(ec2Status), ecr: inspectorState('ENABLED') },
});

export const aCoverage = (instanceId: string, overrides: Partial<CoveredResource> = {}): CoveredResource => ({
  accountId: ACCOUNT,
  resourceId: instanceId,
  resourceType: 'AWS_EC2_INSTANCE',
  scanType: 'PACKAGE',
  scanStatus: { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' },
  ...overrides,
});

/** An Online SSM managed node (DescribeInstanceInformation) for the instance. */
export const anInstanceInformation = (
  instanceId: string,
  overrides: Partial<InstanceInformation> = {},
): InstanceInformation => ({
  InstanceId: instanceId,
  PingStatus: 'Online',
  LastPingDateTime: new Date('2026-11-22T11:58:00Z'),
  AgentVersion: '3.3.1142.0',
  IsLatestVersion: false,
  PlatformType: 'Linux',
  PlatformName: 'Amazon Linux',
  ResourceType: 'EC2Instance',
  IPAddress: '10.0.1.10',
  ...overrides,
});

/** An encrypted gp3 volume attached to the instance at /dev/xvda. */
export const aVolume = (volumeId: string, instanceId: string, overrides: Partial<Volume> = {}): Volume => ({
  VolumeId: volumeId,
  Size: 80,
  VolumeType: 'gp3',
  State: 'in-use',
  AvailabilityZone: 'eu-west-1a',
  CreateTime: new Date('2026-11-15T00:00:00Z'),
  Encrypted: true,
  KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/ebs-1234`,
  Attachments: [
    {
      VolumeId: volumeId,
      InstanceId: instanceId,
      Device: '/dev/xvda',
      State: 'attached',
      DeleteOnTermination: true,
      AttachTime: new Date('2026-11-15T00:00:00Z'),
    },
  ],
  ...overrides,
});

/** An instance's BlockDeviceMappings entry for an attached EBS volume. */
export const anEbsMapping = (volumeId: string, device = '/dev/xvda') => ({
  DeviceName: device,
  Ebs: { VolumeId: volumeId, Status: 'attached' as const, DeleteOnTermination: true },
});

export const aFargateProfile = (name: string, overrides: Partial<FargateProfile> = {}): FargateProfile => ({
  fargateProfileName: name,
  fargateProfileArn: `arn:aws:eks:${REGION}:${ACCOUNT}:fargateprofile/${CLUSTER}/${name}/7ac5-${name}`,
  clusterName: CLUSTER,
  status: 'ACTIVE',
  selectors: [{ namespace: 'batch' }],
  subnets: ['subnet-private-a'],
  ...overrides,
});

/** An EKS insight as DescribeInsight returns it; by default a PASSING upgrade-readiness insight. */
export const anInsight = (overrides: Partial<Insight> = {}): Insight => ({
  id: 'ins-0deprecated-apis',
  name: 'Deprecated APIs removed in Kubernetes v1.34',
  category: 'UPGRADE_READINESS',
  kubernetesVersion: '1.34',
  lastRefreshTime: new Date('2026-11-22T04:00:00Z'),
  lastTransitionTime: new Date('2026-10-30T04:00:00Z'),
  description: 'Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v1.34.',
  insightStatus: { status: 'PASSING', reason: 'No deprecated API usage detected within the last 30 days.' },
  ...overrides,
});

/** The summary ListInsights gives of an insight. */
export const summaryOf = (insight: Insight): InsightSummary => {
  const { recommendation, additionalInfo, resources, categorySpecificSummary, ...summary } = insight;
  return summary;
};

/** The insights part: every insight listed, and those given in `described` (by default, every ERROR or WARNING one) described. */
export const insightsOf = (insights: readonly Insight[], described?: readonly Insight[]) => ({
  summaries: insights.map(summaryOf),
  details: Object.fromEntries(
    (
      described ??
      insights.filter((insight) => ['ERROR', 'WARNING'].includes(insight.insightStatus?.status ?? ''))
    ).map((insight) => [insight.id ?? '', insight]),
  ),
});

/** An installed EKS add-on as DescribeAddon returns it; by default vpc-cni, ACTIVE and healthy. */
export const anAddon = (overrides: Partial<Addon> = {}): Addon => {
  const name = overrides.addonName ?? 'vpc-cni';
  return {
    addonName: name,
    clusterName: CLUSTER,
    status: 'ACTIVE',
    addonVersion: 'v1.20.4-eksbuild.2',
    health: { issues: [] },
    addonArn: `arn:aws:eks:${REGION}:${ACCOUNT}:addon/${CLUSTER}/${name}/5ec9-${name}`,
    createdAt: new Date('2026-01-10T00:00:00Z'),
    modifiedAt: new Date('2026-10-01T00:00:00Z'),
    ...overrides,
  };
};

/**
 * An add-on as DescribeAddonVersions lists it: `versions` newest first, each compatible with
 * `clusterVersion`, the one named by `defaultVersion` marked default.
 */
export const anAddonInfo = (
  addonName: string,
  versions: readonly string[],
  defaultVersion: string,
  clusterVersion = '1.33',
): AddonInfo => ({
  addonName,
  type: 'networking',
  owner: 'aws',
  publisher: 'eks',
  addonVersions: versions.map((addonVersion) => ({
    addonVersion,
    architecture: ['amd64', 'arm64'],
    compatibilities: [
      { clusterVersion, platformVersions: ['*'], defaultVersion: addonVersion === defaultVersion },
    ],
    requiresConfiguration: false,
  })),
});

/** The cluster's IAM OIDC provider: its issuer without `https://`. */
export const OIDC_ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const anOidcProvider = (issuer = OIDC_ISSUER): OpenIDConnectProviderListEntry => ({
  Arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.replace(/^https:\/\//, '')}`,
});

export const DETECTOR_ID = '12abc34d567e8fa901bc2d34e56789f0';

/** A GuardDuty detector, ENABLED with EKS audit logs and Runtime Monitoring (agent managed by GuardDuty). */
export const aGuardDutyDetector = (overrides: Partial<GuardDutyDetector> = {}): GuardDutyDetector => ({
  DetectorId: DETECTOR_ID,
  Status: 'ENABLED',
  ServiceRole: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
  CreatedAt: '2026-01-01T00:00:00.000Z',
  FindingPublishingFrequency: 'SIX_HOURS',
  Features: [
    { Name: 'CLOUD_TRAIL', Status: 'ENABLED' },
    { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
    {
      Name: 'RUNTIME_MONITORING',
      Status: 'ENABLED',
      AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
    },
  ],
  ...overrides,
});

type EksCoverageOverrides = Partial<Omit<CoverageResource, 'ResourceDetails'>> & {
  readonly eks?: Partial<CoverageEksClusterDetails>;
};

/** The cluster's GuardDuty EKS runtime coverage record: HEALTHY, 2 of 2 nodes, agent managed by GuardDuty. */
export const aGuardDutyCoverage = ({
  eks = {},
  ...overrides
}: EksCoverageOverrides = {}): CoverageResource => ({
  ResourceId: CLUSTER,
  DetectorId: DETECTOR_ID,
  AccountId: ACCOUNT,
  ResourceDetails: {
    ResourceType: 'EKS',
    EksClusterDetails: {
      ClusterName: CLUSTER,
      CoveredNodes: 2,
      CompatibleNodes: 2,
      AddonDetails: { AddonVersion: 'v1.11.0-eksbuild.4', AddonStatus: 'ACTIVE' },
      ManagementType: 'AUTO_MANAGED',
      ...eks,
    },
  },
  CoverageStatus: 'HEALTHY',
  UpdatedAt: new Date('2026-11-22T11:00:00Z'),
  ...overrides,
});

/** ECR enhanced scanning of every repository, continuously. */
export const anEcrScanningConfiguration = (
  overrides: Partial<RegistryScanningConfiguration> = {},
): RegistryScanningConfiguration => ({
  scanType: 'ENHANCED',
  rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
  ...overrides,
});

type PartOverrides = {
  [K in SnapshotPartName]?: ClusterSnapshot[K] extends Part<infer T> ? T | Part<T> : never;
};

const isPart = (value: unknown): value is Part<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  ((value as { status: unknown }).status === 'collected' ||
    (value as { status: unknown }).status === 'failed') &&
  ('value' in value || 'failure' in value);

/**
 * A snapshot of one cluster: every part collected and empty unless given. A part may be given as a
 * plain value (collected) or as a Part (e.g. `failedPart()`).
 */
export function aSnapshot(parts: PartOverrides = {}, scope: ClusterScope = aScope()): ClusterSnapshot {
  const defaults: Record<keyof PartOverrides, unknown> = {
    cluster: aCluster(),
    clusterVersions: [aClusterVersion()],
    nodegroups: [],
    fargateProfiles: [],
    instances: [],
    autoScalingGroups: [],
    images: {},
    launchTemplateVersions: [],
    subnets: [],
    routeTables: [],
    inspectorAccount: anInspectorAccount(),
    inspectorCoverage: [],
    releaseParameters: {},
    insights: { summaries: [], details: {} },
    addons: [],
    addonVersions: {},
    oidcProviders: [],
    guardDutyDetector: aGuardDutyDetector(),
    guardDutyCoverage: aGuardDutyCoverage(),
    ecrScanningConfiguration: anEcrScanningConfiguration(),
    ssmManagedNodes: [],
    volumes: [],
    ebsEncryptionByDefault: false,
  };
  const snapshot: Record<string, unknown> = { scope };
  for (const [name, fallback] of Object.entries(defaults)) {
    const given = (parts as Record<string, unknown>)[name];
    const value = given === undefined ? fallback : given;
    snapshot[name] = isPart(value) ? value : collected(value);
  }
  return snapshot as unknown as ClusterSnapshot;
}

/** Images keyed by id, as the snapshot holds them. */
export const imagesById = (...images: Image[]): Record<string, Image> =>
  Object.fromEntries(images.map((image) => [image.ImageId ?? '', image]));

/** Runs one check over one snapshot at NOW (or `now`), with parameter overrides. */
export function evaluate(
  check: Check,
  snapshot: ClusterSnapshot,
  options: { now?: Date; parameters?: Record<string, unknown> } = {},
): CheckResult[] {
  return runCheck(check, snapshot, {
    now: options.now ?? NOW,
    parameters: resolveParameters(check, options.parameters),
  });
}

/** The single result for a resource, failing the test when there is not exactly one. */
export function resultFor(results: readonly CheckResult[], resourceId: string): CheckResult {
  const matching = results.filter((result) => result.resourceId === resourceId);
  if (matching.length !== 1) {
    throw new Error(
      `expected one result for ${resourceId}, got ${matching.length}: ${JSON.stringify(results, null, 2)}`,
    );
  }
  return matching[0] as CheckResult;
}

/** A FAILED result of the endpoint check on the cluster, as the runner shapes one. */
export const aClusterResult = (overrides: Partial<CheckResult> = {}): CheckResult => ({
  checkId: 'eks_cluster_endpoint_not_public',
  status: 'FAILED',
  severity: 'HIGH',
  partition: 'aws',
  accountId: ACCOUNT,
  region: REGION,
  cluster: CLUSTER,
  resourceType: 'AwsEksCluster',
  resourceId: CLUSTER_ARN,
  reason: `Cluster ${CLUSTER} API endpoint is public and open to 0.0.0.0/0.`,
  evidence: {},
  frameworks: mappingsInForce(endpointNotPublic, resolveParameters(endpointNotPublic)),
  ...overrides,
});

/** A second cluster, `ledger`, beside the given snapshot's: by default one that passes every cluster check. */
export const aLedgerSnapshot = (beside: ClusterSnapshot, cluster: Partial<Cluster> = {}): ClusterSnapshot =>
  aSnapshot(
    { cluster: aCluster({ name: 'ledger', arn: CLUSTER_ARN.replace('payments', 'ledger'), ...cluster }) },
    { ...beside.scope, clusterName: 'ledger' },
  );

/** A snapshot whose DescribeCluster was denied: every cluster check must give ERROR on the cluster ARN. */
export const aDeniedClusterSnapshot = (): ClusterSnapshot =>
  aSnapshot({ cluster: failedPart({ operation: 'eks:DescribeCluster', code: 'AccessDeniedException' }) });
