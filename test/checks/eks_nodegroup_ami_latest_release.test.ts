import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_nodegroup_ami_latest_release.js';
import { releaseParameterName } from '../../lib/snapshot/references.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  aKarpenterInstance,
  aManagedNodegroup,
  anAutoScalingGroup,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  autoScalingGroupResourceId,
  evaluate,
  failedPart,
  instanceResourceId,
  nodegroupArn,
  nodePoolResourceId,
  resultFor,
} from '../support/snapshot.js';

const AL2023_PARAMETER =
  '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version';
const BOTTLEROCKET_PARAMETER = '/aws/service/bottlerocket/aws-k8s-1.33/arm64/latest/image_version';

describe('releaseParameterName', () => {
  it.each([
    ['AL2023_x86_64_STANDARD', AL2023_PARAMETER],
    [
      'AL2023_ARM_64_STANDARD',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/standard/recommended/release_version',
    ],
    [
      'AL2023_x86_64_NVIDIA',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nvidia/recommended/release_version',
    ],
    [
      'AL2023_ARM_64_NVIDIA',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/arm64/nvidia/recommended/release_version',
    ],
    [
      'AL2023_x86_64_NEURON',
      '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/neuron/recommended/release_version',
    ],
    ['AL2_x86_64', '/aws/service/eks/optimized-ami/1.33/amazon-linux-2/recommended/release_version'],
    ['AL2_x86_64_GPU', '/aws/service/eks/optimized-ami/1.33/amazon-linux-2-gpu/recommended/release_version'],
    ['AL2_ARM_64', '/aws/service/eks/optimized-ami/1.33/amazon-linux-2-arm64/recommended/release_version'],
    ['BOTTLEROCKET_x86_64', '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_version'],
    ['BOTTLEROCKET_ARM_64', BOTTLEROCKET_PARAMETER],
    [
      'BOTTLEROCKET_x86_64_NVIDIA',
      '/aws/service/bottlerocket/aws-k8s-1.33-nvidia/x86_64/latest/image_version',
    ],
    [
      'BOTTLEROCKET_ARM_64_NVIDIA',
      '/aws/service/bottlerocket/aws-k8s-1.33-nvidia/arm64/latest/image_version',
    ],
    ['BOTTLEROCKET_x86_64_FIPS', '/aws/service/bottlerocket/aws-k8s-1.33-fips/x86_64/latest/image_version'],
    ['BOTTLEROCKET_ARM_64_FIPS', '/aws/service/bottlerocket/aws-k8s-1.33-fips/arm64/latest/image_version'],
    [
      'BOTTLEROCKET_x86_64_NVIDIA_FIPS',
      '/aws/service/bottlerocket/aws-k8s-1.33-nvidia-fips/x86_64/latest/image_version',
    ],
    [
      'BOTTLEROCKET_ARM_64_NVIDIA_FIPS',
      '/aws/service/bottlerocket/aws-k8s-1.33-nvidia-fips/arm64/latest/image_version',
    ],
    ['WINDOWS_CORE_2022_x86_64', undefined],
    ['CUSTOM', undefined],
    ['constructor', undefined],
  ])('names the parameter of %s', (amiType, expected) => {
    // Prepare
    const kubernetesVersion = '1.33';
    // Act
    const name = releaseParameterName(amiType, kubernetesVersion);
    // Assess
    expect(name).toBe(expected);
  });
});

