/**
 * Plain-data builders for check tests: each returns a realistic SDK-shaped object, overridable.
 * A snapshot starts with every part collected and empty; tests set the parts they need.
 */
import endpointNotPublic from '../../lib/checks/eks_cluster_endpoint_not_public.js';
import { mappingsInForce } from '../../lib/checks/frameworks.js';
import { resolveParameters, runCheck } from '../../lib/checks/runner.js';
import type { Check, CheckResult } from '../../lib/checks/types.js';
import {
  type AccountState,
  type AutoScalingGroup,
  type Cluster,
  type ClusterScope,
  type ClusterSnapshot,
  type ClusterVersionInformation,
  type CollectionFailure,
  type CoveredResource,
  collected,
  type FargateProfile,
  failed,
  type Image,
  type Instance,
  type InstanceInformation,
  type LaunchTemplateVersion,
  type Nodegroup,
  type Part,
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
