import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_endpoint_private_access.js';
import { itJudgesClustersLikeEveryClusterCheck } from '../support/cluster-check-basics.js';
import { aCluster, aSnapshot, CLUSTER_ARN, evaluate } from '../support/snapshot.js';

const withPrivateAccess = (endpointPrivateAccess: boolean | undefined) =>
  aSnapshot({
    cluster: aCluster({
      resourcesVpcConfig: {
        endpointPublicAccess: true,
        endpointPrivateAccess,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
    }),
  });

describe('eks_cluster_endpoint_private_access', () => {
  itJudgesClustersLikeEveryClusterCheck(check, () => withPrivateAccess(false));

  it('passes a cluster with private endpoint access', () => {
    // Prepare
    const snapshot = withPrivateAccess(true);
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'PASSED',
      severity: 'MEDIUM',
      resourceId: CLUSTER_ARN,
      resourceType: 'AwsEksCluster',
    });
    expect(results[0]?.reason).toContain('payments');
  });

  it('fails a cluster whose nodes reach the API over the internet', () => {
    // Prepare
    const snapshot = withPrivateAccess(false);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM', resourceId: CLUSTER_ARN });
    expect(result?.reason).toContain('Cluster payments has private endpoint access disabled');
    expect(result?.reason).toContain('over the internet');
    expect(result?.evidence).toEqual({ endpointPrivateAccess: false, endpointPublicAccess: true });
  });

  it.each([
    ['endpointPrivateAccess is absent', aCluster({ resourcesVpcConfig: { endpointPublicAccess: true } })],
    ['resourcesVpcConfig is absent', aCluster({ resourcesVpcConfig: undefined })],
  ])('is ERROR when %s', (_, cluster) => {
    // Prepare
    const snapshot = aSnapshot({ cluster });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('reports no resourcesVpcConfig.endpointPrivateAccess');
  });

  it.each([['true'], ['false']])(
    'is ERROR, never PASSED, when endpointPrivateAccess is the string "%s"',
    (value) => {
      // Prepare
      const snapshot = aSnapshot({
        cluster: aCluster({
          resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: value as never },
        }),
      });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result?.status).toBe('ERROR');
      expect(result?.reason).toContain(`endpointPrivateAccess "${value}", not a boolean`);
    },
  );
});
