import { describe, expect, it } from '@jest/globals';
import check, { kubernetesVersionOfAmiName } from '../../lib/checks/eks_nodegroup_version_skew.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  AUTO_SCALING_GROUP,
  AUTO_SCALING_NODE,
  KARPENTER_NODE,
  KARPENTER_POOL,
  nodeGroupsOfEveryKind,
  RESOURCE_ID,
} from '../support/node-group-security.js';
import {
  aCluster,
  aKarpenterInstance,
  aManagedNodegroup,
  anAutoModeInstance,
  anImage,
  aSelfManagedInstance,
  aSnapshot,
  evaluate,
  failedPart,
  imagesById,
  nodegroupArn,
  nodePoolResourceId,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const eksAmi = (imageId: string, name: string) => anImage({ ImageId: imageId, Name: name });

/** Every kind of node group; the self-managed and Karpenter nodes run the AMIs named. */
const cluster = (clusterVersion: string, managedVersion: string, amiName: string) =>
  aSnapshot({
    cluster: aCluster({ version: clusterVersion }),
    ...nodeGroupsOfEveryKind({ nodegroup: { version: managedVersion } }),
    images: imagesById(
      eksAmi('ami-0custom', amiName),
      eksAmi('ami-0bottlerocket', amiName),
      eksAmi('ami-0al2023', amiName),
    ),
  });

/** A Karpenter pool whose nodes run the given AMI names (one node each), in a cluster at `clusterVersion`. */
const poolRunning = (clusterVersion: string, ...names: string[]) =>
  aSnapshot({
    cluster: aCluster({ version: clusterVersion }),
    instances: names.map((_, index) =>
      aKarpenterInstance(KARPENTER_POOL, {
        InstanceId: `i-0ccc000000000000${index}`,
        ImageId: `ami-${index}`,
      }),
    ),
    images: imagesById(...names.map((name, index) => eksAmi(`ami-${index}`, name))),
  });

describe('eks_nodegroup_version_skew', () => {
  describe('the Kubernetes version of an AMI name', () => {
    it.each([
      ['amazon-eks-node-1.29-v20240117', '1.29'],
      ['amazon-eks-arm64-node-1.29-v20240117', '1.29'],
      ['amazon-eks-gpu-node-1.28-v20231230', '1.28'],
      ['amazon-eks-node-1.9-v20180613', '1.9'],
      ['amazon-eks-node-al2023-x86_64-standard-1.31-v20241121', '1.31'],
      ['amazon-eks-node-al2023-arm64-standard-1.33-v20251112', '1.33'],
      ['amazon-eks-node-al2023-x86_64-nvidia-1.32-v20250403', '1.32'],
      ['amazon-eks-node-al2023-x86_64-neuron-1.30-v20241024', '1.30'],
      ['bottlerocket-aws-k8s-1.31-x86_64-v1.26.2-360b7a38', '1.31'],
      ['bottlerocket-aws-k8s-1.30-aarch64-v1.20.3-5d9ac849', '1.30'],
      ['bottlerocket-aws-k8s-1.31-nvidia-x86_64-v1.26.2-360b7a38', '1.31'],
      ['bottlerocket-aws-k8s-1.29-fips-aarch64-v1.26.2-360b7a38', '1.29'],
      ['Windows_Server-2022-English-Core-EKS_Optimized-1.31-2024.11.13', '1.31'],
    ])('%s runs Kubernetes %s', (name, version) => {
      // Act
      const parsed = kubernetesVersionOfAmiName(name);
      // Assess
      expect(parsed && `${parsed.major}.${parsed.minor}`).toBe(version);
    });

    it.each([
      ['a custom AMI', 'payments-node-2026-11-01'],
      ['a copy with a suffix', 'amazon-eks-node-1.29-v20240117-hardened'],
      ['a prefix of another name', 'my-amazon-eks-node-1.29-v20240117'],
      ['plain Amazon Linux 2', 'amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2'],
      ['plain Amazon Linux 2023', 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64'],
      ['a Bottlerocket name without the variant version', 'bottlerocket-aws-k8s-1.31-x86_64'],
      ['no name', undefined],
    ])('carries none in %s (%s)', (_, name) => {
      // Act
      const parsed = kubernetesVersionOfAmiName(name);
      // Assess
      expect(parsed).toBeUndefined();
    });
  });

  it('judges nothing in a cluster without node groups', () => {
    // Act
    const results = evaluate(check, aSnapshot());
    // Assess
    expect(results).toEqual([]);
  });

  it("passes every kind of node group on the cluster's version, managed by its version and the rest by AMI name", () => {
    // Prepare
    const snapshot = cluster('1.33', '1.33', 'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110');
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    for (const id of Object.values(RESOURCE_ID)) {
      expect(resultFor(results, id)).toMatchObject({ status: 'PASSED', severity: 'HIGH' });
    }
    expect(resultFor(results, RESOURCE_ID.karpenter).evidence).toMatchObject({
      clusterVersion: '1.33',
      versions: [{ subject: KARPENTER_NODE, version: '1.33' }],
    });
  });

  it.each([
    ['newer than the cluster', '1.32', '1.33', 'HIGH', "1.33 is newer than the cluster's 1.32"],
    ['4 minors behind', '1.33', '1.29', 'HIGH', "1.29 is 4 minor versions behind the cluster's 1.33"],
    ['3 minors behind, node older than 1.25', '1.26', '1.23', 'HIGH', 'beyond the 2 the Kubernetes'],
    ['3 minors behind, node 1.25 or later', '1.33', '1.30', 'LOW', '3 minor version(s) behind'],
    ['2 minors behind, node older than 1.25', '1.25', '1.23', 'LOW', '2 minor version(s) behind'],
    ['one minor behind', '1.33', '1.32', 'LOW', "1.32 is 1 minor version(s) behind the cluster's 1.33"],
    [
      'one minor behind, compared as numbers',
      '1.10',
      '1.9',
      'LOW',
      "1.9 is 1 minor version(s) behind the cluster's 1.10",
    ],
  ])(
    'fails a managed group %s (cluster %s, group %s) at %s',
    (_, clusterVersion, groupVersion, severity, why) => {
      // Prepare
      const snapshot = aSnapshot({
        cluster: aCluster({ version: clusterVersion }),
        nodegroups: [aManagedNodegroup({ version: groupVersion })],
      });
      // Act
      const result = resultFor(evaluate(check, snapshot), nodegroupArn('ng-1'));
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity });
      expect(result.reason).toContain(why);
    },
  );

  it('allows the lag maxMinorLag sets, and no more', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: aCluster({ version: '1.33' }),
      nodegroups: [
        aManagedNodegroup({ nodegroupName: 'one-behind', version: '1.32' }),
        aManagedNodegroup({ nodegroupName: 'two-behind', version: '1.31' }),
      ],
    });
    // Act
    const results = evaluate(check, snapshot, { parameters: { maxMinorLag: 1 } });
    // Assess
    expect(resultFor(results, nodegroupArn('one-behind')).status).toBe('PASSED');
    expect(resultFor(results, nodegroupArn('two-behind'))).toMatchObject({
      status: 'FAILED',
      severity: 'LOW',
    });
  });

  it('judges a managed group with no nodes by its version: it is what the group launches', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: aCluster({ version: '1.33' }),
      nodegroups: [
        aManagedNodegroup({ version: '1.29', scalingConfig: { minSize: 0, maxSize: 3, desiredSize: 0 } }),
      ],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
  });

  it('fails a Karpenter pool by its worst node, listing each skewed node', () => {
    // Prepare
    const snapshot = poolRunning(
      '1.33',
      'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110',
      'amazon-eks-node-al2023-x86_64-standard-1.32-v20261110',
      'bottlerocket-aws-k8s-1.34-x86_64-v1.50.0-9f8e7d6c',
    );
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(result?.reason).toContain(
      "i-0ccc0000000000002 (AMI bottlerocket-aws-k8s-1.34-x86_64-v1.50.0-9f8e7d6c) 1.34 is newer than the cluster's 1.33; i-0ccc0000000000001",
    );
    expect(result?.reason).not.toContain('i-0ccc0000000000000');
  });

  it('is not applicable to a group whose nodes all run custom AMIs, saying so', () => {
    // Prepare
    const snapshot = cluster('1.33', '1.33', 'payments-node-2026-11-01');
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.autoScaling);
    // Assess
    expect(result.status).toBe('NOT_APPLICABLE');
    expect(result.reason).toContain(`${AUTO_SCALING_NODE} (AMI payments-node-2026-11-01)`);
    expect(result.reason).toContain('custom AMIs whose names carry no version');
  });

  it('judges the nodes whose version is known and names the custom ones', () => {
    // Prepare
    const snapshot = poolRunning(
      '1.33',
      'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110',
      'golden-image-7',
    );
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('not judged: i-0ccc0000000000001 (AMI golden-image-7)');
  });

  it('is not applicable to a self-managed group without running nodes, nor to an Auto Mode pool', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ autoScalingNode: { State: STOPPED } }),
      instances: [
        aSelfManagedInstance({ asg: AUTO_SCALING_GROUP, InstanceId: AUTO_SCALING_NODE, State: STOPPED }),
        anAutoModeInstance('general-purpose'),
      ],
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.autoScaling)).toMatchObject({ status: 'NOT_APPLICABLE' });
    expect(resultFor(results, RESOURCE_ID.autoScaling).reason).toContain('has no running nodes');
    expect(resultFor(results, nodePoolResourceId('general-purpose')).reason).toContain(
      'EKS Auto Mode replaces its nodes',
    );
  });

  it.each<[string, Parameters<typeof aSnapshot>[0], string]>([
    [
      'the cluster could not be described',
      { cluster: failedPart({ operation: 'eks:DescribeCluster' }) },
      'eks:DescribeCluster failed',
    ],
    [
      'the cluster reports no version',
      { cluster: aCluster({ version: undefined }) },
      'reports no Kubernetes version',
    ],
    [
      'the AMIs could not be described',
      { images: failedPart({ operation: 'ec2:DescribeImages' }) },
      'ec2:DescribeImages failed',
    ],
    ['a node AMI is gone', { images: {} }, 'AMI ami-0bottlerocket of running node'],
  ])('is an ERROR when %s', (_, parts, why) => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: aCluster({ version: '1.33' }),
      instances: [aKarpenterInstance(KARPENTER_POOL)],
      images: imagesById(eksAmi('ami-0bottlerocket', 'bottlerocket-aws-k8s-1.33-x86_64-v1.50.0-9f8e7d6c')),
      ...parts,
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain(why);
  });

  it('is an ERROR for a managed group reporting no version', () => {
    // Prepare
    const snapshot = aSnapshot({ nodegroups: [aManagedNodegroup({ version: undefined })] });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('Managed node group ng-1 reports no Kubernetes version');
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        ...nodeGroupsOfEveryKind(),
        nodegroups: failedPart({ operation: 'eks:ListNodegroups', code: 'AccessDeniedException' }),
      }),
    'eks:ListNodegroups failed (AccessDeniedException',
  );
});
