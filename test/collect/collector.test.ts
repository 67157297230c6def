import 'aws-sdk-client-mock-jest';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  GetEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import { GetRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  GetDetectorCommand,
  ListCoverageCommand as GuardDutyListCoverageCommand,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { BatchGetAccountStatusCommand, ListCoverageCommand } from '@aws-sdk/client-inspector2';
import { DescribeInstanceInformationCommand, GetParametersCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from '@jest/globals';
import { CHECKS } from '../../lib/checks/registry.js';
import { inputsOf, runChecks } from '../../lib/checks/runner.js';
import { collectRegion } from '../../lib/collect/collector.js';
import { SNAPSHOT_PART_NAMES, type SnapshotPartName, snapshotFailures } from '../../lib/snapshot/types.js';
import { awsError, emptyEstate, mockRegion, type RegionEstate } from '../support/aws-estate.js';
import {
  AL2023_133,
  anEstateGroup,
  anEstateInstance,
  BOTTLEROCKET_132,
  collectedValue,
  idsOf,
  NVIDIA_132,
  snapshotNamed,
  TARGET,
  twoClusters,
} from '../support/collect-estate.js';
import { failedPart } from '../support/snapshot.js';

const ALL_PARTS: ReadonlySet<SnapshotPartName> = new Set(SNAPSHOT_PART_NAMES);
const NODE_STATES = ['pending', 'running', 'stopping', 'stopped'];

async function collect(estate: RegionEstate, inputs = ALL_PARTS, extra: { clusterNames?: string[] } = {}) {
  const mocks = mockRegion(estate);
  const collection = await collectRegion({ ...TARGET, ...extra }, { inputs, clients: mocks.clients });
  return { mocks, collection };
}

describe('collectRegion: what it collects', () => {
  it('builds one snapshot per cluster holding exactly that cluster’s resources', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks, collection } = await collect(estate);
    // Assess
    expect(collection).toMatchObject({ ...TARGET, failures: [] });
    expect(collection.snapshots.map((snapshot) => snapshot.scope)).toEqual([
      { ...TARGET, clusterName: 'alpha' },
      { ...TARGET, clusterName: 'beta' },
    ]);
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    expect(collectedValue(alpha.cluster).name).toBe('alpha');
    expect(collectedValue(alpha.clusterVersions)).toHaveLength(3);
    expect(idsOf(collectedValue(alpha.nodegroups), (ng) => ng.nodegroupName)).toEqual(['workers']);
    expect(collectedValue(alpha.fargateProfiles)).toEqual([]);
    expect(idsOf(collectedValue(alpha.instances), (i) => i.InstanceId)).toEqual(['i-alpha-1', 'i-alpha-2']);
    expect(idsOf(collectedValue(alpha.autoScalingGroups), (g) => g.AutoScalingGroupName)).toEqual([
      'eks-workers',
    ]);
    // ami-old is deregistered: absent, not a failure.
    expect(Object.keys(collectedValue(alpha.images))).toEqual(['ami-shared']);
    expect(
      idsOf(collectedValue(alpha.launchTemplateVersions), (v) => `${v.LaunchTemplateId}:${v.VersionNumber}`),
    ).toEqual(['lt-workers:1', 'lt-workers:2']);
    expect(idsOf(collectedValue(alpha.subnets), (s) => s.SubnetId)).toEqual(['subnet-a1']);
    expect(idsOf(collectedValue(alpha.routeTables), (t) => t.RouteTableId)).toEqual(['rtb-a']);
    expect(collectedValue(alpha.inspectorAccount).resourceState?.ec2?.status).toBe('ENABLED');
    // The stopped node is not running, so its coverage is not asked for.
    expect(idsOf(collectedValue(alpha.inspectorCoverage), (r) => r.resourceId)).toEqual(['i-alpha-1']);
    expect(collectedValue(alpha.releaseParameters)).toEqual({ [AL2023_133]: '1.33.5-20261110' });

    const beta = snapshotNamed(collection.snapshots, 'beta');
    expect(idsOf(collectedValue(beta.nodegroups), (ng) => ng.nodegroupName)).toEqual(['gpu', 'spot']);
    expect(idsOf(collectedValue(beta.fargateProfiles), (p) => p.fargateProfileName)).toEqual(['batch']);
    expect(idsOf(collectedValue(beta.instances), (i) => i.InstanceId)).toEqual([
      'i-beta-1',
      'i-beta-2',
      'i-beta-3',
    ]);
    expect(idsOf(collectedValue(beta.autoScalingGroups), (g) => g.AutoScalingGroupName)).toEqual([
      'beta-extra',
      'beta-idle',
      'beta-legacy',
    ]);
    expect(Object.keys(collectedValue(beta.images)).sort()).toEqual(['ami-custom', 'ami-karp', 'ami-shared']);
    expect(
      idsOf(collectedValue(beta.launchTemplateVersions), (v) => `${v.LaunchTemplateId}:${v.VersionNumber}`),
    ).toEqual(['lt-idle:1', 'lt-legacy:2', 'lt-workers:1', 'lt-workers:2']);
    expect(idsOf(collectedValue(beta.subnets), (s) => s.SubnetId)).toEqual([
      'subnet-b1',
      'subnet-b2',
      'subnet-b3',
      'subnet-b4',
    ]);
    expect(idsOf(collectedValue(beta.routeTables), (t) => t.RouteTableId)).toEqual([
      'rtb-b-main',
      'rtb-b-private',
    ]);
    expect(idsOf(collectedValue(beta.inspectorCoverage), (r) => r.resourceId)).toEqual([
      'i-beta-1',
      'i-beta-2',
    ]);
    // No Bottlerocket release is published for 1.32 in this estate: the name asked for is absent.
    expect(collectedValue(beta.releaseParameters)).toEqual({ [NVIDIA_132]: '1.32.9-20261110' });
    expect(mocks.ssm).toHaveReceivedCommandWith(GetParametersCommand, {
      Names: expect.arrayContaining([AL2023_133, NVIDIA_132, BOTTLEROCKET_132]),
    });
  });

  it('gives every check of the registry all it looks up: no ERROR for want of collected data', async () => {
    // Prepare
    const inputs = new Set(CHECKS.flatMap(inputsOf));
    // Act
    const { collection } = await collect(twoClusters(), inputs);
    const results = runChecks(CHECKS, collection.snapshots, { now: new Date('2026-11-22T12:00:00Z') });
    // Assess
    expect(results.length).toBeGreaterThan(CHECKS.length);
    // The estate leaves out fields the checks judge (logging, metadata options...): those ERRORs are
    // about the estate. A snapshot gap shows as a failure in the evidence or a reason about collection.
    const collectionErrors = results.filter(
      (result) =>
        result.status === 'ERROR' &&
        ('failure' in result.evidence || 'failures' in result.evidence || /collect/i.test(result.reason)),
    );
    expect(collectionErrors.map((result) => result.reason)).toEqual([]);
  });

  it('follows every pagination to the end: one-item pages give the same snapshots as full pages', async () => {
    // Prepare
    const { collection: fullPages } = await collect(twoClusters(100));
    // Act
    const { mocks, collection: onePerPage } = await collect(twoClusters(1));
    // Assess
    expect(onePerPage).toEqual(fullPages);
    expect(mocks.eks).toHaveReceivedCommandTimes(ListClustersCommand, 2);
    expect(mocks.eks).toHaveReceivedCommandWith(ListClustersCommand, { nextToken: '1' });
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterVersionsCommand, 3);
    expect(mocks.eks).toHaveReceivedCommandWith(ListNodegroupsCommand, {
      clusterName: 'beta',
      nextToken: '1',
    });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, { NextToken: '2' });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeImagesCommand, { NextToken: '2' });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeSubnetsCommand, { NextToken: '4' });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeRouteTablesCommand, { NextToken: '2' });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, { NextToken: '1' });
    expect(mocks.autoScaling).toHaveReceivedCommandWith(DescribeAutoScalingGroupsCommand, { NextToken: '2' });
    expect(mocks.inspector2).toHaveReceivedCommandWith(ListCoverageCommand, { nextToken: '2' });
  });

  it('collects only the named clusters that exist, and asks EC2 about those alone', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks, collection } = await collect(estate, new Set(['cluster', 'instances']), {
      clusterNames: ['beta', 'missing'],
    });
    // Assess
    expect(collection.snapshots.map((snapshot) => snapshot.scope.clusterName)).toEqual(['beta']);
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [
        { Name: 'tag:aws:eks:cluster-name', Values: ['beta'] },
        { Name: 'instance-state-name', Values: NODE_STATES },
      ],
    });
  });

  it('makes no call beyond ListClusters when the Region has no cluster', async () => {
    // Prepare
    const estate = emptyEstate();
    // Act
    const { mocks, collection } = await collect(estate);
    // Assess
    expect(collection).toEqual({ ...TARGET, snapshots: [], failures: [] });
    expect(mocks.eks).toHaveReceivedCommandTimes(ListClustersCommand, 1);
    expect(mocks.eks).not.toHaveReceivedCommand(DescribeClusterVersionsCommand);
    expect(mocks.ec2).not.toHaveReceivedAnyCommand();
    expect(mocks.inspector2).not.toHaveReceivedAnyCommand();
  });
});

