/**
 * Synthetic estates for the benchmark: accounts x Regions x clusters x node groups x nodes, in the
 * estate file format (the design note "The estate file"), deterministic for a seed.
 *
 * The mix imitates examples/demo-estate.json: managed, self-managed (Auto Scaling) and Karpenter node
 * groups; AL2023, Bottlerocket, Amazon Linux 2 and custom AMIs; some public subnets, old AMIs, IMDSv1,
 * SSH keys, Inspector gaps, Kubernetes versions out of standard support, some Fargate-only clusters,
 * EKS insights in WARNING or ERROR, degraded or outdated add-ons, clusters with neither IRSA nor Pod Identity.
 * Each configuration is dealt from a small shuffled deck (a few good cards, one or two bad ones), so
 * even a handful of clusters shows both outcomes of every check, and the first cluster dealt is clean.
 * Nothing is ever missing: a scan of a generated estate gives no ERROR result and no failed call.
 *
 * CLI: tsx bench/generate-estate.ts --clusters 1000 --accounts 50 --regions 4 --seed 1 --out file.json
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type {
  Image,
  Instance,
  LaunchTemplateVersion,
  RouteTable,
  SecurityGroup,
  Subnet,
  Tag,
  Volume,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { RegistryScanningConfiguration } from '@aws-sdk/client-ecr';
import type {
  Addon,
  AddonInfo,
  Cluster,
  ClusterVersionInformation,
  FargateProfile,
  Insight,
  Nodegroup,
} from '@aws-sdk/client-eks';
import type { CoverageResource, GetDetectorResponse } from '@aws-sdk/client-guardduty';
import type { OpenIDConnectProviderListEntry } from '@aws-sdk/client-iam';
import type { AccountState, CoveredResource } from '@aws-sdk/client-inspector2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { AsJson, EstateFault } from '../emulator/estate.js';
import { readTime } from '../lib/time.js';

/** The scan time the generated dates are relative to (the demo's): pass it to `eks-scan scan --now`. */
export const DEFAULT_NOW = '2026-11-22T12:00:00Z';

export interface GenerateOptions {
  readonly seed: number;
  readonly accounts: number;
  readonly regionsPerAccount: number;
  /** Clusters in each (account, Region); ignored when `clusters` is given. */
  readonly clustersPerRegion?: number;
  /** Clusters in total, spread evenly over the (account, Region) pairs (the first ones get one more). */
  readonly clusters?: number;
  /** Node groups of each cluster that runs on EC2 (Fargate-only clusters have none). */
  readonly nodeGroupsPerCluster: number;
  /** Running nodes of each node group. */
  readonly nodesPerGroup: number;
  /** The scan time dates are relative to (ISO-8601); default DEFAULT_NOW. */
  readonly now?: string;
  /** Faults to add (latency for the benchmark). */
  readonly faults?: readonly EstateFault[];
}

type Json<T> = AsJson<T>;

export interface GeneratedClusterEntry {
  cluster: Json<Cluster>;
  nodegroups: Json<Nodegroup>[];
  fargateProfiles: Json<FargateProfile>[];
  insights?: Json<Insight>[];
  addons?: Json<Addon>[];
}

export interface GeneratedRegion {
  clusters: GeneratedClusterEntry[];
  ec2: {
    vpcs: Json<Vpc>[];
    subnets: Json<Subnet>[];
    routeTables: Json<RouteTable>[];
    securityGroups: Json<SecurityGroup>[];
    instances: Json<Instance>[];
    images: Json<Image>[];
    launchTemplateVersions: Json<LaunchTemplateVersion>[];
    /** Hidden in Regions with an Auto Mode cluster: its nodes are listed only with IncludeManagedResources. */
    managedResourceVisibility?: 'visible' | 'hidden';
    volumes?: Json<Volume>[];
    ebsEncryptionByDefault?: boolean;
  };
  autoscaling: { groups: Json<AutoScalingGroup>[] };
  inspector2?: { accountState: Json<AccountState>; coverage: Json<CoveredResource>[] };
  ssm: { parameters: Record<string, string>; instanceInformation?: Json<InstanceInformation>[] };
  guardduty?: {
    detector: Json<GetDetectorResponse> & { DetectorId: string };
    coverage: Json<CoverageResource>[];
  };
  ecr?: { registryScanningConfiguration: Json<RegistryScanningConfiguration> };
  eksAddonVersions?: Json<AddonInfo>[];
  securityHub: { enabled: boolean };
  config: { enabled: boolean };
}

/** A Region with nothing in it: Security Hub and Config on, no release parameters. */
export const emptyRegion = (): GeneratedRegion => ({
  clusters: [],
  ec2: {
    vpcs: [],
    subnets: [],
    routeTables: [],
    securityGroups: [],
    instances: [],
    images: [],
    launchTemplateVersions: [],
  },
  autoscaling: { groups: [] },
  ssm: { parameters: {} },
  securityHub: { enabled: true },
  config: { enabled: true },
});

export interface GeneratedAccount {
  accountId: string;
  name: string;
  state: 'ACTIVE';
  assumeRole: 'allow';
  iam?: { openIDConnectProviders: Json<OpenIDConnectProviderListEntry>[] };
  regions: Record<string, GeneratedRegion>;
}

/** An estate file's content, as JSON: give it to parseEstate, or write it to a file. */
export interface GeneratedEstate {
  estateVersion: 1;
  partition: 'aws';
  organization: { managementAccountId: string };
  clusterVersions: Json<ClusterVersionInformation>[];
  accounts: GeneratedAccount[];
  faults: EstateFault[];
}

/** Regions dealt to every account, in this order (every account has the same ones, as PlanScan assumes). */
export const REGION_POOL = [
  'eu-west-1',
  'us-east-1',
  'us-west-2',
  'eu-central-1',
  'ap-southeast-1',
  'ap-northeast-1',
  'eu-north-1',
  'us-east-2',
  'ca-central-1',
  'ap-south-1',
  'eu-west-2',
  'sa-east-1',
] as const;

const TEAMS = ['payments', 'ledger', 'checkout', 'search', 'catalog', 'identity', 'analytics', 'ml', 'media'];
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'shared', 'sandbox'];
const WORKLOADS = ['api', 'workers', 'batch', 'web', 'stream', 'jobs', 'gateway', 'core'];
const POOL_ROLES = ['general', 'compute', 'memory', 'system', 'spot', 'ingress', 'batch', 'gpu'];
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
const CLUSTERS_PER_VPC = 25;
const DAY_MS = 86_400_000;
const EKS_AMI_OWNER = '602401143452';
const BOTTLEROCKET_OWNER = '092701018921';

/** Kubernetes versions as DescribeClusterVersions lists them, support dates relative to the scan time. */
const VERSIONS = ['1.35', '1.34', '1.33', '1.32', '1.31', '1.30'] as const;
type KubernetesVersion = (typeof VERSIONS)[number];
const PATCH: Readonly<Record<KubernetesVersion, string>> = {
  '1.35': '1.35.1',
  '1.34': '1.34.4',
  '1.33': '1.33.7',
  '1.32': '1.32.11',
  '1.31': '1.31.14',
  '1.30': '1.30.14',
};
/** The last Kubernetes version with Amazon Linux 2 EKS AMIs. */
const LAST_AL2_VERSION: KubernetesVersion = '1.32';

// ---------------------------------------------------------------------------------------------------------
// Randomness: a seeded generator and decks that deal a fixed mix in shuffled order.

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Card<T> {
  readonly value: T;
  readonly good: boolean;
}

/**
 * Deals the good and bad cards in shuffled rounds: over any round the mix is exact, so a few draws
 * already show both. The first card of the first round is always a good one.
 */
class Deck<T> {
  readonly #random: () => number;
  readonly #cards: readonly Card<T>[];
  #round: Card<T>[] = [];
  #next = 0;
  #dealt = false;

