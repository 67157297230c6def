import { describe, expect, it } from '@jest/globals';
import check, { effectiveRouteTable } from '../../lib/checks/eks_nodegroup_private_subnets.js';
import { MissingDataError } from '../../lib/snapshot/missing-data.js';
import type { LaunchTemplateVersion, RouteTable } from '../../lib/snapshot/types.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  KARPENTER_NODE,
  LONE_NODE,
  nodeGroupsOfEveryKind,
  RESOURCE_ID,
} from '../support/node-group-security.js';
import {
  aLaunchTemplateVersion,
  aRouteTable,
  aSnapshot,
  aSubnet,
  evaluate,
  failedPart,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const LOCAL_ROUTE = { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' as const };
const IGW = 'igw-0123456789abcdef0';

/** A route table explicitly associated with the given subnets. */
const aTableFor = (id: string, subnetIds: string[], routes: RouteTable['Routes']) =>
  aRouteTable({
    RouteTableId: id,
    Associations: subnetIds.map((subnetId, index) => ({
      RouteTableAssociationId: `rtbassoc-${id}-${index}`,
      RouteTableId: id,
      SubnetId: subnetId,
      Main: false,
    })),
    Routes: [LOCAL_ROUTE, ...(routes ?? [])],
  });

const PRIVATE_SUBNET_A = aSubnet({ SubnetId: 'subnet-private-a' });
const PRIVATE_SUBNET_B = aSubnet({ SubnetId: 'subnet-private-b' });
const PRIVATE_SUBNETS = [PRIVATE_SUBNET_A, PRIVATE_SUBNET_B];
const NAT_TABLE = aTableFor(
  'rtb-private',
  ['subnet-private-a', 'subnet-private-b'],
  [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0abc', State: 'active' }],
);
const PUBLIC_SUBNET = aSubnet({ SubnetId: 'subnet-public-a', CidrBlock: '10.0.100.0/24' });
const PUBLIC_TABLE = aTableFor(
  'rtb-public',
  ['subnet-public-a'],
  [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW, State: 'active' }],
);

/** Every kind of node group in private subnets, plus the given network parts. */
const privateCluster = (
  network: { subnets?: ReturnType<typeof aSubnet>[]; routeTables?: RouteTable[] } = {},
  overrides: Parameters<typeof nodeGroupsOfEveryKind>[0] = {},
) =>
  aSnapshot({
    ...nodeGroupsOfEveryKind(overrides),
    subnets: [...PRIVATE_SUBNETS, ...(network.subnets ?? [])],
    routeTables: [aRouteTable(), NAT_TABLE, ...(network.routeTables ?? [])],
  });

describe('eks_nodegroup_private_subnets', () => {
  it('judges nothing in a cluster without node groups', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it('passes every kind of node group in private subnets routed through a NAT gateway', () => {
    // Prepare
    const snapshot = privateCluster();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    for (const id of Object.values(RESOURCE_ID)) {
      expect(resultFor(results, id)).toMatchObject({ status: 'PASSED', severity: 'HIGH' });
    }
    const managed = resultFor(results, RESOURCE_ID.managed);
    expect(managed.reason).toContain('subnet-private-a via rtb-private, subnet-private-b via rtb-private');
    expect(managed.evidence).toMatchObject({
      subnets: [
        { subnetId: 'subnet-private-a', routeTableId: 'rtb-private', mainRouteTable: false, public: false },
        { subnetId: 'subnet-private-b', routeTableId: 'rtb-private', mainRouteTable: false, public: false },
      ],
      publicNodes: [],
    });
  });

  it('fails a managed node group with a subnet explicitly routed to an internet gateway', () => {
    // Prepare
    const snapshot = privateCluster(
      { subnets: [PUBLIC_SUBNET], routeTables: [PUBLIC_TABLE] },
      { nodegroup: { subnets: ['subnet-private-a', 'subnet-public-a'] } },
    );
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const managed = resultFor(results, RESOURCE_ID.managed);
    expect(managed).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(managed.reason).toContain(
      `subnet subnet-public-a is public: its route table rtb-public (explicitly associated) routes 0.0.0.0/0 to ${IGW}`,
    );
    expect(managed.reason).not.toContain('subnet-private-a is public');
    expect(resultFor(results, RESOURCE_ID.karpenter).status).toBe('PASSED');
  });

  it('fails an Auto Scaling group whose VPCZoneIdentifier includes a public subnet no node uses yet', () => {
    // Prepare
    const snapshot = privateCluster(
      { subnets: [PUBLIC_SUBNET], routeTables: [PUBLIC_TABLE] },
      { autoScalingGroup: { VPCZoneIdentifier: 'subnet-private-a, subnet-public-a' } },
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.autoScaling);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain('subnet subnet-public-a is public');
  });

  it("falls back to the VPC's main table for a subnet without an explicit association", () => {
    // Prepare
    const publicMain = aRouteTable({
      Routes: [LOCAL_ROUTE, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW, State: 'active' }],
    });
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ karpenterNode: { SubnetId: 'subnet-unassociated' } }),
      subnets: [...PRIVATE_SUBNETS, aSubnet({ SubnetId: 'subnet-unassociated' })],
      routeTables: [publicMain, NAT_TABLE],
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const karpenter = resultFor(results, RESOURCE_ID.karpenter);
    expect(karpenter.status).toBe('FAILED');
    expect(karpenter.reason).toContain(
      `subnet subnet-unassociated is public: its route table rtb-main (the VPC's main table) routes 0.0.0.0/0 to ${IGW}`,
    );
    // An explicit association overrides the public main table.
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it.each([
    [
      'a blackhole route to an internet gateway',
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW, State: 'blackhole' },
    ],
    [
      'a NAT gateway default route',
      { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0abc', State: 'active' },
    ],
    [
      'an egress-only internet gateway ::/0 route',
      { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-0abc', State: 'active' },
    ],
  ] as const)('keeps a subnet private with %s', (_, route) => {
    // Prepare
    const snapshot = privateCluster(
      { subnets: [PUBLIC_SUBNET], routeTables: [aTableFor('rtb-edge', ['subnet-public-a'], [route])] },
      { loneNode: { SubnetId: 'subnet-public-a' } },
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.status).toBe('PASSED');
  });

  it.each([
    [
      '::/0 to an internet gateway',
      { DestinationIpv6CidrBlock: '::/0', GatewayId: IGW, State: 'active' },
      '::/0',
    ],
    [
      '0.0.0.0/0 to an internet gateway with no State',
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: IGW },
      '0.0.0.0/0',
    ],
    [
      'an internet gateway route to a narrower range (no default route)',
      { DestinationCidrBlock: '203.0.113.0/24', GatewayId: IGW, State: 'active' },
      '203.0.113.0/24',
    ],
    [
      'an internet gateway route to a prefix list',
      { DestinationPrefixListId: 'pl-0123abcd', GatewayId: IGW, State: 'active' },
      'pl-0123abcd',
    ],
    [
      'a default route spelt 0::0/0 to an internet gateway',
      { DestinationIpv6CidrBlock: '0::0/0', GatewayId: IGW, State: 'active' },
      '0::0/0',
    ],
  ] as const)('makes a subnet public with %s', (_, route, destination) => {
    // Prepare
    const snapshot = privateCluster(
      { subnets: [PUBLIC_SUBNET], routeTables: [aTableFor('rtb-edge', ['subnet-public-a'], [route])] },
      { loneNode: { SubnetId: 'subnet-public-a' } },
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain(`rtb-edge (explicitly associated) routes ${destination} to ${IGW}`);
  });

  it('fails a subnet that maps public IPs on launch even with a private route table', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind(),
      subnets: [aSubnet({ SubnetId: 'subnet-private-a', MapPublicIpOnLaunch: true }), PRIVATE_SUBNET_B],
      routeTables: [NAT_TABLE],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain(
      'subnet subnet-private-a is public: it assigns public IPv4 addresses on launch (MapPublicIpOnLaunch)',
    );
    expect(result.reason).not.toContain('subnet-private-b');
  });

  it('fails nodes with a public IP, on the instance or through an ENI association', () => {
    // Prepare
    const snapshot = privateCluster(
      {},
      {
        karpenterNode: { PublicIpAddress: '198.51.100.7' },
        loneNode: {
          NetworkInterfaces: [
            { NetworkInterfaceId: 'eni-0abc', Association: { PublicIp: '203.0.113.9', IpOwnerId: 'amazon' } },
          ],
        },
      },
    );
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const karpenter = resultFor(results, RESOURCE_ID.karpenter);
    expect(karpenter.status).toBe('FAILED');
    expect(karpenter.reason).toContain(`node ${KARPENTER_NODE} has public IP 198.51.100.7`);
    const lone = resultFor(results, RESOURCE_ID.lone);
    expect(lone.status).toBe('FAILED');
    expect(lone.reason).toContain(`node ${LONE_NODE} has public IP 203.0.113.9`);
    expect(lone.evidence).toMatchObject({
      publicNodes: [{ instanceId: LONE_NODE, publicIps: ['203.0.113.9'] }],
    });
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
    expect(resultFor(results, RESOURCE_ID.autoScaling).status).toBe('PASSED');
  });

  it('is NOT_APPLICABLE to a group with no configured subnets and no running nodes', () => {
    // Prepare
    const snapshot = privateCluster({}, { karpenterNode: { State: STOPPED }, loneNode: { State: STOPPED } });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.karpenter).status).toBe('NOT_APPLICABLE');
    expect(resultFor(results, RESOURCE_ID.lone)).toMatchObject({ status: 'NOT_APPLICABLE' });
    expect(resultFor(results, RESOURCE_ID.lone).reason).toContain(
      'no configured subnets and no running nodes',
    );
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it('is ERROR naming a subnet that was not collected', () => {
    // Prepare
    const snapshot = privateCluster({}, { karpenterNode: { SubnetId: 'subnet-unknown' } });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const karpenter = resultFor(results, RESOURCE_ID.karpenter);
    expect(karpenter.status).toBe('ERROR');
    expect(karpenter.reason).toContain('subnet(s) subnet-unknown, which were not collected');
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it('is ERROR when no route table applies to a subnet', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ loneNode: { SubnetId: 'subnet-other-vpc' } }),
      subnets: [...PRIVATE_SUBNETS, aSubnet({ SubnetId: 'subnet-other-vpc', VpcId: 'vpc-0other' })],
      routeTables: [aRouteTable()],
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const lone = resultFor(results, RESOURCE_ID.lone);
    expect(lone.status).toBe('ERROR');
    expect(lone.reason).toContain('No route table was collected for subnet subnet-other-vpc');
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it.each([
    [
      'a subnet reports no MapPublicIpOnLaunch',
      { MapPublicIpOnLaunch: undefined },
      {},
      'reports no MapPublicIpOnLaunch',
    ],
    ['a running node reports no SubnetId', {}, { SubnetId: undefined }, 'reports no SubnetId'],
  ])('is ERROR when %s', (_, subnetOverrides, nodeOverrides, message) => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ loneNode: { SubnetId: 'subnet-lone', ...nodeOverrides } }),
      subnets: [...PRIVATE_SUBNETS, aSubnet({ SubnetId: 'subnet-lone', ...subnetOverrides })],
      routeTables: [aRouteTable(), NAT_TABLE],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.reason).toContain(message);
  });

  it.each([
    ['subnets', 'ec2:DescribeSubnets'],
    ['routeTables', 'ec2:DescribeRouteTables'],
  ])('is ERROR for every group when %s failed', (part, operation) => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind(),
      subnets: PRIVATE_SUBNETS,
      routeTables: [NAT_TABLE],
      [part]: failedPart({ operation, code: 'UnauthorizedOperation' }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(result.status).toBe('ERROR');
      expect(result.reason).toContain(`${operation} failed (UnauthorizedOperation`);
    }
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        ...nodeGroupsOfEveryKind(),
        instances: failedPart({ operation: 'ec2:DescribeInstances', code: 'RequestLimitExceeded' }),
      }),
    'ec2:DescribeInstances failed (RequestLimitExceeded',
  );
});

