/**
 * A small AWS Region behind aws-sdk-client-mock: each mocked operation answers from an estate the way
 * AWS does (filters, id lists, pagination with tokens), so collector tests assert real call patterns.
 * `pageSize` forces pagination everywhere: with 1, every list needs one call per item.
 */
import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandInput,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeLaunchTemplateVersionsCommand,
  type DescribeLaunchTemplateVersionsCommandInput,
  DescribeRouteTablesCommand,
  type DescribeRouteTablesCommandInput,
  DescribeSubnetsCommand,
  type DescribeSubnetsCommandInput,
  DescribeVolumesCommand,
  type DescribeVolumesCommandInput,
  EC2Client,
  type Filter,
  GetEbsEncryptionByDefaultCommand,
  type Image,
  type Instance,
  type LaunchTemplateVersion,
  type RouteTable,
  type Subnet,
  type Volume,
} from '@aws-sdk/client-ec2';
import {
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  type RegistryScanningConfiguration,
} from '@aws-sdk/client-ecr';
import {
  type Addon,
  type AddonInfo,
  type Cluster,
  type ClusterVersionInformation,
  DescribeAddonCommand,
  type DescribeAddonCommandInput,
  DescribeAddonVersionsCommand,
  type DescribeAddonVersionsCommandInput,
  DescribeClusterCommand,
  type DescribeClusterCommandInput,
  DescribeClusterVersionsCommand,
  type DescribeClusterVersionsCommandInput,
  DescribeFargateProfileCommand,
  type DescribeFargateProfileCommandInput,
  DescribeInsightCommand,
  type DescribeInsightCommandInput,
  DescribeNodegroupCommand,
  type DescribeNodegroupCommandInput,
  EKSClient,
  type FargateProfile,
  type Insight,
  ListAddonsCommand,
  type ListAddonsCommandInput,
  ListClustersCommand,
  type ListClustersCommandInput,
  ListFargateProfilesCommand,
  type ListFargateProfilesCommandInput,
  ListInsightsCommand,
  type ListInsightsCommandInput,
  ListNodegroupsCommand,
  type ListNodegroupsCommandInput,
  type Nodegroup,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import {
  BadRequestException,
  type CoverageResource,
  GetDetectorCommand,
  type GetDetectorCommandInput,
  GuardDutyClient,
  ListDetectorsCommand,
  type ListDetectorsCommandInput,
  ListCoverageCommand as ListGuardDutyCoverageCommand,
  type ListCoverageCommandInput as ListGuardDutyCoverageCommandInput,
} from '@aws-sdk/client-guardduty';
import {
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  type OpenIDConnectProviderListEntry,
} from '@aws-sdk/client-iam';
import {
  type AccountState,
  BatchGetAccountStatusCommand,
  type BatchGetAccountStatusCommandInput,
  type CoveredResource,
  Inspector2Client,
  ListCoverageCommand,
  type ListCoverageCommandInput,
} from '@aws-sdk/client-inspector2';
import {
  DescribeInstanceInformationCommand,
  type DescribeInstanceInformationCommandInput,
  GetParametersCommand,
  type GetParametersCommandInput,
  type InstanceInformation,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { addonsForKubernetesVersion } from '../../emulator/services/eks.js';
import type { RegionClients } from '../../lib/collect/collector.js';
import { tagValue } from '../../lib/snapshot/node-groups.js';
import type { GuardDutyDetector } from '../../lib/snapshot/types.js';

export const ESTATE_ACCOUNT = '111122223333';
export const ESTATE_REGION = 'eu-west-1';

export interface RegionEstate {
  readonly clusters: readonly Cluster[];
  readonly clusterVersions: readonly ClusterVersionInformation[];
  readonly nodegroups: readonly Nodegroup[];
  readonly fargateProfiles: readonly FargateProfile[];
  readonly instances: readonly Instance[];
  readonly autoScalingGroups: readonly AutoScalingGroup[];
  readonly images: readonly Image[];
  readonly launchTemplateVersions: readonly LaunchTemplateVersion[];
  readonly subnets: readonly Subnet[];
  readonly routeTables: readonly RouteTable[];
  readonly inspectorAccounts: readonly AccountState[];
  readonly coverage: readonly CoveredResource[];
  readonly parameters: Readonly<Record<string, string>>;
  /** DescribeInsight's insights, by cluster name. */
  readonly insights: Readonly<Record<string, readonly Insight[]>>;
  /** Installed add-ons (their clusterName says whose). */
  readonly addons: readonly Addon[];
  /** DescribeAddonVersions' add-ons of the Region. */
  readonly addonVersions: readonly AddonInfo[];
  /** The account's IAM OIDC providers. */
  readonly oidcProviders: readonly OpenIDConnectProviderListEntry[];
  readonly guardDutyDetectors: readonly GuardDutyDetector[];
  /** GuardDuty coverage records of every resource type. */
  readonly guardDutyCoverage: readonly CoverageResource[];
  /** Absent: the registry has none, and ECR answers with its default (BASIC, no rules). */
  readonly registryScanningConfiguration?: RegistryScanningConfiguration;
  /** SSM managed nodes (DescribeInstanceInformation). */
  readonly instanceInformation: readonly InstanceInformation[];
  readonly volumes: readonly Volume[];
  readonly ebsEncryptionByDefault: boolean;
  /** Items per page of every list, whatever page size the caller asks for. */
  readonly pageSize: number;
}

export const emptyEstate = (): RegionEstate => ({
  clusters: [],
  clusterVersions: [],
  nodegroups: [],
  fargateProfiles: [],
  instances: [],
  autoScalingGroups: [],
  images: [],
  launchTemplateVersions: [],
  subnets: [],
  routeTables: [],
  inspectorAccounts: [],
  coverage: [],
  parameters: {},
  insights: {},
  addons: [],
  addonVersions: [],
  oidcProviders: [],
  guardDutyDetectors: [],
  guardDutyCoverage: [],
  instanceInformation: [],
  volumes: [],
  ebsEncryptionByDefault: false,
  pageSize: 100,
});

/** One page of items: tokens are offsets, as opaque to the caller as AWS's. */
function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const start = token === undefined ? 0 : Number(token);
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

type Tags = readonly { Key?: string; Value?: string }[] | undefined;

/**
 * EC2 and Auto Scaling tag filters: `tag:<key>` (value in Values), `tag-key` (key in Values) and
 * `tag-value` (any tag's value in Values).
 */
function matchesTagFilter(tags: Tags, filter: { Name?: string; Values?: string[] }): boolean {
  const values = filter.Values ?? [];
  if (filter.Name === 'tag-key') return (tags ?? []).some((tag) => values.includes(tag.Key ?? ''));
  if (filter.Name === 'tag-value') return (tags ?? []).some((tag) => values.includes(tag.Value ?? ''));
  if (filter.Name?.startsWith('tag:')) {
    return values.includes(tagValue(tags, filter.Name.slice('tag:'.length)) ?? '\u0000');
  }
  throw new Error(`The mock does not know the filter ${filter.Name}`);
}

/** A filter on a plain attribute, e.g. `subnet-id` over Subnet.SubnetId. */
const valuesOf = (filters: Filter[] | undefined, name: string): string[] => {
  const filter = filters?.find((candidate) => candidate.Name === name);
  if (filter === undefined) throw new Error(`The mock expects a ${name} filter`);
  return filter.Values ?? [];
};

function instanceMatches(instance: Instance, filters: Filter[] = []): boolean {
  return filters.every((filter) =>
    filter.Name === 'instance-state-name'
      ? (filter.Values ?? []).includes(instance.State?.Name ?? '')
      : matchesTagFilter(instance.Tags, filter),
  );
}

function resolveVersions(
  versions: readonly LaunchTemplateVersion[],
  wanted: readonly string[],
): LaunchTemplateVersion[] {
  const latest = Math.max(...versions.map((version) => version.VersionNumber ?? 0));
  return versions.filter((version) =>
    wanted.some((want) =>
      want === '$Latest'
        ? version.VersionNumber === latest
        : want === '$Default'
          ? version.DefaultVersion === true
          : version.VersionNumber === Number(want),
    ),
  );
}

const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });

