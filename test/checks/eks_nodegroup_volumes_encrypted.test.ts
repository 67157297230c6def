import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_nodegroup_volumes_encrypted.js';
import { collected, type Volume } from '../../lib/snapshot/types.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  AUTO_SCALING_NODE,
  KARPENTER_NODE,
  LONE_NODE,
  MANAGED_NODE,
  nodeGroupsOfEveryKind,
  RESOURCE_ID,
} from '../support/node-group-security.js';
import {
  aFailure,
  aLaunchTemplateVersion,
  aManagedNodegroup,
  anAutoModeInstance,
  anEbsMapping,
  aSnapshot,
  aVolume,
  evaluate,
  failedPart,
  nodegroupArn,
  nodePoolResourceId,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const volumeOf = (instanceId: string) => `vol-${instanceId.slice(2)}`;
const ALL_NODES = [MANAGED_NODE, KARPENTER_NODE, AUTO_SCALING_NODE, LONE_NODE];

/** Every kind of node group, each node with its root volume attached; volumes encrypted unless given. */
const withVolumes = (volumes = ALL_NODES.map((id) => aVolume(volumeOf(id), id))) => {
  const mapped = (id: string) => ({ InstanceId: id, BlockDeviceMappings: [anEbsMapping(volumeOf(id))] });
  return aSnapshot({
    ...nodeGroupsOfEveryKind({
      managedNode: mapped(MANAGED_NODE),
      karpenterNode: mapped(KARPENTER_NODE),
      autoScalingNode: mapped(AUTO_SCALING_NODE),
      loneNode: mapped(LONE_NODE),
    }),
    volumes,
  });
};

/** A managed group scaled to zero, launching from template lt-0abc version 1 with these mappings. */
const idleGroupWithTemplate = (
  mappings: { DeviceName: string; Ebs?: { Encrypted?: boolean; VolumeSize?: number } }[],
  ebsEncryptionByDefault: boolean,
) =>
  aSnapshot({
    nodegroups: [aManagedNodegroup({ launchTemplate: { id: 'lt-0abc', name: 'nodes', version: '1' } })],
    launchTemplateVersions: [
      aLaunchTemplateVersion({ LaunchTemplateData: { BlockDeviceMappings: mappings } }),
    ],
    ebsEncryptionByDefault,
  });

describe('eks_nodegroup_volumes_encrypted', () => {
  it('judges nothing in a cluster without node groups', () => {
    // Act
    const results = evaluate(check, aSnapshot());
    // Assess
    expect(results).toEqual([]);
  });

  it('passes every kind of node group whose attached volumes are encrypted', () => {
    // Act
    const results = evaluate(check, withVolumes());
    // Assess
    expect(results).toHaveLength(4);
    for (const id of Object.values(RESOURCE_ID)) {
      expect(resultFor(results, id)).toMatchObject({ status: 'PASSED', severity: 'MEDIUM' });
    }
    expect(resultFor(results, RESOURCE_ID.managed).reason).toBe(
      'Managed node group ng-1: all 1 EBS volume(s) attached to its 1 running node(s) are encrypted.',
    );
  });

  it('fails a group with an unencrypted volume, naming volume, instance and device', () => {
    // Prepare
    const snapshot = withVolumes(
      ALL_NODES.map((id) =>
        aVolume(volumeOf(id), id, id === KARPENTER_NODE ? { Encrypted: false, KmsKeyId: undefined } : {}),
      ),
    );
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const karpenter = resultFor(results, RESOURCE_ID.karpenter);
    expect(karpenter).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(karpenter.reason).toBe(
      `Karpenter node pool general has unencrypted EBS volumes: ${volumeOf(KARPENTER_NODE)} on ${KARPENTER_NODE} at /dev/xvda.`,
    );
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it('lists only the unencrypted volumes of a node with several', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({
        managedNode: {
          BlockDeviceMappings: [
            anEbsMapping('vol-root'),
            anEbsMapping('vol-data', '/dev/xvdb'),
            anEbsMapping('vol-logs', '/dev/xvdc'),
          ],
        },
      }),
      volumes: [
        aVolume('vol-root', MANAGED_NODE),
        aVolume('vol-data', MANAGED_NODE, { Encrypted: false }),
        aVolume('vol-logs', MANAGED_NODE, { Encrypted: false }),
      ],
    });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result.reason).toContain(
      `vol-data on ${MANAGED_NODE} at /dev/xvdb, vol-logs on ${MANAGED_NODE} at /dev/xvdc.`,
    );
    expect(result.reason).not.toContain('vol-root');
  });

  it('judges the volumes of an EKS Auto Mode pool like any other', () => {
    // Prepare
    const node = anAutoModeInstance('general-purpose', { BlockDeviceMappings: [anEbsMapping('vol-auto')] });
    const snapshot = aSnapshot({
      instances: [node],
      volumes: [aVolume('vol-auto', node.InstanceId ?? '', { Encrypted: false })],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ resourceId: nodePoolResourceId('general-purpose'), status: 'FAILED' });
  });

  it('is not applicable to running nodes without EBS volumes', () => {
    // Prepare
    const snapshot = aSnapshot({ ...nodeGroupsOfEveryKind(), volumes: [] });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.lone)).toMatchObject({ status: 'NOT_APPLICABLE' });
    expect(resultFor(results, RESOURCE_ID.lone).reason).toContain('no EBS volume attached');
  });

  describe('a group without running nodes', () => {
    it('fails when its launch template maps an unencrypted volume and encryption by default is off', () => {
      // Act
      const [result] = evaluate(
        check,
        idleGroupWithTemplate(
          [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: false, VolumeSize: 80 } }],
          false,
        ),
      );
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
      expect(result?.reason).toContain(
        'launch template nodes / lt-0abc version 1 maps unencrypted EBS volumes (Encrypted false) on /dev/xvda while EBS encryption by default is off in eu-west-1',
      );
    });

    it('passes the same template when encryption by default is on: it overrides Encrypted false', () => {
      // Act
      const [result] = evaluate(
        check,
        idleGroupWithTemplate([{ DeviceName: '/dev/xvda', Ebs: { Encrypted: false } }], true),
      );
      // Assess
      expect(result?.status).toBe('PASSED');
      expect(result?.reason).toContain('EBS encryption by default is on');
    });

    it('passes a template whose volumes all set Encrypted true, whatever the default', () => {
      // Prepare
      const snapshot = idleGroupWithTemplate([{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true } }], false);
      // Act
      const [result] = evaluate(check, {
        ...snapshot,
        ebsEncryptionByDefault: failedPart({ operation: 'ec2:GetEbsEncryptionByDefault' }),
      });
      // Assess
      expect(result?.status).toBe('PASSED');
    });

    it.each([
      ['maps no volume', [], true, 'maps no EBS volume'],
      [
        'leaves Encrypted unset with the default off',
        [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 80 } }],
        false,
        'follows the source snapshot',
      ],
    ])('is not applicable when its template %s', (_, mappings, byDefault, why) => {
      // Act
      const [result] = evaluate(check, idleGroupWithTemplate(mappings, byDefault));
      // Assess
      expect(result?.status).toBe('NOT_APPLICABLE');
      expect(result?.reason).toContain(why);
    });

    it('is not applicable without a launch template to read', () => {
      // Prepare
      const snapshot = aSnapshot({ ...nodeGroupsOfEveryKind({ managedNode: { State: STOPPED } }) });
      // Act
      const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
      // Assess
      expect(result.status).toBe('NOT_APPLICABLE');
      expect(result.reason).toContain('no launch template the scanner can read');
    });

    it('is an ERROR when encryption by default, needed, could not be read', () => {
      // Prepare
      const snapshot = idleGroupWithTemplate([{ DeviceName: '/dev/xvda', Ebs: { Encrypted: false } }], false);
      // Act
      const [result] = evaluate(check, {
        ...snapshot,
        ebsEncryptionByDefault: failedPart({
          operation: 'ec2:GetEbsEncryptionByDefault',
          code: 'UnauthorizedOperation',
        }),
      });
      // Assess
      expect(result?.status).toBe('ERROR');
      expect(result?.reason).toContain('ec2:GetEbsEncryptionByDefault failed (UnauthorizedOperation');
    });
  });

  it('is an ERROR on every group with volumes when DescribeVolumes failed', () => {
    // Prepare
    const snapshot = {
      ...withVolumes(),
      volumes: failedPart<Volume[]>({ operation: 'ec2:DescribeVolumes' }),
    };
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    for (const result of results) expect(result.status).toBe('ERROR');
  });

  it('is an ERROR on only the group whose volume failed to describe', () => {
    // Prepare
    const failure = aFailure({ operation: 'ec2:DescribeVolumes', code: 'InvalidVolume.NotFound' });
    const snapshot = withVolumes();
    const volumes = snapshot.volumes.status === 'collected' ? snapshot.volumes.value : [];
    // Act
    const results = evaluate(check, {
      ...snapshot,
      volumes: collected(
        volumes.filter((volume) => volume.VolumeId !== volumeOf(LONE_NODE)),
        { [volumeOf(LONE_NODE)]: failure },
      ),
    });
    // Assess
    expect(resultFor(results, RESOURCE_ID.lone).status).toBe('ERROR');
    expect(resultFor(results, RESOURCE_ID.lone).reason).toContain('InvalidVolume.NotFound');
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it('is an ERROR, never PASSED, for an attached volume missing from the description', () => {
    // Act
    const results = evaluate(check, withVolumes([aVolume(volumeOf(MANAGED_NODE), MANAGED_NODE)]));
    // Assess
    expect(resultFor(results, RESOURCE_ID.karpenter).status).toBe('ERROR');
    expect(resultFor(results, RESOURCE_ID.karpenter).reason).toContain(
      `volume ${volumeOf(KARPENTER_NODE)} of running node ${KARPENTER_NODE} was not described`,
    );
    expect(resultFor(results, nodegroupArn('ng-1')).status).toBe('PASSED');
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        ...nodeGroupsOfEveryKind(),
        autoScalingGroups: failedPart({ operation: 'autoscaling:DescribeAutoScalingGroups' }),
      }),
    'autoscaling:DescribeAutoScalingGroups failed',
  );
});