describe('collectRegion: the calls it makes', () => {
  it('describes the Region’s cluster versions once, shared by all its snapshots', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks, collection } = await collect(estate);
    // Assess
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterVersionsCommand, 1);
    expect(mocks.eks).toHaveReceivedCommandWith(DescribeClusterVersionsCommand, {
      includeAll: true,
      clusterType: 'eks',
      maxResults: 100,
    });
    const [alpha, beta] = collection.snapshots;
    expect(alpha?.clusterVersions).toBe(beta?.clusterVersions);
  });

  it('lists and describes every node group and Fargate profile of every cluster', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks } = await collect(estate);
    // Assess
    expect(mocks.eks).toHaveReceivedCommandWith(ListClustersCommand, { maxResults: 100 });
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 2);
    expect(mocks.eks).toHaveReceivedCommandTimes(ListNodegroupsCommand, 2);
    expect(mocks.eks).toHaveReceivedCommandWith(ListNodegroupsCommand, {
      clusterName: 'alpha',
      maxResults: 100,
    });
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeNodegroupCommand, 3);
    expect(mocks.eks).toHaveReceivedCommandWith(DescribeNodegroupCommand, {
      clusterName: 'beta',
      nodegroupName: 'gpu',
    });
    expect(mocks.eks).toHaveReceivedCommandTimes(ListFargateProfilesCommand, 2);
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeFargateProfileCommand, 1);
  });

  it('finds the nodes of all clusters with one DescribeInstances call per cluster tag per Region', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks } = await collect(estate);
    // Assess
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 4);
    for (const filter of [
      { Name: 'tag:aws:eks:cluster-name', Values: ['alpha', 'beta'] },
      { Name: 'tag:eks:eks-cluster-name', Values: ['alpha', 'beta'] },
      { Name: 'tag:eks:cluster-name', Values: ['alpha', 'beta'] },
      { Name: 'tag-key', Values: ['kubernetes.io/cluster/alpha', 'kubernetes.io/cluster/beta'] },
    ]) {
      expect(mocks.ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
        Filters: [filter, { Name: 'instance-state-name', Values: NODE_STATES }],
        MaxResults: 100,
      });
    }
  });

  it('splits the cluster names over several calls past 200 values per filter', async () => {
    // Prepare
    const names = Array.from({ length: 201 }, (_, index) => `c${String(index).padStart(3, '0')}`);
    const estate = { ...emptyEstate(), clusters: names.map((name) => ({ name })) };
    // Act
    const { mocks, collection } = await collect(estate, new Set(['instances']));
    // Assess
    expect(collection.snapshots).toHaveLength(201);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 8);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [
        { Name: 'tag:eks:cluster-name', Values: names.slice(0, 200) },
        { Name: 'instance-state-name', Values: NODE_STATES },
      ],
    });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [
        { Name: 'tag:eks:cluster-name', Values: ['c200'] },
        { Name: 'instance-state-name', Values: NODE_STATES },
      ],
    });
  });

  it('describes each AMI of the Region once, deprecated and disabled ones included', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks } = await collect(estate);
    // Assess
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
    const input = mocks.ec2.commandCalls(DescribeImagesCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ IncludeDeprecated: true, IncludeDisabled: true, MaxResults: 100 });
    expect(input?.Filters?.[0]?.Name).toBe('image-id');
    expect([...(input?.Filters?.[0]?.Values ?? [])].sort()).toEqual([
      'ami-custom',
      'ami-karp',
      'ami-old',
      'ami-shared',
    ]);
  });

  it('describes subnets and the route tables of their VPCs once per Region', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks } = await collect(estate);
    // Assess
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeSubnetsCommand, 1);
    const subnetFilter = mocks.ec2.commandCalls(DescribeSubnetsCommand)[0]?.args[0].input.Filters?.[0];
    expect(subnetFilter?.Name).toBe('subnet-id');
    expect([...(subnetFilter?.Values ?? [])].sort()).toEqual([
      'subnet-a1',
      'subnet-b1',
      'subnet-b2',
      'subnet-b3',
      'subnet-b4',
    ]);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeRouteTablesCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeRouteTablesCommand, {
      Filters: [{ Name: 'vpc-id', Values: ['vpc-a', 'vpc-b'] }],
    });
  });

  it('describes each launch template once with every version the node groups use', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks } = await collect(estate);
    // Assess
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeLaunchTemplateVersionsCommand, 3);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, {
      LaunchTemplateId: 'lt-workers',
      Versions: ['2', '$Default'],
    });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, {
      LaunchTemplateName: 'legacy',
      Versions: ['$Latest'],
    });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, {
      LaunchTemplateId: 'lt-idle',
      Versions: ['1'],
    });
  });

  it('finds Auto Scaling groups with two tag-filtered calls and names only the untagged ones', async () => {
    // Prepare
    const estate = twoClusters();
    // Act
    const { mocks } = await collect(estate);
    // Assess
    expect(mocks.autoScaling).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 3);
    expect(mocks.autoScaling).toHaveReceivedCommandWith(DescribeAutoScalingGroupsCommand, {
      Filters: [{ Name: 'tag-value', Values: ['alpha', 'beta'] }],
      MaxRecords: 100,
    });
    expect(mocks.autoScaling).toHaveReceivedCommandWith(DescribeAutoScalingGroupsCommand, {
      Filters: [{ Name: 'tag-key', Values: ['kubernetes.io/cluster/alpha', 'kubernetes.io/cluster/beta'] }],
      MaxRecords: 100,
    });
    expect(mocks.autoScaling).toHaveReceivedCommandWith(DescribeAutoScalingGroupsCommand, {
      AutoScalingGroupNames: ['beta-extra'],
    });
  });

  it('names Auto Scaling groups 50 at a time', async () => {
    // Prepare
    const groupNames = Array.from({ length: 51 }, (_, index) => `asg-${index}`);
    const estate = {
      ...emptyEstate(),
      clusters: [{ name: 'alpha' }],
      instances: groupNames.map((group, index) =>
        anEstateInstance(`i-${index}`, {
          tags: { 'kubernetes.io/cluster/alpha': 'owned', 'aws:autoscaling:groupName': group },
        }),
      ),
      autoScalingGroups: groupNames.map((name) => anEstateGroup(name)),
    };
    // Act
    const { mocks, collection } = await collect(estate, new Set(['autoScalingGroups']));
    // Assess
    expect(mocks.autoScaling).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 4);
    expect(mocks.autoScaling).toHaveReceivedCommandWith(DescribeAutoScalingGroupsCommand, {
      AutoScalingGroupNames: groupNames.slice(0, 50),
    });
    expect(mocks.autoScaling).toHaveReceivedCommandWith(DescribeAutoScalingGroupsCommand, {
      AutoScalingGroupNames: ['asg-50'],
    });
    expect(collectedValue(snapshotNamed(collection.snapshots, 'alpha').autoScalingGroups)).toHaveLength(51);
  });

  it('asks Inspector for the account once and for the running nodes’ coverage 10 ids at a time', async () => {
    // Prepare
    const ids = Array.from({ length: 25 }, (_, index) => `i-${String(index).padStart(2, '0')}`);
    const estate = {
      ...emptyEstate(),
      clusters: [{ name: 'alpha' }],
      instances: ids.map((id) => anEstateInstance(id, { tags: { 'aws:eks:cluster-name': 'alpha' } })),
    };
    // Act
    const { mocks } = await collect(estate, new Set(['inspectorAccount', 'inspectorCoverage']));
    // Assess
    expect(mocks.inspector2).toHaveReceivedCommandTimes(BatchGetAccountStatusCommand, 1);
    expect(mocks.inspector2).toHaveReceivedCommandWith(BatchGetAccountStatusCommand, {
      accountIds: [TARGET.accountId],
    });
    expect(mocks.inspector2).toHaveReceivedCommandTimes(ListCoverageCommand, 3);
    expect(mocks.inspector2).toHaveReceivedCommandWith(ListCoverageCommand, {
      filterCriteria: {
        resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }],
        resourceId: ids.slice(20).map((value) => ({ comparison: 'EQUALS', value })),
      },
      maxResults: 200,
    });
    const batches = mocks.inspector2
      .commandCalls(ListCoverageCommand)
      .map((call) => call.args[0].input.filterCriteria?.resourceId?.length);
    expect(batches).toEqual([10, 10, 5]);
  });

  it('fetches release parameters 10 names at a time, each name once', async () => {
    // Prepare
    const versions = Array.from({ length: 12 }, (_, index) => `1.${20 + index}`);
    const estate = {
      ...emptyEstate(),
      clusters: [{ name: 'alpha' }, { name: 'beta' }],
      nodegroups: ['alpha', 'beta'].flatMap((clusterName) =>
        versions.map((version) => ({
          clusterName,
          nodegroupName: `ng-${version}`,
          amiType: 'AL2023_x86_64_STANDARD' as const,
          version,
        })),
      ),
    };
    // Act
    const { mocks, collection } = await collect(estate, new Set(['releaseParameters']));
    // Assess
    const batches = mocks.ssm
      .commandCalls(GetParametersCommand)
      .map((call) => call.args[0].input.Names?.length);
    expect(batches).toEqual([10, 2]);
    expect(collectedValue(snapshotNamed(collection.snapshots, 'beta').releaseParameters)).toEqual({});
  });
});

