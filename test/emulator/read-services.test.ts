/**
 * The read services of the emulator (EKS, EC2, Auto Scaling, Inspector, SSM, STS, Organizations),
 * driven by the real SDK clients and paginators: data, filters, paging, errors, faults and the admin
 * endpoints, as the scanner will meet them.
 */
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  paginateDescribeAutoScalingGroups,
} from '@aws-sdk/client-auto-scaling';
import {
  type _InstanceType,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type Filter,
  type InstanceStateName,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeLaunchTemplateVersions,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import {
  AccessDeniedException,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  paginateDescribeClusterVersions,
  paginateListClusters,
  paginateListFargateProfiles,
  paginateListInsights,
  paginateListNodegroups,
  ResourceNotFoundException,
  ServerException,
  ThrottlingException,
} from '@aws-sdk/client-eks';
import {
  BatchGetAccountStatusCommand,
  type CoverageFilterCriteria,
  Inspector2Client,
  ListCoverageCommand,
  paginateListCoverage,
  ValidationException,
} from '@aws-sdk/client-inspector2';
import {
  AWSOrganizationsNotInUseException,
  InvalidInputException,
  ListAccountsCommand,
  AccessDeniedException as OrganizationsAccessDeniedException,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import {
  GetParametersCommand,
  SSMClient,
  ValidationException as SsmValidationException,
} from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { Estate, EstateRegion } from '../../emulator/estate.js';
import { startEmulator } from '../../emulator/server.js';
import { applyFilters, SUBNET_FILTERS } from '../../emulator/services/ec2-filters.js';
import {
  aClusterRecord,
  anAccount,
  anEstate,
  type FaultInput,
  HOME_REGION,
  MANAGEMENT_ACCOUNT,
  MEMBER_ACCOUNT,
  seededRandom,
} from '../support/estate.js';

const DENIED_ACCOUNT = '333333333333';
const CLOSED_ACCOUNT = '444444444444';
const UNKNOWN_ACCOUNT = '999999999999';
const OTHER_REGION = 'us-east-1';
const MEMBER_OTHER_REGION = 'us-west-2';
const AMAZON = '602401143452';
const AL2023_RELEASE =
  '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version';
const BOTTLEROCKET_VERSION = '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_version';

const tags = (entries: Record<string, string>) =>
  Object.entries(entries).map(([Key, Value]) => ({ Key, Value }));

type InstanceRecord = EstateRegion['ec2']['instances'][number];

/** An EKS node; `reservation` sets the ReservationId member the emulator groups instances by. */
function anInstance(
  id: string,
  overrides: {
    cluster: string;
    nodegroup?: string;
    state?: InstanceStateName;
    image?: string;
    subnet?: string;
    type?: _InstanceType;
    reservation?: string;
  },
): InstanceRecord {
  return {
    InstanceId: id,
    ImageId: overrides.image ?? 'ami-current',
    InstanceType: overrides.type ?? 'm5.large',
    State: { Name: overrides.state ?? 'running', Code: overrides.state === 'stopped' ? 80 : 16 },
    SubnetId: overrides.subnet ?? 'subnet-private-a',
    VpcId: 'vpc-main',
    LaunchTime: '2026-11-01T10:00:00.000Z',
    Placement: { AvailabilityZone: 'eu-west-1a' },
    MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    Tags: tags({
      'aws:eks:cluster-name': overrides.cluster,
      ...(overrides.nodegroup ? { 'eks:nodegroup-name': overrides.nodegroup } : {}),
    }),
    ...(overrides.reservation ? { ReservationId: overrides.reservation } : {}),
  };
}

type CoverageRecord = NonNullable<EstateRegion['inspector2']>['coverage'][number];

function aCoverage(
  resourceId: string,
  resourceType: CoverageRecord['resourceType'],
  statusCode: 'ACTIVE' | 'INACTIVE',
  reason: NonNullable<CoverageRecord['scanStatus']>['reason'] = 'SUCCESSFUL',
): CoverageRecord {
  return {
    resourceId,
    resourceType,
    accountId: MANAGEMENT_ACCOUNT,
    scanType: resourceType === 'AWS_EC2_INSTANCE' ? 'PACKAGE' : 'CODE',
    scanStatus: { statusCode, reason },
  };
}

type GroupRecord = EstateRegion['autoscaling']['groups'][number];

/** An Auto Scaling group with the members AWS always returns, and `groupTags` as its tags. */
function aGroup(name: string, groupTags: Record<string, string> = {}): GroupRecord {
  return {
    AutoScalingGroupName: name,
    MinSize: 1,
    MaxSize: 3,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    AvailabilityZones: ['eu-west-1a', 'eu-west-1b'],
    HealthCheckType: 'EC2',
    CreatedTime: '2026-01-01T00:00:00.000Z',
    Tags: Object.entries(groupTags).map(([Key, Value]) => ({
      Key,
      Value,
      ResourceId: name,
      ResourceType: 'auto-scaling-group',
      PropagateAtLaunch: true,
    })),
  };
}

/** The estate most tests read: an organization of four accounts, the management one holding most data. */
function readEstate(): Estate {
  return anEstate({
    clusterVersions: [
      { clusterVersion: '1.29', versionStatus: 'UNSUPPORTED' },
      {
        clusterVersion: '1.31',
        versionStatus: 'EXTENDED_SUPPORT',
        endOfStandardSupportDate: '2025-11-26T00:00:00Z',
      },
      { clusterVersion: '1.32', versionStatus: 'STANDARD_SUPPORT' },
      { clusterVersion: '1.33', versionStatus: 'STANDARD_SUPPORT' },
    ],
    accounts: [
      anAccount({
        regions: {
          [HOME_REGION]: {
            clusters: [
              {
                cluster: aClusterRecord('alpha'),
                nodegroups: [
                  { nodegroupName: 'ng-a', clusterName: 'alpha', amiType: 'AL2023_x86_64_STANDARD' },
                  { nodegroupName: 'ng-b', clusterName: 'alpha', amiType: 'BOTTLEROCKET_x86_64' },
                ],
                fargateProfiles: [
                  { fargateProfileName: 'fp-a', clusterName: 'alpha', status: 'ACTIVE' },
                  { fargateProfileName: 'fp-b', clusterName: 'alpha', status: 'ACTIVE' },
                ],
                insights: [
                  { id: 'insight-1', name: 'Deprecated APIs', category: 'UPGRADE_READINESS' },
                  { id: 'insight-2', name: 'Kubelet skew', category: 'UPGRADE_READINESS' },
                ],
              },
              { cluster: aClusterRecord('beta') },
            ],
            ec2: {
              vpcs: [
                {
                  VpcId: 'vpc-main',
                  IsDefault: false,
                  State: 'available',
                  CidrBlock: '10.0.0.0/16',
                  Tags: tags({ Name: 'main' }),
                },
                { VpcId: 'vpc-default', IsDefault: true, State: 'available', CidrBlock: '172.31.0.0/16' },
              ],
              subnets: [
                {
                  SubnetId: 'subnet-private-a',
                  VpcId: 'vpc-main',
                  AvailabilityZone: 'eu-west-1a',
                  MapPublicIpOnLaunch: false,
                  Tags: tags({ Name: 'private-a', 'kubernetes.io/role/internal-elb': '1' }),
                },
                {
                  SubnetId: 'subnet-private-b',
                  VpcId: 'vpc-main',
                  AvailabilityZone: 'eu-west-1b',
                  MapPublicIpOnLaunch: false,
                  Tags: tags({ Name: 'private-b' }),
                },
                {
                  SubnetId: 'subnet-public-a',
                  VpcId: 'vpc-main',
                  AvailabilityZone: 'eu-west-1a',
                  MapPublicIpOnLaunch: true,
                  Tags: tags({ Name: 'public-a', 'kubernetes.io/role/elb': '1' }),
                },
                {
                  SubnetId: 'subnet-default',
                  VpcId: 'vpc-default',
                  AvailabilityZone: 'eu-west-1c',
                  MapPublicIpOnLaunch: true,
                },
              ],
              routeTables: [
                {
                  RouteTableId: 'rtb-main',
                  VpcId: 'vpc-main',
                  Associations: [
                    { Main: true, RouteTableAssociationId: 'rtbassoc-main', RouteTableId: 'rtb-main' },
                  ],
                  Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' }],
                },
                {
                  RouteTableId: 'rtb-public',
                  VpcId: 'vpc-main',
                  Associations: [
                    {
                      Main: false,
                      SubnetId: 'subnet-public-a',
                      RouteTableAssociationId: 'rtbassoc-public',
                      RouteTableId: 'rtb-public',
                    },
                  ],
                  Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }],
                },
                {
                  RouteTableId: 'rtb-private',
                  VpcId: 'vpc-main',
                  Associations: [
                    {
                      Main: false,
                      SubnetId: 'subnet-private-a',
                      RouteTableAssociationId: 'rtbassoc-private-a',
                    },
                    {
                      Main: false,
                      SubnetId: 'subnet-private-b',
                      RouteTableAssociationId: 'rtbassoc-private-b',
                    },
                  ],
                  Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', State: 'active' }],
                },
                {
                  RouteTableId: 'rtb-default',
                  VpcId: 'vpc-default',
                  Associations: [{ Main: true, RouteTableAssociationId: 'rtbassoc-default' }],
                },
              ],
              securityGroups: [
                {
                  GroupId: 'sg-cluster',
                  GroupName: 'eks-cluster-sg-alpha',
                  VpcId: 'vpc-main',
                  Description: 'cluster',
                },
                {
                  GroupId: 'sg-nodes',
                  GroupName: 'nodes',
                  VpcId: 'vpc-main',
                  Description: 'nodes',
                  IpPermissions: [
                    { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
                  ],
                },
                { GroupId: 'sg-default', GroupName: 'default', VpcId: 'vpc-default', Description: 'default' },
              ],
              instances: [
                anInstance('i-a1', { cluster: 'alpha', nodegroup: 'ng-a', reservation: 'r-shared' }),
                anInstance('i-a2', { cluster: 'alpha', nodegroup: 'ng-a', reservation: 'r-shared' }),
                anInstance('i-b1', {
                  cluster: 'alpha',
                  nodegroup: 'ng-b',
                  image: 'ami-old',
                  subnet: 'subnet-private-b',
                  type: 't3.medium',
                }),
                anInstance('i-stopped', { cluster: 'alpha', state: 'stopped' }),
                anInstance('i-beta', { cluster: 'beta', image: 'ami-missing', subnet: 'subnet-public-a' }),
              ],
              images: [
                {
                  ImageId: 'ami-current',
                  Name: 'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110',
                  State: 'available',
                  OwnerId: AMAZON,
                  ImageOwnerAlias: 'amazon',
                  CreationDate: '2026-11-10T00:00:00.000Z',
                },
                {
                  ImageId: 'ami-old',
                  Name: 'bottlerocket-aws-k8s-1.32-x86_64-v1.20.0',
                  State: 'available',
                  OwnerId: AMAZON,
                  ImageOwnerAlias: 'amazon',
                  CreationDate: '2025-01-01T00:00:00.000Z',
                },
                { ImageId: 'ami-own', Name: 'golden-node', State: 'available', OwnerId: MANAGEMENT_ACCOUNT },
                {
                  ImageId: 'ami-deprecated',
                  Name: 'amazon-eks-node-1.28-v20230101',
                  State: 'available',
                  OwnerId: AMAZON,
                  ImageOwnerAlias: 'amazon',
                  DeprecationTime: '2024-01-01T00:00:00.000Z',
                },
                {
                  ImageId: 'ami-disabled',
                  Name: 'retired-node',
                  State: 'disabled',
                  OwnerId: MANAGEMENT_ACCOUNT,
                },
              ],
              launchTemplateVersions: [
                {
                  LaunchTemplateId: 'lt-alpha',
                  LaunchTemplateName: 'alpha-nodes',
                  VersionNumber: 1,
                  DefaultVersion: true,
                  LaunchTemplateData: { ImageId: 'ami-old', MetadataOptions: { HttpTokens: 'optional' } },
                },
                {
                  LaunchTemplateId: 'lt-alpha',
                  LaunchTemplateName: 'alpha-nodes',
                  VersionNumber: 2,
                  DefaultVersion: false,
                  LaunchTemplateData: { ImageId: 'ami-current', MetadataOptions: { HttpTokens: 'required' } },
                },
                {
                  LaunchTemplateId: 'lt-alpha',
                  LaunchTemplateName: 'alpha-nodes',
                  VersionNumber: 3,
                  DefaultVersion: false,
                  LaunchTemplateData: { ImageId: 'ami-current', MetadataOptions: { HttpTokens: 'required' } },
                },
                {
                  LaunchTemplateId: 'lt-beta',
                  LaunchTemplateName: 'beta-nodes',
                  VersionNumber: 1,
                  LaunchTemplateData: { ImageId: 'ami-own' },
                },
              ],
            },
            autoscaling: {
              groups: [
                aGroup('eks-ng-a', { 'eks:cluster-name': 'alpha', 'eks:nodegroup-name': 'ng-a' }),
                aGroup('eks-ng-b', { 'eks:cluster-name': 'alpha', 'eks:nodegroup-name': 'ng-b' }),
                aGroup('self-managed', { 'kubernetes.io/cluster/alpha': 'owned' }),
                aGroup('unrelated'),
              ],
            },
            inspector2: {
              accountState: {
                accountId: MANAGEMENT_ACCOUNT,
                state: { status: 'ENABLED', errorCode: undefined, errorMessage: undefined },
                resourceState: {
                  ec2: { status: 'ENABLED', errorCode: undefined, errorMessage: undefined },
                  ecr: { status: 'DISABLED', errorCode: undefined, errorMessage: undefined },
                },
              },
              coverage: [
                aCoverage('i-a1', 'AWS_EC2_INSTANCE', 'ACTIVE'),
                aCoverage('i-a2', 'AWS_EC2_INSTANCE', 'INACTIVE', 'UNMANAGED_EC2_INSTANCE'),
                aCoverage('i-b1', 'AWS_EC2_INSTANCE', 'ACTIVE'),
                aCoverage(
                  'arn:aws:lambda:eu-west-1:111111111111:function:f',
                  'AWS_LAMBDA_FUNCTION',
                  'ACTIVE',
                ),
              ],
            },
            ssm: { parameters: { [AL2023_RELEASE]: '1.33.5-20261110', '/app/config': 'own-value' } },
          },
          [OTHER_REGION]: { ssm: { parameters: { [AL2023_RELEASE]: '1.33.5-20261201' } } },
        },
      }),
      anAccount({
        accountId: MEMBER_ACCOUNT,
        name: 'payments-prod',
        regions: {
          [HOME_REGION]: {
            clusters: [{ cluster: aClusterRecord('payments') }],
            ec2: { instances: [anInstance('i-member', { cluster: 'payments' })] },
            ssm: { parameters: { [BOTTLEROCKET_VERSION]: '1.40.0', '/member/private': 'secret' } },
          },
          [MEMBER_OTHER_REGION]: { clusters: [{ cluster: aClusterRecord('payments-us') }] },
        },
      }),
      anAccount({ accountId: DENIED_ACCOUNT, name: 'locked', assumeRole: 'deny' }),
      anAccount({ accountId: CLOSED_ACCOUNT, name: 'closed-down', state: 'CLOSED' }),
    ],
  });
}

type Running = Awaited<ReturnType<typeof startEmulator>>;

interface ClientTarget {
  readonly region?: string;
  readonly credentials?: AwsCredentialIdentity;
}

const clientConfig = (running: Running, target: ClientTarget = {}) => ({
  region: target.region ?? HOME_REGION,
  endpoint: running.endpoint,
  credentials: target.credentials ?? running.credentials,
  // One attempt: a fault or an error reaches the test as it reaches the scanner's first try.
  maxAttempts: 1,
});

/** Credentials of `account`, issued by the emulator's STS to the home account. */
async function assumeInto(running: Running, account: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient(clientConfig(running));
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/EksComplianceScannerRole`,
      RoleSessionName: 'test',
    }),
  );
  return {
    accessKeyId: Credentials?.AccessKeyId ?? '',
    secretAccessKey: Credentials?.SecretAccessKey ?? '',
    sessionToken: Credentials?.SessionToken ?? '',
  };
}

/** The error a call fails with, or undefined when it succeeds: Act runs the call, Assess looks at the error. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Every page a paginator yields, to the end. */
async function allPages<T>(paginator: AsyncIterable<T>): Promise<T[]> {
  const pages: T[] = [];
  for await (const page of paginator) pages.push(page);
  return pages;
}

const filter = (Name: string, ...Values: string[]): Filter => ({ Name, Values });

let running: Running;
/** The same estate with every page capped at one item. */
let paged: Running;

beforeAll(async () => {
  running = await startEmulator({ estate: readEstate() });
  paged = await startEmulator({ estate: readEstate(), maxPageSize: 1 });
});

afterAll(async () => {
  await running.stop();
  await paged.stop();
});

describe('EKS', () => {
  it('lists every cluster of the Region one page at a time', async () => {
    // Prepare
    const eks = new EKSClient(clientConfig(paged));

    // Act
    const pages = await allPages(paginateListClusters({ client: eks, pageSize: 10 }, {}));

    // Assess
    expect(pages.map((page) => page.clusters)).toEqual([['alpha'], ['beta']]);
  });

  it('describes a cluster with its dates as Dates, and fails for an unknown one', async () => {
    // Prepare
    const eks = new EKSClient(clientConfig(running));

    // Act
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'alpha' }));
    const missing = await failureOf(eks.send(new DescribeClusterCommand({ name: 'gamma' })));

    // Assess
    expect(cluster).toMatchObject({ name: 'alpha', version: '1.33', status: 'ACTIVE' });
    expect(cluster?.createdAt).toEqual(new Date('2026-01-02T03:04:05.000Z'));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists and describes node groups, and fails for an unknown one', async () => {
    // Prepare
    const eks = new EKSClient(clientConfig(paged));

    // Act
    const pages = await allPages(paginateListNodegroups({ client: eks }, { clusterName: 'alpha' }));
    const { nodegroup } = await eks.send(
      new DescribeNodegroupCommand({ clusterName: 'alpha', nodegroupName: 'ng-b' }),
    );
    const missing = await failureOf(
      eks.send(new DescribeNodegroupCommand({ clusterName: 'alpha', nodegroupName: 'ng-z' })),
    );
    const noCluster = await failureOf(
      eks.send(new DescribeNodegroupCommand({ clusterName: 'gamma', nodegroupName: 'ng-a' })),
    );

    // Assess
    expect(pages.flatMap((page) => page.nodegroups)).toEqual(['ng-a', 'ng-b']);
    expect(pages).toHaveLength(2);
    expect(nodegroup).toMatchObject({ nodegroupName: 'ng-b', amiType: 'BOTTLEROCKET_x86_64' });
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringContaining('ng-z'),
    });
    expect(noCluster).toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists and describes Fargate profiles', async () => {
    // Prepare
    const eks = new EKSClient(clientConfig(paged));

    // Act
    const pages = await allPages(paginateListFargateProfiles({ client: eks }, { clusterName: 'alpha' }));
    const { fargateProfile } = await eks.send(
      new DescribeFargateProfileCommand({ clusterName: 'alpha', fargateProfileName: 'fp-b' }),
    );
    const missing = await failureOf(
      eks.send(new DescribeFargateProfileCommand({ clusterName: 'alpha', fargateProfileName: 'fp-z' })),
    );
    const none = await allPages(paginateListFargateProfiles({ client: eks }, { clusterName: 'beta' }));

    // Assess
    expect(pages.flatMap((page) => page.fargateProfileNames)).toEqual(['fp-a', 'fp-b']);
    expect(fargateProfile).toMatchObject({ fargateProfileName: 'fp-b', status: 'ACTIVE' });
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(none.flatMap((page) => page.fargateProfileNames)).toEqual([]);
  });

  it('lists the supported cluster versions, and every version with includeAll', async () => {
    // Prepare
    const eks = new EKSClient(clientConfig(paged));

    // Act
    const supported = await allPages(paginateDescribeClusterVersions({ client: eks }, {}));
    const all = await allPages(paginateDescribeClusterVersions({ client: eks }, { includeAll: true }));
    const { clusterVersions: extended } = await new EKSClient(clientConfig(running)).send(
      new DescribeClusterVersionsCommand({ versionStatus: 'EXTENDED_SUPPORT' }),
    );

    // Assess
    expect(
      supported.flatMap((page) => page.clusterVersions?.map((version) => version.clusterVersion)),
    ).toEqual(['1.31', '1.32', '1.33']);
    expect(all.flatMap((page) => page.clusterVersions ?? [])).toHaveLength(4);
    expect(extended).toEqual([
      expect.objectContaining({
        clusterVersion: '1.31',
        endOfStandardSupportDate: new Date('2025-11-26T00:00:00Z'),
      }),
    ]);
  });

  it('lists a cluster insights one page at a time', async () => {
    // Prepare
    const eks = new EKSClient(clientConfig(paged));

    // Act
    const pages = await allPages(paginateListInsights({ client: eks }, { clusterName: 'alpha' }));

    // Assess
    expect(pages.flatMap((page) => page.insights?.map((insight) => insight.id))).toEqual([
      'insight-1',
      'insight-2',
    ]);
  });

  it('rejects a maxResults above 100 as EKS does', async () => {
    // Prepare
    const eks = new EKSClient(clientConfig(running));

    // Act
    const tooMany = await failureOf(eks.send(new ListClustersCommand({ maxResults: 101 })));

    // Assess
    expect(tooMany).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('EC2 Regions and network', () => {
  it("describes the Regions the caller's account has, with their endpoints", async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));
    const memberEc2 = new EC2Client(
      clientConfig(running, { credentials: await assumeInto(running, MEMBER_ACCOUNT) }),
    );

    // Act
    const { Regions } = await ec2.send(new DescribeRegionsCommand({}));
    const { Regions: named } = await ec2.send(new DescribeRegionsCommand({ RegionNames: [OTHER_REGION] }));
    const { Regions: member } = await memberEc2.send(new DescribeRegionsCommand({}));

    // Assess
    expect(Regions).toEqual([
      {
        RegionName: HOME_REGION,
        Endpoint: `ec2.${HOME_REGION}.amazonaws.com`,
        OptInStatus: 'opt-in-not-required',
      },
      {
        RegionName: OTHER_REGION,
        Endpoint: `ec2.${OTHER_REGION}.amazonaws.com`,
        OptInStatus: 'opt-in-not-required',
      },
    ]);
    expect(named?.map((region) => region.RegionName)).toEqual([OTHER_REGION]);
    expect(member?.map((region) => region.RegionName)).toEqual([HOME_REGION, MEMBER_OTHER_REGION]);
  });

  it('describes VPCs by id and by the is-default, vpc-id and state filters, one page at a time', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const pages = await allPages(paginateDescribeVpcs({ client: new EC2Client(clientConfig(paged)) }, {}));
    const { Vpcs: defaults } = await ec2.send(
      new DescribeVpcsCommand({ Filters: [filter('is-default', 'true')] }),
    );
    const { Vpcs: byId } = await ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-main'] }));
    const { Vpcs: byFilters } = await ec2.send(
      new DescribeVpcsCommand({
        Filters: [filter('vpc-id', 'vpc-main', 'vpc-default'), filter('state', 'available')],
      }),
    );
    const missing = await failureOf(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-gone'] })));

    // Assess
    expect(pages.flatMap((page) => page.Vpcs?.map((vpc) => vpc.VpcId))).toEqual(['vpc-main', 'vpc-default']);
    expect(pages[0]?.NextToken).toBeDefined();
    expect(defaults?.map((vpc) => vpc.VpcId)).toEqual(['vpc-default']);
    expect(byId).toEqual([
      expect.objectContaining({ VpcId: 'vpc-main', CidrBlock: '10.0.0.0/16', IsDefault: false }),
    ]);
    expect(byFilters).toHaveLength(2);
    expect(missing).toMatchObject({ name: 'InvalidVpcID.NotFound' });
  });

  it('describes subnets by id, and names an unknown id with InvalidSubnetID.NotFound', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { Subnets } = await ec2.send(
      new DescribeSubnetsCommand({ SubnetIds: ['subnet-public-a', 'subnet-private-a'] }),
    );
    const missing = await failureOf(
      ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-private-a', 'subnet-gone'] })),
    );

    // Assess
    expect(Subnets?.map((subnet) => subnet.SubnetId)).toEqual(['subnet-private-a', 'subnet-public-a']);
    expect(Subnets?.[1]).toMatchObject({
      MapPublicIpOnLaunch: true,
      Tags: [{ Key: 'Name', Value: 'public-a' }, expect.anything()],
    });
    expect(missing).toMatchObject({
      name: 'InvalidSubnetID.NotFound',
      message: expect.stringContaining('subnet-gone'),
    });
  });

  it.each<[string, Filter[], string[]]>([
    ['vpc-id', [filter('vpc-id', 'vpc-default')], ['subnet-default']],
    [
      'subnet-id with two values ORed',
      [filter('subnet-id', 'subnet-private-b', 'subnet-default')],
      ['subnet-private-b', 'subnet-default'],
    ],
    [
      'availability-zone',
      [filter('availability-zone', 'eu-west-1a')],
      ['subnet-private-a', 'subnet-public-a'],
    ],
    [
      'map-public-ip-on-launch',
      [filter('map-public-ip-on-launch', 'true')],
      ['subnet-public-a', 'subnet-default'],
    ],
    ['tag:<key>', [filter('tag:Name', 'private-b')], ['subnet-private-b']],
    ['tag-key', [filter('tag-key', 'kubernetes.io/role/elb')], ['subnet-public-a']],
    ['tag-value', [filter('tag-value', 'public-a', 'private-a')], ['subnet-private-a', 'subnet-public-a']],
    ['a * wildcard', [filter('tag:Name', 'private-*')], ['subnet-private-a', 'subnet-private-b']],
    ['a ? wildcard', [filter('subnet-id', 'subnet-private-?')], ['subnet-private-a', 'subnet-private-b']],
    ['an escaped wildcard, literally', [filter('tag:Name', 'private\\*')], []],
    [
      'two filters ANDed',
      [filter('vpc-id', 'vpc-main'), filter('map-public-ip-on-launch', 'false')],
      ['subnet-private-a', 'subnet-private-b'],
    ],
    ['a case-sensitive value', [filter('tag:Name', 'PRIVATE-A')], []],
  ])('filters subnets by %s', async (_, Filters, expected) => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters }));

    // Assess
    expect(Subnets?.map((subnet) => subnet.SubnetId) ?? []).toEqual(expected);
  });

  it('matches an escaped wildcard character literally', () => {
    // Prepare
    const subnets = [
      { SubnetId: 'subnet-1', Tags: [{ Key: 'Name', Value: 'tier*1' }] },
      { SubnetId: 'subnet-2', Tags: [{ Key: 'Name', Value: 'tier-1' }] },
      { SubnetId: 'subnet-3', Tags: [{ Key: 'Name', Value: 'tier?1' }] },
    ];

    // Act
    const literalStar = applyFilters(subnets, [filter('tag:Name', 'tier\\*1')], SUBNET_FILTERS);
    const literalQuestionMark = applyFilters(subnets, [filter('tag:Name', 'tier\\?1')], SUBNET_FILTERS);
    const anyCharacter = applyFilters(subnets, [filter('tag:Name', 'tier?1')], SUBNET_FILTERS);

    // Assess
    expect(literalStar.map((subnet) => subnet.SubnetId)).toEqual(['subnet-1']);
    expect(literalQuestionMark.map((subnet) => subnet.SubnetId)).toEqual(['subnet-3']);
    expect(anyCharacter.map((subnet) => subnet.SubnetId)).toEqual(['subnet-1', 'subnet-2', 'subnet-3']);
  });

  it('rejects an unknown filter name with InvalidParameterValue naming it', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const unknown = await failureOf(
      ec2.send(
        new DescribeSubnetsCommand({ Filters: [filter('vpc-id', 'vpc-main'), filter('colour', 'blue')] }),
      ),
    );

    // Assess
    expect(unknown).toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining("'colour'"),
    });
  });

  it('pages subnets and rejects a MaxResults below 5 or a forged NextToken', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const pages = await allPages(paginateDescribeSubnets({ client: ec2, pageSize: 5 }, {}));
    const tooSmall = await failureOf(ec2.send(new DescribeSubnetsCommand({ MaxResults: 4 })));
    const forged = await failureOf(ec2.send(new DescribeSubnetsCommand({ NextToken: 'bm90LWEtdG9rZW4' })));

    // Assess
    expect(pages.flatMap((page) => page.Subnets ?? [])).toHaveLength(4);
    expect(tooSmall).toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('between 5 and 1000'),
    });
    expect(forged).toMatchObject({ name: 'InvalidPaginationToken' });
  });

  it.each<[string, Filter[], string[]]>([
    ['association.subnet-id', [filter('association.subnet-id', 'subnet-private-b')], ['rtb-private']],
    ['association.main true', [filter('association.main', 'true')], ['rtb-main', 'rtb-default']],
    ['association.main false', [filter('association.main', 'false')], ['rtb-public', 'rtb-private']],
    [
      'association.main and vpc-id',
      [filter('association.main', 'true'), filter('vpc-id', 'vpc-main')],
      ['rtb-main'],
    ],
    [
      'association.route-table-association-id',
      [filter('association.route-table-association-id', 'rtbassoc-public')],
      ['rtb-public'],
    ],
    ['route-table-id', [filter('route-table-id', 'rtb-default', 'rtb-main')], ['rtb-main', 'rtb-default']],
    ['route.gateway-id with a wildcard', [filter('route.gateway-id', 'igw-*')], ['rtb-public']],
  ])('filters route tables by %s', async (_, Filters, expected) => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters }));

    // Assess
    expect(RouteTables?.map((table) => table.RouteTableId)).toEqual(expected);
  });

  it('returns route tables with their associations and routes, one page at a time', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(paged));

    // Act
    const pages = await allPages(
      paginateDescribeRouteTables({ client: ec2 }, { Filters: [filter('vpc-id', 'vpc-main')] }),
    );
    const missing = await failureOf(
      ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-gone'] })),
    );

    // Assess
    expect(pages).toHaveLength(3);
    expect(pages[1]?.RouteTables?.[0]).toMatchObject({
      RouteTableId: 'rtb-public',
      Associations: [{ Main: false, SubnetId: 'subnet-public-a' }],
      Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }],
    });
    expect(missing).toMatchObject({ name: 'InvalidRouteTableID.NotFound' });
  });

  it('describes security groups by id, name and the group-id, group-name and vpc-id filters', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(paged));

    // Act
    const pages = await allPages(
      paginateDescribeSecurityGroups({ client: ec2 }, { Filters: [filter('vpc-id', 'vpc-main')] }),
    );
    const { SecurityGroups: byId } = await ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: ['sg-nodes'] }),
    );
    const { SecurityGroups: byName } = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [filter('group-name', 'eks-cluster-sg-*')] }),
    );
    const { SecurityGroups: byGroupId } = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [filter('group-id', 'sg-default')] }),
    );
    const missing = await failureOf(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-gone'] })));

    // Assess
    expect(pages.flatMap((page) => page.SecurityGroups?.map((group) => group.GroupId))).toEqual([
      'sg-cluster',
      'sg-nodes',
    ]);
    expect(byId?.[0]?.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      }),
    ]);
    expect(byName?.map((group) => group.GroupId)).toEqual(['sg-cluster']);
    expect(byGroupId?.map((group) => group.GroupName)).toEqual(['default']);
    expect(missing).toMatchObject({ name: 'InvalidGroup.NotFound' });
  });
});

describe('EC2 instances, images and launch templates', () => {
  const instanceIds = (reservations: { Instances?: { InstanceId?: string }[] }[] | undefined) =>
    (reservations ?? []).flatMap((reservation) =>
      reservation.Instances?.map((instance) => instance.InstanceId),
    );

  it('groups consecutive instances of one reservation, and gives every other instance its own', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({}));

    // Assess
    expect(Reservations?.map((reservation) => [reservation.ReservationId, reservation.OwnerId])).toEqual([
      ['r-shared', MANAGEMENT_ACCOUNT],
      ['r-i-b1', MANAGEMENT_ACCOUNT],
      ['r-i-stopped', MANAGEMENT_ACCOUNT],
      ['r-i-beta', MANAGEMENT_ACCOUNT],
    ]);
    expect(instanceIds(Reservations)).toEqual(['i-a1', 'i-a2', 'i-b1', 'i-stopped', 'i-beta']);
    expect(Reservations?.[0]?.Instances?.[0]).toMatchObject({
      InstanceId: 'i-a1',
      State: { Name: 'running', Code: 16 },
      LaunchTime: new Date('2026-11-01T10:00:00.000Z'),
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
    });
  });

  it('follows DescribeInstances to the end one instance per page, reservations split by page', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(paged));

    // Act
    const pages = await allPages(
      paginateDescribeInstances(
        { client: ec2, pageSize: 5 },
        { Filters: [filter('tag:aws:eks:cluster-name', 'alpha')] },
      ),
    );

    // Assess
    expect(pages).toHaveLength(4);
    expect(pages.flatMap((page) => instanceIds(page.Reservations))).toEqual([
      'i-a1',
      'i-a2',
      'i-b1',
      'i-stopped',
    ]);
    expect(pages.map((page) => page.Reservations?.[0]?.ReservationId)).toEqual([
      'r-shared',
      'r-shared',
      'r-i-b1',
      'r-i-stopped',
    ]);
  });

  it.each<[string, Filter[], string[]]>([
    ['tag:aws:eks:cluster-name', [filter('tag:aws:eks:cluster-name', 'beta')], ['i-beta']],
    ['tag:eks:nodegroup-name', [filter('tag:eks:nodegroup-name', 'ng-a')], ['i-a1', 'i-a2']],
    [
      'instance-state-name with two values',
      [filter('instance-state-name', 'pending', 'stopped')],
      ['i-stopped'],
    ],
    ['instance-id', [filter('instance-id', 'i-b1')], ['i-b1']],
    ['image-id', [filter('image-id', 'ami-old', 'ami-missing')], ['i-b1', 'i-beta']],
    ['subnet-id', [filter('subnet-id', 'subnet-public-a')], ['i-beta']],
    ['vpc-id and instance-type', [filter('vpc-id', 'vpc-main'), filter('instance-type', 't3.*')], ['i-b1']],
    [
      'cluster tag and running state, as the scanner discovers nodes',
      [filter('tag:aws:eks:cluster-name', 'alpha'), filter('instance-state-name', 'running', 'pending')],
      ['i-a1', 'i-a2', 'i-b1'],
    ],
  ])('filters instances by %s', async (_, Filters, expected) => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ Filters }));

    // Assess
    expect(instanceIds(Reservations)).toEqual(expected);
  });

  it('describes instances by id, and fails for an unknown id, a MaxResults below 5 or ids with MaxResults', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { Reservations } = await ec2.send(
      new DescribeInstancesCommand({ InstanceIds: ['i-beta', 'i-a2'] }),
    );
    const missing = await failureOf(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-a1', 'i-gone'] })),
    );
    const tooSmall = await failureOf(ec2.send(new DescribeInstancesCommand({ MaxResults: 4 })));
    const combined = await failureOf(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-a1'], MaxResults: 5 })),
    );

    // Assess
    expect(instanceIds(Reservations)).toEqual(['i-a2', 'i-beta']);
    expect(missing).toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: expect.stringContaining('i-gone'),
    });
    expect(tooSmall).toMatchObject({ name: 'InvalidParameterValue' });
    expect(combined).toMatchObject({ name: 'InvalidParameterCombination' });
  });

  it('describes images by id, and fails for any unknown id as AWS does', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { Images } = await ec2.send(
      new DescribeImagesCommand({ ImageIds: ['ami-old', 'ami-current', 'ami-deprecated'] }),
    );
    const missing = await failureOf(
      ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-current', 'ami-missing'] })),
    );

    // Assess
    expect(Images?.map((image) => image.ImageId)).toEqual(['ami-current', 'ami-old', 'ami-deprecated']);
    expect(Images?.[0]).toMatchObject({
      Name: 'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110',
      CreationDate: '2026-11-10T00:00:00.000Z',
      OwnerId: AMAZON,
    });
    expect(missing).toMatchObject({
      name: 'InvalidAMIID.NotFound',
      message: expect.stringContaining('ami-missing'),
    });
  });

  it.each<
    [
      string,
      { Filters?: Filter[]; Owners?: string[]; IncludeDeprecated?: boolean; IncludeDisabled?: boolean },
      string[],
    ]
  >([
    ['nothing: deprecated and disabled AMIs of others left out', {}, ['ami-current', 'ami-old', 'ami-own']],
    [
      'IncludeDeprecated',
      { IncludeDeprecated: true },
      ['ami-current', 'ami-old', 'ami-own', 'ami-deprecated'],
    ],
    ['IncludeDisabled', { IncludeDisabled: true }, ['ami-current', 'ami-old', 'ami-own', 'ami-disabled']],
    ['the image-id filter', { Filters: [filter('image-id', 'ami-old')] }, ['ami-old']],
    ['the name filter with a wildcard', { Filters: [filter('name', 'amazon-eks-node-*')] }, ['ami-current']],
    ['the owner-id filter', { Filters: [filter('owner-id', MANAGEMENT_ACCOUNT)] }, ['ami-own']],
    ['the state filter', { Filters: [filter('state', 'disabled')], IncludeDisabled: true }, ['ami-disabled']],
    ['Owners self', { Owners: ['self'] }, ['ami-own']],
    ['Owners amazon', { Owners: ['amazon'] }, ['ami-current', 'ami-old']],
  ])('lists images given %s', async (_, input, expected) => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { Images } = await ec2.send(new DescribeImagesCommand(input));

    // Assess
    expect(Images?.map((image) => image.ImageId) ?? []).toEqual(expected);
  });

  it('pages images to the end', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(paged));

    // Act
    const pages = await allPages(paginateDescribeImages({ client: ec2 }, { Owners: ['amazon'] }));

    // Assess
    expect(pages.flatMap((page) => page.Images?.map((image) => image.ImageId))).toEqual([
      'ami-current',
      'ami-old',
    ]);
  });

  it('describes launch template versions by id or name with numbers, $Latest and $Default', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const { LaunchTemplateVersions: byId } = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({
        LaunchTemplateId: 'lt-alpha',
        Versions: ['$Default', '$Latest', '2'],
      }),
    );
    const { LaunchTemplateVersions: byName } = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'beta-nodes', Versions: ['$Default'] }),
    );
    const { LaunchTemplateVersions: latestEverywhere } = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest'] }),
    );

    // Assess
    expect(byId?.map((version) => version.VersionNumber)).toEqual([3, 2, 1]);
    expect(byId?.[2]).toMatchObject({
      DefaultVersion: true,
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional' } },
    });
    expect(byName).toEqual([expect.objectContaining({ LaunchTemplateId: 'lt-beta', VersionNumber: 1 })]);
    expect(latestEverywhere?.map((version) => [version.LaunchTemplateId, version.VersionNumber])).toEqual([
      ['lt-alpha', 3],
      ['lt-beta', 1],
    ]);
  });

  it('pages every version of a launch template, newest first', async () => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(paged));

    // Act
    const pages = await allPages(
      paginateDescribeLaunchTemplateVersions({ client: ec2 }, { LaunchTemplateId: 'lt-alpha' }),
    );

    // Assess
    expect(pages.map((page) => page.LaunchTemplateVersions?.map((version) => version.VersionNumber))).toEqual(
      [[3], [2], [1]],
    );
  });

  it.each([
    ['an unknown template id', { LaunchTemplateId: 'lt-gone' }, 'InvalidLaunchTemplateId.NotFound'],
    [
      'an unknown template name',
      { LaunchTemplateName: 'gone' },
      'InvalidLaunchTemplateName.NotFoundException',
    ],
    [
      'an unknown version',
      { LaunchTemplateId: 'lt-alpha', Versions: ['7'] },
      'InvalidLaunchTemplateId.VersionNotFound',
    ],
  ])('fails for %s', async (_, input, code) => {
    // Prepare
    const ec2 = new EC2Client(clientConfig(running));

    // Act
    const failing = await failureOf(ec2.send(new DescribeLaunchTemplateVersionsCommand(input)));

    // Assess
    expect(failing).toMatchObject({ name: code });
  });
});

describe('Auto Scaling', () => {
  const names = (groups: { AutoScalingGroupName?: string }[] | undefined) =>
    (groups ?? []).map((group) => group.AutoScalingGroupName);

  it.each<[string, { AutoScalingGroupNames?: string[]; Filters?: Filter[] }, string[]]>([
    ['names, leaving out unknown ones', { AutoScalingGroupNames: ['eks-ng-b', 'gone'] }, ['eks-ng-b']],
    ['tag-key', { Filters: [filter('tag-key', 'kubernetes.io/cluster/alpha')] }, ['self-managed']],
    [
      'tag-value with two values ORed',
      { Filters: [filter('tag-value', 'ng-a', 'owned')] },
      ['eks-ng-a', 'self-managed'],
    ],
    ['tag:<key>', { Filters: [filter('tag:eks:cluster-name', 'alpha')] }, ['eks-ng-a', 'eks-ng-b']],
    [
      'two filters ANDed',
      { Filters: [filter('tag:eks:cluster-name', 'alpha'), filter('tag:eks:nodegroup-name', 'ng-b')] },
      ['eks-ng-b'],
    ],
  ])('describes groups by %s', async (_, input, expected) => {
    // Prepare
    const autoscaling = new AutoScalingClient(clientConfig(running));

    // Act
    const { AutoScalingGroups } = await autoscaling.send(new DescribeAutoScalingGroupsCommand(input));

    // Assess
    expect(names(AutoScalingGroups)).toEqual(expected);
  });

  it('pages groups to the end and rejects MaxRecords above 100', async () => {
    // Prepare
    const autoscaling = new AutoScalingClient(clientConfig(paged));

    // Act
    const pages = await allPages(paginateDescribeAutoScalingGroups({ client: autoscaling }, {}));
    const tooMany = await failureOf(
      autoscaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 })),
    );

    // Assess
    expect(pages.map((page) => names(page.AutoScalingGroups))).toEqual([
      ['eks-ng-a'],
      ['eks-ng-b'],
      ['self-managed'],
      ['unrelated'],
    ]);
    expect(tooMany).toMatchObject({ name: 'ValidationError' });
  });

  it('returns 50 groups a page unless told otherwise', async () => {
    // Prepare
    const groups = Array.from({ length: 51 }, (_, index) => aGroup(`group-${index}`));
    const many = await startEmulator({
      estate: anEstate({
        accounts: [anAccount({ regions: { [HOME_REGION]: { autoscaling: { groups } } } })],
      }),
    });
    const autoscaling = new AutoScalingClient(clientConfig(many));

    try {
      // Act
      const first = await autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      const second = await autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ NextToken: first.NextToken }),
      );

      // Assess
      expect(first.AutoScalingGroups).toHaveLength(50);
      expect(names(second.AutoScalingGroups)).toEqual(['group-50']);
      expect(second.NextToken).toBeUndefined();
    } finally {
      await many.stop();
    }
  });
});

describe('Inspector', () => {
  it('reports the estate account state, DISABLED where Inspector was never enabled, and unknown accounts as failed', async () => {
    // Prepare
    const inspector = new Inspector2Client(clientConfig(running));

    // Act
    const response = await inspector.send(
      new BatchGetAccountStatusCommand({ accountIds: [MANAGEMENT_ACCOUNT, MEMBER_ACCOUNT, UNKNOWN_ACCOUNT] }),
    );

    // Assess
    expect(
      response.accounts?.map((account) => [
        account.accountId,
        account.state?.status,
        account.resourceState?.ec2?.status,
      ]),
    ).toEqual([
      [MANAGEMENT_ACCOUNT, 'ENABLED', 'ENABLED'],
      [MEMBER_ACCOUNT, 'DISABLED', 'DISABLED'],
    ]);
    expect(Object.values(response.accounts?.[1]?.resourceState ?? {}).map((state) => state?.status)).toEqual([
      'DISABLED',
      'DISABLED',
      'DISABLED',
      'DISABLED',
      'DISABLED',
    ]);
    expect(response.failedAccounts).toEqual([expect.objectContaining({ accountId: UNKNOWN_ACCOUNT })]);
  });

  it("reports the caller's own account when no account is named, per Region", async () => {
    // Prepare
    const inspector = new Inspector2Client(clientConfig(running));
    const elsewhere = new Inspector2Client(clientConfig(running, { region: OTHER_REGION }));

    // Act
    const here = await inspector.send(new BatchGetAccountStatusCommand({}));
    const there = await elsewhere.send(new BatchGetAccountStatusCommand({}));

    // Assess
    expect(here.accounts?.[0]).toMatchObject({ accountId: MANAGEMENT_ACCOUNT, state: { status: 'ENABLED' } });
    expect(there.accounts?.[0]).toMatchObject({
      accountId: MANAGEMENT_ACCOUNT,
      state: { status: 'DISABLED' },
    });
  });

  const equals = (...values: string[]) => values.map((value) => ({ comparison: 'EQUALS' as const, value }));

  it.each<[string, CoverageFilterCriteria, string[]]>([
    ['resourceId values ORed', { resourceId: equals('i-a1', 'i-b1', 'i-gone') }, ['i-a1', 'i-b1']],
    [
      'resourceType',
      { resourceType: equals('AWS_LAMBDA_FUNCTION') },
      ['arn:aws:lambda:eu-west-1:111111111111:function:f'],
    ],
    [
      'resourceType and scanStatusCode ANDed',
      { resourceType: equals('AWS_EC2_INSTANCE'), scanStatusCode: equals('INACTIVE') },
      ['i-a2'],
    ],
    [
      'scanType',
      { scanType: equals('PACKAGE'), resourceId: [{ comparison: 'NOT_EQUALS', value: 'i-a1' }] },
      ['i-a2', 'i-b1'],
    ],
    ['accountId', { accountId: equals(MEMBER_ACCOUNT) }, []],
  ])('lists coverage filtered by %s', async (_, filterCriteria, expected) => {
    // Prepare
    const inspector = new Inspector2Client(clientConfig(running));

    // Act
    const { coveredResources } = await inspector.send(new ListCoverageCommand({ filterCriteria }));

    // Assess
    expect(coveredResources?.map((resource) => resource.resourceId)).toEqual(expected);
  });

  it('pages coverage to the end', async () => {
    // Prepare
    const inspector = new Inspector2Client(clientConfig(paged));

    // Act
    const pages = await allPages(
      paginateListCoverage(
        { client: inspector },
        { filterCriteria: { resourceType: equals('AWS_EC2_INSTANCE') } },
      ),
    );

    // Assess
    expect(pages.map((page) => page.coveredResources?.map((resource) => resource.resourceId))).toEqual([
      ['i-a1'],
      ['i-a2'],
      ['i-b1'],
    ]);
    expect(pages[1]?.coveredResources?.[0]?.scanStatus).toEqual({
      statusCode: 'INACTIVE',
      reason: 'UNMANAGED_EC2_INSTANCE',
    });
  });

  it('rejects more than 10 values in a filter list and maxResults above 200', async () => {
    // Prepare
    const inspector = new Inspector2Client(clientConfig(running));
    const elevenIds = Array.from({ length: 11 }, (_, index) => `i-${index}`);

    // Act
    const tooManyValues = await failureOf(
      inspector.send(new ListCoverageCommand({ filterCriteria: { resourceId: equals(...elevenIds) } })),
    );
    const tenValues = await inspector.send(
      new ListCoverageCommand({ filterCriteria: { resourceId: equals(...elevenIds.slice(1)) } }),
    );
    const tooManyResults = await failureOf(inspector.send(new ListCoverageCommand({ maxResults: 201 })));

    // Assess
    expect(tooManyValues).toBeInstanceOf(ValidationException);
    expect(tenValues.coveredResources).toEqual([]);
    expect(tooManyResults).toBeInstanceOf(ValidationException);
  });
});

describe('SSM', () => {
  it('returns found parameters with their metadata and lists unknown names as invalid', async () => {
    // Prepare
    const ssm = new SSMClient(clientConfig(running));

    // Act
    const response = await ssm.send(
      new GetParametersCommand({ Names: [AL2023_RELEASE, '/app/config', '/app/gone'] }),
    );

    // Assess
    expect(response.Parameters).toEqual([
      {
        Name: AL2023_RELEASE,
        Type: 'String',
        Value: '1.33.5-20261110',
        Version: 1,
        LastModifiedDate: expect.any(Date),
        ARN: `arn:aws:ssm:${HOME_REGION}::parameter${AL2023_RELEASE}`,
        DataType: 'text',
      },
      expect.objectContaining({
        Name: '/app/config',
        Value: 'own-value',
        ARN: `arn:aws:ssm:${HOME_REGION}:${MANAGEMENT_ACCOUNT}:parameter/app/config`,
      }),
    ]);
    expect(response.InvalidParameters).toEqual(['/app/gone']);
  });

  it("reads public parameters from the caller's Region of any account, and private ones only from its own", async () => {
    // Prepare
    const ssm = new SSMClient(clientConfig(running));
    const elsewhere = new SSMClient(clientConfig(running, { region: OTHER_REGION }));

    // Act
    const here = await ssm.send(
      new GetParametersCommand({ Names: [BOTTLEROCKET_VERSION, '/member/private'] }),
    );
    const there = await elsewhere.send(
      new GetParametersCommand({ Names: [AL2023_RELEASE, BOTTLEROCKET_VERSION] }),
    );

    // Assess
    expect(here.Parameters?.map((parameter) => [parameter.Name, parameter.Value])).toEqual([
      [BOTTLEROCKET_VERSION, '1.40.0'],
    ]);
    expect(here.InvalidParameters).toEqual(['/member/private']);
    expect(there.Parameters?.map((parameter) => parameter.Value)).toEqual(['1.33.5-20261201']);
    expect(there.InvalidParameters).toEqual([BOTTLEROCKET_VERSION]);
  });

  it('rejects more than 10 names, naming the limit', async () => {
    // Prepare
    const ssm = new SSMClient(clientConfig(running));
    const names = Array.from({ length: 11 }, (_, index) => `/p/${index}`);

    // Act
    const tooMany = await failureOf(ssm.send(new GetParametersCommand({ Names: names })));

    // Assess
    expect(tooMany).toBeInstanceOf(SsmValidationException);
    expect(tooMany).toMatchObject({ message: expect.stringContaining('10') });
  });
});

describe('STS', () => {
  it('identifies the home account, and an assumed account whose calls then reach its own data', async () => {
    // Prepare
    const sts = new STSClient(clientConfig(running));
    const memberCredentials = await assumeInto(running, MEMBER_ACCOUNT);

    // Act
    const home = await sts.send(new GetCallerIdentityCommand({}));
    const member = await new STSClient(clientConfig(running, { credentials: memberCredentials })).send(
      new GetCallerIdentityCommand({}),
    );
    const { clusters } = await new EKSClient(clientConfig(running, { credentials: memberCredentials })).send(
      new ListClustersCommand({}),
    );
    const { Reservations } = await new EC2Client(
      clientConfig(running, { credentials: memberCredentials }),
    ).send(new DescribeInstancesCommand({}));

    // Assess
    expect(home.Account).toBe(MANAGEMENT_ACCOUNT);
    expect(member.Account).toBe(MEMBER_ACCOUNT);
    expect(memberCredentials.sessionToken).not.toBe('');
    expect(clusters).toEqual(['payments']);
    expect(Reservations?.[0]).toMatchObject({
      OwnerId: MEMBER_ACCOUNT,
      Instances: [{ InstanceId: 'i-member' }],
    });
  });

  it.each([
    ['whose role denies it', DENIED_ACCOUNT],
    ['outside the estate', UNKNOWN_ACCOUNT],
  ])('raises AccessDenied for an account %s', async (_, account) => {
    // Prepare
    const sts = new STSClient(clientConfig(running));

    // Act
    const denied = await failureOf(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/EksComplianceScannerRole`,
          RoleSessionName: 'test',
        }),
      ),
    );

    // Assess
    expect(denied).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(account),
    });
  });
});

