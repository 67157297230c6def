import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_nodegroup_no_ssh_access.js';
import { discoverNodeGroups } from '../../lib/snapshot/node-groups.js';
import { launchTemplateOf, resolveLaunchTemplateVersion } from '../../lib/snapshot/references.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  AUTO_SCALING_GROUP,
  AUTO_SCALING_NODE,
  KARPENTER_NODE,
  LONE_NODE,
  MANAGED_NODE,
  nodeGroupsOfEveryKind,
  RESOURCE_ID,
} from '../support/node-group-security.js';
import {
  aKarpenterInstance,
  aLaunchTemplateVersion,
  aManagedNodegroup,
  anAutoScalingGroup,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  evaluate,
  failedPart,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const TEMPLATE = { id: 'lt-0abc', name: 'nodes' };

const withKey = (versionNumber: number, KeyName: string | undefined, overrides = {}) =>
  aLaunchTemplateVersion({
    LaunchTemplateId: TEMPLATE.id,
    LaunchTemplateName: TEMPLATE.name,
    VersionNumber: versionNumber,
    DefaultVersion: false,
    LaunchTemplateData: { InstanceType: 'm6i.large', KeyName },
    ...overrides,
  });

const groupsOf = (snapshot: ReturnType<typeof aSnapshot>) => {
  const discovery = discoverNodeGroups(snapshot);
  if (discovery.status !== 'collected') throw new Error('expected a collected discovery');
  return discovery.groups;
};

describe('eks_nodegroup_no_ssh_access', () => {
  it('judges nothing in a cluster without node groups', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it('passes every kind of node group without a key pair', () => {
    // Prepare
    const snapshot = aSnapshot(nodeGroupsOfEveryKind());
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    expect(resultFor(results, RESOURCE_ID.managed)).toMatchObject({
      status: 'PASSED',
      severity: 'HIGH',
      resourceType: 'Other',
    });
    expect(resultFor(results, RESOURCE_ID.managed).reason).toContain('no remote access key pair');
    expect(resultFor(results, RESOURCE_ID.karpenter)).toMatchObject({
      status: 'PASSED',
      resourceType: 'Other',
    });
    expect(resultFor(results, RESOURCE_ID.autoScaling)).toMatchObject({
      status: 'PASSED',
      resourceType: 'AwsAutoScalingAutoScalingGroup',
    });
    expect(resultFor(results, RESOURCE_ID.lone)).toMatchObject({
      status: 'PASSED',
      resourceType: 'AwsEc2Instance',
    });
  });

  it('fails a managed group whose remote access has no source security group at HIGH (port 22 open to the world)', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({ nodegroup: { remoteAccess: { ec2SshKey: 'ops-key' } } }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(result.reason).toContain('key pair "ops-key" with no source security group');
    expect(result.reason).toContain('0.0.0.0/0');
    expect(result.evidence).toMatchObject({
      remoteAccess: { ec2SshKey: 'ops-key', sourceSecurityGroups: [] },
    });
  });

  it('treats an empty sourceSecurityGroups list like an absent one (HIGH)', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({
        nodegroup: { remoteAccess: { ec2SshKey: 'ops-key', sourceSecurityGroups: [] } },
      }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
  });

  it('fails a managed group whose remote access is limited to security groups at MEDIUM', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({
        nodegroup: { remoteAccess: { ec2SshKey: 'ops-key', sourceSecurityGroups: ['sg-0bastion'] } },
      }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result.reason).toContain('from security groups sg-0bastion');
  });

  it('fails a managed group whose launch template version sets a KeyName at MEDIUM', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ nodegroup: { launchTemplate: { ...TEMPLATE, version: '3' } } }),
      launchTemplateVersions: [withKey(2, undefined), withKey(3, 'ops-key')],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result.reason).toContain('launch template nodes / lt-0abc version 3 sets key pair "ops-key"');
    expect(result.evidence).toMatchObject({
      launchTemplate: { id: 'lt-0abc', versionNumber: 3, keyName: 'ops-key' },
    });
  });

  it('judges the numbered version the group uses, not another version of its template', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ nodegroup: { launchTemplate: { ...TEMPLATE, version: '2' } } }),
      launchTemplateVersions: [withKey(2, undefined), withKey(3, 'ops-key', { DefaultVersion: true })],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result.status).toBe('PASSED');
    expect(result.reason).toContain('no key pair in launch template nodes / lt-0abc version 2');
  });

  it('fails an Auto Scaling group whose $Latest launch template version sets a KeyName', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({
        autoScalingGroup: {
          LaunchTemplate: {
            LaunchTemplateId: TEMPLATE.id,
            LaunchTemplateName: TEMPLATE.name,
            Version: '$Latest',
          },
        },
      }),
      launchTemplateVersions: [
        withKey(1, undefined, { DefaultVersion: true }),
        withKey(4, 'legacy-key'),
        withKey(2, undefined),
      ],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.autoScaling);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result.reason).toContain('version 4 sets key pair "legacy-key"');
  });

  it.each([
    ['$Default', '$Default'],
    ['absent', undefined],
  ])('resolves a %s version of a mixed instances policy template to the default version', (_, version) => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({
        autoScalingGroup: {
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateName: TEMPLATE.name, Version: version },
            },
          },
        },
      }),
      launchTemplateVersions: [withKey(5, 'newer-key'), withKey(2, 'default-key', { DefaultVersion: true })],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.autoScaling);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain('version 2 sets key pair "default-key"');
    expect(result.reason).not.toContain('newer-key');
  });

  it('fails Karpenter and lone nodes launched with a key pair, listing the instances', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({ karpenterNode: { KeyName: 'debug-key' }, loneNode: { KeyName: 'old-key' } }),
    );
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const karpenter = resultFor(results, RESOURCE_ID.karpenter);
    expect(karpenter).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(karpenter.reason).toContain(`${KARPENTER_NODE} ("debug-key")`);
    expect(karpenter.evidence).toEqual({
      nodesWithKeyName: [{ instanceId: KARPENTER_NODE, keyName: 'debug-key' }],
    });
    const lone = resultFor(results, RESOURCE_ID.lone);
    expect(lone).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(lone.reason).toContain(`Self-managed node ${LONE_NODE}`);
    expect(lone.reason).toContain(`${LONE_NODE} ("old-key")`);
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
    expect(resultFor(results, RESOURCE_ID.autoScaling).status).toBe('PASSED');
  });

  it('ignores a key pair on a stopped node and passes a group without running nodes', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({ autoScalingNode: { KeyName: 'old-key', State: STOPPED } }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.autoScaling);
    // Assess
    expect(result.status).toBe('PASSED');
    expect(result.reason).toContain('no key pair on its 0 running node(s)');
  });

  it('reports every finding at the highest severity when several apply', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [
        aManagedNodegroup({
          remoteAccess: { ec2SshKey: 'ops-key' },
          launchTemplate: { ...TEMPLATE, version: '1' },
        }),
      ],
      instances: [
        anInstance({ InstanceId: MANAGED_NODE, KeyName: 'ops-key' }),
        anInstance({ InstanceId: 'i-0aaa0000000000002', KeyName: 'ops-key' }),
      ],
      launchTemplateVersions: [withKey(1, 'ops-key')],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH', resourceId: RESOURCE_ID.managed });
    expect(result?.reason).toContain('no source security group');
    expect(result?.reason).toContain('version 1 sets key pair "ops-key"');
    expect(result?.reason).toContain(`${MANAGED_NODE} ("ops-key"), i-0aaa0000000000002 ("ops-key")`);
  });

  it('is ERROR naming the launch template version when it was not collected', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ nodegroup: { launchTemplate: { ...TEMPLATE, version: '7' } } }),
      launchTemplateVersions: [withKey(6, undefined)],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.reason).toContain('Launch template nodes / lt-0abc version 7 was not collected');
  });

  it('is ERROR for groups with a launch template when launch template versions failed, and judges the others', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ nodegroup: { launchTemplate: { ...TEMPLATE, version: '1' } } }),
      launchTemplateVersions: failedPart({
        operation: 'ec2:DescribeLaunchTemplateVersions',
        code: 'UnauthorizedOperation',
      }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('ERROR');
    expect(resultFor(results, RESOURCE_ID.managed).reason).toContain(
      'ec2:DescribeLaunchTemplateVersions failed (UnauthorizedOperation',
    );
    expect(resultFor(results, RESOURCE_ID.karpenter).status).toBe('PASSED');
    expect(resultFor(results, RESOURCE_ID.autoScaling).status).toBe('PASSED');
    expect(resultFor(results, RESOURCE_ID.lone).status).toBe('PASSED');
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        ...nodeGroupsOfEveryKind(),
        autoScalingGroups: failedPart({
          operation: 'autoscaling:DescribeAutoScalingGroups',
          code: 'AccessDenied',
        }),
      }),
    'autoscaling:DescribeAutoScalingGroups failed (AccessDenied',
  );
});

