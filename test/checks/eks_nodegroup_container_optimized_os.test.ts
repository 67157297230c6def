import { describe, expect, it } from '@jest/globals';
import check, {
  isAmazonLinux2EksAmi,
  isPlainAmazonLinux2Ami,
} from '../../lib/checks/eks_nodegroup_container_optimized_os.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  aKarpenterInstance,
  aManagedNodegroup,
  anAutoScalingGroup,
  anImage,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  autoScalingGroupResourceId,
  evaluate,
  failedPart,
  imagesById,
  instanceResourceId,
  nodegroupArn,
  nodePoolResourceId,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const AL2_IMAGE = anImage({ ImageId: 'ami-0al2', Name: 'amazon-eks-node-1.29-v20240117' });
const AL2_ARM_IMAGE = anImage({ ImageId: 'ami-0al2arm', Name: 'amazon-eks-arm64-node-1.30-v20240807' });
const AL2023_IMAGE = anImage();
const BOTTLEROCKET_IMAGE = anImage({
  ImageId: 'ami-0bottlerocket',
  Name: 'bottlerocket-aws-k8s-1.33-x86_64-v1.50.0-0ab1c2d3',
});
const WINDOWS_IMAGE = anImage({
  ImageId: 'ami-0windows',
  Name: 'Windows_Server-2022-English-Core-EKS_Optimized-1.33-2026.11.12',
});
const GOLDEN_IMAGE = anImage({ ImageId: 'ami-0custom', Name: 'acme-golden-rhel9-2026-11' });

describe('isAmazonLinux2EksAmi', () => {
  it.each([
    ['amazon-eks-node-1.29-v20240117', true],
    ['amazon-eks-arm64-node-1.30-v20240807', true],
    ['amazon-eks-gpu-node-1.31-v20250101', true],
    ['amazon-eks-node-al2023-x86_64-standard-1.33-v20261110', false],
    ['bottlerocket-aws-k8s-1.33-x86_64-v1.50.0-0ab1c2d3', false],
    ['Windows_Server-2022-English-Core-EKS_Optimized-1.33-2026.11.12', false],
    ['acme-amazon-eks-node-copy', false],
  ])('classifies %s as %s', (name, expected) => {
    // Prepare
    const imageName = name;
    // Act
    const isAl2 = isAmazonLinux2EksAmi(imageName);
    // Assess
    expect(isAl2).toBe(expected);
  });
});

describe('isPlainAmazonLinux2Ami', () => {
  it.each([
    ['amzn2-ami-kernel-5.10-hvm-2.0.20261110.0-x86_64-gp2', true],
    ['amzn2-ami-hvm-2.0.20261110.0-arm64-gp2', true],
    ['amzn2-ami-minimal-hvm-2.0.20261110.0-x86_64-ebs', true],
    ['al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64', false],
    ['amazon-eks-node-1.29-v20240117', false],
    ['acme-amzn2-ami-hardened', false],
  ])('classifies %s as %s', (name, expected) => {
    // Prepare
    const imageName = name;
    // Act
    const isPlainAl2 = isPlainAmazonLinux2Ami(imageName);
    // Assess
    expect(isPlainAl2).toBe(expected);
  });
});

