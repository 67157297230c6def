import { describeNodeGroup, type NodeGroup, runningNodes } from '../collect/node-groups.js';
import type { Instance, RouteTable, Subnet } from '../collect/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { MissingDataError, need } from './errors.js';
import { cisEks, eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

type Route = NonNullable<RouteTable['Routes']>[number];

const instanceIdOf = (instance: Instance) => instance.InstanceId ?? '(instance without an id)';

/**
 * The subnets a group launches into (managed: its subnets; Auto Scaling: VPCZoneIdentifier) plus
 * those its running nodes sit in, which also covers Karpenter pools and lone nodes.
 */
export function subnetIdsOf(group: NodeGroup): string[] {
  const configured: string[] = [];
  if (group.kind === 'managed') {
    if (group.nodegroup.subnets === undefined) {
      throw new MissingDataError(`Managed node group ${group.name} reports no subnets.`);
    }
    configured.push(...group.nodegroup.subnets);
  } else if (group.kind === 'auto-scaling') {
    configured.push(
      ...(group.autoScalingGroup.VPCZoneIdentifier ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    );
  }
  const ofNodes = runningNodes(group).map((node) => {
    if (node.SubnetId === undefined) {
      throw new MissingDataError(`Running node ${instanceIdOf(node)} reports no SubnetId.`);
    }
    return node.SubnetId;
  });
  return [...new Set([...configured, ...ofNodes])];
}

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

/** Active default routes (IPv4 or IPv6) to an internet gateway. An absent State counts as active: fail closed. */
const internetGatewayRoutes = (table: RouteTable): Route[] =>
  (table.Routes ?? []).filter(
    (route) =>
      (route.State ?? 'active') === 'active' &&
      (route.DestinationCidrBlock === '0.0.0.0/0' || route.DestinationIpv6CidrBlock === '::/0') &&
      route.GatewayId?.startsWith('igw-') === true,
  );

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
  readonly internetGatewayRoutes: readonly {
    destination: string | undefined;
    gatewayId: string | undefined;
  }[];
  readonly mapPublicIpOnLaunch: boolean;
  readonly public: boolean;
}

function judgeSubnet(subnet: Subnet, routeTables: readonly RouteTable[]): SubnetVerdict {
  if (subnet.MapPublicIpOnLaunch === undefined) {
    throw new MissingDataError(`Subnet ${subnet.SubnetId} reports no MapPublicIpOnLaunch.`);
  }
  const table = effectiveRouteTable(subnet, routeTables);
  const routes = internetGatewayRoutes(table).map((route) => ({
    destination: route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock,
    gatewayId: route.GatewayId,
  }));
  return {
    subnetId: subnet.SubnetId ?? '',
    routeTableId: table.RouteTableId,
    mainRouteTable: table.Associations?.some((association) => association.Main === true) ?? false,
    internetGatewayRoutes: routes,
    mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch,
    public: routes.length > 0 || subnet.MapPublicIpOnLaunch,
  };
}

function whyPublic(verdict: SubnetVerdict): string {
  const why: string[] = [];
  if (verdict.internetGatewayRoutes.length > 0) {
    const table = `route table ${verdict.routeTableId} (${verdict.mainRouteTable ? "the VPC's main table" : 'explicitly associated'})`;
    const routes = verdict.internetGatewayRoutes
      .map((route) => `${route.destination} to ${route.gatewayId}`)
      .join(' and ');
    why.push(`its ${table} routes ${routes}`);
  }
  if (verdict.mapPublicIpOnLaunch)
    why.push('it assigns public IPv4 addresses on launch (MapPublicIpOnLaunch)');
  return `subnet ${verdict.subnetId} is public: ${why.join(' and ')}`;
}

export default defineCheck({
  id: 'eks_nodegroup_private_subnets',
  title: 'EKS worker nodes run in private subnets without public IP addresses',
  resource: NODE_GROUP_RESOURCE,
  severities: ['HIGH'],
  asffTypes: [ASFF_TYPE.networkReachability],
  failsWhen:
    'Any of its subnets is public (an active default route to an internet gateway in its effective route table, or MapPublicIpOnLaunch), or any running node has a public IPv4 address.',
  risk:
    'Nodes in a subnet routed to an internet gateway, or holding a public IP address, can be reached from the ' +
    'internet: any open node port, kubelet or misconfigured security group becomes directly exposed.',
  remediation: {
    text:
      'Launch nodes into private subnets whose route tables send internet traffic through a NAT gateway, turn off ' +
      'MapPublicIpOnLaunch and public IP association in launch templates, then replace the running nodes.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html',
  },
  inputs: ['subnets', 'routeTables'],
  frameworks: [
    cisEks('5.4.3'),
    eksBestPractice('Infrastructure security / Deploy workers onto private subnets'),
  ],
  parameters: {},
  evaluate({ snapshot, group }) {
    const label = describeNodeGroup(group);
    const nodes = runningNodes(group);
    const subnetIds = subnetIdsOf(group);
    if (subnetIds.length === 0 && nodes.length === 0) {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label} has no configured subnets and no running nodes to judge.`,
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
    const evidence = { subnets: verdicts, publicNodes };

    if (publicSubnets.length === 0 && publicNodes.length === 0) {
      const routed = verdicts.map((verdict) => `${verdict.subnetId} via ${verdict.routeTableId}`).join(', ');
      return {
        status: 'PASSED',
        reason: `${label} uses only private subnets (${routed || 'none configured'}) and none of its ${nodes.length} running node(s) has a public IP address.`,
        evidence,
      };
    }
    const problems = [
      ...publicSubnets.map(whyPublic),
      ...publicNodes.map((node) => `node ${node.instanceId} has public IP ${node.publicIps.join(', ')}`),
    ];
    return {
      status: 'FAILED',
      reason: `${label} is reachable from the internet: ${problems.join('; ')}.`,
      evidence,
    };
  },
});