  constructor(random: () => number, good: readonly T[], bad: readonly T[]) {
    this.#random = random;
    this.#cards = [
      ...good.map((value) => ({ value, good: true })),
      ...bad.map((value) => ({ value, good: false })),
    ];
  }

  draw(): T {
    if (this.#next >= this.#round.length) {
      this.#round = shuffle([...this.#cards], this.#random);
      this.#next = 0;
      if (!this.#dealt) {
        const firstGood = this.#round.findIndex((card) => card.good);
        if (firstGood > 0) {
          const [first, good] = [this.#round[0], this.#round[firstGood]] as [Card<T>, Card<T>];
          this.#round[0] = good;
          this.#round[firstGood] = first;
        }
      }
      this.#dealt = true;
    }
    const card = this.#round[this.#next] as Card<T>;
    this.#next += 1;
    return card.value;
  }
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

const between = (low: number, high: number, random: () => number) =>
  low + Math.floor(random() * (high - low + 1));

// ---------------------------------------------------------------------------------------------------------
// The mix: what each deck deals (good cards first, then the bad ones that make a check fail).

type Endpoint = 'private' | 'restricted' | 'open' | 'open-no-private';
type Logging = 'all' | 'api-audit' | 'none';
type Shape = 'ec2' | 'ec2+fargate' | 'fargate-only';
type GroupKind = 'managed' | 'self-managed' | 'karpenter';
type Os = 'al2023' | 'bottlerocket' | 'custom' | 'al2';
type Release = 'latest' | 'behind';
type AmiAge = 'fresh' | 'old';
type Ssh = 'none' | 'key';
type Placement = 'private' | 'public-subnet' | 'public-ip';
type Imds = 'v2' | 'v1' | 'hop2';
type Coverage = 'covered' | 'gap';
type InspectorState = 'enabled' | 'ec2-disabled' | 'never-enabled';

interface Decks {
  readonly endpoint: Deck<Endpoint>;
  readonly logging: Deck<Logging>;
  readonly encrypted: Deck<boolean>;
  readonly version: Deck<KubernetesVersion>;
  readonly deletionProtection: Deck<boolean | undefined>;
  readonly authenticationMode: Deck<'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP'>;
  readonly shape: Deck<Shape>;
  readonly kind: Deck<GroupKind>;
  readonly os: Deck<Os>;
  readonly release: Deck<Release>;
  readonly amiAge: Deck<AmiAge>;
  readonly ssh: Deck<Ssh>;
  readonly placement: Deck<Placement>;
  readonly imds: Deck<Imds>;
  readonly coverage: Deck<Coverage>;
  readonly inspector: Deck<InspectorState>;
}

function decks(random: () => number): Decks {
  return {
    endpoint: new Deck<Endpoint>(
      random,
      ['private', 'private', 'restricted', 'private'],
      ['open', 'open-no-private'],
    ),
    logging: new Deck<Logging>(random, ['all', 'all', 'all', 'all'], ['api-audit', 'none']),
    encrypted: new Deck(random, [true, true, true], [false]),
    version: new Deck<KubernetesVersion>(random, ['1.34', '1.35', '1.34', '1.35'], ['1.33', '1.31', '1.30']),
    deletionProtection: new Deck<boolean | undefined>(random, [true, true, true], [false, undefined]),
    authenticationMode: new Deck(
      random,
      ['API', 'API_AND_CONFIG_MAP', 'API_AND_CONFIG_MAP'] as const,
      ['CONFIG_MAP'] as const,
    ),
    shape: new Deck<Shape>(
      random,
      ['ec2', 'ec2', 'ec2', 'ec2', 'ec2', 'ec2+fargate', 'ec2+fargate'],
      ['fargate-only'],
    ),
    kind: new Deck<GroupKind>(random, ['managed', 'managed', 'self-managed', 'karpenter'], []),
    os: new Deck<Os>(
      random,
      ['al2023', 'al2023', 'al2023', 'al2023', 'al2023', 'bottlerocket', 'bottlerocket', 'custom'],
      ['al2', 'al2'],
    ),
    release: new Deck<Release>(random, ['latest', 'latest', 'latest'], ['behind']),
    amiAge: new Deck<AmiAge>(random, ['fresh', 'fresh', 'fresh', 'fresh'], ['old']),
    ssh: new Deck<Ssh>(random, ['none', 'none', 'none', 'none', 'none', 'none'], ['key']),
    placement: new Deck<Placement>(random, Array<Placement>(7).fill('private'), [
      'public-subnet',
      'public-ip',
    ]),
    imds: new Deck<Imds>(random, ['v2', 'v2', 'v2', 'v2', 'v2'], ['v1', 'hop2']),
    coverage: new Deck<Coverage>(random, ['covered', 'covered', 'covered', 'covered', 'covered'], ['gap']),
    inspector: new Deck<InspectorState>(
      random,
      ['enabled', 'enabled', 'enabled', 'enabled', 'enabled', 'enabled', 'enabled'],
      ['ec2-disabled', 'never-enabled'],
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Ids, names and dates.

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const yyyymmdd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

/** Account ids 12 digits, distinct for any index below 80,000. */
export const accountIdOf = (index: number) => String(111_111_111_111 + index * 1_010_101);

class Ids {
  #counter = 0;
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  hex(length: number): string {
    let text = '';
    while (text.length < length)
      text += Math.floor(this.#random() * 0x1_0000_0000)
        .toString(16)
        .padStart(8, '0');
    return text.slice(0, length);
  }

  /** `prefix-0` + a counter + random hex: unique by construction, 17 hex digits like AWS ids. */
  resource(prefix: string): string {
    this.#counter += 1;
    return `${prefix}-0${this.#counter.toString(16).padStart(7, '0')}${this.hex(9)}`;
  }

  uuid(): string {
    const hex = this.hex(32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

const tags = (entries: Record<string, string>): Json<Tag>[] =>
  Object.entries(entries).map(([Key, Value]) => ({ Key, Value }));

function clusterVersions(now: number): Json<ClusterVersionInformation>[] {
  return VERSIONS.map((clusterVersion, index) => {
    const release = now - (300 + index * 120) * DAY_MS;
    const endOfStandard = release + 425 * DAY_MS;
    const endOfExtended = release + 790 * DAY_MS;
    const versionStatus =
      now < endOfStandard ? 'STANDARD_SUPPORT' : now < endOfExtended ? 'EXTENDED_SUPPORT' : 'UNSUPPORTED';
    return {
      clusterVersion,
      clusterType: 'eks',
      defaultPlatformVersion: `eks.${6 + index * 6}`,
      defaultVersion: index === 0,
      releaseDate: iso(release),
      endOfStandardSupportDate: iso(endOfStandard),
      endOfExtendedSupportDate: iso(endOfExtended),
      status: versionStatus.toLowerCase().replace('_', '-') as 'standard-support',
      versionStatus,
      kubernetesPatchVersion: PATCH[clusterVersion],
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// AMIs and their release versions.

type Arch = 'x86_64' | 'arm64';

interface AmiRelease {
  /** The managed node group's releaseVersion (and the SSM parameter's value when it is the latest). */
  readonly releaseVersion: string;
  readonly createdAt: number;
}

interface ReleaseCalendar {
  readonly latest: number;
  readonly behind: number;
  /** Amazon Linux 2 stopped at its end of support: its latest release is frozen. */
  readonly al2Latest: number;
}

function releaseOf(os: Os, version: KubernetesVersion, when: number, calendar: ReleaseCalendar): AmiRelease {
  switch (os) {
    case 'bottlerocket': {
      const minor = 51 - Math.ceil((calendar.latest - when) / (30 * DAY_MS));
      const build = (Math.imul(Math.round(when / DAY_MS), 2_654_435_761) >>> 0).toString(16).padStart(8, '0');
      return { releaseVersion: `1.${minor}.0-${build}`, createdAt: when };
    }
    case 'al2':
    case 'al2023':
    case 'custom':
      return { releaseVersion: `${PATCH[version]}-${yyyymmdd(when)}`, createdAt: when };
  }
}

function amiTypeOf(os: Os, arch: Arch): Nodegroup['amiType'] {
  const arm = arch === 'arm64';
  switch (os) {
    case 'al2023':
      return arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
    case 'bottlerocket':
      return arm ? 'BOTTLEROCKET_ARM_64' : 'BOTTLEROCKET_x86_64';
    case 'al2':
      return arm ? 'AL2_ARM_64' : 'AL2_x86_64';
    case 'custom':
      return 'CUSTOM';
  }
}

function amiName(os: Os, arch: Arch, version: KubernetesVersion, release: AmiRelease): string {
  const date = yyyymmdd(release.createdAt);
  switch (os) {
    case 'al2023':
      return `amazon-eks-node-al2023-${arch}-standard-${version}-v${date}`;
    case 'bottlerocket':
      return `bottlerocket-aws-k8s-${version}-${arch === 'arm64' ? 'aarch64' : 'x86_64'}-v${release.releaseVersion}`;
    case 'al2':
      return `amazon-eks-${arch === 'arm64' ? 'arm64-' : ''}node-${version}-v${date}`;
    case 'custom':
      return `acme-eks-${version}-al2023-hardened-${arch}-${date}`;
  }
}

/** The SSM public parameters of the latest releases, for every amiType and version a Region may use. */
function releaseParameters(calendar: ReleaseCalendar): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const version of VERSIONS) {
    for (const arch of ['x86_64', 'arm64'] as const) {
      const al2023 = releaseOf('al2023', version, calendar.latest, calendar);
      parameters[
        `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/${arch}/standard/recommended/release_version`
      ] = al2023.releaseVersion;
      parameters[`/aws/service/bottlerocket/aws-k8s-${version}/${arch}/latest/image_version`] = releaseOf(
        'bottlerocket',
        version,
        calendar.latest,
        calendar,
      ).releaseVersion;
    }
    if (version <= LAST_AL2_VERSION) {
      const al2 = releaseOf('al2', version, calendar.al2Latest, calendar).releaseVersion;
      parameters[`/aws/service/eks/optimized-ami/${version}/amazon-linux-2/recommended/release_version`] =
        al2;
      parameters[
        `/aws/service/eks/optimized-ami/${version}/amazon-linux-2-arm64/recommended/release_version`
      ] = al2;
    }
  }
  return parameters;
}

// ---------------------------------------------------------------------------------------------------------
// One (account, Region).

interface Network {
  readonly vpcId: string;
  readonly privateSubnets: readonly Json<Subnet>[];
  readonly publicSubnets: readonly Json<Subnet>[];
  readonly nodeSecurityGroupId: string;
  readonly bastionSecurityGroupId: string;
  /** The next host number for private addresses in this VPC. */
  hosts: number;
  readonly octet: number;
}

interface RegionContext {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly now: number;
  readonly calendar: ReleaseCalendar;
  readonly random: () => number;
  readonly ids: Ids;
  readonly decks: Decks;
  readonly options: GenerateOptions;
  readonly out: GeneratedRegion;
  readonly images: Map<string, string>;
  readonly networks: Network[];
  readonly coveredNodes: Map<string, Coverage>;
}

const azOf = (region: string, index: number) => `${region}${'abc'[index % 3]}`;

function createNetwork(context: RegionContext, index: number): Network {
  const { accountId, region, ids, out, accountName } = context;
  const octet = (index * 7 + context.accountId.charCodeAt(11)) % 250;
  const vpcId = ids.resource('vpc');
  const cidr = `10.${octet}.0.0/16`;
  const prefix = `${accountName}-${region}-${index}`;
  out.ec2.vpcs.push({
    VpcId: vpcId,
    OwnerId: accountId,
    CidrBlock: cidr,
    CidrBlockAssociationSet: [
      {
        AssociationId: ids.resource('vpc-cidr-assoc'),
        CidrBlock: cidr,
        CidrBlockState: { State: 'associated' },
      },
    ],
    DhcpOptionsId: ids.resource('dopt'),
    InstanceTenancy: 'default',
    IsDefault: false,
    State: 'available',
    Tags: tags({ Name: `${prefix}-vpc` }),
  });
  const subnet = (kind: 'private' | 'public', slot: number): Json<Subnet> => {
    const subnetId = ids.resource('subnet');
    const third = kind === 'private' ? slot * 32 : 96 + slot * 16;
    return {
      SubnetId: subnetId,
      SubnetArn: `arn:aws:ec2:${region}:${accountId}:subnet/${subnetId}`,
      VpcId: vpcId,
      OwnerId: accountId,
      CidrBlock: `10.${octet}.${third}.0/${kind === 'private' ? 19 : 20}`,
      AvailabilityZone: azOf(region, slot),
      AvailableIpAddressCount: kind === 'private' ? 8000 : 4000,
      DefaultForAz: false,
      MapPublicIpOnLaunch: kind === 'public',
      AssignIpv6AddressOnCreation: false,
      State: 'available',
      Tags: tags({
        Name: `${prefix}-${kind}-${'abc'[slot]}`,
        [kind === 'private' ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb']: '1',
      }),
    };
  };
  const privateSubnets = [0, 1, 2].map((slot) => subnet('private', slot));
  const publicSubnets = [0, 1].map((slot) => subnet('public', slot));
  out.ec2.subnets.push(...privateSubnets, ...publicSubnets);

  const local = {
    DestinationCidrBlock: cidr,
    GatewayId: 'local',
    Origin: 'CreateRouteTable',
    State: 'active',
  } as const;
  const mainId = ids.resource('rtb');
  const publicId = ids.resource('rtb');
  out.ec2.routeTables.push(
    {
      RouteTableId: mainId,
      VpcId: vpcId,
      OwnerId: accountId,
      Associations: [
        {
          Main: true,
          RouteTableAssociationId: ids.resource('rtbassoc'),
          RouteTableId: mainId,
          AssociationState: { State: 'associated' },
        },
      ],
      PropagatingVgws: [],
      Routes: [
        local,
        {
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: ids.resource('nat'),
          Origin: 'CreateRoute',
          State: 'active',
        },
      ],
      Tags: tags({ Name: `${prefix}-private` }),
    },
    {
      RouteTableId: publicId,
      VpcId: vpcId,
      OwnerId: accountId,
      Associations: publicSubnets.map((publicSubnet) => ({
        Main: false,
        RouteTableAssociationId: ids.resource('rtbassoc'),
        RouteTableId: publicId,
        SubnetId: publicSubnet.SubnetId,
        AssociationState: { State: 'associated' },
      })),
      PropagatingVgws: [],
      Routes: [
        local,
        {
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: ids.resource('igw'),
          Origin: 'CreateRoute',
          State: 'active',
        },
      ],
      Tags: tags({ Name: `${prefix}-public` }),
    },
  );
  const securityGroup = (name: string, description: string): string => {
    const groupId = ids.resource('sg');
    out.ec2.securityGroups.push({
      GroupId: groupId,
      GroupName: name,
      Description: description,
      VpcId: vpcId,
      OwnerId: accountId,
      SecurityGroupArn: `arn:aws:ec2:${region}:${accountId}:security-group/${groupId}`,
      IpPermissions: [
        {
          IpProtocol: '-1',
          IpRanges: [],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [{ GroupId: groupId, UserId: accountId }],
        },
      ],
      IpPermissionsEgress: [
        {
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '0.0.0.0/0' }],
          Ipv6Ranges: [],
          PrefixListIds: [],
          UserIdGroupPairs: [],
        },
      ],
      Tags: tags({ Name: name }),
    });
    return groupId;
  };
  return {
    vpcId,
    privateSubnets,
    publicSubnets,
    nodeSecurityGroupId: securityGroup(`${prefix}-eks-nodes`, 'EKS worker nodes'),
    bastionSecurityGroupId: securityGroup(`${prefix}-bastion`, 'SSH bastion hosts'),
    hosts: 10,
    octet,
  };
}

/** The AMI id for an image, registering the image in the Region the first time. */
function imageOf(
  context: RegionContext,
  os: Os,
  arch: Arch,
  version: KubernetesVersion,
  release: AmiRelease,
) {
  const name = amiName(os, arch, version, release);
  const known = context.images.get(name);
  if (known !== undefined) return known;
  const imageId = context.ids.resource('ami');
  const owner =
    os === 'bottlerocket' ? BOTTLEROCKET_OWNER : os === 'custom' ? context.accountId : EKS_AMI_OWNER;
  const created = iso(release.createdAt + 21 * 3_600_000);
  context.out.ec2.images.push({
    ImageId: imageId,
    Name: name,
    Description: os === 'custom' ? 'Hardened AL2023 EKS node image' : `EKS-optimized node image ${name}`,
    OwnerId: owner,
    ...(os === 'custom' ? {} : { ImageOwnerAlias: 'amazon' }),
    ImageLocation: `${owner}/${name}`,
    CreationDate: created,
    DeprecationTime: iso(release.createdAt + 730 * DAY_MS),
    Architecture: arch,
    ImageType: 'machine',
    Public: os !== 'custom',
    State: 'available',
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    BlockDeviceMappings: [
      {
        DeviceName: '/dev/xvda',
        Ebs: {
          DeleteOnTermination: true,
          SnapshotId: context.ids.resource('snap'),
          VolumeSize: 20,
          VolumeType: 'gp3',
          Encrypted: false,
        },
      },
    ],
    EnaSupport: true,
    VirtualizationType: 'hvm',
    ImdsSupport: 'v2.0',
  });
  context.images.set(name, imageId);
  return imageId;
}

type InstanceTypeName = Json<Instance>['InstanceType'];

const INSTANCE_TYPES: Readonly<Record<Arch, readonly string[]>> = {
  x86_64: ['m7i.xlarge', 'm6i.2xlarge', 'c7i.xlarge', 'r7i.xlarge', 'm7i.2xlarge'],
  arm64: ['m7g.xlarge', 'c7g.2xlarge', 'r7g.xlarge', 'm7g.2xlarge'],
};

interface GroupPlan {
  readonly clusterName: string;
  readonly kind: GroupKind;
  readonly name: string;
  readonly os: Os;
  readonly arch: Arch;
  readonly version: KubernetesVersion;
  readonly release: AmiRelease;
  readonly imageId: string;
  readonly ssh: Ssh;
  readonly placement: Placement;
  readonly imds: Imds;
  readonly coverage: Coverage;
  readonly network: Network;
  readonly subnets: readonly Json<Subnet>[];
  readonly instanceType: string;
  readonly instanceProfile: string;
}

function metadataOptions(imds: Imds) {
  return {
    State: 'applied',
    HttpTokens: imds === 'v1' ? 'optional' : 'required',
    HttpPutResponseHopLimit: imds === 'hop2' ? 2 : 1,
    HttpEndpoint: 'enabled',
    HttpProtocolIpv6: 'disabled',
    InstanceMetadataTags: 'disabled',
  } as const;
}

function launchTemplate(
  context: RegionContext,
  group: GroupPlan,
  data: { imageId?: string; keyName?: string },
): { id: string; name: string; version: number } {
  const { ids, out, accountId } = context;
  const id = ids.resource('lt');
  const name = `${group.clusterName}-${group.name}`;
  const versions = between(1, 3, context.random);
  for (let version = 1; version <= versions; version += 1) {
    out.ec2.launchTemplateVersions.push({
      LaunchTemplateId: id,
      LaunchTemplateName: name,
      VersionNumber: version,
      VersionDescription: version === versions ? 'current' : 'superseded',
      CreateTime: iso(group.release.createdAt + version * 3_600_000),
      CreatedBy: `arn:aws:iam::${accountId}:role/platform-terraform`,
      DefaultVersion: version === versions,
      LaunchTemplateData: {
        ...(data.imageId === undefined ? {} : { ImageId: data.imageId }),
        ...(group.kind === 'managed' ? {} : { InstanceType: group.instanceType as InstanceTypeName }),
        ...(data.keyName === undefined || version < versions ? {} : { KeyName: data.keyName }),
        SecurityGroupIds: [group.network.nodeSecurityGroupId],
        MetadataOptions: {
          HttpTokens: group.imds === 'v1' ? 'optional' : 'required',
          HttpPutResponseHopLimit: group.imds === 'hop2' ? 2 : 1,
          HttpEndpoint: 'enabled',
        },
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: { VolumeSize: 80, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true },
          },
        ],
      },
    });
  }
  return { id, name, version: versions };
}

/** Creates the group's running nodes and returns them. */
function createNodes(
  context: RegionContext,
  group: GroupPlan,
  groupTags: Record<string, string>,
  keyName: string | undefined,
): Json<Instance>[] {
  const { ids, out, options, random, region, accountId } = context;
  const nodes: Json<Instance>[] = [];
  for (let index = 0; index < options.nodesPerGroup; index += 1) {
    const instanceId = ids.resource('i');
    const onPublic = group.placement === 'public-subnet' && index === 0;
    const subnet = (onPublic ? group.network.publicSubnets : group.subnets)[index % 2] as Json<Subnet>;
    const publicIp =
      onPublic || (group.placement === 'public-ip' && index === 0)
        ? `203.0.${between(0, 255, random)}.${between(1, 254, random)}`
        : undefined;
    group.network.hosts += 1;
    const host = group.network.hosts;
    const slot = subnet.CidrBlock?.split('.')[2] ?? '0';
    const privateIp = `10.${group.network.octet}.${Number(slot) + Math.floor(host / 250)}.${(host % 250) + 4}`;
    const privateDns = `ip-${privateIp.replaceAll('.', '-')}.${region}.compute.internal`;
    const launched = iso(
      Math.min(group.release.createdAt + between(1, 4, random) * DAY_MS, context.now - 3_600_000),
    );
    const instanceType =
      group.kind === 'karpenter' ? pick(INSTANCE_TYPES[group.arch], random) : group.instanceType;
    const spot = group.kind === 'karpenter' && random() < 0.4;
    nodes.push({
      InstanceId: instanceId,
      ImageId: group.imageId,
      InstanceType: instanceType as InstanceTypeName,
      ...(keyName === undefined ? {} : { KeyName: keyName }),
      State: { Code: 16, Name: 'running' },
      StateTransitionReason: '',
      LaunchTime: launched,
      Architecture: group.arch,
      Placement: { AvailabilityZone: subnet.AvailabilityZone, GroupName: '', Tenancy: 'default' },
      SubnetId: subnet.SubnetId,
      VpcId: group.network.vpcId,
      PrivateIpAddress: privateIp,
      PrivateDnsName: privateDns,
      PublicDnsName:
        publicIp === undefined ? '' : `ec2-${publicIp.replaceAll('.', '-')}.${region}.compute.amazonaws.com`,
      ...(publicIp === undefined ? {} : { PublicIpAddress: publicIp }),
      ...(spot ? { InstanceLifecycle: 'spot', SpotInstanceRequestId: `sir-${ids.hex(8)}` } : {}),
      IamInstanceProfile: {
        Arn: `arn:aws:iam::${accountId}:instance-profile/${group.instanceProfile}`,
        Id: `AIPA${ids.hex(17).toUpperCase()}`,
      },
      SecurityGroups: [{ GroupName: 'eks-nodes', GroupId: group.network.nodeSecurityGroupId }],
      NetworkInterfaces: [
        {
          NetworkInterfaceId: ids.resource('eni'),
          Attachment: {
            AttachTime: launched,
            AttachmentId: ids.resource('eni-attach'),
            DeleteOnTermination: true,
            DeviceIndex: 0,
            Status: 'attached',
          },
          ...(publicIp === undefined ? {} : { Association: { PublicIp: publicIp, IpOwnerId: 'amazon' } }),
          Groups: [{ GroupName: 'eks-nodes', GroupId: group.network.nodeSecurityGroupId }],
          PrivateDnsName: privateDns,
          PrivateIpAddress: privateIp,
          PrivateIpAddresses: [
            {
              Primary: true,
              PrivateDnsName: privateDns,
              PrivateIpAddress: privateIp,
              ...(publicIp === undefined ? {} : { Association: { PublicIp: publicIp, IpOwnerId: 'amazon' } }),
            },
          ],
          Status: 'in-use',
          SubnetId: subnet.SubnetId,
          VpcId: group.network.vpcId,
        },
      ],
      RootDeviceName: '/dev/xvda',
      RootDeviceType: 'ebs',
      MetadataOptions: metadataOptions(group.imds),
      PlatformDetails: 'Linux/UNIX',
      Tags: tags({ Name: `${group.clusterName}-${group.name}-${index + 1}`, ...groupTags }),
    });
    context.coveredNodes.set(
      instanceId,
      group.coverage === 'gap' && (index === 0 || random() < 0.5) ? 'gap' : 'covered',
    );
  }
  out.ec2.instances.push(...nodes);
  return nodes;
}

function asgInstances(
  nodes: readonly Json<Instance>[],
  template: { id: string; name: string; version: number } | undefined,
) {
  return nodes.map((node) => ({
    InstanceId: node.InstanceId,
    InstanceType: node.InstanceType,
    AvailabilityZone: node.Placement?.AvailabilityZone,
    LifecycleState: 'InService' as const,
    HealthStatus: 'Healthy',
    ...(template === undefined
      ? {}
      : {
          LaunchTemplate: {
            LaunchTemplateId: template.id,
            LaunchTemplateName: template.name,
            Version: String(template.version),
          },
        }),
    ProtectedFromScaleIn: false,
  }));
}

function autoScalingGroup(
  context: RegionContext,
  group: GroupPlan,
  name: string,
  nodes: readonly Json<Instance>[],
  template: { id: string; name: string; version: number } | undefined,
  groupTags: Record<string, string>,
  created: string,
): Json<AutoScalingGroup> {
  const { region, accountId, ids, options } = context;
  return {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${ids.uuid()}:autoScalingGroupName/${name}`,
    ...(template === undefined
      ? {}
      : {
          LaunchTemplate: {
            LaunchTemplateId: template.id,
            LaunchTemplateName: template.name,
            Version: String(template.version),
          },
        }),
    MinSize: Math.max(1, options.nodesPerGroup - 1),
    MaxSize: options.nodesPerGroup * 3,
    DesiredCapacity: options.nodesPerGroup,
    DefaultCooldown: 300,
    AvailabilityZones: group.subnets.map((subnet) => subnet.AvailabilityZone ?? region),
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 15,
    Instances: asgInstances(nodes, template),
    CreatedTime: created,
    SuspendedProcesses: [],
    VPCZoneIdentifier: [
      ...group.subnets,
      ...(group.placement === 'public-subnet' ? group.network.publicSubnets : []),
    ]
      .map((subnet) => subnet.SubnetId)
      .join(','),
    Tags: Object.entries(groupTags).map(([Key, Value]) => ({
      ResourceId: name,
      ResourceType: 'auto-scaling-group',
      Key,
      Value,
      PropagateAtLaunch: true,
    })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: false,
    TrafficSources: [],
  };
}

function createGroup(
  context: RegionContext,
  entry: GeneratedClusterEntry,
  network: Network,
  clusterVersion: KubernetesVersion,
  index: number,
) {
  const { decks, random, calendar, ids, out, accountId, region } = context;
  const { cluster } = entry;
  const clusterName = cluster.name as string;
  const drawn: GroupKind = index === 0 ? 'managed' : decks.kind.draw();
  // An Auto Mode cluster's other groups are its Auto Mode node pools (built on Karpenter).
  const autoMode = cluster.computeConfig?.enabled === true;
  const kind: GroupKind = autoMode && index > 0 ? 'karpenter' : drawn;
  const os = decks.os.draw();
  const arch: Arch = os !== 'custom' && random() < 0.3 ? 'arm64' : 'x86_64';
  // Amazon Linux 2 AMIs stop at Kubernetes 1.32: such a group lags its control plane (within the skew policy).
  const version = os === 'al2' && clusterVersion > LAST_AL2_VERSION ? LAST_AL2_VERSION : clusterVersion;
  const age = decks.amiAge.draw();
  const behind = kind === 'managed' && decks.release.draw() === 'behind';
  const when =
    os === 'al2'
      ? calendar.al2Latest
      : age === 'old'
        ? calendar.latest - between(60, 400, random) * DAY_MS
        : behind
          ? calendar.behind
          : calendar.latest;
  const release = releaseOf(os, version, when, calendar);
  const role = POOL_ROLES[index % POOL_ROLES.length] as string;
  const name =
    kind === 'karpenter' ? `${role}-${index}` : `${role}-${os === 'custom' ? 'hardened' : os}-${index}`;
  const placement = decks.placement.draw();
  const group: GroupPlan = {
    clusterName,
    kind,
    name,
    os,
    arch,
    version,
    release,
    imageId: imageOf(context, os, arch, version, release),
    ssh: decks.ssh.draw(),
    placement,
    imds: decks.imds.draw(),
    coverage: decks.coverage.draw(),
    network,
    subnets: network.privateSubnets.slice(0, 2 + (index % 2)),
    instanceType: pick(INSTANCE_TYPES[arch], random),
    instanceProfile:
      kind === 'karpenter' ? `KarpenterNodeRole-${clusterName}` : `${clusterName}-${name}-node`,
  };
  const created = iso(Math.min(release.createdAt, Date.parse(cluster.createdAt ?? '') + DAY_MS));
  const ownedBy = { [`kubernetes.io/cluster/${clusterName}`]: 'owned' };
  const keyName = group.ssh === 'key' ? `${clusterName}-ops` : undefined;

  switch (kind) {
    case 'managed': {
      const asgName = `eks-${name}-${ids.uuid()}`;
      // How the key reaches the nodes: managed remote access (open, or from a bastion group), or the launch template.
      const sshForm =
        keyName === undefined ? 'none' : pick(['remote-open', 'remote-sg', 'template'] as const, random);
      const template =
        os === 'custom' || sshForm === 'template' || random() < 0.3
          ? launchTemplate(context, group, {
              ...(os === 'custom' ? { imageId: group.imageId } : {}),
              ...(sshForm === 'template' ? { keyName } : {}),
            })
          : undefined;
      const groupTags = { 'eks:cluster-name': clusterName, 'eks:nodegroup-name': name, ...ownedBy };
      const nodes = createNodes(
        context,
        group,
        { ...groupTags, 'aws:autoscaling:groupName': asgName },
        keyName,
      );
      const nodegroupSubnets = [
        ...group.subnets,
        ...(group.placement === 'public-subnet' ? group.network.publicSubnets : []),
      ].map((subnet) => subnet.SubnetId as string);
      entry.nodegroups.push({
        nodegroupName: name,
        nodegroupArn: `arn:aws:eks:${region}:${accountId}:nodegroup/${clusterName}/${name}/${ids.uuid()}`,
        clusterName,
        version,
        releaseVersion: os === 'custom' ? group.imageId : release.releaseVersion,
        createdAt: created,
        modifiedAt: iso(Math.min(release.createdAt + DAY_MS, context.now - DAY_MS)),
        status: 'ACTIVE',
        capacityType: random() < 0.2 ? 'SPOT' : 'ON_DEMAND',
        scalingConfig: {
          minSize: Math.max(1, context.options.nodesPerGroup - 1),
          maxSize: context.options.nodesPerGroup * 3,
          desiredSize: context.options.nodesPerGroup,
        },
        ...(template === undefined ? { instanceTypes: [group.instanceType], diskSize: 20 } : {}),
        subnets: nodegroupSubnets,
        ...(sshForm === 'remote-open' || sshForm === 'remote-sg'
          ? {
              remoteAccess: {
                ec2SshKey: keyName,
                ...(sshForm === 'remote-sg'
                  ? { sourceSecurityGroups: [group.network.bastionSecurityGroupId] }
                  : {}),
              },
            }
          : {}),
        amiType: amiTypeOf(os, arch),
        nodeRole: `arn:aws:iam::${accountId}:role/${group.instanceProfile}`,
        labels: { role },
        resources: { autoScalingGroups: [{ name: asgName }] },
        health: { issues: [] },
        updateConfig: { maxUnavailable: 1 },
        ...(template === undefined
          ? {}
          : { launchTemplate: { name: template.name, version: String(template.version), id: template.id } }),
        tags: {},
      });
      out.autoscaling.groups.push(
        autoScalingGroup(
          context,
          group,
          asgName,
          nodes,
          template,
          {
            ...groupTags,
            [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
            'k8s.io/cluster-autoscaler/enabled': 'true',
          },
          created,
        ),
      );
      return;
    }
    case 'self-managed': {
      const asgName = `${clusterName}-${name}`;
      const template = launchTemplate(context, group, {
        imageId: group.imageId,
        ...(keyName === undefined ? {} : { keyName }),
      });
      const groupTags = { Name: asgName, ...ownedBy };
      const nodes = createNodes(
        context,
        group,
        { ...ownedBy, 'aws:autoscaling:groupName': asgName },
        keyName,
      );
      out.autoscaling.groups.push(
        autoScalingGroup(context, group, asgName, nodes, template, groupTags, created),
      );
      return;
    }
    case 'karpenter': {
      const nodes = createNodes(
        context,
        group,
        {
          'karpenter.sh/nodepool': name,
          'karpenter.sh/nodeclaim': `${name}-${ids.hex(5)}`,
          'karpenter.k8s.aws/ec2nodeclass': os === 'bottlerocket' ? 'bottlerocket' : 'default',
          'eks:eks-cluster-name': clusterName,
          ...(autoMode ? { 'eks:kubernetes-node-pool-name': name } : {}),
          ...ownedBy,
        },
        // Auto Mode allows no SSH.
        autoMode ? undefined : keyName,
      );
      // EKS operates Auto Mode nodes: EC2 hides them from listings that do not ask for managed resources.
      if (autoMode)
        for (const node of nodes) node.Operator = { Managed: true, Principal: 'eks.amazonaws.com' };
      return;
    }
  }
}

function fargateProfile(
  context: RegionContext,
  clusterName: string,
  name: string,
  network: Network,
  selectors: Json<FargateProfile>['selectors'],
  created: string,
): Json<FargateProfile> {
  const { region, accountId, ids } = context;
  return {
    fargateProfileName: name,
    fargateProfileArn: `arn:aws:eks:${region}:${accountId}:fargateprofile/${clusterName}/${name}/${ids.uuid()}`,
    clusterName,
    createdAt: created,
    podExecutionRoleArn: `arn:aws:iam::${accountId}:role/${clusterName}-fargate-pod-execution`,
    subnets: network.privateSubnets.slice(0, 2).map((subnet) => subnet.SubnetId as string),
    selectors,
    status: 'ACTIVE',
    tags: {},
    health: { issues: [] },
  };
}

function createCluster(context: RegionContext, index: number) {
  const { decks, random, ids, out, accountId, region, now, accountName } = context;
  const network = context.networks[Math.floor(index / CLUSTERS_PER_VPC)] as Network;
  const team = accountName.split('-')[0] ?? 'team';
  const name = `${team}-${WORKLOADS[index % WORKLOADS.length]}-${String(index + 1).padStart(3, '0')}`;
  const version = decks.version.draw();
  const endpoint = decks.endpoint.draw();
  const logging = decks.logging.draw();
  const encrypted = decks.encrypted.draw();
  const deletionProtection = decks.deletionProtection.draw();
  const authenticationMode = decks.authenticationMode.draw();
  const shape = decks.shape.draw();
  const oidc = ids.hex(32).toUpperCase();
  const created = now - between(60, 900, random) * DAY_MS;
  const clusterSecurityGroupId = ids.resource('sg');
  // Fixed slots rather than decks, so the rest of the estate draws exactly as before.
  const autoMode = index % 10 === 7;
  const hybrid = index % 10 === 3;
  if (autoMode) out.ec2.managedResourceVisibility = 'hidden';
  const cluster: Json<Cluster> = {
    name,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
    createdAt: iso(created),
    version,
    endpoint: `https://${oidc}.gr7.${region}.eks.amazonaws.com`,
    roleArn: `arn:aws:iam::${accountId}:role/${name}-cluster`,
    resourcesVpcConfig: {
      subnetIds: network.privateSubnets.map((subnet) => subnet.SubnetId as string),
      securityGroupIds: [],
      clusterSecurityGroupId,
      vpcId: network.vpcId,
      endpointPublicAccess: endpoint !== 'private',
      endpointPrivateAccess: endpoint !== 'open-no-private',
      publicAccessCidrs: endpoint === 'restricted' ? ['203.0.113.0/24', '198.51.100.16/28'] : ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: '172.20.0.0/16',
      ipFamily: 'ipv4',
      elasticLoadBalancing: { enabled: false },
    },
    logging: {
      clusterLogging:
        logging === 'all'
          ? [{ types: [...LOG_TYPES], enabled: true }]
          : logging === 'api-audit'
            ? [
                { types: ['api', 'audit'], enabled: true },
                { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
              ]
            : [{ types: [...LOG_TYPES], enabled: false }],
    },
    identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${oidc}` } },
    status: 'ACTIVE',
    certificateAuthority: { data: `LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t${ids.hex(24).toUpperCase()}` },
    platformVersion: `eks.${between(5, 30, random)}`,
    tags: {
      team,
      environment: accountName.split('-')[1] ?? 'prod',
      'cost-center': `cc-${between(1000, 9999, random)}`,
    },
    ...(encrypted
      ? {
          encryptionConfig: [
            {
              resources: ['secrets'],
              provider: { keyArn: `arn:aws:kms:${region}:${accountId}:key/${ids.uuid()}` },
            },
          ],
        }
      : {}),
    health: { issues: [] },
    accessConfig: { bootstrapClusterCreatorAdminPermissions: true, authenticationMode },
    ...(autoMode
      ? {
          computeConfig: {
            enabled: true,
            nodePools: ['general-purpose', 'system'],
            nodeRoleArn: `arn:aws:iam::${accountId}:role/${name}-auto-node`,
          },
        }
      : {}),
    ...(hybrid
      ? {
          remoteNetworkConfig: {
            remoteNodeNetworks: [{ cidrs: [`192.168.${index % 256}.0/24`] }],
            remotePodNetworks: [{ cidrs: [`172.31.${index % 256}.0/24`] }],
          },
        }
      : {}),
    upgradePolicy: { supportType: random() < 0.7 ? 'STANDARD' : 'EXTENDED' },
    ...(deletionProtection === undefined ? {} : { deletionProtection }),
  };
  context.out.ec2.securityGroups.push({
    GroupId: clusterSecurityGroupId,
    GroupName: `eks-cluster-sg-${name}-${ids.hex(10)}`,
    Description:
      'EKS created security group applied to ENI that is attached to EKS Control Plane master nodes.',
    VpcId: network.vpcId,
    OwnerId: accountId,
    IpPermissions: [],
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    Tags: tags({ 'aws:eks:cluster-name': name, [`kubernetes.io/cluster/${name}`]: 'owned' }),
  });
  const entry: GeneratedClusterEntry = { cluster, nodegroups: [], fargateProfiles: [] };
  out.clusters.push(entry);
  const profileCreated = iso(created + 3_600_000);
  if (shape === 'fargate-only') {
    entry.fargateProfiles.push(
      fargateProfile(context, name, 'kube-system', network, [{ namespace: 'kube-system' }], profileCreated),
      fargateProfile(
        context,
        name,
        'workloads',
        network,
        [{ namespace: WORKLOADS[index % WORKLOADS.length] as string }, { namespace: 'jobs' }],
        profileCreated,
      ),
    );
    return;
  }
  if (shape === 'ec2+fargate') {
    entry.fargateProfiles.push(
      fargateProfile(
        context,
        name,
        'coredns',
        network,
        [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }],
        profileCreated,
      ),
    );
  }
  for (let group = 0; group < context.options.nodeGroupsPerCluster; group += 1)
    createGroup(context, entry, network, version, group);
}

/** An Inspector State; the SDK type names errorCode and errorMessage even when there is no error. */
const scanning = (status: 'ENABLED' | 'DISABLED') => ({
  status,
  errorCode: undefined,
  errorMessage: undefined,
});

function inspectorOf(context: RegionContext, state: InspectorState): GeneratedRegion['inspector2'] {
  if (state === 'never-enabled') return undefined;
  const { accountId, now } = context;
  const ec2 = state === 'enabled' ? 'ENABLED' : 'DISABLED';
  const coverage: Json<CoveredResource>[] = [];
  if (state === 'enabled') {
    const images = new Map(context.out.ec2.instances.map((node) => [node.InstanceId, node.ImageId]));
    for (const [instanceId, covered] of context.coveredNodes) {
      const gap = covered === 'gap';
      // A gap: no record at all (never discovered) or an inactive PACKAGE scan.
      if (gap && instanceId.charCodeAt(instanceId.length - 1) % 2 === 0) continue;
      coverage.push({
        accountId,
        resourceId: instanceId,
        resourceType: 'AWS_EC2_INSTANCE',
        scanType: 'PACKAGE',
        scanStatus: gap
          ? { statusCode: 'INACTIVE', reason: 'UNMANAGED_EC2_INSTANCE' }
          : { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' },
        resourceMetadata: { ec2: { amiId: images.get(instanceId), platform: 'LINUX' } },
        ...(gap ? {} : { lastScannedAt: iso(now - 6 * 3_600_000) }),
        scanMode: 'EC2_SSM_AGENT_BASED',
      });
    }
  }
  return {
    accountState: {
      accountId,
      state: scanning('ENABLED'),
      resourceState: {
        ec2: scanning(ec2),
        ecr: scanning('ENABLED'),
        lambda: scanning('DISABLED'),
        lambdaCode: scanning('DISABLED'),
      },
    },
    coverage,
  };
}

/**
 * GuardDuty and ECR of a Region, cycling through every verdict of the GuardDuty and Fargate checks
 * by the Region's position (no random draw, so the rest of the estate is unchanged): all on (clusters
 * covered, every fifth UNHEALTHY, every seventh without a record), runtime monitoring off, detector
 * suspended, no detector; ECR scanning every repository in every other Region (basic scanning between).
 */
function guardDutyAndEcrOf(
  context: RegionContext,
  position: number,
): Pick<GeneratedRegion, 'guardduty' | 'ecr'> {
  const { accountId, out, now } = context;
  const variant = position % 4;
  const ecr = {
    registryScanningConfiguration:
      position % 2 === 1
        ? { scanType: 'BASIC' as const, rules: [] }
        : {
            scanType: 'ENHANCED' as const,
            rules: [
              {
                scanFrequency: 'CONTINUOUS_SCAN' as const,
                repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' as const }],
              },
            ],
          },
  };
  if (variant === 3) return { ecr };
  const detectorId = `${accountId}${String(position).padStart(20, '0')}`;
  const runtime = variant === 1 ? 'DISABLED' : 'ENABLED';
  const coverage: Json<CoverageResource>[] =
    variant === 0
      ? out.clusters.flatMap((entry, index) => {
          if (index % 7 === 6) return [];
          const unhealthy = index % 5 === 4;
          return [
            {
              ResourceId: entry.cluster.name,
              DetectorId: detectorId,
              AccountId: accountId,
              CoverageStatus: unhealthy ? ('UNHEALTHY' as const) : ('HEALTHY' as const),
              ...(unhealthy ? { Issue: 'No runtime events received from the agent' } : {}),
              ResourceDetails: {
                ResourceType: 'EKS' as const,
                EksClusterDetails: {
                  ClusterName: entry.cluster.name,
                  CoveredNodes: unhealthy ? 0 : 2,
                  CompatibleNodes: 2,
                  ManagementType: 'AUTO_MANAGED' as const,
                  AddonDetails: {
                    AddonVersion: 'v1.11.0-eksbuild.4',
                    AddonStatus: unhealthy ? 'DEGRADED' : 'ACTIVE',
                  },
                },
              },
              UpdatedAt: iso(now - 3_600_000),
            },
          ];
        })
      : [];
  return {
    ecr,
    guardduty: {
      detector: {
        DetectorId: detectorId,
        Status: variant === 2 ? 'DISABLED' : 'ENABLED',
        ServiceRole: `arn:aws:iam::${accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        Features: [
          { Name: 'EKS_AUDIT_LOGS', Status: variant === 1 ? 'DISABLED' : 'ENABLED' },
          {
            Name: 'RUNTIME_MONITORING',
            Status: runtime,
            AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: runtime }],
          },
        ],
      },
      coverage,
    },
  };
}

/** A number from an id, so per-node choices consume nothing of the seeded random stream. */
const idHash = (id: string) =>
  [...id].reduce((hash, character) => (hash * 31 + character.charCodeAt(0)) % 1_000_003, 7);

/**
 * The nodes' root volumes, the Region's EBS encryption by default and its SSM managed nodes: most nodes
 * Online with encrypted volumes, about one in nine unencrypted, two in seventeen unregistered or
 * ConnectionLost, encryption by default on in about half the Regions.
 */
function addNodeHostState(context: RegionContext) {
  const { out, accountId, region, now } = context;
  const volumes: Json<Volume>[] = [];
  const managed: Json<InstanceInformation>[] = [];
  for (const node of out.ec2.instances) {
    const instanceId = node.InstanceId ?? '';
    const hash = idHash(instanceId);
    const volumeId = `vol-${instanceId.slice(2)}`;
    const launched = node.LaunchTime ?? iso(now);
    node.BlockDeviceMappings = [
      {
        DeviceName: '/dev/xvda',
        Ebs: { AttachTime: launched, DeleteOnTermination: true, Status: 'attached', VolumeId: volumeId },
      },
    ];
    const encrypted = hash % 9 !== 0;
    volumes.push({
      VolumeId: volumeId,
      Size: 80,
      VolumeType: 'gp3',
      State: 'in-use',
      AvailabilityZone: node.Placement?.AvailabilityZone,
      CreateTime: launched,
      Encrypted: encrypted,
      ...(encrypted ? { KmsKeyId: `arn:aws:kms:${region}:${accountId}:alias/aws/ebs` } : {}),
      Attachments: [
        {
          VolumeId: volumeId,
          InstanceId: instanceId,
          Device: '/dev/xvda',
          State: 'attached',
          AttachTime: launched,
        },
      ],
    });
    if (hash % 17 === 0) continue;
    managed.push({
      InstanceId: instanceId,
      PingStatus: hash % 17 === 1 ? 'ConnectionLost' : 'Online',
      LastPingDateTime: iso(now - (hash % 17 === 1 ? 3 * DAY_MS : 120_000)),
      ResourceType: 'EC2Instance',
      PlatformType: 'Linux',
      IPAddress: node.PrivateIpAddress,
    });
  }
  out.ec2.volumes = volumes;
  out.ec2.ebsEncryptionByDefault = idHash(`${accountId}/${region}`) % 2 === 0;
  out.ssm.instanceInformation = managed;
}

/** A UUID-shaped id from a key, so ids of insights and add-ons consume nothing of the seeded stream. */
const keyedUuid = (key: string) => {
  const hex = [0, 1, 2, 3, 4, 5, 6]
    .map((part) => idHash(`${part}:${key}`).toString(16).padStart(5, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** The add-ons EKS offers in every Region: newest, default and an older version, compatible with every version. */
const ADDON_CATALOGUE = [
  {
    addonName: 'vpc-cni',
    type: 'networking',
    versions: { newest: 'v1.20.4-eksbuild.2', default: 'v1.19.6-eksbuild.1', older: 'v1.19.0-eksbuild.1' },
  },
  {
    addonName: 'coredns',
    type: 'networking',
    versions: { newest: 'v1.12.4-eksbuild.1', default: 'v1.11.4-eksbuild.14', older: 'v1.11.4-eksbuild.2' },
  },
  {
    addonName: 'eks-pod-identity-agent',
    type: 'security',
    versions: { newest: 'v1.3.9-eksbuild.3', default: 'v1.3.8-eksbuild.2', older: 'v1.3.7-eksbuild.2' },
  },
] as const;
type CataloguedAddon = (typeof ADDON_CATALOGUE)[number]['addonName'];
type AddonName = CataloguedAddon | 'kube-proxy';
const versionOf = (addonName: CataloguedAddon, which: 'newest' | 'default' | 'older') =>
  ADDON_CATALOGUE.find((addon) => addon.addonName === addonName)?.versions[which] as string;
/** kube-proxy follows the Kubernetes patch version: one version per cluster version, the default. */
const kubeProxyVersion = (version: string) =>
  `v${PATCH[version as KubernetesVersion] ?? `${version}.0`}-eksbuild.3`;

function addonVersionsOffered(): Json<AddonInfo>[] {
  const compatibleWith = (isDefault: boolean, versions: readonly string[] = VERSIONS) =>
    versions.map((clusterVersion) => ({
      clusterVersion,
      platformVersions: ['*'],
      defaultVersion: isDefault,
    }));
  const offered = (addonName: string, type: string, addonVersions: Json<AddonInfo>['addonVersions']) => ({
    addonName,
    type,
    owner: 'aws',
    publisher: 'eks',
    addonVersions,
  });
  return [
    ...ADDON_CATALOGUE.map(({ addonName, type, versions }) =>
      offered(
        addonName,
        type,
        [versions.newest, versions.default, versions.older].map((addonVersion) => ({
          addonVersion,
          architecture: ['amd64', 'arm64'],
          compatibilities: compatibleWith(addonVersion === versions.default),
          requiresConfiguration: false,
        })),
      ),
    ),
    offered(
      'kube-proxy',
      'networking',
      VERSIONS.map((version) => ({
        addonVersion: kubeProxyVersion(version),
        architecture: ['amd64', 'arm64'],
        compatibilities: compatibleWith(true, [version]),
        requiresConfiguration: false,
      })),
    ),
  ];
}

/**
 * How pods of a cluster get an AWS identity, by its slot: IRSA (an IAM OIDC provider, with the Pod Identity
 * agent in every third slot), the agent alone, or neither (every fourth; every eighth has the agent failed).
 */
function podIdentityOf(slot: number): { provider: boolean; agent?: 'ACTIVE' | 'CREATE_FAILED' } {
  if (slot % 4 === 3)
    return slot % 8 === 7 ? { provider: false, agent: 'CREATE_FAILED' } : { provider: false };
  if (slot % 4 === 2) return { provider: false, agent: 'ACTIVE' };
  return slot % 3 === 0 ? { provider: true, agent: 'ACTIVE' } : { provider: true };
}

function insightOf(
  entry: GeneratedClusterEntry,
  now: number,
  name: string,
  description: string,
  kubernetesVersion: string,
  status: 'PASSING' | 'WARNING' | 'ERROR' | 'UNKNOWN',
  reason: string,
  extra: Partial<Json<Insight>> = {},
): Json<Insight> {
  return {
    id: keyedUuid(`${entry.cluster.arn}/${name}`),
    name,
    category: 'UPGRADE_READINESS',
    kubernetesVersion,
    lastRefreshTime: iso(now - 8 * 3_600_000),
    lastTransitionTime: iso(now - (3 + (idHash(`${entry.cluster.arn}/${name}`) % 40)) * DAY_MS),
    description,
    insightStatus: { status, reason },
    ...extra,
  };
}

/** The cluster's upgrade-readiness insights, for the next minor version (AL2 compatibility up to 1.32). */
function insightsOf(entry: GeneratedClusterEntry, slot: number, now: number): Json<Insight>[] {
  const version = entry.cluster.version ?? '1.35';
  const next = `1.${Number(version.split('.')[1]) + 1}`;
  const deprecated = slot % 6 === 2 ? 'WARNING' : slot % 6 === 5 ? 'ERROR' : 'PASSING';
  const insights = [
    insightOf(
      entry,
      now,
      `Deprecated APIs removed in Kubernetes v${next}`,
      `Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v${next}.`,
      next,
      deprecated,
      deprecated === 'PASSING'
        ? 'No deprecated API usage detected within the last 30 days.'
        : `Deprecated API usage detected within the last 30 days and your cluster is on Kubernetes v${version}.`,
      deprecated === 'PASSING'
        ? {}
        : {
            recommendation: `Update manifests and API clients to use newer Kubernetes APIs before upgrading to Kubernetes v${next}.`,
            categorySpecificSummary: {
              deprecationDetails: [
                {
                  usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
                  replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
                  stopServingVersion: next,
                  startServingReplacementVersion: '1.29',
                  clientStats: [
                    {
                      userAgent: 'prometheus-operator/v0.68.0',
                      numberOfRequestsLast30Days: 1200 + (slot % 7) * 311,
                      lastRequestTime: iso(now - 3_600_000),
                    },
                  ],
                },
              ],
            },
          },
    ),
    // UNKNOWN now and then: listed but never judged.
    insightOf(
      entry,
      now,
      'Kubelet version skew',
      'Checks for kubelet versions of worker nodes in the cluster to see if upgrade would cause noncompliance with supported Kubernetes kubelet version skew policy.',
      next,
      slot % 9 === 4 ? 'UNKNOWN' : 'PASSING',
      slot % 9 === 4
        ? 'Unable to determine status of node kubelet versions.'
        : 'Node kubelet versions match the cluster control plane version.',
    ),
  ];
  if (version <= LAST_AL2_VERSION) {
    const al2 = entry.nodegroups.some((group) => group.amiType?.startsWith('AL2_') === true);
    insights.push(
      insightOf(
        entry,
        now,
        'Amazon Linux 2 compatibility',
        'Checks if any nodes in the cluster are running Amazon Linux 2 AMIs, which are not available for Kubernetes 1.33 and later.',
        version,
        al2 ? 'ERROR' : 'PASSING',
        al2 ? 'Nodes running Amazon Linux 2 were found.' : 'No nodes running Amazon Linux 2 were found.',
      ),
    );
  }
  return insights;
}

function addonOf(
  context: RegionContext,
  entry: GeneratedClusterEntry,
  addonName: AddonName,
  addonVersion: string,
  status: 'ACTIVE' | 'DEGRADED' | 'CREATE_FAILED' = 'ACTIVE',
): Json<Addon> {
  const { region, accountId, now } = context;
  const clusterName = entry.cluster.name ?? '';
  const issues =
    status === 'ACTIVE'
      ? []
      : [
          status === 'DEGRADED'
            ? {
                code: 'InsufficientNumberOfReplicas' as const,
                message: "The add-on is unhealthy because it doesn't have the desired number of replicas.",
                resourceIds: [],
              }
            : {
                code: 'AccessDenied' as const,
                message: 'The add-on could not assume the IAM role given to it.',
                resourceIds: [],
              },
        ];
  return {
    addonName,
    clusterName,
    status,
    addonVersion,
    health: { issues },
    addonArn: `arn:aws:eks:${region}:${accountId}:addon/${clusterName}/${addonName}/${keyedUuid(`${clusterName}/${addonName}`)}`,
    createdAt: entry.cluster.createdAt,
    modifiedAt: iso(now - (5 + (idHash(`${clusterName}/${addonName}`) % 60)) * DAY_MS),
  };
}

/**
 * What the EKS API and IAM say of each cluster, chosen by its slot (Region position + cluster index, no random
 * draw, so the rest of the estate is unchanged): insights (deprecated APIs in WARNING or ERROR in two slots of
 * six, AL2 nodes ERROR), add-ons (vpc-cni older than the default in a slot of four, CoreDNS DEGRADED in one of
 * five; none on Auto Mode clusters, which run them built in), the Region's add-on versions, and the IAM OIDC
 * providers of the account (returned) for the clusters podIdentityOf gives one.
 */
function addEksApiState(context: RegionContext, position: number): string[] {
  const { out, accountId, now } = context;
  const providers: string[] = [];
  for (const [index, entry] of out.clusters.entries()) {
    const slot = position + index;
    entry.insights = insightsOf(entry, slot, now);
    if (entry.cluster.computeConfig?.enabled === true) {
      entry.addons = [];
      continue;
    }
    const version = entry.cluster.version ?? '';
    const identity = podIdentityOf(slot);
    entry.addons = [
      addonOf(
        context,
        entry,
        'vpc-cni',
        versionOf('vpc-cni', slot % 4 === 1 ? 'older' : slot % 2 === 0 ? 'default' : 'newest'),
      ),
      addonOf(
        context,
        entry,
        'coredns',
        versionOf('coredns', 'default'),
        slot % 5 === 2 ? 'DEGRADED' : 'ACTIVE',
      ),
      addonOf(context, entry, 'kube-proxy', kubeProxyVersion(version)),
      ...(identity.agent === undefined
        ? []
        : [
            addonOf(
              context,
              entry,
              'eks-pod-identity-agent',
              versionOf('eks-pod-identity-agent', 'default'),
              identity.agent,
            ),
          ]),
    ];
    const issuer = entry.cluster.identity?.oidc?.issuer;
    if (identity.provider && issuer !== undefined)
      providers.push(`arn:aws:iam::${accountId}:oidc-provider/${issuer.replace(/^https:\/\//, '')}`);
  }
  if (out.clusters.length > 0) out.eksAddonVersions = addonVersionsOffered();
  return providers;
}

/** Cluster counts per (account, Region), in account-then-Region order. */
function clusterCounts(options: GenerateOptions): number[] {
  const targets = options.accounts * options.regionsPerAccount;
  if (options.clusters === undefined) return Array<number>(targets).fill(options.clustersPerRegion ?? 0);
  const base = Math.floor(options.clusters / targets);
  const extra = options.clusters % targets;
  return Array.from({ length: targets }, (_, index) => base + (index < extra ? 1 : 0));
}

function validate(options: GenerateOptions) {
  const counts: [string, number | undefined, number][] = [
    ['seed', options.seed, 0],
    ['accounts', options.accounts, 1],
    ['regionsPerAccount', options.regionsPerAccount, 1],
    ['nodeGroupsPerCluster', options.nodeGroupsPerCluster, 0],
    ['nodesPerGroup', options.nodesPerGroup, 1],
    ['clustersPerRegion', options.clustersPerRegion ?? 0, 0],
    ['clusters', options.clusters ?? 0, 0],
  ];
  for (const [name, value, min] of counts) {
    if (!Number.isInteger(value) || (value as number) < min)
      throw new RangeError(`${name} must be an integer >= ${min}, got ${value}.`);
  }
  if (options.regionsPerAccount > REGION_POOL.length)
    throw new RangeError(`regionsPerAccount is at most ${REGION_POOL.length}.`);
  if (options.accounts > 80_000) throw new RangeError('accounts is at most 80000.');
  if (options.clusters === undefined && options.clustersPerRegion === undefined)
    throw new RangeError('Give clustersPerRegion or clusters.');
}

/** A synthetic estate; the same options (seed included) always give the same estate. */
export function generateEstate(options: GenerateOptions): GeneratedEstate {
  validate(options);
  const reading = readTime(options.now ?? DEFAULT_NOW, { unstatedZone: 'problem', dateOnly: false });
  if ('problem' in reading)
    throw new RangeError(`now must be an ISO-8601 time with a zone: ${reading.problem}.`);
  const now = reading.time.getTime();
  const random = seededRandom(options.seed);
  const ids = new Ids(random);
  const dealt = decks(random);
  const calendar: ReleaseCalendar = {
    latest: Math.floor((now - 8 * DAY_MS) / DAY_MS) * DAY_MS,
    behind: Math.floor((now - 22 * DAY_MS) / DAY_MS) * DAY_MS,
    al2Latest: Math.min(Date.parse('2025-11-20T00:00:00Z'), now - 8 * DAY_MS),
  };
  const counts = clusterCounts(options);
  const accounts: GeneratedAccount[] = [];
  for (let accountIndex = 0; accountIndex < options.accounts; accountIndex += 1) {
    const accountId = accountIdOf(accountIndex);
    const team = TEAMS[accountIndex % TEAMS.length] as string;
    const environment = ENVIRONMENTS[Math.floor(accountIndex / TEAMS.length) % ENVIRONMENTS.length] as string;
    const round = Math.floor(accountIndex / (TEAMS.length * ENVIRONMENTS.length));
    const name =
      accountIndex === 0 ? 'org-management' : `${team}-${environment}${round > 0 ? `-${round + 1}` : ''}`;
    const regions: Record<string, GeneratedRegion> = {};
    const providers: string[] = [];
    for (let regionIndex = 0; regionIndex < options.regionsPerAccount; regionIndex += 1) {
      const region = REGION_POOL[regionIndex] as string;
      const clusters = counts[accountIndex * options.regionsPerAccount + regionIndex] ?? 0;
      const out: GeneratedRegion = { ...emptyRegion(), ssm: { parameters: releaseParameters(calendar) } };
      const context: RegionContext = {
        accountId,
        accountName: accountIndex === 0 ? `platform-${name}` : name,
        region,
        now,
        calendar,
        random,
        ids,
        decks: dealt,
        options,
        out,
        images: new Map(),
        networks: [],
        coveredNodes: new Map(),
      };
      const networks = Math.max(1, Math.ceil(clusters / CLUSTERS_PER_VPC));
      for (let index = 0; index < networks; index += 1) context.networks.push(createNetwork(context, index));
      for (let index = 0; index < clusters; index += 1) createCluster(context, index);
      addNodeHostState(context);
      const inspector = inspectorOf(context, dealt.inspector.draw());
      if (inspector !== undefined) out.inspector2 = inspector;
      const position = accountIndex * options.regionsPerAccount + regionIndex;
      Object.assign(out, guardDutyAndEcrOf(context, position));
      providers.push(...addEksApiState(context, position));
      regions[region] = out;
    }
    accounts.push({
      accountId,
      name,
      state: 'ACTIVE',
      assumeRole: 'allow',
      iam: { openIDConnectProviders: providers.map((Arn) => ({ Arn })) },
      regions,
    });
  }
  return {
    estateVersion: 1,
    partition: 'aws',
    organization: { managementAccountId: accountIdOf(0) },
    clusterVersions: clusterVersions(now),
    accounts,
    faults: [...(options.faults ?? [])],
  };
}

/** The latency fault the benchmark injects: every call of every service, account and Region. */
export const latencyFault = (ms: number): EstateFault => ({
  service: '*',
  operation: '*',
  account: '*',
  region: '*',
  kind: 'latency',
  ms,
});

// ---------------------------------------------------------------------------------------------------------
// CLI

const USAGE = `Usage: tsx bench/generate-estate.ts --clusters N [--accounts A] [--regions R] [--seed S]
         [--node-groups G] [--nodes N] [--now ISO] [--latency-ms MS] [--out FILE]

Writes a synthetic estate file (stdout without --out). Clusters are spread evenly over A accounts x R Regions.
Defaults: --accounts 1 --regions 1 --seed 1 --node-groups 3 --nodes 3 --now ${DEFAULT_NOW}.
`;

const integer = (value: string | undefined, fallback: number, flag: string): number => {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new RangeError(`--${flag} expects a whole number, got ${value}.`);
  return number;
};

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      clusters: { type: 'string' },
      accounts: { type: 'string' },
      regions: { type: 'string' },
      seed: { type: 'string' },
      'node-groups': { type: 'string' },
      nodes: { type: 'string' },
      now: { type: 'string' },
      'latency-ms': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true || values.clusters === undefined) {
    (values.help === true ? process.stdout : process.stderr).write(USAGE);
    return values.help === true ? 0 : 2;
  }
  const latency = values['latency-ms'];
  const estate = generateEstate({
    seed: integer(values.seed, 1, 'seed'),
    accounts: integer(values.accounts, 1, 'accounts'),
    regionsPerAccount: integer(values.regions, 1, 'regions'),
    clusters: integer(values.clusters, 0, 'clusters'),
    nodeGroupsPerCluster: integer(values['node-groups'], 3, 'node-groups'),
    nodesPerGroup: integer(values.nodes, 3, 'nodes'),
    now: values.now ?? DEFAULT_NOW,
    faults: latency === undefined ? [] : [latencyFault(integer(latency, 0, 'latency-ms'))],
  });
  const text = `${JSON.stringify(estate)}\n`;
  if (values.out === undefined) process.stdout.write(text);
  else {
    await writeFile(values.out, text);
    process.stderr.write(`Wrote ${values.out} (${(text.length / 1e6).toFixed(1)} MB).\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`generate-estate: ${(error as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
