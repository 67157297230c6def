/**
 * EKS Auto Mode node pools under the first-edition node-group checks (catalogue, third edition): what
 * AWS manages (OS, AMI age and release, SSH) is NOT_APPLICABLE with that reason, never judged by AMI
 * name; what the account controls (subnets, IMDS, Inspector coverage) is judged like any node; every
 * result says the pool is AWS-managed.
 */
import { describe, expect, it } from '@jest/globals';
import amiAge from '../../lib/checks/eks_nodegroup_ami_age.js';
import amiLatestRelease from '../../lib/checks/eks_nodegroup_ami_latest_release.js';
import containerOptimizedOs from '../../lib/checks/eks_nodegroup_container_optimized_os.js';
import imdsv2HopLimit from '../../lib/checks/eks_nodegroup_imdsv2_hop_limit.js';
import inspectorCoverage from '../../lib/checks/eks_nodegroup_inspector_coverage.js';
import noSshAccess from '../../lib/checks/eks_nodegroup_no_ssh_access.js';
import privateSubnets from '../../lib/checks/eks_nodegroup_private_subnets.js';
import type { Instance } from '../../lib/snapshot/types.js';
import {
  aCluster,
  aCoverage,
  anAutoModeInstance,
  anImage,
  anInspectorAccount,
  aRouteTable,
  aSnapshot,
  aSubnet,
  DAY_MS,
  evaluate,
  imagesById,
  NOW,
  nodePoolResourceId,
  resultFor,
} from '../support/snapshot.js';

const POOL = 'general-purpose';
const NODE = 'i-0dda0000000000001';
const RESOURCE = nodePoolResourceId(POOL);

/** An AMI that would fail the OS and age checks on any other node: an old AL2 EKS AMI. */
const OLD_AL2_AMI = anImage({
  ImageId: 'ami-0automode',
  Name: 'amazon-eks-node-1.29-v20240117',
  CreationDate: new Date(NOW.getTime() - 400 * DAY_MS).toISOString(),
});

/** An Auto Mode cluster with one pool of one running node. */
const autoModeSnapshot = (node: Partial<Instance> = {}, parts: Parameters<typeof aSnapshot>[0] = {}) =>
  aSnapshot({
    cluster: aCluster({
      computeConfig: {
        enabled: true,
        nodePools: ['general-purpose', 'system'],
        nodeRoleArn: 'arn:aws:iam::222222222222:role/auto-node',
      },
    }),
    instances: [anAutoModeInstance(POOL, node)],
    images: imagesById(OLD_AL2_AMI),
    subnets: [aSubnet()],
    routeTables: [aRouteTable()],
    inspectorCoverage: [aCoverage(NODE)],
    ...parts,
  });

describe('EKS Auto Mode node pools: what AWS manages is not applicable', () => {
  it.each([
    [containerOptimizedOs.id, containerOptimizedOs, 'its operating system'],
    [amiAge.id, amiAge, 'the age of its AMIs'],
    [amiLatestRelease.id, amiLatestRelease, 'its AMI release'],
    [noSshAccess.id, noSshAccess, 'SSH access'],
  ])(
    '%s: NOT_APPLICABLE, saying AWS patches and replaces the nodes and allows no SSH',
    (_id, check, what) => {
      // Prepare: an old AL2-named AMI and a key pair, which would fail any other node group.
      const snapshot = autoModeSnapshot({ KeyName: 'ops-key' });
      // Act
      const results = evaluate(check, snapshot);
      // Assess
      expect(results).toHaveLength(1);
      const result = resultFor(results, RESOURCE);
      expect(result).toMatchObject({ status: 'NOT_APPLICABLE', resourceType: 'Other', nodeGroup: POOL });
      expect(result.reason).toBe(
        `EKS Auto Mode node pool ${POOL} is managed by AWS: EKS Auto Mode chooses, patches and replaces its ` +
          `nodes (each lives at most 21 days) and allows no SSH to them, so ${what} is not the account's to set.`,
      );
      expect(result.evidence).toMatchObject({
        managedBy: 'AWS (EKS Auto Mode)',
        autoMode: { nodePools: ['general-purpose', 'system'] },
      });
    },
  );

  it('does not read the AMIs of an Auto Mode pool: an AMI that could not be described is no ERROR', () => {
    // Prepare
    const snapshot = autoModeSnapshot({}, { images: {} });
    // Act
    const statuses = [containerOptimizedOs, amiAge].map((check) => evaluate(check, snapshot)[0]?.status);
    // Assess
    expect(statuses).toEqual(['NOT_APPLICABLE', 'NOT_APPLICABLE']);
  });
});

describe('EKS Auto Mode node pools: what the account controls is judged', () => {
  it('passes a pool in private subnets whose nodes require IMDSv2 and are scanned by Inspector', () => {
    // Prepare
    const snapshot = autoModeSnapshot();
    // Act
    const results = [privateSubnets, imdsv2HopLimit, inspectorCoverage].map((check) =>
      resultFor(evaluate(check, snapshot), RESOURCE),
    );
    // Assess
    expect(results.map((result) => result.status)).toEqual(['PASSED', 'PASSED', 'PASSED']);
    for (const result of results) expect(result.evidence.managedBy).toBe('AWS (EKS Auto Mode)');
  });

  it('eks_nodegroup_private_subnets: fails a pool whose node has a public IPv4 address (node class setting)', () => {
    // Prepare
    const snapshot = autoModeSnapshot({ PublicIpAddress: '203.0.113.7' });
    // Act
    const result = resultFor(evaluate(privateSubnets, snapshot), RESOURCE);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain(NODE);
    expect(result.reason).toContain('203.0.113.7');
  });

  it('eks_nodegroup_imdsv2_hop_limit: fails a pool whose node allows a hop limit of 2', () => {
    // Prepare
    const snapshot = autoModeSnapshot({
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
    });
    // Act
    const result = resultFor(evaluate(imdsv2HopLimit, snapshot), RESOURCE);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain(NODE);
  });

  it('eks_nodegroup_inspector_coverage: fails an unscanned pool, naming agentless scanning', () => {
    // Prepare
    const snapshot = autoModeSnapshot(
      {},
      {
        inspectorCoverage: [
          aCoverage(NODE, { scanStatus: { statusCode: 'INACTIVE', reason: 'UNMANAGED_EC2_INSTANCE' } }),
        ],
      },
    );
    // Act
    const result = resultFor(evaluate(inspectorCoverage, snapshot), RESOURCE);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result.reason).toContain(`${NODE} (UNMANAGED_EC2_INSTANCE)`);
    expect(result.reason).toContain('agentless (hybrid) scan mode');
    expect(inspectorCoverage.remediation.text).toContain('EKS Auto Mode nodes run no SSM agent');
  });

  it('eks_nodegroup_inspector_coverage: fails HIGH where Inspector EC2 scanning is off, as for any node', () => {
    // Prepare
    const snapshot = autoModeSnapshot({}, { inspectorAccount: anInspectorAccount('DISABLED') });
    // Act
    const result = resultFor(evaluate(inspectorCoverage, snapshot), RESOURCE);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
  });
});
