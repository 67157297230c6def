/**
 * Clusters that accept hybrid nodes (remote node networks): every node-group result, and the cluster's
 * own results, say that hybrid nodes are outside the host checks; a reason that could be read as the
 * whole cluster's (PASSED, NOT_APPLICABLE) says it too.
 */
import { describe, expect, it } from '@jest/globals';
import { hybridNodesOf } from '../../lib/checks/compute.js';
import imdsv2HopLimit from '../../lib/checks/eks_nodegroup_imdsv2_hop_limit.js';
import { CHECKS } from '../../lib/checks/registry.js';
import { runChecks } from '../../lib/checks/runner.js';
import { hybridNodeNetworks } from '../../lib/snapshot/compute.js';
import { nodeGroupsOfEveryKind } from '../support/node-group-security.js';
import { aCluster, aSnapshot, evaluate, failedPart, NOW } from '../support/snapshot.js';

const HYBRID_CLUSTER = aCluster({
  remoteNetworkConfig: {
    remoteNodeNetworks: [{ cidrs: ['10.80.0.0/16', '10.81.0.0/16'] }],
    remotePodNetworks: [{ cidrs: ['10.90.0.0/16'] }],
  },
});
const HYBRID_SENTENCE =
  'Cluster payments also accepts hybrid nodes (remote node networks 10.80.0.0/16, 10.81.0.0/16), which are ' +
  'not EC2 instances: no host check judges them.';

const NODE_GROUP_CHECKS = CHECKS.filter((check) => check.resource.scope === 'nodegroup');
const CLUSTER_CHECKS = CHECKS.filter((check) => check.resource.scope === 'cluster');

describe('hybrid nodes', () => {
  it('reads the remote node networks, and none from an empty or absent configuration', () => {
    // Act
    const networks = [
      hybridNodeNetworks(HYBRID_CLUSTER),
      hybridNodeNetworks(aCluster({ remoteNetworkConfig: { remoteNodeNetworks: [{ cidrs: [] }] } })),
      hybridNodeNetworks(aCluster()),
    ];
    // Assess
    expect(networks).toEqual([['10.80.0.0/16', '10.81.0.0/16'], [], []]);
  });

  it('says in every node-group result of every node-group check that hybrid nodes were not judged', () => {
    // Prepare
    const snapshot = aSnapshot({ cluster: HYBRID_CLUSTER, ...nodeGroupsOfEveryKind() });
    // Act
    const results = runChecks(NODE_GROUP_CHECKS, [snapshot], { now: NOW });
    // Assess
    expect(results.length).toBe(NODE_GROUP_CHECKS.length * 4);
    for (const result of results) {
      expect(hybridNodesOf(result.evidence)).toEqual({
        remoteNodeNetworks: ['10.80.0.0/16', '10.81.0.0/16'],
        note: 'The cluster accepts hybrid nodes, which are not EC2 instances: they are outside the host checks and were not judged.',
      });
      if (result.status === 'PASSED' || result.status === 'NOT_APPLICABLE') {
        expect(result.reason.endsWith(HYBRID_SENTENCE)).toBe(true);
      } else {
        expect(result.reason).not.toContain('hybrid nodes (remote node networks');
      }
    }
  });

  it('says it in the cluster results too, so a cluster with hybrid nodes alone still says it', () => {
    // Prepare: no EC2 node group at all.
    const snapshot = aSnapshot({ cluster: HYBRID_CLUSTER });
    // Act
    const nodeGroupResults = runChecks(NODE_GROUP_CHECKS, [snapshot], { now: NOW });
    const clusterResults = runChecks(CLUSTER_CHECKS, [snapshot], { now: NOW });
    // Assess
    expect(nodeGroupResults).toEqual([]);
    expect(clusterResults).toHaveLength(CLUSTER_CHECKS.length);
    for (const result of clusterResults) {
      expect(hybridNodesOf(result.evidence)?.remoteNodeNetworks).toEqual(['10.80.0.0/16', '10.81.0.0/16']);
      expect(result.reason).not.toContain(HYBRID_SENTENCE);
    }
  });

  it('adds nothing about hybrid nodes to a cluster without remote node networks', () => {
    // Prepare
    const snapshot = aSnapshot(nodeGroupsOfEveryKind());
    // Act
    const results = runChecks(CHECKS, [snapshot], { now: NOW });
    // Assess
    expect(results.filter((result) => 'hybridNodes' in result.evidence)).toEqual([]);
    expect(results.filter((result) => /hybrid nodes \(/.test(result.reason))).toEqual([]);
  });

  it('judges node groups as usual when DescribeCluster failed, without a hybrid-node statement', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: failedPart({ operation: 'eks:DescribeCluster' }),
      ...nodeGroupsOfEveryKind(),
    });
    // Act
    const results = evaluate(imdsv2HopLimit, snapshot);
    // Assess
    expect(results.map((result) => result.status)).toEqual(['PASSED', 'PASSED', 'PASSED', 'PASSED']);
    expect(results.filter((result) => 'hybridNodes' in result.evidence)).toEqual([]);
  });
});