/** Mocked clients answering from the estate; `clients` goes to `collectRegion`'s options. */
export function mockRegion(estate: RegionEstate) {
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
  const config = { region: ESTATE_REGION, credentials };
  const clients: RegionClients = {
    eks: new EKSClient(config),
    ec2: new EC2Client(config),
    autoScaling: new AutoScalingClient(config),
    inspector2: new Inspector2Client(config),
    ssm: new SSMClient(config),
    iam: new IAMClient({ ...config, region: 'us-east-1' }),
    guardDuty: new GuardDutyClient(config),
    ecr: new ECRClient(config),
  };
  const size = estate.pageSize;

  const eks = mockClient(clients.eks);
  eks.on(ListClustersCommand).callsFake((input: ListClustersCommandInput) => {
    const { items, next } = page(
      estate.clusters.map((cluster) => cluster.name ?? ''),
      input.nextToken,
      size,
    );
    return { clusters: items, nextToken: next };
  });
  eks.on(DescribeClusterCommand).callsFake((input: DescribeClusterCommandInput) => {
    const cluster = estate.clusters.find((candidate) => candidate.name === input.name);
    if (cluster === undefined) throw notFound(`No cluster found for name: ${input.name}.`);
    return { cluster };
  });
  eks.on(DescribeClusterVersionsCommand).callsFake((input: DescribeClusterVersionsCommandInput) => {
    const { items, next } = page(estate.clusterVersions, input.nextToken, size);
    return { clusterVersions: items, nextToken: next };
  });
  eks.on(ListNodegroupsCommand).callsFake((input: ListNodegroupsCommandInput) => {
    const names = estate.nodegroups
      .filter((nodegroup) => nodegroup.clusterName === input.clusterName)
      .map((nodegroup) => nodegroup.nodegroupName ?? '');
    const { items, next } = page(names, input.nextToken, size);
    return { nodegroups: items, nextToken: next };
  });
  eks.on(DescribeNodegroupCommand).callsFake((input: DescribeNodegroupCommandInput) => {
    const nodegroup = estate.nodegroups.find(
      (candidate) =>
        candidate.clusterName === input.clusterName && candidate.nodegroupName === input.nodegroupName,
    );
    if (nodegroup === undefined) throw notFound(`No node group found for name: ${input.nodegroupName}.`);
    return { nodegroup };
  });
  eks.on(ListFargateProfilesCommand).callsFake((input: ListFargateProfilesCommandInput) => {
    const names = estate.fargateProfiles
      .filter((profile) => profile.clusterName === input.clusterName)
      .map((profile) => profile.fargateProfileName ?? '');
    const { items, next } = page(names, input.nextToken, size);
    return { fargateProfileNames: items, nextToken: next };
  });
  eks.on(DescribeFargateProfileCommand).callsFake((input: DescribeFargateProfileCommandInput) => {
    const fargateProfile = estate.fargateProfiles.find(
      (candidate) =>
        candidate.clusterName === input.clusterName &&
        candidate.fargateProfileName === input.fargateProfileName,
    );
    if (fargateProfile === undefined) throw notFound(`No Fargate profile ${input.fargateProfileName}.`);
    return { fargateProfile };
  });

  eks.on(ListInsightsCommand).callsFake((input: ListInsightsCommandInput) => {
    const categories = input.filter?.categories;
    const listed = (estate.insights[input.clusterName ?? ''] ?? [])
      .filter((insight) => categories === undefined || categories.includes(insight.category ?? ('' as never)))
      .map(({ id, name, category, kubernetesVersion, insightStatus }) => ({
        id,
        name,
        category,
        kubernetesVersion,
        insightStatus,
      }));
    const { items, next } = page(listed, input.nextToken, size);
    return { insights: items, nextToken: next };
  });
  eks.on(DescribeInsightCommand).callsFake((input: DescribeInsightCommandInput) => {
    const insight = (estate.insights[input.clusterName ?? ''] ?? []).find((item) => item.id === input.id);
    if (insight === undefined) throw notFound(`No insight found for id: ${input.id}.`);
    return { insight };
  });
  eks.on(ListAddonsCommand).callsFake((input: ListAddonsCommandInput) => {
    const names = estate.addons
      .filter((addon) => addon.clusterName === input.clusterName)
      .map((addon) => addon.addonName ?? '');
    const { items, next } = page(names, input.nextToken, size);
    return { addons: items, nextToken: next };
  });
  eks.on(DescribeAddonCommand).callsFake((input: DescribeAddonCommandInput) => {
    const addon = estate.addons.find(
      (candidate) => candidate.clusterName === input.clusterName && candidate.addonName === input.addonName,
    );
    if (addon === undefined)
      throw notFound(`No addon: ${input.addonName} found in cluster: ${input.clusterName}`);
    return { addon };
  });
  eks.on(DescribeAddonVersionsCommand).callsFake((input: DescribeAddonVersionsCommandInput) => {
    const offered = addonsForKubernetesVersion(estate.addonVersions, input.kubernetesVersion);
    const { items, next } = page(offered, input.nextToken, size);
    return { addons: items, nextToken: next };
  });

  const ec2 = mockClient(clients.ec2);
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    const matching = estate.instances.filter((instance) => instanceMatches(instance, input.Filters));
    const { items, next } = page(matching, input.NextToken, size);
    return { Reservations: items.length === 0 ? [] : [{ Instances: items }], NextToken: next };
  });
  ec2.on(DescribeImagesCommand).callsFake((input: DescribeImagesCommandInput) => {
    const ids = valuesOf(input.Filters, 'image-id');
    const { items, next } = page(
      estate.images.filter((image) => ids.includes(image.ImageId ?? '')),
      input.NextToken,
      size,
    );
    return { Images: items, NextToken: next };
  });
  ec2.on(DescribeSubnetsCommand).callsFake((input: DescribeSubnetsCommandInput) => {
    const ids = valuesOf(input.Filters, 'subnet-id');
    const { items, next } = page(
      estate.subnets.filter((subnet) => ids.includes(subnet.SubnetId ?? '')),
      input.NextToken,
      size,
    );
    return { Subnets: items, NextToken: next };
  });
  ec2.on(DescribeRouteTablesCommand).callsFake((input: DescribeRouteTablesCommandInput) => {
    const vpcs = valuesOf(input.Filters, 'vpc-id');
    const { items, next } = page(
      estate.routeTables.filter((table) => vpcs.includes(table.VpcId ?? '')),
      input.NextToken,
      size,
    );
    return { RouteTables: items, NextToken: next };
  });
  ec2
    .on(DescribeLaunchTemplateVersionsCommand)
    .callsFake((input: DescribeLaunchTemplateVersionsCommandInput) => {
      if ((input.LaunchTemplateId === undefined) === (input.LaunchTemplateName === undefined)) {
        throw new Error('The mock expects exactly one of LaunchTemplateId and LaunchTemplateName');
      }
      const ofTemplate = estate.launchTemplateVersions.filter((version) =>
        input.LaunchTemplateId !== undefined
          ? version.LaunchTemplateId === input.LaunchTemplateId
          : version.LaunchTemplateName === input.LaunchTemplateName,
      );
      const { items, next } = page(resolveVersions(ofTemplate, input.Versions ?? []), input.NextToken, size);
      return { LaunchTemplateVersions: items, NextToken: next };
    });

  ec2.on(DescribeVolumesCommand).callsFake((input: DescribeVolumesCommandInput) => {
    const ids = input.VolumeIds ?? [];
    const missing = ids.filter((id) => !estate.volumes.some((volume) => volume.VolumeId === id));
    if (missing.length > 0) {
      throw awsError('InvalidVolume.NotFound', `The volume '${missing.join(', ')}' does not exist.`);
    }
    return { Volumes: estate.volumes.filter((volume) => ids.includes(volume.VolumeId ?? '')) };
  });
  ec2
    .on(GetEbsEncryptionByDefaultCommand)
    .resolves({ EbsEncryptionByDefault: estate.ebsEncryptionByDefault });

  const autoScaling = mockClient(clients.autoScaling);
  autoScaling
    .on(DescribeAutoScalingGroupsCommand)
    .callsFake((input: DescribeAutoScalingGroupsCommandInput) => {
      const matching = estate.autoScalingGroups.filter(
        (group) =>
          (input.AutoScalingGroupNames === undefined ||
            input.AutoScalingGroupNames.includes(group.AutoScalingGroupName ?? '')) &&
          (input.Filters ?? []).every((filter) => matchesTagFilter(group.Tags, filter)),
      );
      const { items, next } = page(matching, input.NextToken, size);
      return { AutoScalingGroups: items, NextToken: next };
    });

  const inspector2 = mockClient(clients.inspector2);
  inspector2.on(BatchGetAccountStatusCommand).callsFake((input: BatchGetAccountStatusCommandInput) => ({
    accounts: estate.inspectorAccounts.filter((account) =>
      (input.accountIds ?? []).includes(account.accountId ?? ''),
    ),
    failedAccounts: [],
  }));
  inspector2.on(ListCoverageCommand).callsFake((input: ListCoverageCommandInput) => {
    const ids = (input.filterCriteria?.resourceId ?? []).map((filter) => filter.value);
    const { items, next } = page(
      estate.coverage.filter((record) => ids.includes(record.resourceId)),
      input.nextToken,
      size,
    );
    return { coveredResources: items, nextToken: next };
  });

  const ssm = mockClient(clients.ssm);
  ssm.on(GetParametersCommand).callsFake((input: GetParametersCommandInput) => {
    const names = input.Names ?? [];
    return {
      Parameters: names.flatMap((Name) => {
        const Value = estate.parameters[Name];
        return Value === undefined ? [] : [{ Name, Value, Type: 'String' }];
      }),
      InvalidParameters: names.filter((name) => estate.parameters[name] === undefined),
    };
  });

  ssm.on(DescribeInstanceInformationCommand).callsFake((input: DescribeInstanceInformationCommandInput) => {
    const { items, next } = page(estate.instanceInformation, input.NextToken, size);
    return { InstanceInformationList: items, NextToken: next };
  });

  const iam = mockClient(clients.iam);
  iam.on(ListOpenIDConnectProvidersCommand).callsFake(() => ({
    OpenIDConnectProviderList: [...estate.oidcProviders],
  }));

  const guardDuty = mockClient(clients.guardDuty);
  guardDuty.on(ListDetectorsCommand).callsFake((input: ListDetectorsCommandInput) => {
    const { items, next } = page(
      estate.guardDutyDetectors.map((detector) => detector.DetectorId),
      input.NextToken,
      size,
    );
    return { DetectorIds: items, NextToken: next };
  });
  guardDuty.on(GetDetectorCommand).callsFake((input: GetDetectorCommandInput) => {
    const detector = estate.guardDutyDetectors.find((candidate) => candidate.DetectorId === input.DetectorId);
    if (detector === undefined) {
      throw new BadRequestException({
        message: 'The request is rejected because the input detectorId is not owned by the current account.',
        $metadata: {},
      });
    }
    const { DetectorId: _id, ...response } = detector;
    return response;
  });
  guardDuty.on(ListGuardDutyCoverageCommand).callsFake((input: ListGuardDutyCoverageCommandInput) => {
    const criteria = input.FilterCriteria?.FilterCriterion ?? [];
    if (criteria.some((criterion) => criterion.CriterionKey !== 'RESOURCE_TYPE')) {
      throw new Error(`The mock filters on RESOURCE_TYPE only, got ${JSON.stringify(criteria)}`);
    }
    const types = criteria.flatMap((criterion) => criterion.FilterCondition?.Equals ?? []);
    const { items, next } = page(
      estate.guardDutyCoverage.filter(
        (record) =>
          record.DetectorId === input.DetectorId &&
          (types.length === 0 || types.includes(record.ResourceDetails?.ResourceType ?? '')),
      ),
      input.NextToken,
      size,
    );
    return { Resources: items, NextToken: next };
  });

  const ecr = mockClient(clients.ecr);
  ecr.on(GetRegistryScanningConfigurationCommand).callsFake(() => ({
    registryId: ESTATE_ACCOUNT,
    scanningConfiguration: estate.registryScanningConfiguration ?? { scanType: 'BASIC', rules: [] },
  }));

  return { clients, eks, ec2, autoScaling, inspector2, ssm, iam, guardDuty, ecr };
}

/** An SDK-style service error, as the SDK throws it after its retries. */
export function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 403 } });
}