describe('collectRegion: what it does not collect', () => {
  it('marks parts the checks did not ask for as not collected and makes no call for them', async () => {
    // Prepare
    const inputs = new Set<SnapshotPartName>(['cluster']);
    // Act
    const { mocks, collection } = await collect(twoClusters(), inputs);
    // Assess
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    expect(collectedValue(alpha.cluster).name).toBe('alpha');
    for (const name of SNAPSHOT_PART_NAMES.filter((part) => part !== 'cluster')) {
      expect(alpha[name]).toEqual({
        status: 'failed',
        failure: expect.objectContaining({ operation: 'not-collected', code: 'NotRequested' }),
      });
    }
    expect(mocks.eks).toHaveReceivedCommandTimes(ListClustersCommand, 1);
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 2);
    expect(mocks.eks).not.toHaveReceivedCommand(ListNodegroupsCommand);
    expect(mocks.eks).not.toHaveReceivedCommand(DescribeClusterVersionsCommand);
    for (const stub of [mocks.ec2, mocks.autoScaling, mocks.inspector2, mocks.ssm]) {
      expect(stub).not.toHaveReceivedAnyCommand();
    }
  });

  it('fetches what a requested part depends on without reporting it as collected', async () => {
    // Prepare
    const inputs = new Set<SnapshotPartName>(['images']);
    // Act
    const { mocks, collection } = await collect(twoClusters(), inputs);
    // Assess
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    expect(Object.keys(collectedValue(alpha.images))).toEqual(['ami-shared']);
    expect(alpha.instances.status).toBe('failed');
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 4);
    expect(mocks.eks).not.toHaveReceivedCommand(ListNodegroupsCommand);
  });
});

