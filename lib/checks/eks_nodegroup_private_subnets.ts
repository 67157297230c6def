import { InvalidCidrError, parseCidr, wholeSpacesCovered } from '../net/address-ranges.js';
import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, type NodeGroup, runningNodes } from '../snapshot/node-groups.js';
import {
  instanceIdOf,
  launchTemplateOf,
  resolveLaunchTemplateVersion,
  subnetIdsOf,
} from '../snapshot/references.js';
import type { Instance, LaunchTemplateVersion, RouteTable, Subnet } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

type Route = NonNullable<RouteTable['Routes']>[number];

/** The route table that routes a subnet: its explicitly associated table, else its VPC's main table. */
export function effectiveRouteTable(subnet: Subnet, routeTables: readonly RouteTable[]): RouteTable {
  const explicit = routeTables.find((table) =>
    table.Associations?.some((association) => association.SubnetId === subnet.SubnetId),
  );
  const main = routeTables.find(
    (table) =>
      table.VpcId === subnet.VpcId && table.Associations?.some((association) => association.Main === true),
  );
  const effective = explicit ?? main;
  if (effective === undefined) {
    throw new MissingDataError(
      `No route table was collected for subnet ${subnet.SubnetId}: none is associated with it and no main table of ${subnet.VpcId} was found.`,
    );
  }
  return effective;
}

/**
 * Active routes to an internet gateway, whatever their destination: a subnet with one is public by AWS's
 * definition ("a direct route to an internet gateway", VPC User Guide, Subnet types). Egress-only
 * gateways (eigw-) and NAT gateways do not count; a blackhole route does not; an absent State counts as
 * active (fail closed).
 */
const internetGatewayRoutes = (table: RouteTable): Route[] =>
  (table.Routes ?? []).filter(
    (route) =>
      (route.State === undefined || route.State === 'active') &&
      typeof route.GatewayId === 'string' &&
      route.GatewayId.startsWith('igw-'),
  );

interface InternetRoute {
  readonly destination: string;
  readonly gatewayId: string | undefined;
  /** Whether the destination is a default route (the whole IPv4 or IPv6 space). */
  readonly defaultRoute: boolean;
}

/** Whether a route destination is the whole IPv4 or IPv6 space (any spelling of 0.0.0.0/0 or ::/0). */
function isDefaultDestination(cidr: string): boolean {
  try {
    return wholeSpacesCovered([parseCidr(cidr)]).length > 0;
  } catch (error) {
    // A destination that is not a CIDR still routes to the gateway: the subnet is public all the same.
    if (error instanceof InvalidCidrError) return false;
    throw error;
  }
}

function describeInternetRoute(route: Route): InternetRoute {
  const cidr = route.DestinationCidrBlock || route.DestinationIpv6CidrBlock;
  return {
    destination: cidr || route.DestinationPrefixListId || '(no destination)',
    gatewayId: route.GatewayId,
    defaultRoute: cidr !== undefined && cidr !== '' && isDefaultDestination(cidr),
  };
}

/** Every public IPv4 address of an instance: its primary one and those associated with its ENIs. */
const publicIpsOf = (instance: Instance): string[] => [
  ...new Set(
    [
      instance.PublicIpAddress,
      ...(instance.NetworkInterfaces ?? []).flatMap((eni) => [
        eni.Association?.PublicIp,
        ...(eni.PrivateIpAddresses ?? []).map((address) => address.Association?.PublicIp),
      ]),
    ].filter((ip): ip is string => ip !== undefined && ip !== ''),
  ),
];

interface SubnetVerdict {
  readonly subnetId: string;
  readonly routeTableId: string | undefined;
  readonly mainRouteTable: boolean;
  readonly internetGatewayRoutes: readonly InternetRoute[];
  readonly mapPublicIpOnLaunch: boolean;
  readonly public: boolean;
}

function judgeSubnet(subnet: Subnet, routeTables: readonly RouteTable[]): SubnetVerdict {
  const mapPublicIp: unknown = subnet.MapPublicIpOnLaunch;
  if (typeof mapPublicIp !== 'boolean') {
    throw new MissingDataError(
      `Subnet ${subnet.SubnetId} reports ${mapPublicIp === undefined ? 'no MapPublicIpOnLaunch' : `MapPublicIpOnLaunch ${JSON.stringify(mapPublicIp)}, not a boolean`}.`,
    );
  }
  const table = effectiveRouteTable(subnet, routeTables);
  const routes = internetGatewayRoutes(table).map(describeInternetRoute);
  return {
    subnetId: subnet.SubnetId ?? '',
    routeTableId: table.RouteTableId,
    mainRouteTable: table.Associations?.some((association) => association.Main === true) ?? false,
    internetGatewayRoutes: routes,
    mapPublicIpOnLaunch: mapPublicIp,
    public: routes.length > 0 || mapPublicIp,
  };
}

function whyPublic(verdict: SubnetVerdict): string {
  const why: string[] = [];
  if (verdict.internetGatewayRoutes.length > 0) {
    const table = `route table ${verdict.routeTableId} (${verdict.mainRouteTable ? "the VPC's main table" : 'explicitly associated'})`;
    const routes = verdict.internetGatewayRoutes
      .map(
        (route) =>
          `${route.destination} to ${route.gatewayId}${route.defaultRoute ? '' : ' (not a default route, but a direct route to an internet gateway all the same)'}`,
      )
      .join(' and ');
    why.push(`its ${table} routes ${routes}`);
  }
  if (verdict.mapPublicIpOnLaunch)
    why.push('it assigns public IPv4 addresses on launch (MapPublicIpOnLaunch)');
  return `subnet ${verdict.subnetId} is public: ${why.join(' and ')}`;
}

