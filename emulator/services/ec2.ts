/**
 * EC2 (EC2 query): the caller's Regions, network, instances, images and launch template versions in the
 * request Region. Ids the caller names but the Region does not hold are the AWS `*.NotFound` errors;
 * filters follow ec2-filters.ts; lists page with NextToken / MaxResults. Listings of resources an AWS
 * service can manage (instances, launch templates, volumes, ENIs) go through `listedWith`
 * (ec2-visibility.ts): managed ones are hidden where the Region hides them.
 */
import type { Filter, Instance, LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { parseAwsTime } from '../../lib/time.js';
import type { AsJson } from '../estate.js';
import { AwsError } from '../protocols.js';
import { accountOf, type EmulatorContext, type Handler, page, regionOf } from './context.js';
import {
  applyFilters,
  type FilterableType,
  IMAGE_FILTERS,
  INSTANCE_FILTERS,
  LAUNCH_TEMPLATE_VERSION_FILTERS,
  REGION_FILTERS,
  type RegionDescription,
  ROUTE_TABLE_FILTERS,
  SECURITY_GROUP_FILTERS,
  SUBNET_FILTERS,
  VOLUME_FILTERS,
  VPC_FILTERS,
} from './ec2-filters.js';
import { listedWith, type ManagedResourcesRequest } from './ec2-visibility.js';

/** The Regions of each partition, as the SDK's endpoint partition data lists them (SDK 3.11xx). */
const PARTITION_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    ...['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
    ...['ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4'],
    ...['ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1'],
    ...['eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3'],
    ...['il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-east-1'],
    ...['sa-west-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

/**
 * Commercial Regions launched after 20 March 2019, which an account must opt in to (AWS Account
 * Management guide, "Specify which AWS Regions your account can use"); the older ones need no opt-in.
 */
const OPT_IN_REGIONS = new Set([
  ...['af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4'],
  ...['ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-west-1', 'eu-central-2', 'eu-south-1'],
  ...['eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1', 'sa-west-1'],
]);

type EstateEc2 = NonNullable<ReturnType<typeof regionOf>>['ec2'];

const EMPTY_EC2: EstateEc2 = {
  vpcs: [],
  subnets: [],
  routeTables: [],
  securityGroups: [],
  instances: [],
  images: [],
  launchTemplateVersions: [],
};

const ec2Of = (context: EmulatorContext): EstateEc2 => regionOf(context)?.ec2 ?? EMPTY_EC2;

interface ListInput {
  readonly Filters?: Filter[];
  readonly MaxResults?: number;
  readonly NextToken?: string;
}

/** MaxResults ranges from the EC2 API reference: most Describe calls take 5 to 1000. */
const DESCRIBE_RANGE = { min: 5, max: 1000 } as const;
const ROUTE_TABLE_RANGE = { min: 5, max: 100 } as const;
const LAUNCH_TEMPLATE_VERSION_RANGE = { min: 1, max: 200 } as const;

function pageOf<T>(
  items: readonly T[],
  input: ListInput,
  range: { readonly min: number; readonly max: number },
  context: EmulatorContext,
) {
  const { MaxResults } = input;
  if (MaxResults !== undefined && (MaxResults < range.min || MaxResults > range.max)) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${MaxResults} ) for parameter maxResults is invalid. Parameter may be between ${range.min} and ${range.max}.`,
    );
  }
  return page(
    items,
    {
      maxResults: MaxResults,
      nextToken: input.NextToken,
      cap: range.max,
      invalidTokenCode: 'InvalidPaginationToken',
      validationCode: 'InvalidParameterValue',
    },
    context,
  );
}

/**
 * The resources the caller named by id, in estate order; any id the Region does not hold is the
 * service's NotFound error, as AWS fails the whole call rather than skipping it.
 */
function selectByIds<T>(
  resources: readonly T[],
  ids: readonly string[] | undefined,
  idOf: (resource: T) => string | undefined,
  notFound: (missing: readonly string[]) => AwsError,
): readonly T[] {
  if (ids === undefined || ids.length === 0) return resources;
  const known = new Set(resources.map(idOf));
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0) throw notFound(missing);
  const wanted = new Set(ids);
  return resources.filter((resource) => wanted.has(idOf(resource) ?? ''));
}

/** `The subnet ID 'subnet-1' does not exist` / `The subnet IDs 'subnet-1, subnet-2' do not exist`. */
const notFound = (code: string, what: string) => (missing: readonly string[]) =>
  new AwsError(
    code,
    missing.length === 1
      ? `The ${what} ID '${missing[0]}' does not exist`
      : `The ${what} IDs '${missing.join(', ')}' do not exist`,
  );

type EstateInstance = AsJson<Instance> & { ReservationId?: string };

/**
 * Reservations as DescribeInstances returns them: consecutive instances of the page that declare the
 * same ReservationId share one; an instance without one is its own reservation `r-<instanceId>`.
 */
function reservationsOf(instances: readonly EstateInstance[], ownerId: string) {
  const reservations: {
    ReservationId: string;
    OwnerId: string;
    Groups: [];
    Instances: AsJson<Instance>[];
  }[] = [];
  for (const { ReservationId: declared, ...instance } of instances) {
    const previous = reservations.at(-1);
    if (declared !== undefined && previous?.ReservationId === declared) {
      previous.Instances.push(instance);
    } else {
      reservations.push({
        ReservationId: declared ?? `r-${instance.InstanceId}`,
        OwnerId: ownerId,
        Groups: [],
        Instances: [instance],
      });
    }
  }
  return reservations;
}

type EstateLaunchTemplateVersion = EstateEc2['launchTemplateVersions'][number];

const newestFirst = (a: EstateLaunchTemplateVersion, b: EstateLaunchTemplateVersion) =>
  b.VersionNumber - a.VersionNumber;

/** The template's default version; AWS always has one, and version 1 is the default until changed. */
function defaultVersionOf(versions: readonly EstateLaunchTemplateVersion[]) {
  return (
    versions.find((version) => version.DefaultVersion === true) ??
    [...versions].sort((a, b) => a.VersionNumber - b.VersionNumber)[0]
  );
}

const latestVersionOf = (versions: readonly EstateLaunchTemplateVersion[]) =>
  [...versions].sort(newestFirst)[0];

interface LaunchTemplateVersionsInput extends ListInput, ManagedResourcesRequest {
  readonly LaunchTemplateId?: string;
  readonly LaunchTemplateName?: string;
  readonly Versions?: string[];
  readonly MinVersion?: string;
  readonly MaxVersion?: string;
}

/** The versions of one template the request names (by id or name), newest first. */
function versionsOfTemplate(
  all: readonly EstateLaunchTemplateVersion[],
  input: LaunchTemplateVersionsInput,
): EstateLaunchTemplateVersion[] {
  const { LaunchTemplateId: id, LaunchTemplateName: name } = input;
  const versions = all.filter((version) =>
    id !== undefined ? version.LaunchTemplateId === id : version.LaunchTemplateName === name,
  );
  if (versions.length === 0) {
    throw id !== undefined
      ? new AwsError(
          'InvalidLaunchTemplateId.NotFound',
          `The specified launch template, with template ID ${id}, does not exist.`,
        )
      : new AwsError(
          'InvalidLaunchTemplateName.NotFoundException',
          `The specified launch template, with template name ${name}, does not exist.`,
        );
  }
  const templateId = versions[0]?.LaunchTemplateId;
  const requested = input.Versions ?? [];
  if (requested.length === 0) {
    const min = input.MinVersion === undefined ? Number.NEGATIVE_INFINITY : Number(input.MinVersion);
    const max = input.MaxVersion === undefined ? Number.POSITIVE_INFINITY : Number(input.MaxVersion);
    return versions
      .filter((version) => version.VersionNumber >= min && version.VersionNumber <= max)
      .sort(newestFirst);
  }
  const selected = new Set<EstateLaunchTemplateVersion>();
  for (const wanted of requested) {
    let version: EstateLaunchTemplateVersion | undefined;
    if (wanted === '$Latest') version = latestVersionOf(versions);
    else if (wanted === '$Default') version = defaultVersionOf(versions);
    else if (/^\d+$/.test(wanted))
      version = versions.find((candidate) => candidate.VersionNumber === Number(wanted));
    else throw new AwsError('InvalidParameterValue', `Invalid launch template version '${wanted}'.`);
    if (!version) {
      throw new AwsError(
        'InvalidLaunchTemplateId.VersionNotFound',
        `Could not find launch template version ${wanted} for launch template ID ${templateId}.`,
      );
    }
    selected.add(version);
  }
  return [...selected].sort(newestFirst);
}

/** Without a template, only `$Latest` and `$Default` are allowed: that version of every template. */
function latestOrDefaultOfEveryTemplate(
  all: readonly EstateLaunchTemplateVersion[],
  requested: readonly string[],
): EstateLaunchTemplateVersion[] {
  const invalid = requested.filter((version) => version !== '$Latest' && version !== '$Default');
  if (requested.length === 0 || invalid.length > 0) {
    throw new AwsError(
      'MissingParameter',
      'The request must contain the parameter LaunchTemplateId or LaunchTemplateName, or Versions of only $Latest or $Default.',
    );
  }
  const templateIds = [...new Set(all.map((version) => version.LaunchTemplateId))];
  const selected = new Set<EstateLaunchTemplateVersion>();
  for (const templateId of templateIds) {
    const versions = all.filter((version) => version.LaunchTemplateId === templateId);
    const latest = latestVersionOf(versions);
    const byDefault = defaultVersionOf(versions);
    if (requested.includes('$Latest') && latest) selected.add(latest);
    if (requested.includes('$Default') && byDefault) selected.add(byDefault);
  }
  return [...selected];
}

/** A Describe call over one resource list: the ids asked for (all when none), then filters, then a page. */
function describeSelected<T, Input>(spec: {
  readonly resources: (ec2: EstateEc2) => readonly T[];
  readonly ids: (input: Input) => readonly string[] | undefined;
  readonly idOf: (resource: T) => string | undefined;
  readonly notFound: (missing: readonly string[]) => AwsError;
  readonly filters: FilterableType<T>;
  readonly range: { readonly min: number; readonly max: number };
  readonly resultKey: string;
}): Handler {
  return (input: ListInput & Input, context) => {
    const selected = selectByIds(spec.resources(ec2Of(context)), spec.ids(input), spec.idOf, spec.notFound);
    const { items, nextToken } = pageOf(
      applyFilters(selected, input.Filters, spec.filters),
      input,
      spec.range,
      context,
    );
    return { [spec.resultKey]: items, NextToken: nextToken };
  };
}

type EstateImage = EstateEc2['images'][number];

/** DescribeImages `Owners`: account ids, `self`, or an owner alias such as `amazon`. */
function ownedBy(image: EstateImage, owners: readonly string[] | undefined, account: string) {
  if (owners === undefined || owners.length === 0) return true;
  return owners.some((owner) =>
    owner === 'self' ? image.OwnerId === account : image.OwnerId === owner || image.ImageOwnerAlias === owner,
  );
}

/**
 * What a listing without ImageIds leaves out, as AWS does: disabled AMIs unless IncludeDisabled, and
 * other owners' deprecated AMIs unless IncludeDeprecated (an owner always sees its own).
 */
function listedByDefault(
  image: EstateImage,
  input: { IncludeDeprecated?: boolean; IncludeDisabled?: boolean },
  account: string,
) {
  if (image.State === 'disabled' && input.IncludeDisabled !== true) return false;
  const deprecatedAt = image.DeprecationTime === undefined ? undefined : parseAwsTime(image.DeprecationTime);
  const deprecated = deprecatedAt !== undefined && deprecatedAt.getTime() <= Date.now();
  return !deprecated || input.IncludeDeprecated === true || image.OwnerId === account;
}

/** DescribeVolumes pages 5 to 500 volumes, and takes no MaxResults with VolumeIds (EC2 API reference). */
const VOLUME_RANGE = { min: 5, max: 500 } as const;

export const ec2Handlers: Readonly<Record<string, Handler>> = {
  DescribeVolumes: (
    input: ListInput & { VolumeIds?: string[]; IncludeManagedResources?: boolean },
    context,
  ) => {
    if (input.VolumeIds !== undefined && input.VolumeIds.length > 0 && input.MaxResults !== undefined) {
      throw new AwsError(
        'InvalidParameterCombination',
        'The parameter volumeSet cannot be used with the parameter maxResults',
      );
    }
    const visible = (ec2Of(context).volumes ?? []).filter(listedWith(input, context));
    const selected = selectByIds(
      visible,
      input.VolumeIds,
      (volume) => volume.VolumeId,
      (missing) =>
        new AwsError(
          'InvalidVolume.NotFound',
          missing.length === 1
            ? `The volume '${missing[0]}' does not exist.`
            : `The volumes '${missing.join(', ')}' do not exist.`,
        ),
    );
    const { items, nextToken } = pageOf(
      applyFilters(selected, input.Filters, VOLUME_FILTERS),
      input,
      VOLUME_RANGE,
      context,
    );
    return { Volumes: items, NextToken: nextToken };
  },
  GetEbsEncryptionByDefault: (_input: unknown, context) => ({
    EbsEncryptionByDefault: regionOf(context)?.ec2.ebsEncryptionByDefault ?? false,
    SseType: 'sse-ebs',
  }),
  DescribeRegions: (input: { RegionNames?: string[]; Filters?: Filter[]; AllRegions?: boolean }, context) => {
    // The Regions the account has in the estate stand for its enabled Regions; AllRegions adds the
    // partition's other Regions, which the account has not enabled.
    const enabled = new Set(Object.keys(accountOf(context)?.regions ?? {}));
    const partitionRegions =
      input.AllRegions === true ? (PARTITION_REGIONS[context.estate.partition] ?? []) : [];
    const names = [...new Set([...enabled, ...partitionRegions])].sort();
    const regions: RegionDescription[] = names
      .filter((name) => input.RegionNames === undefined || input.RegionNames.includes(name))
      .map((name) => ({
        RegionName: name,
        Endpoint: `ec2.${name}.amazonaws.com`,
        OptInStatus: !enabled.has(name)
          ? 'not-opted-in'
          : OPT_IN_REGIONS.has(name)
            ? 'opted-in'
            : 'opt-in-not-required',
      }));
    return { Regions: applyFilters(regions, input.Filters, REGION_FILTERS) };
  },
  DescribeVpcs: describeSelected({
    resources: (ec2) => ec2.vpcs,
    ids: (input: { VpcIds?: string[] }) => input.VpcIds,
    idOf: (vpc) => vpc.VpcId,
    notFound: notFound('InvalidVpcID.NotFound', 'vpc'),
    filters: VPC_FILTERS,
    range: DESCRIBE_RANGE,
    resultKey: 'Vpcs',
  }),
  DescribeSubnets: describeSelected({
    resources: (ec2) => ec2.subnets,
    ids: (input: { SubnetIds?: string[] }) => input.SubnetIds,
    idOf: (subnet) => subnet.SubnetId,
    notFound: notFound('InvalidSubnetID.NotFound', 'subnet'),
    filters: SUBNET_FILTERS,
    range: DESCRIBE_RANGE,
    resultKey: 'Subnets',
  }),
  DescribeRouteTables: describeSelected({
    resources: (ec2) => ec2.routeTables,
    ids: (input: { RouteTableIds?: string[] }) => input.RouteTableIds,
    idOf: (table) => table.RouteTableId,
    notFound: notFound('InvalidRouteTableID.NotFound', 'routeTable'),
    filters: ROUTE_TABLE_FILTERS,
    range: ROUTE_TABLE_RANGE,
    resultKey: 'RouteTables',
  }),
  DescribeSecurityGroups: (input: ListInput & { GroupIds?: string[]; GroupNames?: string[] }, context) => {
    const groupNotFound = (missing: readonly string[]) =>
      new AwsError('InvalidGroup.NotFound', `The security group '${missing.join(', ')}' does not exist`);
    const byId = selectByIds(
      ec2Of(context).securityGroups,
      input.GroupIds,
      (group) => group.GroupId,
      groupNotFound,
    );
    const selected = selectByIds(byId, input.GroupNames, (group) => group.GroupName, groupNotFound);
    const { items, nextToken } = pageOf(
      applyFilters(selected, input.Filters, SECURITY_GROUP_FILTERS),
      input,
      DESCRIBE_RANGE,
      context,
    );
    return { SecurityGroups: items, NextToken: nextToken };
  },
  DescribeInstances: (input: ListInput & ManagedResourcesRequest & { InstanceIds?: string[] }, context) => {
    if (input.InstanceIds !== undefined && input.InstanceIds.length > 0 && input.MaxResults !== undefined) {
      throw new AwsError(
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    }
    const listed = (ec2Of(context).instances as readonly EstateInstance[]).filter(listedWith(input, context));
    const selected = selectByIds(
      listed,
      input.InstanceIds,
      (instance) => instance.InstanceId,
      notFound('InvalidInstanceID.NotFound', 'instance'),
    );
    const { items, nextToken } = pageOf(
      applyFilters(selected, input.Filters, INSTANCE_FILTERS),
      input,
      DESCRIBE_RANGE,
      context,
    );
    return { Reservations: reservationsOf(items, context.account), NextToken: nextToken };
  },
  DescribeImages: (
    input: ListInput & {
      ImageIds?: string[];
      Owners?: string[];
      ExecutableUsers?: string[];
      IncludeDeprecated?: boolean;
      IncludeDisabled?: boolean;
    },
    context,
  ) => {
    const images = ec2Of(context).images;
    const named = input.ImageIds !== undefined && input.ImageIds.length > 0;
    // AWS names every unknown id at once, in brackets.
    const selected = named
      ? selectByIds(
          images,
          input.ImageIds,
          (image) => image.ImageId,
          (missing) =>
            new AwsError(
              'InvalidAMIID.NotFound',
              missing.length === 1
                ? `The image id '[${missing[0]}]' does not exist`
                : `The image ids '[${missing.join(', ')}]' do not exist`,
            ),
        )
      : images.filter((image) => listedByDefault(image, input, context.account));
    const owned = selected.filter((image) => ownedBy(image, input.Owners, context.account));
    const { items, nextToken } = pageOf(
      applyFilters(owned, input.Filters, IMAGE_FILTERS),
      input,
      DESCRIBE_RANGE,
      context,
    );
    return { Images: items, NextToken: nextToken };
  },
  DescribeLaunchTemplateVersions: (input: LaunchTemplateVersionsInput, context) => {
    if (input.LaunchTemplateId !== undefined && input.LaunchTemplateName !== undefined) {
      throw new AwsError(
        'InvalidParameterCombination',
        'Specify either the launch template ID or the launch template name, but not both.',
      );
    }
    const all = ec2Of(context).launchTemplateVersions.filter(listedWith(input, context));
    const versions =
      input.LaunchTemplateId !== undefined || input.LaunchTemplateName !== undefined
        ? versionsOfTemplate(all, input)
        : latestOrDefaultOfEveryTemplate(all, input.Versions ?? []);
    const { items, nextToken } = pageOf(
      applyFilters(versions, input.Filters, LAUNCH_TEMPLATE_VERSION_FILTERS),
      input,
      LAUNCH_TEMPLATE_VERSION_RANGE,
      context,
    );
    return { LaunchTemplateVersions: items as AsJson<LaunchTemplateVersion>[], NextToken: nextToken };
  },
};