describe('eks_nodegroup_container_optimized_os', () => {
  it('yields no result for a cluster without node groups', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it.each([['AL2_x86_64'], ['AL2_ARM_64'], ['AL2_x86_64_GPU']] as const)(
    'fails a managed group of amiType %s even without nodes or AMI data',
    (amiType) => {
      // Prepare
      const snapshot = aSnapshot({
        nodegroups: [aManagedNodegroup({ amiType })],
        images: failedPart({ operation: 'ec2:DescribeImages', code: 'UnauthorizedOperation' }),
      });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result).toMatchObject({
        status: 'FAILED',
        severity: 'MEDIUM',
        resourceId: nodegroupArn('ng-1'),
        resourceType: 'Other',
        nodeGroup: 'ng-1',
      });
      expect(result?.reason).toContain(`amiType ${amiType}`);
      expect(result?.reason).toContain('end of support on 2025-11-26');
      expect(result?.evidence).toEqual({ amiType });
    },
  );

  it.each([
    ['BOTTLEROCKET_x86_64', 'Bottlerocket'],
    ['AL2023_ARM_64_STANDARD', 'Amazon Linux 2023'],
    ['WINDOWS_CORE_2022_x86_64', 'Windows Server'],
  ] as const)('passes a managed group of amiType %s, naming %s', (amiType, family) => {
    // Prepare
    const snapshot = aSnapshot({ nodegroups: [aManagedNodegroup({ amiType })] });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'PASSED', severity: 'MEDIUM', resourceId: nodegroupArn('ng-1') });
    expect(result?.reason).toContain(`amiType ${amiType}, the EKS-optimized ${family}`);
  });

  it('fails a CUSTOM managed group whose running nodes use an Amazon Linux 2 EKS AMI, listing AMI and instances', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ amiType: 'CUSTOM' })],
      instances: [
        anInstance({ InstanceId: 'i-0aaa0000000000001', ImageId: 'ami-0al2' }),
        anInstance({ InstanceId: 'i-0aaa0000000000002', ImageId: 'ami-0al2' }),
      ],
      images: imagesById(AL2_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(
      'ami-0al2 (amazon-eks-node-1.29-v20240117) on i-0aaa0000000000001, i-0aaa0000000000002',
    );
    expect(result?.evidence).toEqual({
      amis: [
        {
          imageId: 'ami-0al2',
          name: 'amazon-eks-node-1.29-v20240117',
          family: 'Amazon Linux 2',
          instanceIds: ['i-0aaa0000000000001', 'i-0aaa0000000000002'],
        },
      ],
    });
  });

  it('fails a self-managed Auto Scaling group running an Amazon Linux 2 arm64 EKS AMI', () => {
    // Prepare
    const snapshot = aSnapshot({
      autoScalingGroups: [anAutoScalingGroup('workers')],
      instances: [aSelfManagedInstance({ asg: 'workers', ImageId: 'ami-0al2arm' })],
      images: imagesById(AL2_ARM_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({
      status: 'FAILED',
      resourceId: autoScalingGroupResourceId('workers'),
      resourceType: 'AwsAutoScalingAutoScalingGroup',
    });
    expect(result?.reason).toContain('Self-managed Auto Scaling group workers');
    expect(result?.reason).toContain(
      'ami-0al2arm (amazon-eks-arm64-node-1.30-v20240807) on i-0bbb0000000000001',
    );
  });

  it('fails a Karpenter pool when only some of its nodes run an Amazon Linux 2 EKS AMI, naming only those', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [
        aKarpenterInstance('default', { InstanceId: 'i-0ccc0000000000001', ImageId: 'ami-0al2023' }),
        aKarpenterInstance('default', { InstanceId: 'i-0ccc0000000000002', ImageId: 'ami-0al2' }),
      ],
      images: imagesById(AL2023_IMAGE, AL2_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', resourceId: nodePoolResourceId('default') });
    expect(result?.reason).toContain('ami-0al2 (amazon-eks-node-1.29-v20240117) on i-0ccc0000000000002');
    expect(result?.reason).not.toContain('i-0ccc0000000000001');
  });

  it.each([
    ['amzn2-ami-kernel-5.10-hvm-2.0.20261110.0-x86_64-gp2'],
    ['amzn2-ami-hvm-2.0.20261110.0-x86_64-gp2'],
  ])('fails a lone node on the plain Amazon Linux 2 AMI %s, naming its end of support', (Name) => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [aSelfManagedInstance({ ImageId: 'ami-0amzn2' })],
      images: imagesById(anImage({ ImageId: 'ami-0amzn2', Name })),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', resourceId: instanceResourceId('i-0bbb0000000000001') });
    expect(result?.reason).toBe(
      `Self-managed node i-0bbb0000000000001 runs Amazon Linux 2 AMIs, which no longer get security patches: ` +
        `ami-0amzn2 (${Name}) on i-0bbb0000000000001 (Amazon Linux 2, end of support 2026-06-30). ` +
        'Move these nodes to AL2023 or Bottlerocket.',
    );
    expect(result?.evidence).toEqual({
      amis: [
        { imageId: 'ami-0amzn2', name: Name, family: 'Amazon Linux 2', instanceIds: ['i-0bbb0000000000001'] },
      ],
    });
  });

  it('does not fail a node on a plain AL2023 AMI, which it cannot identify as EKS-optimized', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [aSelfManagedInstance({ ImageId: 'ami-0al2023plain' })],
      images: imagesById(
        anImage({ ImageId: 'ami-0al2023plain', Name: 'al2023-ami-2023.9.20261110.0-kernel-6.1-x86_64' }),
      ),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('could not be identified as an EKS-optimized image');
  });

  it('names each AL2 AMI of a group with its own end of support', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ amiType: 'CUSTOM' })],
      instances: [
        anInstance({ InstanceId: 'i-0aaa0000000000001', ImageId: 'ami-0al2' }),
        anInstance({ InstanceId: 'i-0aaa0000000000002', ImageId: 'ami-0amzn2' }),
      ],
      images: imagesById(
        AL2_IMAGE,
        anImage({ ImageId: 'ami-0amzn2', Name: 'amzn2-ami-hvm-2.0.20261110.0-x86_64-gp2' }),
      ),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(
      'ami-0al2 (amazon-eks-node-1.29-v20240117) on i-0aaa0000000000001 (Amazon Linux 2 EKS AMI, end of support 2025-11-26); ' +
        'ami-0amzn2 (amzn2-ami-hvm-2.0.20261110.0-x86_64-gp2) on i-0aaa0000000000002 (Amazon Linux 2, end of support 2026-06-30)',
    );
  });

  it('passes a Karpenter pool on Bottlerocket, naming the family', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [aKarpenterInstance('default')],
      images: imagesById(BOTTLEROCKET_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'PASSED', resourceId: nodePoolResourceId('default') });
    expect(result?.reason).toBe('Karpenter node pool default runs EKS-optimized Bottlerocket AMIs.');
  });

  it('passes a lone node on an EKS-optimized Windows AMI, naming the family', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [aSelfManagedInstance({ ImageId: 'ami-0windows' })],
      images: imagesById(WINDOWS_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({
      status: 'PASSED',
      resourceId: instanceResourceId('i-0bbb0000000000001'),
      resourceType: 'AwsEc2Instance',
    });
    expect(result?.reason).toContain('EKS-optimized Windows Server AMIs');
  });

  it('passes a lone node on an AMI it cannot identify, saying so', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [aSelfManagedInstance()],
      images: imagesById(GOLDEN_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('ami-0custom (acme-golden-rhel9-2026-11)');
    expect(result?.reason).toContain('could not be identified as an EKS-optimized image');
    expect(result?.evidence).toEqual({
      amis: [
        {
          imageId: 'ami-0custom',
          name: 'acme-golden-rhel9-2026-11',
          family: 'unidentified',
          instanceIds: ['i-0bbb0000000000001'],
        },
      ],
    });
  });

  it('passes a CUSTOM group mixing an EKS-optimized AMI and an unidentified one, naming both', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ amiType: 'CUSTOM' })],
      instances: [
        anInstance({ InstanceId: 'i-0aaa0000000000001', ImageId: 'ami-0al2023' }),
        anInstance({ InstanceId: 'i-0aaa0000000000002', ImageId: 'ami-0custom' }),
      ],
      images: imagesById(AL2023_IMAGE, GOLDEN_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('EKS-optimized Amazon Linux 2023 AMIs');
    expect(result?.reason).toContain('ami-0custom (acme-golden-rhel9-2026-11) that could not be identified');
  });

  it('judges an amiType it does not know by the AMIs of the running nodes', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ amiType: 'AL2025_x86_64_STANDARD' as never })],
      instances: [anInstance({ ImageId: 'ami-0al2' })],
      images: imagesById(AL2_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('ami-0al2');
  });

  it.each([
    ['a CUSTOM managed group with no nodes', aManagedNodegroup({ amiType: 'CUSTOM' }), []],
    [
      'a CUSTOM managed group with only stopped nodes',
      aManagedNodegroup({ amiType: 'CUSTOM' }),
      [anInstance({ ImageId: 'ami-0al2', State: STOPPED })],
    ],
  ])('is NOT_APPLICABLE for %s', (_, nodegroup, instances) => {
    // Prepare
    const snapshot = aSnapshot({ nodegroups: [nodegroup], instances, images: imagesById(AL2_IMAGE) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('NOT_APPLICABLE');
    expect(result?.reason).toContain('Managed node group ng-1 has no running nodes');
  });

  it('is NOT_APPLICABLE for an Auto Scaling group with no nodes', () => {
    // Prepare
    const snapshot = aSnapshot({
      autoScalingGroups: [anAutoScalingGroup('workers', { DesiredCapacity: 0 })],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({
      status: 'NOT_APPLICABLE',
      resourceId: autoScalingGroupResourceId('workers'),
    });
  });

  it('judges every kind of node group in one snapshot, one result each', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [
        aManagedNodegroup({ nodegroupName: 'legacy', amiType: 'AL2_x86_64' }),
        aManagedNodegroup({ nodegroupName: 'modern', amiType: 'AL2023_x86_64_STANDARD' }),
      ],
      autoScalingGroups: [anAutoScalingGroup('workers')],
      instances: [
        anInstance({ group: 'legacy', InstanceId: 'i-0aaa0000000000001', ImageId: 'ami-0al2' }),
        anInstance({ group: 'modern', InstanceId: 'i-0aaa0000000000002' }),
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000001', ImageId: 'ami-0al2arm' }),
        aKarpenterInstance('default'),
        aSelfManagedInstance({ InstanceId: 'i-0bbb0000000000009' }),
      ],
      images: imagesById(AL2_IMAGE, AL2_ARM_IMAGE, AL2023_IMAGE, BOTTLEROCKET_IMAGE, GOLDEN_IMAGE),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(5);
    expect(resultFor(results, nodegroupArn('legacy')).status).toBe('FAILED');
    expect(resultFor(results, nodegroupArn('modern')).status).toBe('PASSED');
    expect(resultFor(results, autoScalingGroupResourceId('workers')).status).toBe('FAILED');
    expect(resultFor(results, nodePoolResourceId('default')).status).toBe('PASSED');
    expect(resultFor(results, instanceResourceId('i-0bbb0000000000009')).status).toBe('PASSED');
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        nodegroups: [aManagedNodegroup({ amiType: 'AL2_x86_64' })],
        instances: failedPart({ operation: 'ec2:DescribeInstances', code: 'ThrottlingException' }),
      }),
    'ec2:DescribeInstances failed (ThrottlingException',
  );

  it('is ERROR, not PASSED, when the AMIs of a group judged by its nodes could not be described', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [aKarpenterInstance('default')],
      images: failedPart({ operation: 'ec2:DescribeImages', code: 'UnauthorizedOperation' }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: nodePoolResourceId('default') });
    expect(result?.reason).toContain('ec2:DescribeImages failed (UnauthorizedOperation');
  });

  it('is ERROR naming the AMI when a node uses an AMI absent from the described images', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [aSelfManagedInstance({ ImageId: 'ami-0deregistered' })],
      images: imagesById(GOLDEN_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('AMI ami-0deregistered');
    expect(result?.reason).toContain('i-0bbb0000000000001');
  });

  it.each([
    [
      'a managed group reports no amiType',
      aManagedNodegroup({ amiType: undefined }),
      anInstance(),
      'amiType',
    ],
    [
      'a node reports no ImageId',
      aManagedNodegroup({ amiType: 'CUSTOM' }),
      anInstance({ ImageId: undefined }),
      'ImageId',
    ],
  ])('is ERROR when %s', (_, nodegroup, instance, missing) => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [nodegroup],
      instances: [instance],
      images: imagesById(AL2023_IMAGE),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain(`reports no ${missing}`);
  });
});