describe('Organizations', () => {
  it('lists every estate account for the management account, one page at a time', async () => {
    // Prepare
    const organizations = new OrganizationsClient(clientConfig(paged));

    // Act
    const pages = await allPages(paginateListAccounts({ client: organizations }, {}));

    // Assess
    expect(pages).toHaveLength(4);
    expect(pages.flatMap((page) => page.Accounts ?? [])).toEqual([
      {
        Id: MANAGEMENT_ACCOUNT,
        Arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:account/o-emulator/${MANAGEMENT_ACCOUNT}`,
        Email: 'management@example.com',
        Name: 'management',
        State: 'ACTIVE',
        Status: 'ACTIVE',
        JoinedMethod: 'CREATED',
        JoinedTimestamp: expect.any(Date),
      },
      expect.objectContaining({
        Id: MEMBER_ACCOUNT,
        Name: 'payments-prod',
        Email: 'payments-prod@example.com',
      }),
      expect.objectContaining({ Id: DENIED_ACCOUNT, State: 'ACTIVE' }),
      expect.objectContaining({ Id: CLOSED_ACCOUNT, State: 'CLOSED', Status: 'SUSPENDED' }),
    ]);
  });

  it('denies a member account and rejects MaxResults above 20', async () => {
    // Prepare
    const member = new OrganizationsClient(
      clientConfig(running, { credentials: await assumeInto(running, MEMBER_ACCOUNT) }),
    );
    const management = new OrganizationsClient(clientConfig(running));

    // Act
    const denied = await failureOf(member.send(new ListAccountsCommand({})));
    const tooMany = await failureOf(management.send(new ListAccountsCommand({ MaxResults: 21 })));

    // Assess
    expect(denied).toBeInstanceOf(OrganizationsAccessDeniedException);
    expect(tooMany).toBeInstanceOf(InvalidInputException);
  });

  it('reports AWSOrganizationsNotInUseException when the estate has no organization', async () => {
    // Prepare
    const standalone = await startEmulator({ estate: anEstate({ organization: null }) });
    const organizations = new OrganizationsClient(clientConfig(standalone));

    try {
      // Act
      const notInUse = await failureOf(organizations.send(new ListAccountsCommand({})));

      // Assess
      expect(notInUse).toBeInstanceOf(AWSOrganizationsNotInUseException);
    } finally {
      await standalone.stop();
    }
  });
});

describe('faults', () => {
  /** Runs `act` against an emulator serving the read estate with `faults`, then stops it. */
  async function withFaults<T>(
    faults: readonly FaultInput[],
    act: (emulator: Running) => Promise<T>,
    random?: () => number,
  ): Promise<T> {
    const estate = readEstate();
    const faulty = await startEmulator({
      estate: { ...estate, faults: anEstate({ faults }).faults },
      random,
    });
    try {
      return await act(faulty);
    } finally {
      await faulty.stop();
    }
  }

  it('throttles with each service its own throttling error', async () => {
    await withFaults(
      [
        { service: 'eks', kind: 'throttle' },
        { service: 'ec2', kind: 'throttle' },
      ],
      async (faulty) => {
        // Prepare
        const eks = new EKSClient(clientConfig(faulty));
        const ec2 = new EC2Client(clientConfig(faulty));

        // Act
        const eksCall = await failureOf(eks.send(new ListClustersCommand({})));
        const ec2Call = await failureOf(ec2.send(new DescribeSubnetsCommand({})));

        // Assess
        expect(eksCall).toBeInstanceOf(ThrottlingException);
        expect(ec2Call).toMatchObject({ name: 'RequestLimitExceeded' });
      },
    );
  });

  it('lets the SDK recover from a partial throttle by retrying, reproducibly with a seeded random', async () => {
    await withFaults(
      [{ service: 'eks', operation: 'ListClusters', kind: 'throttle', rate: 0.5 }],
      async (faulty) => {
        // Prepare
        // Retries without the SDK's throttling back-off, so the test is quick.
        const eks = new EKSClient({
          ...clientConfig(faulty),
          retryStrategy: new ConfiguredRetryStrategy(6, 1),
        });

        // Act
        const results: (string[] | undefined)[] = [];
        for (let call = 0; call < 4; call += 1)
          results.push((await eks.send(new ListClustersCommand({}))).clusters);
        const calls = faulty.emulator.calls().find((entry) => entry.operation === 'ListClusters');

        // Assess
        expect(results).toEqual(Array.from({ length: 4 }, () => ['alpha', 'beta']));
        expect(calls?.count).toBeGreaterThan(4);
      },
      seededRandom(7),
    );
  });

  it('answers a server-error fault with a 5xx error', async () => {
    await withFaults(
      [{ service: 'eks', operation: 'DescribeCluster', kind: 'server-error' }],
      async (faulty) => {
        // Prepare
        const eks = new EKSClient(clientConfig(faulty));

        // Act
        const failing = await failureOf(eks.send(new DescribeClusterCommand({ name: 'alpha' })));
        const other = await eks.send(new ListClustersCommand({}));

        // Assess
        expect(failing).toBeInstanceOf(ServerException);
        expect(failing).toMatchObject({ $metadata: { httpStatusCode: 500 } });
        expect(other.clusters).toEqual(['alpha', 'beta']);
      },
    );
  });

  it('answers an access-denied fault with each service its own denial', async () => {
    await withFaults(
      [
        { service: 'eks', kind: 'access-denied' },
        { service: 'ec2', kind: 'access-denied' },
      ],
      async (faulty) => {
        // Prepare
        const eks = new EKSClient(clientConfig(faulty));
        const ec2 = new EC2Client(clientConfig(faulty));

        // Act
        const eksCall = await failureOf(eks.send(new ListClustersCommand({})));
        const ec2Call = await failureOf(ec2.send(new DescribeInstancesCommand({})));

        // Assess
        expect(eksCall).toBeInstanceOf(AccessDeniedException);
        expect(ec2Call).toMatchObject({ name: 'UnauthorizedOperation' });
      },
    );
  });

  it('drops the connection on a timeout fault, so the request fails', async () => {
    await withFaults([{ service: 'ssm', kind: 'timeout', ms: 20 }], async (faulty) => {
      // Prepare
      const ssm = new SSMClient(clientConfig(faulty));

      // Act
      const hangingUp = await failureOf(ssm.send(new GetParametersCommand({ Names: ['/app/config'] })));

      // Assess
      expect(hangingUp).toBeInstanceOf(Error);
    });
  });

  it('delays every matching call by a latency fault', async () => {
    await withFaults([{ service: 'autoscaling', kind: 'latency', ms: 150 }], async (faulty) => {
      // Prepare
      const autoscaling = new AutoScalingClient(clientConfig(faulty));
      const started = Date.now();

      // Act
      const { AutoScalingGroups } = await autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
      const elapsed = Date.now() - started;

      // Assess
      expect(AutoScalingGroups).toHaveLength(4);
      expect(elapsed).toBeGreaterThanOrEqual(140);
    });
  });

  it('affects only the account and Region a fault is scoped to', async () => {
    await withFaults(
      [{ service: 'eks', kind: 'access-denied', account: MEMBER_ACCOUNT, region: HOME_REGION }],
      async (faulty) => {
        // Prepare
        const memberCredentials = await assumeInto(faulty, MEMBER_ACCOUNT);
        const memberHere = new EKSClient(clientConfig(faulty, { credentials: memberCredentials }));
        const memberThere = new EKSClient(
          clientConfig(faulty, { credentials: memberCredentials, region: MEMBER_OTHER_REGION }),
        );
        const management = new EKSClient(clientConfig(faulty));

        // Act
        const denied = await failureOf(memberHere.send(new ListClustersCommand({})));
        const there = await memberThere.send(new ListClustersCommand({}));
        const home = await management.send(new ListClustersCommand({}));

        // Assess
        expect(denied).toBeInstanceOf(AccessDeniedException);
        expect(there.clusters).toEqual(['payments-us']);
        expect(home.clusters).toEqual(['alpha', 'beta']);
      },
    );
  });
});

describe('the endpoint and its admin routes', () => {
  it('rejects a request without an Authorization header with 403', async () => {
    // Prepare
    const unsigned = { method: 'GET', headers: { accept: 'application/json' } };

    // Act
    const response = await fetch(`${running.endpoint}/clusters`, unsigned);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('counts calls per account, Region, service and operation', async () => {
    // Prepare
    const counted = await startEmulator({ estate: readEstate() });
    try {
      const ec2 = new EC2Client(clientConfig(counted));
      const memberEks = new EKSClient(
        clientConfig(counted, { credentials: await assumeInto(counted, MEMBER_ACCOUNT) }),
      );

      // Act
      await ec2.send(new DescribeSubnetsCommand({}));
      await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-private-a'] }));
      await memberEks.send(new ListClustersCommand({}));
      const calls = await (await fetch(`${counted.endpoint}/_emulator/calls`)).json();

      // Assess
      expect(calls).toEqual(
        expect.arrayContaining([
          {
            account: MANAGEMENT_ACCOUNT,
            region: HOME_REGION,
            service: 'ec2',
            operation: 'DescribeSubnets',
            count: 2,
          },
          {
            account: MANAGEMENT_ACCOUNT,
            region: HOME_REGION,
            service: 'sts',
            operation: 'AssumeRole',
            count: 1,
          },
          {
            account: MEMBER_ACCOUNT,
            region: HOME_REGION,
            service: 'eks',
            operation: 'ListClusters',
            count: 1,
          },
        ]),
      );
      expect(calls).toHaveLength(3);
    } finally {
      await counted.stop();
    }
  });

  it('replaces the estate with PUT /_emulator/estate and refuses an invalid one', async () => {
    // Prepare
    const replaced = await startEmulator({ estate: readEstate() });
    try {
      const eks = new EKSClient(clientConfig(replaced));
      const next = {
        estateVersion: 1,
        accounts: [
          {
            accountId: MANAGEMENT_ACCOUNT,
            regions: { [HOME_REGION]: { clusters: [{ cluster: { name: 'delta' } }] } },
          },
        ],
      };

      // Act
      const put = await fetch(`${replaced.endpoint}/_emulator/estate`, {
        method: 'PUT',
        body: JSON.stringify(next),
      });
      const { clusters } = await eks.send(new ListClustersCommand({}));
      const invalid = await fetch(`${replaced.endpoint}/_emulator/estate`, {
        method: 'PUT',
        body: JSON.stringify({ estateVersion: 2, accounts: [] }),
      });
      const after = await eks.send(new ListClustersCommand({}));

      // Assess
      expect(put.status).toBe(200);
      expect(clusters).toEqual(['delta']);
      expect(invalid.status).toBe(400);
      expect(after.clusters).toEqual(['delta']);
    } finally {
      await replaced.stop();
    }
  });
});