describe('launchTemplateOf', () => {
  it('reads the launch template of each kind of node group', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [
        aManagedNodegroup({ launchTemplate: { id: 'lt-0managed', name: 'managed', version: '2' } }),
      ],
      autoScalingGroups: [
        anAutoScalingGroup(AUTO_SCALING_GROUP, {
          LaunchTemplate: { LaunchTemplateId: 'lt-0asg', LaunchTemplateName: 'asg', Version: '$Latest' },
        }),
      ],
      instances: [
        anInstance(),
        aKarpenterInstance('general'),
        aSelfManagedInstance({ asg: AUTO_SCALING_GROUP, InstanceId: AUTO_SCALING_NODE }),
        aSelfManagedInstance({ InstanceId: LONE_NODE }),
      ],
    });
    // Act
    const references = Object.fromEntries(
      groupsOf(snapshot).map((group) => [group.kind, launchTemplateOf(group)]),
    );
    // Assess
    expect(references).toEqual({
      managed: { id: 'lt-0managed', name: 'managed', version: '2' },
      'auto-scaling': { id: 'lt-0asg', name: 'asg', version: '$Latest' },
      karpenter: undefined,
      standalone: undefined,
    });
  });

  it('reads the template of a mixed instances policy, and none for a managed group without one', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      autoScalingGroups: [
        anAutoScalingGroup(AUTO_SCALING_GROUP, {
          MixedInstancesPolicy: {
            LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0mixed', Version: '3' } },
          },
        }),
      ],
      instances: [aSelfManagedInstance({ asg: AUTO_SCALING_GROUP, InstanceId: AUTO_SCALING_NODE })],
    });
    // Act
    const references = groupsOf(snapshot).map((group) => launchTemplateOf(group));
    // Assess
    expect(references).toEqual([undefined, { id: 'lt-0mixed', name: undefined, version: '3' }]);
  });
});