describe('eks_nodegroup_ami_latest_release', () => {
  it('yields no result for a cluster without node groups', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it('passes a managed group on the latest release', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [anInstance()],
      releaseParameters: { [AL2023_PARAMETER]: '1.33.5-20261110' },
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({
      status: 'PASSED',
      severity: 'LOW',
      resourceId: nodegroupArn('ng-1'),
      resourceType: 'Other',
    });
    expect(result?.reason).toBe(
      'Managed node group ng-1 runs 1.33.5-20261110, the latest AL2023_x86_64_STANDARD release for Kubernetes 1.33.',
    );
  });

  it('fails a managed group behind the latest release, naming both releases', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ releaseVersion: '1.33.4-20261001' })],
      releaseParameters: { [AL2023_PARAMETER]: '1.33.5-20261110' },
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    expect(result?.reason).toContain('runs release 1.33.4-20261001');
    expect(result?.reason).toContain('is 1.33.5-20261110');
    expect(result?.evidence).toEqual({
      amiType: 'AL2023_x86_64_STANDARD',
      version: '1.33',
      releaseVersion: '1.33.4-20261001',
      latestReleaseVersion: '1.33.5-20261110',
      parameterName: AL2023_PARAMETER,
    });
  });

  it('compares a Bottlerocket group with its image_version parameter', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ amiType: 'BOTTLEROCKET_ARM_64', releaseVersion: '1.49.0-0ab1c2d3' })],
      releaseParameters: { [BOTTLEROCKET_PARAMETER]: '1.50.0-9f8e7d6c' },
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(BOTTLEROCKET_PARAMETER);
  });

  it.each([
    ['CUSTOM', 'custom AMI (amiType CUSTOM)'],
    ['WINDOWS_FULL_2022_x86_64', 'no release-version parameter is published'],
  ] as const)('is NOT_APPLICABLE for a managed group of amiType %s', (amiType, expected) => {
    // Prepare
    const snapshot = aSnapshot({ nodegroups: [aManagedNodegroup({ amiType })], releaseParameters: {} });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('NOT_APPLICABLE');
    expect(result?.reason).toContain(expected);
  });

  it('judges every kind of node group in one snapshot, one result each', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [
        aManagedNodegroup({ nodegroupName: 'current' }),
        aManagedNodegroup({ nodegroupName: 'behind', releaseVersion: '1.33.4-20261001' }),
      ],
      autoScalingGroups: [anAutoScalingGroup('workers')],
      instances: [
        anInstance({ group: 'current', InstanceId: 'i-0aaa0000000000001' }),
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000001' }),
        aKarpenterInstance('default'),
        aSelfManagedInstance({ InstanceId: 'i-0bbb0000000000009' }),
      ],
      releaseParameters: { [AL2023_PARAMETER]: '1.33.5-20261110' },
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(5);
    expect(resultFor(results, nodegroupArn('current')).status).toBe('PASSED');
    expect(resultFor(results, nodegroupArn('behind')).status).toBe('FAILED');
    const workers = resultFor(results, autoScalingGroupResourceId('workers'));
    expect(workers.status).toBe('NOT_APPLICABLE');
    expect(workers.reason).toContain(
      'Self-managed Auto Scaling group workers is not an EKS managed node group',
    );
    expect(resultFor(results, nodePoolResourceId('default')).reason).toContain(
      'Karpenter node pool default is not an EKS managed node group',
    );
    expect(resultFor(results, instanceResourceId('i-0bbb0000000000009')).reason).toContain(
      'Self-managed node i-0bbb0000000000009 is not an EKS managed node group',
    );
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        nodegroups: [aManagedNodegroup()],
        autoScalingGroups: failedPart({
          operation: 'autoscaling:DescribeAutoScalingGroups',
          code: 'AccessDenied',
        }),
      }),
    'autoscaling:DescribeAutoScalingGroups failed (AccessDenied',
  );

  it('is ERROR, not PASSED, when the release parameters could not be collected', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      releaseParameters: failedPart({ operation: 'ssm:GetParameters', code: 'AccessDeniedException' }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: nodegroupArn('ng-1') });
    expect(result?.reason).toContain('ssm:GetParameters failed (AccessDeniedException');
  });

  it('is ERROR naming the parameter when it is absent from the collected parameters', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ version: '1.36', releaseVersion: '1.36.0-20261110' })],
      releaseParameters: { [AL2023_PARAMETER]: '1.33.5-20261110' },
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain(
      '/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/recommended/release_version',
    );
  });

  it.each([
    ['amiType', { amiType: undefined }],
    ['Kubernetes version', { version: undefined }],
    ['releaseVersion', { releaseVersion: undefined }],
  ])('is ERROR when a managed group reports no %s', (missing, overrides) => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup(overrides)],
      releaseParameters: { [AL2023_PARAMETER]: '1.33.5-20261110' },
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toBe(`Managed node group ng-1 reports no ${missing}.`);
  });
});
