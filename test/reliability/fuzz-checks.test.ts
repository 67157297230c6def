/**
 * Every check against random DescribeCluster / DescribeNodegroup / instance shapes (fast-check):
 * no check crashes on any shape (a crash would surface as the runner's "Check ... failed on" ERROR),
 * and taking members away never makes a result PASSED that was not PASSED with them.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CHECKS } from '../../lib/checks/registry.js';
import { runChecks } from '../../lib/checks/runner.js';
import type { CheckResult } from '../../lib/checks/types.js';
import type { ClusterSnapshot } from '../../lib/snapshot/types.js';
import {
  aCluster,
  aClusterVersion,
  aCoverage,
  aManagedNodegroup,
  anImage,
  anInspectorAccount,
  anInstance,
  aRouteTable,
  aSnapshot,
  aSubnet,
  imagesById,
  NOW,
} from '../support/snapshot.js';

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** A random but plausible cluster with its node groups, nodes, images, network and Inspector data. */
const estateShape = fc.record({
  version: fc.constantFrom('1.29', '1.31', '1.33', '1.35'),
  endpointPublicAccess: fc.boolean(),
  endpointPrivateAccess: fc.boolean(),
  publicAccessCidrs: fc.constantFrom(['0.0.0.0/0'], ['203.0.113.0/24'], []),
  loggedTypes: fc.subarray([...LOG_TYPES]),
  encrypted: fc.boolean(),
  deletionProtection: fc.boolean(),
  authenticationMode: fc.constantFrom('API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP'),
  groups: fc.array(
    fc.record({
      amiType: fc.constantFrom('AL2023_x86_64_STANDARD', 'AL2_x86_64', 'BOTTLEROCKET_ARM_64', 'CUSTOM'),
      sshKey: fc.option(fc.constantFrom('ops', 'admin'), { nil: undefined }),
      nodes: fc.array(
        fc.record({
          httpTokens: fc.constantFrom('required', 'optional'),
          hopLimit: fc.integer({ min: 1, max: 3 }),
          publicIp: fc.option(fc.constant('54.1.2.3'), { nil: undefined }),
          keyName: fc.option(fc.constant('ops'), { nil: undefined }),
          imageAgeDays: fc.integer({ min: 0, max: 400 }),
          covered: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  ),
  publicSubnet: fc.boolean(),
});

type Shape = typeof estateShape extends fc.Arbitrary<infer T> ? T : never;

const releaseOf = (version: string, nodes: readonly { imageAgeDays: number }[]) => {
  const oldest = Math.max(0, ...nodes.map((node) => node.imageAgeDays));
  const date = new Date(NOW.getTime() - oldest * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${version}.5-${date}`;
};

function snapshotOf(shape: Shape): ClusterSnapshot {
  const images: ReturnType<typeof anImage>[] = [];
  const instances = shape.groups.flatMap((group, groupIndex) =>
    group.nodes.map((node, nodeIndex) => {
      const imageId = `ami-${groupIndex}${nodeIndex}`;
      images.push(
        anImage({
          ImageId: imageId,
          CreationDate: new Date(NOW.getTime() - node.imageAgeDays * 86_400_000).toISOString(),
        }),
      );
      return anInstance({
        group: `ng-${groupIndex}`,
        InstanceId: `i-${groupIndex}${nodeIndex}`,
        ImageId: imageId,
        SubnetId: 'subnet-a',
        ...(node.publicIp === undefined ? {} : { PublicIpAddress: node.publicIp }),
        ...(node.keyName === undefined ? {} : { KeyName: node.keyName }),
        MetadataOptions: { HttpTokens: node.httpTokens, HttpPutResponseHopLimit: node.hopLimit },
      });
    }),
  );
  return aSnapshot({
    cluster: aCluster({
      version: shape.version,
      resourcesVpcConfig: {
        endpointPublicAccess: shape.endpointPublicAccess,
        endpointPrivateAccess: shape.endpointPrivateAccess,
        publicAccessCidrs: [...shape.publicAccessCidrs],
        subnetIds: ['subnet-a'],
      },
      logging: { clusterLogging: [{ types: [...shape.loggedTypes], enabled: true }] },
      encryptionConfig: shape.encrypted
        ? [{ resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:1:key/k' } }]
        : [],
      deletionProtection: shape.deletionProtection,
      accessConfig: { authenticationMode: shape.authenticationMode },
    }),
    clusterVersions: [aClusterVersion({ clusterVersion: shape.version })],
    nodegroups: shape.groups.map((group, groupIndex) =>
      aManagedNodegroup({
        nodegroupName: `ng-${groupIndex}`,
        amiType: group.amiType,
        // A managed group's nodes run the AMI of its release: the release date is their AMI's date.
        releaseVersion: releaseOf(shape.version, group.nodes),
        subnets: ['subnet-a'],
        ...(group.sshKey === undefined ? {} : { remoteAccess: { ec2SshKey: group.sshKey } }),
      }),
    ),
    instances,
    images: imagesById(...images),
    subnets: [aSubnet({ SubnetId: 'subnet-a', MapPublicIpOnLaunch: shape.publicSubnet })],
    routeTables: [
      aRouteTable({
        Associations: [{ Main: true }],
        Routes: shape.publicSubnet
          ? [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }]
          : [],
      }),
    ],
    inspectorAccount: anInspectorAccount('ENABLED'),
    inspectorCoverage: shape.groups.flatMap((group, groupIndex) =>
      group.nodes.flatMap((node, nodeIndex) =>
        node.covered ? [aCoverage(`i-${groupIndex}${nodeIndex}`)] : [],
      ),
    ),
  });
}

/**
 * What identifies a resource or its membership (which node belongs to which group, which nodes run):
 * taking it away changes which resources exist, not what is known about them, so it is not dropped.
 */
const IDENTITY = new Set([
  'Tags',
  'State',
  'InstanceId',
  'nodegroupName',
  'nodegroupArn',
  'name',
  'arn',
  'SubnetId',
]);

/** Members AWS leaves out to say "none" (no public IP, no key pair, no SSH, no encryption): absence is data. */
const ABSENT_MEANS_NONE = new Set([
  'PublicIpAddress',
  'KeyName',
  'remoteAccess',
  'ec2SshKey',
  'sourceSecurityGroups',
  'encryptionConfig',
  'NetworkInterfaces',
  'Association',
]);

/** Every path to an object member of the AWS objects in a snapshot part (array elements stay). */
function memberPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => memberPaths(item, [...prefix, index]));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.entries(value)
      .filter(([key]) => !IDENTITY.has(key) && !ABSENT_MEANS_NONE.has(key))
      .flatMap(([key, member]) => [[...prefix, key], ...memberPaths(member, [...prefix, key])]);
  }
  return [];
}

/** The snapshot with the given members deleted from its collected parts (missing data, not failed calls). */
function withoutMembers(snapshot: ClusterSnapshot, paths: readonly (string | number)[][]): ClusterSnapshot {
  const copy = structuredClone(snapshot) as unknown as Record<string, { status: string; value?: unknown }>;
  for (const [part, ...path] of paths) {
    const holder = copy[String(part)];
    if (holder?.status !== 'collected' || path.length === 0) continue;
    let parent: unknown = holder.value;
    for (const step of path.slice(0, -1))
      parent = (parent as Record<string | number, unknown> | undefined)?.[step];
    const last = path.at(-1);
    if (typeof parent !== 'object' || parent === null || last === undefined) continue;
    delete (parent as Record<string | number, unknown>)[last];
  }
  return copy as unknown as ClusterSnapshot;
}

const PARTS = [
  'cluster',
  'nodegroups',
  'instances',
  'images',
  'subnets',
  'routeTables',
  'inspectorCoverage',
] as const;

const crashes = (results: readonly CheckResult[]) =>
  results.filter(
    (result) => result.status === 'ERROR' && result.reason.startsWith(`Check ${result.checkId} failed on`),
  );

describe('every check on random shapes', () => {
  it('never crashes, and missing members never turn a result PASSED', () => {
    fc.assert(
      fc.property(estateShape, fc.array(fc.nat(), { maxLength: 12 }), (shape, picks) => {
        // Prepare
        const full = snapshotOf(shape);
        const paths = PARTS.flatMap((part) => {
          const holder = full[part] as { status: string; value?: unknown };
          return holder.status === 'collected' ? memberPaths(holder.value, [part]) : [];
        });
        const dropped = picks.flatMap((pick) =>
          paths.length === 0 ? [] : [paths[pick % paths.length] ?? []],
        );
        const partial = withoutMembers(full, dropped);
        // Act
        const before = runChecks(CHECKS, [full], { now: NOW });
        const after = runChecks(CHECKS, [partial], { now: NOW });
        // Assess
        expect(crashes(before)).toEqual([]);
        expect(crashes(after)).toEqual([]);
        const passedBefore = new Set(
          before
            .filter((result) => result.status === 'PASSED')
            .map((result) => `${result.checkId} ${result.resourceId}`),
        );
        const newlyPassed = after.filter(
          (result) =>
            result.status === 'PASSED' && !passedBefore.has(`${result.checkId} ${result.resourceId}`),
        );
        expect(
          newlyPassed.map((result) => `${result.checkId} ${result.resourceId}: ${result.reason}`),
        ).toEqual([]);
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('passes nothing on a cluster whose every member is missing', () => {
    // Act
    const results = runChecks(CHECKS, [aSnapshot({ cluster: {}, nodegroups: [], instances: [] })], {
      now: NOW,
    });
    // Assess
    expect(crashes(results)).toEqual([]);
    // The audit-logs check judges the account and Region's GuardDuty detector alone, which is there.
    expect(results.filter((result) => result.status === 'PASSED').map((result) => result.checkId)).toEqual([
      'eks_cluster_guardduty_audit_logs',
    ]);
  });
});
