/**
 * EC2 `Filters` as AWS evaluates them: values are ORed within a filter, filters are ANDed, values may
 * use `*` (any run of characters) and `?` (one character) with `\` escaping a literal, and matching is
 * case-sensitive. Each resource type names the filters it supports; any other name is the AWS error
 * InvalidParameterValue, so a typo in the scanner fails here as it would against AWS.
 */
import type {
  Filter,
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
import { parseAwsTime } from '../../lib/time.js';
import type { AsJson } from '../estate.js';
import { AwsError } from '../protocols.js';
import { OPERATOR_FILTERS } from './ec2-visibility.js';

type Scalar = string | number | boolean | null | undefined;

/** What a filter reads from a resource: one value or several (any of them may match). */
type Accessor<T> = (resource: T) => Scalar | readonly Scalar[];

export interface FilterableType<T> {
  /** The filters by name, as the EC2 API reference lists them for the Describe call. */
  readonly named: Readonly<Record<string, Accessor<T>>>;
  /** The resource's tags; absent for types that take no `tag:` filters. */
  readonly tags?: (resource: T) => readonly Tag[] | undefined;
}

/** Dates as AWS filters see them (ISO 8601, UTC, milliseconds), however the estate file wrote them. */
function isoDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return parseAwsTime(value)?.toISOString() ?? value;
}

const asText = (value: Scalar): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