interface LaunchTemplateVerdict {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly versionNumber: number | undefined;
  /** Device indexes of the network interfaces that set AssociatePublicIpAddress: true. */
  readonly publicNetworkInterfaces: readonly number[];
}

/**
 * The launch template version a group launches from, judged on its network interfaces: one that sets
 * AssociatePublicIpAddress gives every new node a public IPv4 address, whatever its subnet says.
 */
function judgeLaunchTemplate(
  group: NodeGroup,
  versions: () => readonly LaunchTemplateVersion[],
): LaunchTemplateVerdict | undefined {
  const reference = launchTemplateOf(group);
  if (reference === undefined) return undefined;
  const version = resolveLaunchTemplateVersion(reference, versions());
  const template = `Launch template ${reference.name ?? reference.id} version ${version.VersionNumber}`;
  const publicNetworkInterfaces = (version.LaunchTemplateData?.NetworkInterfaces ?? []).flatMap(
    (networkInterface, index) => {
      const associate: unknown = networkInterface.AssociatePublicIpAddress;
      if (associate === undefined) return [];
      if (typeof associate !== 'boolean') {
        throw new MissingDataError(
          `${template} sets AssociatePublicIpAddress ${JSON.stringify(associate)} on a network interface, not a boolean.`,
        );
      }
      return associate ? [networkInterface.DeviceIndex ?? index] : [];
    },
  );
  return {
    id: reference.id,
    name: reference.name,
    versionNumber: version.VersionNumber,
    publicNetworkInterfaces,
  };
}

export default defineCheck({
  id: 'eks_nodegroup_private_subnets',
  title: 'EKS worker nodes run in private subnets without public IP addresses',
  resource: NODE_GROUP_RESOURCE,
  severities: ['HIGH'],
  asffTypes: [ASFF_TYPE.networkReachability],
  failsWhen:
    'A subnet is public (an active route to an internet gateway, whatever its destination, in its effective route ' +
    'table: egress-only gateways do not count; or MapPublicIpOnLaunch), a running node has a public IPv4 address, ' +
    'or the launch template version in use sets AssociatePublicIpAddress (even with no running nodes).',
  risk:
    'Nodes in a subnet routed to an internet gateway, or holding a public IP address, can be reached from the ' +
    'internet: any open node port, kubelet or misconfigured security group becomes directly exposed.',
  remediation: {
    text:
      'Launch nodes into private subnets whose route tables send internet traffic through a NAT gateway, turn off ' +
      'MapPublicIpOnLaunch and public IP association in launch templates, then replace the running nodes.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html',
  },
  inputs: ['subnets', 'routeTables', 'launchTemplateVersions'],
  // Not CIS 5.4.3 (private nodes): it fails only nodes with public IP addresses, so a node without one in a
  // public subnet would pass it while this check fails.
  frameworks: [eksBestPractice('Infrastructure security / Deploy workers onto private subnets')],
  parameters: {},
  evaluate({ snapshot, group }) {
    const label = describeNodeGroup(group);
    const nodes = runningNodes(group);
    const subnetIds = subnetIdsOf(group);
    const template = judgeLaunchTemplate(group, () =>
      need(snapshot.launchTemplateVersions, 'Launch template versions'),
    );
    const templateIsPublic = (template?.publicNetworkInterfaces.length ?? 0) > 0;
    if (subnetIds.length === 0 && nodes.length === 0 && !templateIsPublic) {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label} has no configured subnets and no running nodes to judge, and no launch template asking for public IP addresses.`,
      };
    }

    let verdicts: SubnetVerdict[] = [];
    if (subnetIds.length > 0) {
      const subnets = need(snapshot.subnets, 'Subnets');
      const byId = new Map(subnets.map((subnet) => [subnet.SubnetId, subnet]));
      const missing = subnetIds.filter((id) => !byId.has(id));
      if (missing.length > 0) {
        throw new MissingDataError(
          `${label} uses subnet(s) ${missing.join(', ')}, which were not collected.`,
        );
      }
      const routeTables = need(snapshot.routeTables, 'Route tables');
      verdicts = subnetIds.map((id) => judgeSubnet(byId.get(id) as Subnet, routeTables));
    }

    const publicNodes = nodes.flatMap((node) => {
      const publicIps = publicIpsOf(node);
      return publicIps.length > 0 ? [{ instanceId: instanceIdOf(node), publicIps }] : [];
    });
    const publicSubnets = verdicts.filter((verdict) => verdict.public);
    const evidence = {
      subnets: verdicts,
      publicNodes,
      ...(template === undefined ? {} : { launchTemplate: template }),
    };

    if (publicSubnets.length === 0 && publicNodes.length === 0 && !templateIsPublic) {
      const routed = verdicts.map((verdict) => `${verdict.subnetId} via ${verdict.routeTableId}`).join(', ');
      const launched =
        template === undefined
          ? ''
          : ` and launch template ${template.name ?? template.id} version ${template.versionNumber} asks for none`;
      return {
        status: 'PASSED',
        reason: `${label} uses only private subnets (${routed || 'none configured'}), none of its ${nodes.length} running node(s) has a public IP address${launched}.`,
        evidence,
      };
    }
    const problems = [
      ...publicSubnets.map(whyPublic),
      ...publicNodes.map((node) => `node ${node.instanceId} has public IP ${node.publicIps.join(', ')}`),
      ...(templateIsPublic && template !== undefined
        ? [
            `launch template ${template.name ?? template.id} version ${template.versionNumber} sets AssociatePublicIpAddress on network interface(s) ${template.publicNetworkInterfaces.join(', ')}, so every new node gets a public IPv4 address`,
          ]
        : []),
    ];
    return {
      status: 'FAILED',
      reason: `${label} is reachable from the internet: ${problems.join('; ')}.`,
      evidence,
    };
  },
});