describe('resolveLaunchTemplateVersion', () => {
  it('matches by id before name, so a re-created template of the same name is not taken for it', () => {
    // Prepare
    const versions = [
      withKey(1, 'other-key', { LaunchTemplateId: 'lt-0recreated', DefaultVersion: true }),
      withKey(1, undefined, { DefaultVersion: true }),
    ];
    // Act
    const resolved = resolveLaunchTemplateVersion({ ...TEMPLATE, version: '$Default' }, versions);
    // Assess
    expect(resolved.LaunchTemplateId).toBe('lt-0abc');
  });

  it('rejects a version it cannot interpret, naming it', () => {
    // Prepare
    const versions = [withKey(1, undefined, { DefaultVersion: true })];
    // Act
    const act = () => resolveLaunchTemplateVersion({ ...TEMPLATE, version: 'latest' }, versions);
    // Assess
    expect(act).toThrow('Launch template nodes / lt-0abc version latest was not collected');
  });

  it.each([
    [
      'remote access names the key pair ""',
      () => aSnapshot(nodeGroupsOfEveryKind({ nodegroup: { remoteAccess: { ec2SshKey: '' } } })),
      'remoteAccess.ec2SshKey reports key pair ""',
    ],
    [
      'its launch template version names the key pair ""',
      () =>
        aSnapshot({
          ...nodeGroupsOfEveryKind({ nodegroup: { launchTemplate: { ...TEMPLATE, version: '3' } } }),
          launchTemplateVersions: [withKey(3, '')],
        }),
      'version 3 reports key pair ""',
    ],
    [
      'a running node names the key pair ""',
      () => aSnapshot(nodeGroupsOfEveryKind({ managedNode: { KeyName: '' } })),
      `Running node ${MANAGED_NODE} reports key pair ""`,
    ],
  ])('is ERROR, never PASSED, when %s', (_, snapshot, named) => {
    // Act
    const result = resultFor(evaluate(check, snapshot()), RESOURCE_ID.managed);
    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.reason).toContain(named);
  });
});