/** `*` and `?` as wildcards, `\` escaping the next character, anchored and case-sensitive. */
function wildcardPattern(value: string): RegExp {
  let source = '';
  for (let index = 0; index < value.length; index += 1) {
    const character = value.charAt(index);
    if (character === '\\' && index + 1 < value.length) {
      index += 1;
      source += escapeRegExp(value.charAt(index));
    } else if (character === '*') source += '[\\s\\S]*';
    else if (character === '?') source += '[\\s\\S]';
    else source += escapeRegExp(character);
  }
  return new RegExp(`^${source}$`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

type Predicate<T> = (resource: T) => boolean;

const anyMatches = (actual: readonly (string | undefined)[], patterns: readonly RegExp[]) =>
  actual.some((value) => value !== undefined && patterns.some((pattern) => pattern.test(value)));

function predicateOf<T>(filter: Filter, type: FilterableType<T>): Predicate<T> {
  const name = filter.Name ?? '';
  // A filter with no values matches nothing: there is no value for the resource to equal.
  const patterns = (filter.Values ?? []).map(wildcardPattern);
  const tagsOf = type.tags;
  if (tagsOf && name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (resource) =>
      anyMatches(
        (tagsOf(resource) ?? []).filter((tag) => tag.Key === key).map((tag) => tag.Value),
        patterns,
      );
  }
  if (tagsOf && name === 'tag-key') {
    return (resource) =>
      anyMatches(
        (tagsOf(resource) ?? []).map((tag) => tag.Key),
        patterns,
      );
  }
  if (tagsOf && name === 'tag-value') {
    return (resource) =>
      anyMatches(
        (tagsOf(resource) ?? []).map((tag) => tag.Value),
        patterns,
      );
  }
  const accessor = type.named[name];
  if (!accessor) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
  return (resource) => {
    const value = accessor(resource);
    const values: readonly Scalar[] = Array.isArray(value) ? value : [value as Scalar];
    return anyMatches(values.map(asText), patterns);
  };
}

/**
 * The resources every filter matches. Every filter name is validated first, so an unknown one is an
 * error even when there is nothing to filter, as in AWS.
 */
export function applyFilters<T>(
  resources: readonly T[],
  filters: readonly Filter[] | undefined,
  type: FilterableType<T>,
): T[] {
  const predicates = (filters ?? []).map((filter) => predicateOf(filter, type));
  return resources.filter((resource) => predicates.every((matches) => matches(resource)));
}

const tagsOf = (resource: { Tags?: Tag[] | undefined }) => resource.Tags;

export const VPC_FILTERS: FilterableType<AsJson<Vpc>> = {
  tags: tagsOf,
  named: {
    'vpc-id': (vpc) => vpc.VpcId,
    'is-default': (vpc) => vpc.IsDefault,
    state: (vpc) => vpc.State,
    cidr: (vpc) => vpc.CidrBlock,
    'cidr-block-association.cidr-block': (vpc) =>
      (vpc.CidrBlockAssociationSet ?? []).map((association) => association.CidrBlock),
    'dhcp-options-id': (vpc) => vpc.DhcpOptionsId,
    'owner-id': (vpc) => vpc.OwnerId,
  },
};

export const SUBNET_FILTERS: FilterableType<AsJson<Subnet>> = {
  tags: tagsOf,
  named: {
    'subnet-id': (subnet) => subnet.SubnetId,
    'vpc-id': (subnet) => subnet.VpcId,
    'availability-zone': (subnet) => subnet.AvailabilityZone,
    'availability-zone-id': (subnet) => subnet.AvailabilityZoneId,
    'cidr-block': (subnet) => subnet.CidrBlock,
    'default-for-az': (subnet) => subnet.DefaultForAz,
    'map-public-ip-on-launch': (subnet) => subnet.MapPublicIpOnLaunch,
    'owner-id': (subnet) => subnet.OwnerId,
    state: (subnet) => subnet.State,
    'subnet-arn': (subnet) => subnet.SubnetArn,
    'ipv6-cidr-block-association.ipv6-cidr-block': (subnet) =>
      (subnet.Ipv6CidrBlockAssociationSet ?? []).map((association) => association.Ipv6CidrBlock),
  },
};

export const ROUTE_TABLE_FILTERS: FilterableType<AsJson<RouteTable>> = {
  tags: tagsOf,
  named: {
    'route-table-id': (table) => table.RouteTableId,
    'vpc-id': (table) => table.VpcId,
    'owner-id': (table) => table.OwnerId,
    'association.subnet-id': (table) => (table.Associations ?? []).map((association) => association.SubnetId),
    'association.main': (table) => (table.Associations ?? []).map((association) => association.Main ?? false),
    'association.route-table-association-id': (table) =>
      (table.Associations ?? []).map((association) => association.RouteTableAssociationId),
    'association.gateway-id': (table) =>
      (table.Associations ?? []).map((association) => association.GatewayId),
    'route.destination-cidr-block': (table) =>
      (table.Routes ?? []).map((route) => route.DestinationCidrBlock),
    'route.destination-ipv6-cidr-block': (table) =>
      (table.Routes ?? []).map((route) => route.DestinationIpv6CidrBlock),
    'route.gateway-id': (table) => (table.Routes ?? []).map((route) => route.GatewayId),
    'route.nat-gateway-id': (table) => (table.Routes ?? []).map((route) => route.NatGatewayId),
    'route.egress-only-internet-gateway-id': (table) =>
      (table.Routes ?? []).map((route) => route.EgressOnlyInternetGatewayId),
    'route.transit-gateway-id': (table) => (table.Routes ?? []).map((route) => route.TransitGatewayId),
    'route.vpc-peering-connection-id': (table) =>
      (table.Routes ?? []).map((route) => route.VpcPeeringConnectionId),
    'route.origin': (table) => (table.Routes ?? []).map((route) => route.Origin),
    'route.state': (table) => (table.Routes ?? []).map((route) => route.State),
  },
};

export const SECURITY_GROUP_FILTERS: FilterableType<AsJson<SecurityGroup>> = {
  tags: tagsOf,
  named: {
    'group-id': (group) => group.GroupId,
    'group-name': (group) => group.GroupName,
    'vpc-id': (group) => group.VpcId,
    description: (group) => group.Description,
    'owner-id': (group) => group.OwnerId,
    'ip-permission.protocol': (group) =>
      (group.IpPermissions ?? []).map((permission) => permission.IpProtocol),
    'ip-permission.from-port': (group) =>
      (group.IpPermissions ?? []).map((permission) => permission.FromPort),
    'ip-permission.to-port': (group) => (group.IpPermissions ?? []).map((permission) => permission.ToPort),
    'ip-permission.cidr': (group) =>
      (group.IpPermissions ?? []).flatMap((permission) =>
        (permission.IpRanges ?? []).map((range) => range.CidrIp),
      ),
    'ip-permission.ipv6-cidr': (group) =>
      (group.IpPermissions ?? []).flatMap((permission) =>
        (permission.Ipv6Ranges ?? []).map((range) => range.CidrIpv6),
      ),
    'ip-permission.group-id': (group) =>
      (group.IpPermissions ?? []).flatMap((permission) =>
        (permission.UserIdGroupPairs ?? []).map((pair) => pair.GroupId),
      ),
  },
};

export const INSTANCE_FILTERS: FilterableType<AsJson<Instance>> = {
  tags: tagsOf,
  named: {
    'instance-id': (instance) => instance.InstanceId,
    'instance-state-name': (instance) => instance.State?.Name,
    'instance-state-code': (instance) => instance.State?.Code,
    'instance-type': (instance) => instance.InstanceType,
    'instance-lifecycle': (instance) => instance.InstanceLifecycle,
    'image-id': (instance) => instance.ImageId,
    'subnet-id': (instance) => instance.SubnetId,
    'vpc-id': (instance) => instance.VpcId,
    'availability-zone': (instance) => instance.Placement?.AvailabilityZone,
    architecture: (instance) => instance.Architecture,
    'private-ip-address': (instance) => instance.PrivateIpAddress,
    'ip-address': (instance) => instance.PublicIpAddress,
    'private-dns-name': (instance) => instance.PrivateDnsName,
    'dns-name': (instance) => instance.PublicDnsName,
    'key-name': (instance) => instance.KeyName,
    'launch-time': (instance) => isoDate(instance.LaunchTime),
    'iam-instance-profile.arn': (instance) => instance.IamInstanceProfile?.Arn,
    'instance.group-id': (instance) => (instance.SecurityGroups ?? []).map((group) => group.GroupId),
    'instance.group-name': (instance) => (instance.SecurityGroups ?? []).map((group) => group.GroupName),
    'metadata-options.http-tokens': (instance) => instance.MetadataOptions?.HttpTokens,
    'metadata-options.http-endpoint': (instance) => instance.MetadataOptions?.HttpEndpoint,
    'metadata-options.http-put-response-hop-limit': (instance) =>
      instance.MetadataOptions?.HttpPutResponseHopLimit,
    'network-interface.network-interface-id': (instance) =>
      (instance.NetworkInterfaces ?? []).map((networkInterface) => networkInterface.NetworkInterfaceId),
    'network-interface.subnet-id': (instance) =>
      (instance.NetworkInterfaces ?? []).map((networkInterface) => networkInterface.SubnetId),
    ...OPERATOR_FILTERS,
  },
};

/** DescribeVolumes' filters (EC2 API reference); attachment filters match any of a volume's attachments. */
export const VOLUME_FILTERS: FilterableType<AsJson<Volume>> = {
  tags: tagsOf,
  named: {
    'volume-id': (volume) => volume.VolumeId,
    'volume-type': (volume) => volume.VolumeType,
    status: (volume) => volume.State,
    encrypted: (volume) => volume.Encrypted,
    size: (volume) => volume.Size,
    'availability-zone': (volume) => volume.AvailabilityZone,
    'create-time': (volume) => isoDate(volume.CreateTime),
    'snapshot-id': (volume) => volume.SnapshotId,
    'attachment.instance-id': (volume) =>
      (volume.Attachments ?? []).map((attachment) => attachment.InstanceId),
    'attachment.device': (volume) => (volume.Attachments ?? []).map((attachment) => attachment.Device),
    'attachment.status': (volume) => (volume.Attachments ?? []).map((attachment) => attachment.State),
    'attachment.delete-on-termination': (volume) =>
      (volume.Attachments ?? []).map((attachment) => attachment.DeleteOnTermination),
    'operator.managed': (volume) => volume.Operator?.Managed,
    'operator.principal': (volume) => volume.Operator?.Principal,
  },
};

export const IMAGE_FILTERS: FilterableType<AsJson<Image>> = {
  tags: tagsOf,
  named: {
    'image-id': (image) => image.ImageId,
    name: (image) => image.Name,
    state: (image) => image.State,
    'owner-id': (image) => image.OwnerId,
    'owner-alias': (image) => image.ImageOwnerAlias,
    architecture: (image) => image.Architecture,
    'creation-date': (image) => isoDate(image.CreationDate),
    description: (image) => image.Description,
    'ena-support': (image) => image.EnaSupport,
    hypervisor: (image) => image.Hypervisor,
    'image-type': (image) => image.ImageType,
    'is-public': (image) => image.Public,
    platform: (image) => image.Platform,
    'root-device-type': (image) => image.RootDeviceType,
    'virtualization-type': (image) => image.VirtualizationType,
  },
};

export const LAUNCH_TEMPLATE_VERSION_FILTERS: FilterableType<AsJson<LaunchTemplateVersion>> = {
  named: {
    'create-time': (version) => isoDate(version.CreateTime),
    'ebs-optimized': (version) => version.LaunchTemplateData?.EbsOptimized,
    'http-endpoint': (version) => version.LaunchTemplateData?.MetadataOptions?.HttpEndpoint,
    'http-tokens': (version) => version.LaunchTemplateData?.MetadataOptions?.HttpTokens,
    'iam-instance-profile': (version) => version.LaunchTemplateData?.IamInstanceProfile?.Arn,
    'image-id': (version) => version.LaunchTemplateData?.ImageId,
    'instance-type': (version) => version.LaunchTemplateData?.InstanceType,
    'is-default-version': (version) => version.DefaultVersion,
    'kernel-id': (version) => version.LaunchTemplateData?.KernelId,
    'ram-disk-id': (version) => version.LaunchTemplateData?.RamDiskId,
  },
};

/** A Region as DescribeRegions describes it. */
export interface RegionDescription {
  readonly RegionName: string;
  readonly Endpoint: string;
  readonly OptInStatus: string;
}

export const REGION_FILTERS: FilterableType<RegionDescription> = {
  named: {
    'region-name': (region) => region.RegionName,
    endpoint: (region) => region.Endpoint,
    'opt-in-status': (region) => region.OptInStatus,
  },
};