describe('effectiveRouteTable', () => {
  it("takes the explicitly associated table, else the main table of the subnet's own VPC", () => {
    // Prepare
    const otherMain = aRouteTable({ RouteTableId: 'rtb-other-main', VpcId: 'vpc-0other' });
    const tables = [otherMain, aRouteTable(), NAT_TABLE];
    // Act
    const explicit = effectiveRouteTable(PRIVATE_SUBNET_A, tables);
    const fallback = effectiveRouteTable(aSubnet({ SubnetId: 'subnet-new' }), tables);
    // Assess
    expect(explicit.RouteTableId).toBe('rtb-private');
    expect(fallback.RouteTableId).toBe('rtb-main');
  });

  it('throws MissingDataError when neither exists', () => {
    // Act
    const act = () => effectiveRouteTable(aSubnet({ SubnetId: 'subnet-new' }), [NAT_TABLE]);
    // Assess
    expect(act).toThrow(MissingDataError);
  });
  it('says whether an internet gateway route is a default route', () => {
    // Prepare
    const narrow = { DestinationCidrBlock: '203.0.113.0/24', GatewayId: IGW, State: 'active' as const };
    const snapshot = privateCluster(
      { subnets: [PUBLIC_SUBNET], routeTables: [aTableFor('rtb-edge', ['subnet-public-a'], [narrow])] },
      { loneNode: { SubnetId: 'subnet-public-a' } },
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.reason).toContain(
      'not a default route, but a direct route to an internet gateway all the same',
    );
    expect(result.evidence).toMatchObject({
      subnets: [
        {
          subnetId: 'subnet-public-a',
          internetGatewayRoutes: [{ destination: '203.0.113.0/24', gatewayId: IGW, defaultRoute: false }],
        },
      ],
    });
  });

  describe('launch templates', () => {
    const withTemplate = (version: Partial<LaunchTemplateVersion>, managedNode: object = {}) =>
      aSnapshot({
        ...nodeGroupsOfEveryKind({
          nodegroup: { launchTemplate: { id: 'lt-0abc', name: 'nodes', version: '3' } },
          managedNode,
        }),
        subnets: PRIVATE_SUBNETS,
        routeTables: [aRouteTable(), NAT_TABLE],
        launchTemplateVersions: [aLaunchTemplateVersion({ VersionNumber: 3, ...version })],
      });

    it('fails a group whose launch template version asks for public IPs, even with no running nodes', () => {
      // Prepare
      const snapshot = withTemplate(
        {
          LaunchTemplateData: {
            NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }],
          },
        },
        { State: STOPPED },
      );
      // Act
      const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.reason).toContain(
        'launch template nodes version 3 sets AssociatePublicIpAddress on network interface(s) 0',
      );
      expect(result.evidence).toMatchObject({
        launchTemplate: { id: 'lt-0abc', versionNumber: 3, publicNetworkInterfaces: [0] },
      });
    });

    it('passes a group whose launch template version does not ask for public IPs, saying so', () => {
      // Prepare
      const snapshot = withTemplate({
        LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }] },
      });
      // Act
      const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
      // Assess
      expect(result.status).toBe('PASSED');
      expect(result.reason).toContain('launch template nodes version 3 asks for none');
    });

    it('is ERROR, never PASSED, when AssociatePublicIpAddress is the string "false"', () => {
      // Prepare
      const snapshot = withTemplate({
        LaunchTemplateData: {
          NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: 'false' as never }],
        },
      });
      // Act
      const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
      // Assess
      expect(result.status).toBe('ERROR');
      expect(result.reason).toContain('AssociatePublicIpAddress "false"');
    });

    it('is ERROR when the launch template version in use was not collected', () => {
      // Prepare
      const snapshot = withTemplate({ VersionNumber: 2 });
      // Act
      const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
      // Assess
      expect(result.status).toBe('ERROR');
      expect(result.reason).toContain('version 3 was not collected');
    });
  });

  it.each([
    [
      'MapPublicIpOnLaunch is the string "false"',
      {
        subnets: [
          aSubnet({ SubnetId: 'subnet-private-a', MapPublicIpOnLaunch: 'false' as never }),
          PRIVATE_SUBNET_B,
        ],
      },
      {},
      'MapPublicIpOnLaunch "false"',
    ],
    [
      'a managed group lists an empty subnet id',
      {},
      { nodegroup: { subnets: ['subnet-private-a', ''] } },
      'no subnet id',
    ],
    ['a running node has an empty SubnetId', {}, { managedNode: { SubnetId: '' } }, 'reports no SubnetId'],
  ])('is ERROR, never PASSED, when %s', (_, network, overrides, named) => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind(overrides),
      subnets: PRIVATE_SUBNETS,
      routeTables: [aRouteTable(), NAT_TABLE],
      ...network,
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.reason).toContain(named);
  });
});
