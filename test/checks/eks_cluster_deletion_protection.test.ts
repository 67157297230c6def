import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_deletion_protection.js';
import { runChecks } from '../../lib/checks/runner.js';
import {
  aCluster,
  aDeniedClusterSnapshot,
  aLedgerSnapshot,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  NOW,
} from '../support/snapshot.js';

const withDeletionProtection = (deletionProtection: boolean | undefined) =>
  aSnapshot({ cluster: aCluster({ deletionProtection }) });

describe('eks_cluster_deletion_protection', () => {
  it('has no results without clusters', () => {
    // Prepare
    const snapshots = [] as const;
    // Act
    const results = runChecks([check], snapshots, { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('passes a protected cluster', () => {
    // Prepare
    const snapshot = withDeletionProtection(true);
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'PASSED',
      severity: 'LOW',
      resourceId: CLUSTER_ARN,
      resourceType: 'AwsEksCluster',
      reason: 'Cluster payments has deletion protection enabled.',
    });
  });

  it.each([
    ['disabled', false],
    ['not set', undefined],
  ])('fails a cluster whose deletion protection is %s', (wording, deletionProtection) => {
    // Prepare
    const snapshot = withDeletionProtection(deletionProtection);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'LOW', resourceId: CLUSTER_ARN });
    expect(result?.reason).toContain(`Cluster payments has deletion protection ${wording}`);
    expect(result?.evidence).toEqual({ deletionProtection: deletionProtection ?? null });
  });

  it('judges each cluster of several snapshots on its own', () => {
    // Prepare
    const unprotected = withDeletionProtection(false);
    const protectedCluster = aLedgerSnapshot(unprotected);
    // Act
    const results = runChecks([check], [unprotected, protectedCluster], { now: NOW });
    // Assess
    expect(results.map((result) => [result.resourceId, result.status])).toEqual([
      [CLUSTER_ARN, 'FAILED'],
      [CLUSTER_ARN.replace('payments', 'ledger'), 'PASSED'],
    ]);
  });

  it('is ERROR, not FAILED or PASSED, when DescribeCluster failed', () => {
    // Prepare
    const snapshot = aDeniedClusterSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
    expect(results[0]?.reason).toContain('eks:DescribeCluster failed (AccessDeniedException');
  });
});
