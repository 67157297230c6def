import { expect, it } from '@jest/globals';
import { runChecks } from '../../lib/checks/runner.js';
import type { Check } from '../../lib/checks/types.js';
import type { ClusterSnapshot } from '../../lib/snapshot/types.js';
import { aDeniedClusterSnapshot, aLedgerSnapshot, CLUSTER_ARN, evaluate, NOW } from './snapshot.js';

/**
 * What every cluster check does whatever it judges: nothing without clusters; each cluster judged on
 * its own (`failing` FAILED, a passing `ledger` beside it PASSED); ERROR on the cluster ARN, never
 * PASSED or FAILED, when DescribeCluster failed.
 */
export function itJudgesClustersLikeEveryClusterCheck(check: Check, failing: () => ClusterSnapshot) {
  it('has no results without clusters', () => {
    // Act
    const results = runChecks([check], [], { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('judges each cluster of several snapshots on its own', () => {
    // Prepare
    const failed = failing();
    const passing = aLedgerSnapshot(failed);
    // Act
    const results = runChecks([check], [failed, passing], { now: NOW });
    // Assess
    expect(results.map((result) => [result.resourceId, result.status])).toEqual([
      [CLUSTER_ARN, 'FAILED'],
      [CLUSTER_ARN.replace('payments', 'ledger'), 'PASSED'],
    ]);
  });

  it('is ERROR, not FAILED or PASSED, when DescribeCluster failed', () => {
    // Act
    const results = evaluate(check, aDeniedClusterSnapshot());
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
    expect(results[0]?.reason).toContain('eks:DescribeCluster failed (AccessDeniedException');
  });
}

/**
 * What every node-group check does when the set of node groups is unknown (ListNodegroups,
 * DescribeInstances or DescribeAutoScalingGroups failed): one ERROR on the cluster, naming the call.
 */
export function itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
  check: Check,
  undiscoverable: () => ClusterSnapshot,
  failedCall: string,
) {
  it('is a single ERROR on the cluster when the node groups cannot be discovered', () => {
    // Act
    const results = evaluate(check, undiscoverable());
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'ERROR',
      resourceId: CLUSTER_ARN,
      resourceType: 'AwsEksCluster',
    });
    expect(results[0]?.reason).toContain(failedCall);
  });
}
