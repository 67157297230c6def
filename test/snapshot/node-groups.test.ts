import { describe, expect, it } from '@jest/globals';
import {
  claimsOf,
  discoverNodeGroups,
  isTaggedForCluster,
  ownerOf,
  runningNodes,
} from '../../lib/snapshot/node-groups.js';
import {
  aKarpenterInstance,
  aManagedNodegroup,
  anAutoModeInstance,
  anAutoScalingGroup,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  CLUSTER,
  CLUSTER_ARN,
  failedPart,
  nodegroupArn,
} from '../support/snapshot.js';

const groupsOf = (snapshot: ReturnType<typeof aSnapshot>) => {
  const discovery = discoverNodeGroups(snapshot);
  if (discovery.status !== 'collected') throw new Error('expected a collected discovery');
  return discovery.groups;
};

describe('isTaggedForCluster', () => {
  it.each([
    [[{ Key: 'aws:eks:cluster-name', Value: CLUSTER }], true],
    [[{ Key: 'eks:cluster-name', Value: CLUSTER }], true],
    [[{ Key: 'eks:eks-cluster-name', Value: CLUSTER }], true],
    [[{ Key: 'eks:cluster-name', Value: '' }], false],
    [[{ Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned' }], true],
    [[{ Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'shared' }], true],
    [[{ Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'other' }], false],
    [[{ Key: 'aws:eks:cluster-name', Value: 'ledger' }], false],
    [[{ Key: 'kubernetes.io/cluster/ledger', Value: 'owned' }], false],
    [undefined, false],
  ])('tags %j -> %s', (tags, expected) => {
    // Act
    const tagged = isTaggedForCluster(tags, CLUSTER);
    // Assess
    expect(tagged).toBe(expected);
  });
});

const tags = (entries: [string, string][]) => entries.map(([Key, Value]) => ({ Key, Value }));

describe('claimsOf and ownerOf: the ownership rule', () => {
  const everyClaim = tags([
    ['kubernetes.io/cluster/zulu', 'shared'],
    ['kubernetes.io/cluster/yankee', 'owned'],
    ['kubernetes.io/cluster/xray', 'owned'],
    ['eks:cluster-name', 'echo'],
    ['eks:eks-cluster-name', 'delta'],
    ['aws:eks:cluster-name', 'alpha'],
    ['kubernetes.io/cluster/ignored', 'other'],
    ['Name', 'alpha'],
  ]);

  it('lists the claims strongest first: the aws: tag, Auto Mode, eks:, then owned and shared by name', () => {
    // Act
    const claims = claimsOf(everyClaim);
    // Assess
    expect(claims).toEqual(['alpha', 'delta', 'echo', 'xray', 'yankee', 'zulu']);
  });

  it('names each cluster once, and an empty value claims nothing', () => {
    // Prepare
    const twice = tags([
      ['aws:eks:cluster-name', 'alpha'],
      ['eks:cluster-name', ''],
      ['kubernetes.io/cluster/alpha', 'owned'],
      ['kubernetes.io/cluster/', 'owned'],
    ]);
    // Act
    const claims = claimsOf(twice);
    // Assess
    expect(claims).toEqual(['alpha']);
  });

  it.each([
    [['alpha', 'delta', 'echo', 'xray', 'yankee', 'zulu'], 'alpha'],
    [['echo', 'zulu', 'yankee'], 'echo'],
    [['zulu', 'yankee'], 'yankee'],
    // A stale claim never owns: the strongest claimant that exists does.
    [['zulu'], 'zulu'],
    [['other-cluster'], undefined],
  ])('with clusters %j listed, the owner is %s', (listed, owner) => {
    // Act
    const chosen = ownerOf(everyClaim, new Set(listed));
    // Assess
    expect(chosen).toBe(owner);
  });

  it('gives the same owner whichever claimant asks, so batches that do not see each other agree', () => {
    // Prepare
    const listed = new Set(['alpha', 'beta', 'gamma']);
    const shared = tags([
      ['kubernetes.io/cluster/gamma', 'shared'],
      ['kubernetes.io/cluster/beta', 'owned'],
    ]);
    // Act
    const owners = claimsOf(shared).map(() => ownerOf(shared, listed));
    // Assess
    expect(owners).toEqual(['beta', 'beta']);
  });
});

describe('discoverNodeGroups', () => {
  it('finds no groups in a cluster without nodes', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    expect(groups).toEqual([]);
  });

  it('keeps a managed node group with no instances', () => {
    // Prepare
    const snapshot = aSnapshot({ nodegroups: [aManagedNodegroup({ nodegroupName: 'idle' })] });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    expect(groups).toEqual([
      expect.objectContaining({ kind: 'managed', name: 'idle', id: nodegroupArn('idle'), instances: [] }),
    ]);
  });

  it('sorts each kind of node into its group, by the precedence of its tags', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ nodegroupName: 'ng-1' })],
      autoScalingGroups: [anAutoScalingGroup('self-asg'), anAutoScalingGroup('eks-ng-1-0bc5')],
      instances: [
        anInstance({ InstanceId: 'i-managed', group: 'ng-1' }),
        aKarpenterInstance('general', { InstanceId: 'i-karpenter' }),
        aSelfManagedInstance({ InstanceId: 'i-asg', asg: 'self-asg' }),
        aSelfManagedInstance({ InstanceId: 'i-lone' }),
      ],
    });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    const summary = groups.map((group) => [group.kind, group.name, group.instances.map((i) => i.InstanceId)]);
    expect(summary).toEqual([
      ['managed', 'ng-1', ['i-managed']],
      ['auto-scaling', 'self-asg', ['i-asg']],
      ['karpenter', 'general', ['i-karpenter']],
      ['standalone', 'i-lone', ['i-lone']],
    ]);
    expect(groups.find((group) => group.kind === 'karpenter')?.id).toBe(`${CLUSTER_ARN}/nodepool/general`);
    expect(groups.find((group) => group.kind === 'standalone')?.id).toBe(
      'arn:aws:ec2:eu-west-1:222222222222:instance/i-lone',
    );
    expect(groups.find((group) => group.kind === 'auto-scaling')?.id).toContain(
      ':autoScalingGroupName/self-asg',
    );
  });

  it('puts nodes EKS Auto Mode operates into Auto Mode pools, ahead of the Karpenter tag they also carry', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [
        anAutoModeInstance('general-purpose', { InstanceId: 'i-auto-1' }),
        anAutoModeInstance('general-purpose', { InstanceId: 'i-auto-2' }),
        anAutoModeInstance('system', { InstanceId: 'i-auto-system' }),
        aKarpenterInstance('general-purpose', { InstanceId: 'i-karpenter' }),
      ],
    });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    const summary = groups.map((group) => [
      group.kind,
      group.name,
      group.id,
      group.instances.map((i) => i.InstanceId),
    ]);
    expect(summary).toEqual([
      ['karpenter', 'general-purpose', `${CLUSTER_ARN}/nodepool/general-purpose`, ['i-karpenter']],
      ['auto-mode', 'general-purpose', `${CLUSTER_ARN}/nodepool/general-purpose`, ['i-auto-1', 'i-auto-2']],
      ['auto-mode', 'system', `${CLUSTER_ARN}/nodepool/system`, ['i-auto-system']],
    ]);
  });

  it.each([
    ['no operator', undefined],
    ['an operator other than EKS', { Managed: true, Principal: 'ec2.amazonaws.com' }],
    ['EKS named but not managing', { Managed: false, Principal: 'eks.amazonaws.com' }],
  ])('judges a node with the Auto Mode pool tag but %s as the self-managed node it is', (_, operator) => {
    // Prepare
    const node = anAutoModeInstance('general-purpose', { InstanceId: 'i-copycat', Operator: operator });
    const snapshot = aSnapshot({ instances: [node] });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    expect(groups.map((group) => [group.kind, group.name])).toEqual([['karpenter', 'general-purpose']]);
  });

  it('ignores instances of other clusters and terminated instances', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [
        anInstance({ InstanceId: 'i-gone', State: { Name: 'terminated', Code: 48 } }),
        anInstance({ InstanceId: 'i-going', State: { Name: 'shutting-down', Code: 32 } }),
        aSelfManagedInstance({
          InstanceId: 'i-other-cluster',
          Tags: [{ Key: 'kubernetes.io/cluster/ledger', Value: 'owned' }],
        }),
        anInstance({ InstanceId: 'i-stopped', State: { Name: 'stopped', Code: 80 } }),
      ],
    });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    expect(groups).toHaveLength(1);
    expect(groups[0]?.instances.map((instance) => instance.InstanceId)).toEqual(['i-stopped']);
    expect(groups[0] && runningNodes(groups[0])).toEqual([]);
  });

  it('keeps a self-managed Auto Scaling group tagged for the cluster even when scaled to zero', () => {
    // Prepare
    const snapshot = aSnapshot({
      autoScalingGroups: [
        anAutoScalingGroup('scaled-to-zero'),
        anAutoScalingGroup('other-cluster', {
          Tags: [{ Key: 'kubernetes.io/cluster/ledger', Value: 'owned' }],
        }),
      ],
    });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    expect(groups.map((group) => [group.kind, group.name])).toEqual([['auto-scaling', 'scaled-to-zero']]);
  });

  it('never reports the Auto Scaling group behind a managed node group as self-managed', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      autoScalingGroups: [anAutoScalingGroup('eks-ng-1-0bc5')],
      instances: [anInstance()],
    });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    expect(groups.map((group) => group.kind)).toEqual(['managed']);
  });

  it('judges a node of a vanished managed node group as a lone node', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [],
      instances: [anInstance({ InstanceId: 'i-orphan', group: 'deleted' })],
    });
    // Act
    const groups = groupsOf(snapshot);
    // Assess
    expect(groups.map((group) => [group.kind, group.name])).toEqual([['standalone', 'i-orphan']]);
  });

  it('counts pending and running instances as running nodes', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [
        anInstance({ InstanceId: 'i-pending', State: { Name: 'pending', Code: 0 } }),
        anInstance({ InstanceId: 'i-running' }),
        anInstance({ InstanceId: 'i-stopping', State: { Name: 'stopping', Code: 64 } }),
      ],
    });
    // Act
    const [group] = groupsOf(snapshot);
    // Assess
    expect(group && runningNodes(group).map((instance) => instance.InstanceId)).toEqual([
      'i-pending',
      'i-running',
    ]);
  });

  it.each([
    ['nodegroups', 'eks:ListNodegroups'],
    ['instances', 'ec2:DescribeInstances'],
    ['autoScalingGroups', 'autoscaling:DescribeAutoScalingGroups'],
  ])('fails, naming the call, when %s was not collected', (part, operation) => {
    // Prepare
    const snapshot = aSnapshot({ [part]: failedPart({ operation }) });
    // Act
    const discovery = discoverNodeGroups(snapshot);
    // Assess
    expect(discovery).toEqual({ status: 'failed', failures: [expect.objectContaining({ operation })] });
  });

  it('names every claimant of a group its resource or nodes are tagged for, and only the cluster otherwise', () => {
    // Prepare
    const sharedTags = [
      { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned', PropagateAtLaunch: true },
      { Key: 'kubernetes.io/cluster/ledger', Value: 'shared', PropagateAtLaunch: true },
    ];
    const snapshot = aSnapshot({
      instances: [
        aSelfManagedInstance({ asg: 'shared-asg' }),
        aSelfManagedInstance({
          InstanceId: 'i-0bbb0000000000009',
          Tags: [
            { Key: `kubernetes.io/cluster/${CLUSTER}`, Value: 'owned' },
            { Key: 'eks:cluster-name', Value: 'audit' },
          ],
        }),
        aKarpenterInstance('general'),
      ],
      autoScalingGroups: [anAutoScalingGroup('shared-asg', { Tags: sharedTags })],
    });
    // Act
    const claimants = Object.fromEntries(groupsOf(snapshot).map((group) => [group.name, group.claimants]));
    // Assess
    expect(claimants).toEqual({
      'shared-asg': [CLUSTER, 'ledger'].sort(),
      'i-0bbb0000000000009': ['audit', CLUSTER].sort(),
      general: [CLUSTER],
    });
  });
});