describe('collectRegion: failures', () => {
  it('turns a failed ListClusters into a Region failure with no snapshot and no further call', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.eks
      .on(ListClustersCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized: eks:ListClusters'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    expect(collection).toEqual({
      ...TARGET,
      snapshots: [],
      failures: [
        {
          operation: 'eks:ListClusters',
          code: 'AccessDeniedException',
          message: 'not authorized: eks:ListClusters',
        },
      ],
    });
    expect(mocks.eks).toHaveReceivedCommandTimes(ListClustersCommand, 1);
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 0);
    expect(mocks.ec2).not.toHaveReceivedAnyCommand();
  });

  it('records a failed DescribeImages against each AMI of the clusters that have nodes, failing no part', async () => {
    // Prepare
    const estate = { ...twoClusters(), clusters: [...twoClusters().clusters, { name: 'gamma-empty' }] };
    const mocks = mockRegion(estate);
    mocks.ec2
      .on(DescribeImagesCommand)
      .rejects(awsError('UnauthorizedOperation', 'not allowed: ec2:DescribeImages'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    const failure = {
      operation: 'ec2:DescribeImages',
      code: 'UnauthorizedOperation',
      message: 'not allowed: ec2:DescribeImages',
    };
    const amisOf = { alpha: ['ami-shared', 'ami-old'], beta: ['ami-shared', 'ami-karp', 'ami-custom'] };
    for (const [name, amis] of Object.entries(amisOf)) {
      const snapshot = snapshotNamed(collection.snapshots, name);
      expect(snapshot.images).toEqual({
        status: 'collected',
        value: {},
        lookupFailures: Object.fromEntries(amis.map((ami) => [ami, failure])),
      });
      expect(SNAPSHOT_PART_NAMES.filter((part) => snapshot[part].status === 'failed')).toEqual([]);
    }
    expect(snapshotNamed(collection.snapshots, 'gamma-empty').images).toEqual({
      status: 'collected',
      value: {},
    });
    // A call-wide failure blames no id: one call, no retry.
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeImagesCommand, 1);
    expect(snapshotFailures(collection.snapshots)).toEqual([failure]);
    expect(collection.failures).toEqual([]);
  });

  it('fails every node-derived part of every cluster when DescribeInstances fails, without calling on', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.ec2
      .on(DescribeInstancesCommand)
      .rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    const failure = {
      operation: 'ec2:DescribeInstances',
      code: 'RequestLimitExceeded',
      message: 'Request limit exceeded.',
    };
    const dependent: SnapshotPartName[] = [
      'instances',
      'autoScalingGroups',
      'images',
      'launchTemplateVersions',
      'subnets',
      'routeTables',
      'inspectorCoverage',
    ];
    for (const snapshot of collection.snapshots) {
      for (const part of dependent) expect(snapshot[part]).toEqual({ status: 'failed', failure });
      expect(snapshot.nodegroups.status).toBe('collected');
      expect(snapshot.releaseParameters.status).toBe('collected');
    }
    expect(mocks.ec2).not.toHaveReceivedCommand(DescribeImagesCommand);
    expect(mocks.ec2).not.toHaveReceivedCommand(DescribeSubnetsCommand);
    expect(mocks.autoScaling).not.toHaveReceivedAnyCommand();
    expect(mocks.inspector2).not.toHaveReceivedCommand(ListCoverageCommand);
  });

  it('fails the node groups of one cluster, naming the node group, and what depends on them', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.eks
      .on(DescribeNodegroupCommand, { clusterName: 'beta', nodegroupName: 'gpu' })
      .rejects(awsError('ServerException', 'Internal failure'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    const beta = snapshotNamed(collection.snapshots, 'beta');
    const failure = {
      operation: 'eks:DescribeNodegroup',
      code: 'ServerException',
      message: 'Node group gpu: Internal failure',
    };
    for (const part of [
      'nodegroups',
      'launchTemplateVersions',
      'subnets',
      'routeTables',
      'releaseParameters',
    ] as const) {
      expect(beta[part]).toEqual({ status: 'failed', failure });
    }
    expect(beta.instances.status).toBe('collected');
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    expect(SNAPSHOT_PART_NAMES.filter((part) => alpha[part].status === 'failed')).toEqual([]);
  });

  it('records a failed subnet look-up against the subnets of the clusters that needed them', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.ec2.on(DescribeSubnetsCommand).rejects(awsError('UnauthorizedOperation', 'no ec2:DescribeSubnets'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    const failure = {
      operation: 'ec2:DescribeSubnets',
      code: 'UnauthorizedOperation',
      message: 'no ec2:DescribeSubnets',
    };
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    expect(alpha.subnets).toEqual({
      status: 'collected',
      value: [],
      lookupFailures: { 'subnet-a1': failure },
    });
    const beta = snapshotNamed(collection.snapshots, 'beta');
    expect(
      Object.keys(beta.subnets.status === 'collected' ? (beta.subnets.lookupFailures ?? {}) : {}).sort(),
    ).toEqual(['subnet-b1', 'subnet-b2', 'subnet-b3', 'subnet-b4']);
    // No subnet, so no VPC to ask about.
    expect(alpha.routeTables).toEqual({ status: 'collected', value: [] });
    expect(mocks.ec2).not.toHaveReceivedCommand(DescribeRouteTablesCommand);
  });

  it('fails the Inspector account part with the per-account error Inspector returns', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.inspector2.on(BatchGetAccountStatusCommand).resolves({
      accounts: [],
      failedAccounts: [{ accountId: TARGET.accountId, errorCode: 'ACCESS_DENIED', errorMessage: 'denied' }],
    });
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    for (const snapshot of collection.snapshots) {
      expect(snapshot.inspectorAccount).toEqual({
        status: 'failed',
        failure: { operation: 'inspector2:BatchGetAccountStatus', code: 'ACCESS_DENIED', message: 'denied' },
      });
      expect(snapshot.inspectorCoverage.status).toBe('collected');
    }
  });

  it('fails the cluster versions of every cluster when the one DescribeClusterVersions fails', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.eks
      .on(DescribeClusterVersionsCommand)
      .rejects(awsError('AccessDeniedException', 'no eks:DescribeClusterVersions'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    const failure = {
      operation: 'eks:DescribeClusterVersions',
      code: 'AccessDeniedException',
      message: 'no eks:DescribeClusterVersions',
    };
    expect(collection.snapshots.map((snapshot) => snapshot.clusterVersions)).toEqual([
      { status: 'failed', failure },
      { status: 'failed', failure },
    ]);
    expect(collection.failures).toEqual([]);
  });

  it('records a deleted launch template against its own key: only the group using it is ERROR', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.ec2
      .on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-idle' })
      .rejects(
        awsError(
          'InvalidLaunchTemplateId.NotFound',
          'The specified launch template, with template ID lt-idle, does not exist.',
        ),
      );
    const check = CHECKS.find((candidate) => candidate.id === 'eks_nodegroup_no_ssh_access');
    if (check === undefined) throw new Error('no SSH check');
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    const results = runChecks([check], collection.snapshots, { now: new Date('2026-11-22T12:00:00Z') });
    // Assess
    const failure = {
      operation: 'ec2:DescribeLaunchTemplateVersions',
      code: 'InvalidLaunchTemplateId.NotFound',
      message: 'The specified launch template, with template ID lt-idle, does not exist.',
    };
    const beta = snapshotNamed(collection.snapshots, 'beta');
    expect(beta.launchTemplateVersions).toEqual(
      expect.objectContaining({ status: 'collected', lookupFailures: { 'id:lt-idle#1': failure } }),
    );
    const statusOf = Object.fromEntries(results.map((result) => [result.nodeGroup, result.status]));
    expect(statusOf).toEqual({
      workers: 'PASSED',
      spot: 'PASSED',
      gpu: 'PASSED',
      'beta-legacy': 'PASSED',
      'beta-idle': 'ERROR',
      'beta-extra': 'PASSED',
      default: 'PASSED',
    });
    const idle = results.find((result) => result.nodeGroup === 'beta-idle');
    expect(idle?.reason).toContain('InvalidLaunchTemplateId.NotFound');
    expect(idle?.evidence).toEqual({ failure });
  });

  it('asks again for the other versions of a template when one version is gone', async () => {
    // Prepare: alpha uses version 2 of lt-workers, beta's gpu group $Default; version 2 was deleted.
    const mocks = mockRegion(twoClusters());
    mocks.ec2
      .on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-workers' })
      .callsFake((input) => {
        if (input.Versions?.includes('2')) {
          throw awsError(
            'InvalidLaunchTemplateId.VersionNotFound',
            'Could not find launch template version 2 for launch template ID lt-workers.',
          );
        }
        return {
          LaunchTemplateVersions: [
            {
              LaunchTemplateId: 'lt-workers',
              LaunchTemplateName: 'workers',
              VersionNumber: 1,
              DefaultVersion: true,
            },
          ],
        };
      });
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    const alpha = snapshotNamed(collection.snapshots, 'alpha').launchTemplateVersions;
    expect(alpha.status === 'collected' && Object.keys(alpha.lookupFailures ?? {})).toEqual([
      'id:lt-workers#2',
    ]);
    const beta = snapshotNamed(collection.snapshots, 'beta').launchTemplateVersions;
    expect(beta.status === 'collected' && beta.lookupFailures).toBeUndefined();
    expect(
      collectedValue(beta).map((version) => `${version.LaunchTemplateId}:${version.VersionNumber}`),
    ).toContain('lt-workers:1');
    // One call for both versions, then one for each half: bounded, and none for templates that answered.
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeLaunchTemplateVersionsCommand, 5);
  });

  it('fails a cluster whose DescribeCluster failed, and only that cluster', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.eks
      .on(DescribeClusterCommand, { name: 'alpha' })
      .rejects(awsError('ThrottlingException', 'Rate exceeded'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: ALL_PARTS, clients: mocks.clients });
    // Assess
    expect(snapshotNamed(collection.snapshots, 'alpha').cluster).toEqual({
      status: 'failed',
      failure: { operation: 'eks:DescribeCluster', code: 'ThrottlingException', message: 'Rate exceeded' },
    });
    expect(collectedValue(snapshotNamed(collection.snapshots, 'beta').cluster).name).toBe('beta');
  });
});

