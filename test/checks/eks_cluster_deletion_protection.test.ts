import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_deletion_protection.js';
import { itJudgesClustersLikeEveryClusterCheck } from '../support/cluster-check-basics.js';
import { aCluster, aSnapshot, CLUSTER_ARN, evaluate } from '../support/snapshot.js';

const withDeletionProtection = (deletionProtection: boolean | undefined) =>
  aSnapshot({ cluster: aCluster({ deletionProtection }) });

describe('eks_cluster_deletion_protection', () => {
  itJudgesClustersLikeEveryClusterCheck(check, () => withDeletionProtection(false));

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
});