describe('collectRegion: concurrency', () => {
  it('never has more calls to one service in flight than the concurrency allows', async () => {
    // Prepare
    const estate = {
      ...emptyEstate(),
      clusters: Array.from({ length: 7 }, (_, index) => ({ name: `c${index}` })),
    };
    const mocks = mockRegion(estate);
    let inFlight = 0;
    let peak = 0;
    mocks.eks.on(DescribeClusterCommand).callsFake(async (input: { name: string }) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { cluster: { name: input.name } };
    });
    // Act
    const collection = await collectRegion(TARGET, {
      inputs: new Set(['cluster']),
      concurrency: 2,
      clients: mocks.clients,
    });
    // Assess
    expect(peak).toBe(2);
    expect(collection.snapshots.map((snapshot) => collectedValue(snapshot.cluster).name)).toEqual(
      estate.clusters.map((cluster) => cluster.name),
    );
  });
});

describe('collectRegion: resources several clusters claim', () => {
  /** twoClusters plus a node, an Auto Scaling group and a launch template claimed by both clusters. */
  function sharedEstate(): RegionEstate {
    const estate = twoClusters();
    const bothClusters = [
      { Key: 'kubernetes.io/cluster/beta', Value: 'owned', PropagateAtLaunch: true },
      { Key: 'kubernetes.io/cluster/alpha', Value: 'shared', PropagateAtLaunch: true },
      { Key: 'kubernetes.io/cluster/gone', Value: 'owned', PropagateAtLaunch: true },
    ];
    return {
      ...estate,
      instances: [
        ...estate.instances,
        anEstateInstance('i-shared', {
          tags: {
            'kubernetes.io/cluster/beta': 'owned',
            'kubernetes.io/cluster/alpha': 'shared',
            'kubernetes.io/cluster/gone': 'owned',
            'aws:autoscaling:groupName': 'shared-asg',
          },
        }),
        anEstateInstance('i-lone', {
          tags: { 'eks:cluster-name': 'alpha', 'kubernetes.io/cluster/beta': 'owned' },
        }),
      ],
      autoScalingGroups: [
        ...estate.autoScalingGroups,
        anEstateGroup('shared-asg', {
          Tags: bothClusters,
          VPCZoneIdentifier: 'subnet-b1',
          Instances: [
            {
              InstanceId: 'i-shared',
              LifecycleState: 'InService',
              AvailabilityZone: 'eu-west-1a',
              HealthStatus: 'Healthy',
              ProtectedFromScaleIn: false,
            },
          ],
          LaunchTemplate: { LaunchTemplateId: 'lt-workers', Version: '1' },
        }),
        // Scaled to zero and tagged only `eks:cluster-name`: found by tag all the same.
        anEstateGroup('alpha-zero', {
          DesiredCapacity: 0,
          Tags: [{ Key: 'eks:cluster-name', Value: 'alpha', PropagateAtLaunch: true }],
          VPCZoneIdentifier: 'subnet-a1',
        }),
      ],
    };
  }

  const resultsOf = (snapshots: Parameters<typeof runChecks>[1]) =>
    runChecks(CHECKS, snapshots, { now: new Date('2026-11-22T12:00:00Z') });

  it('gives each claimed node and group to one owner, and tells the other claimants', async () => {
    // Act
    const { collection } = await collect(sharedEstate());
    // Assess
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    const beta = snapshotNamed(collection.snapshots, 'beta');
    // i-shared: kubernetes.io owned beats shared, and gone is not listed. i-lone: eks:cluster-name beats kubernetes.io.
    expect(idsOf(collectedValue(beta.instances), (node) => node.InstanceId)).toContain('i-shared');
    expect(idsOf(collectedValue(alpha.instances), (node) => node.InstanceId)).not.toContain('i-shared');
    expect(idsOf(collectedValue(alpha.instances), (node) => node.InstanceId)).toContain('i-lone');
    expect(idsOf(collectedValue(beta.instances), (node) => node.InstanceId)).not.toContain('i-lone');
    const groupNames = (part: typeof alpha.autoScalingGroups) =>
      collectedValue(part).map((group) => group.AutoScalingGroupName);
    expect(groupNames(beta.autoScalingGroups)).toContain('shared-asg');
    expect(groupNames(alpha.autoScalingGroups)).toEqual(expect.arrayContaining(['alpha-zero']));
    expect(groupNames(alpha.autoScalingGroups)).not.toContain('shared-asg');
    expect(alpha.ownedElsewhere).toEqual(
      expect.arrayContaining([
        `arn:aws:ec2:${TARGET.region}:${TARGET.accountId}:instance/i-shared`,
        expect.stringContaining('autoScalingGroupName/shared-asg'),
      ]),
    );
    expect(beta.ownedElsewhere).toEqual([`arn:aws:ec2:${TARGET.region}:${TARGET.accountId}:instance/i-lone`]);
  });

  it('gives exactly one result per check and resource, with every claimant in the evidence', async () => {
    // Act
    const { collection } = await collect(sharedEstate());
    const results = resultsOf(collection.snapshots);
    // Assess
    const keys = results.map((result) => `${result.checkId} ${result.resourceId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const shared = results.filter((result) => result.nodeGroup === 'shared-asg');
    expect(shared.length).toBeGreaterThan(0);
    for (const result of shared) {
      expect(result.cluster).toBe('beta');
      expect(result.evidence.ownership).toEqual({ owner: 'beta', claimants: ['alpha', 'beta', 'gone'] });
    }
  });

  it('picks the same owners when the clusters are collected in separate batches', async () => {
    // Prepare
    const estate = sharedEstate();
    // Act
    const whole = resultsOf((await collect(estate)).collection.snapshots);
    const batched = [
      ...resultsOf((await collect(estate, ALL_PARTS, { clusterNames: ['alpha'] })).collection.snapshots),
      ...resultsOf((await collect(estate, ALL_PARTS, { clusterNames: ['beta'] })).collection.snapshots),
    ];
    // Assess
    const keyed = (results: typeof whole) =>
      results
        .map((result) => `${result.checkId} ${result.resourceId} ${result.cluster} ${result.status}`)
        .sort();
    expect(keyed(batched)).toEqual(keyed(whole));
  });
});

describe('collectRegion: GuardDuty and ECR, once per Region', () => {
  const GUARDDUTY_PARTS: ReadonlySet<SnapshotPartName> = new Set([
    'guardDutyDetector',
    'guardDutyCoverage',
    'ecrScanningConfiguration',
  ]);

  it('lists the detector, describes it and pages its EKS coverage once for every cluster', async () => {
    // Prepare
    const estate = twoClusters(1);
    // Act
    const { mocks, collection } = await collect(estate, GUARDDUTY_PARTS);
    // Assess
    const [alpha, beta] = ['alpha', 'beta'].map((name) => snapshotNamed(collection.snapshots, name));
    expect(collectedValue(alpha?.guardDutyDetector ?? failedPart())).toMatchObject({
      DetectorId: 'det-1',
      Status: 'ENABLED',
    });
    expect(collectedValue(alpha?.guardDutyCoverage ?? failedPart())).toMatchObject({ ResourceId: 'alpha' });
    expect(collectedValue(beta?.guardDutyCoverage ?? failedPart())).toBeNull();
    expect(collectedValue(beta?.ecrScanningConfiguration ?? failedPart())).toEqual({
      scanType: 'BASIC',
      rules: [],
    });
    expect(mocks.guardDuty).toHaveReceivedCommandTimes(ListDetectorsCommand, 1);
    expect(mocks.guardDuty).toHaveReceivedCommandTimes(GetDetectorCommand, 1);
    expect(mocks.guardDuty).toHaveReceivedCommandWith(GuardDutyListCoverageCommand, {
      DetectorId: 'det-1',
      MaxResults: 50,
      FilterCriteria: {
        FilterCriterion: [{ CriterionKey: 'RESOURCE_TYPE', FilterCondition: { Equals: ['EKS'] } }],
      },
    });
    expect(mocks.guardDuty).toHaveReceivedCommandTimes(GuardDutyListCoverageCommand, 1);
    expect(mocks.ecr).toHaveReceivedCommandTimes(GetRegistryScanningConfigurationCommand, 1);
  });

  it('collects "no detector" as a value, and makes no further GuardDuty call', async () => {
    // Prepare
    const estate = { ...twoClusters(), guardDutyDetectors: [] };
    // Act
    const { mocks, collection } = await collect(estate, GUARDDUTY_PARTS);
    // Assess
    for (const snapshot of collection.snapshots) {
      expect(snapshot.guardDutyDetector).toEqual({ status: 'collected', value: null });
      expect(snapshot.guardDutyCoverage).toEqual({ status: 'collected', value: null });
    }
    expect(mocks.guardDuty).toHaveReceivedCommandTimes(GetDetectorCommand, 0);
    expect(mocks.guardDuty).toHaveReceivedCommandTimes(GuardDutyListCoverageCommand, 0);
  });

  it('fails the parts that need a failed call, with its operation and code, and no other part', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.guardDuty
      .on(GuardDutyListCoverageCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized: guardduty:ListCoverage'));
    mocks.ecr.on(GetRegistryScanningConfigurationCommand).rejects(awsError('ServerException', 'boom'));
    // Act
    const collection = await collectRegion(TARGET, { inputs: GUARDDUTY_PARTS, clients: mocks.clients });
    // Assess
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    expect(alpha.guardDutyCoverage).toMatchObject({
      status: 'failed',
      failure: { operation: 'guardduty:ListCoverage', code: 'AccessDeniedException' },
    });
    expect(alpha.ecrScanningConfiguration).toMatchObject({
      status: 'failed',
      failure: { operation: 'ecr:GetRegistryScanningConfiguration', code: 'ServerException' },
    });
    expect(alpha.guardDutyDetector.status).toBe('collected');
  });
});

describe('collectRegion: the node checks of the 2026 estate', () => {
  it("lists the Region's SSM managed nodes once for every cluster, in pages of 50, never by instance id", async () => {
    // Prepare
    const estate = { ...twoClusters(), pageSize: 2 };
    // Act
    const { mocks, collection } = await collect(estate, new Set(['ssmManagedNodes']));
    // Assess
    expect(mocks.ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 2);
    expect(mocks.ssm).toHaveReceivedCommandWith(DescribeInstanceInformationCommand, {
      Filters: [{ Key: 'ResourceType', Values: ['EC2Instance'] }],
      MaxResults: 50,
    });
    const [alpha, beta] = collection.snapshots;
    expect(alpha?.ssmManagedNodes).toBe(beta?.ssmManagedNodes);
    expect(
      idsOf(
        collectedValue(snapshotNamed(collection.snapshots, 'alpha').ssmManagedNodes),
        (node) => node.InstanceId,
      ),
    ).toEqual(['i-alpha-1', 'i-beta-1', 'i-stranger']);
  });

  it("describes the running nodes' attached volumes by id in one call, with managed resources, and the default encryption once", async () => {
    // Act
    const { mocks, collection } = await collect(
      twoClusters(),
      new Set(['volumes', 'ebsEncryptionByDefault']),
    );
    // Assess
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVolumesCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeVolumesCommand, {
      VolumeIds: ['vol-alpha-1', 'vol-beta-1', 'vol-beta-data'],
      IncludeManagedResources: true,
    });
    expect(mocks.ec2).toHaveReceivedCommandTimes(GetEbsEncryptionByDefaultCommand, 1);
    const alpha = snapshotNamed(collection.snapshots, 'alpha');
    const beta = snapshotNamed(collection.snapshots, 'beta');
    expect(idsOf(collectedValue(alpha.volumes), (volume) => volume.VolumeId)).toEqual(['vol-alpha-1']);
    expect(idsOf(collectedValue(beta.volumes), (volume) => volume.VolumeId)).toEqual([
      'vol-beta-1',
      'vol-beta-data',
    ]);
    expect(collectedValue(alpha.ebsEncryptionByDefault)).toBe(true);
  });

  it('fails only the volume that no longer exists, for the groups that need it', async () => {
    // Prepare
    const estate = twoClusters();
    const mocks = mockRegion({
      ...estate,
      volumes: estate.volumes.filter((volume) => volume.VolumeId !== 'vol-beta-data'),
    });
    // Act
    const collection = await collectRegion(TARGET, {
      inputs: new Set(['volumes']),
      clients: mocks.clients,
    });
    // Assess
    const beta = snapshotNamed(collection.snapshots, 'beta');
    expect(beta.volumes).toEqual({
      status: 'collected',
      value: [expect.objectContaining({ VolumeId: 'vol-beta-1' })],
      lookupFailures: { 'vol-beta-data': expect.objectContaining({ code: 'InvalidVolume.NotFound' }) },
    });
    expect(collectedValue(snapshotNamed(collection.snapshots, 'alpha').volumes)).toHaveLength(1);
  });

  it('records failed SSM and EBS-default calls as the failure of their parts in every cluster', async () => {
    // Prepare
    const mocks = mockRegion(twoClusters());
    mocks.ssm
      .on(DescribeInstanceInformationCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized: ssm:DescribeInstanceInformation'));
    mocks.ec2
      .on(GetEbsEncryptionByDefaultCommand)
      .rejects(awsError('UnauthorizedOperation', 'not allowed: ec2:GetEbsEncryptionByDefault'));
    // Act
    const collection = await collectRegion(TARGET, {
      inputs: new Set(['ssmManagedNodes', 'ebsEncryptionByDefault']),
      clients: mocks.clients,
    });
    // Assess
    for (const snapshot of collection.snapshots) {
      expect(snapshot.ssmManagedNodes).toMatchObject({
        status: 'failed',
        failure: { operation: 'ssm:DescribeInstanceInformation', code: 'AccessDeniedException' },
      });
      expect(snapshot.ebsEncryptionByDefault).toMatchObject({
        status: 'failed',
        failure: { operation: 'ec2:GetEbsEncryptionByDefault', code: 'UnauthorizedOperation' },
      });
    }
  });
});
