import type { AuthenticationMode } from '@aws-sdk/client-eks';
import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_access_api_mode.js';
import { itJudgesClustersLikeEveryClusterCheck } from '../support/cluster-check-basics.js';
import { aCluster, aSnapshot, CLUSTER_ARN, evaluate } from '../support/snapshot.js';

const withMode = (authenticationMode: AuthenticationMode | undefined) =>
  aSnapshot({ cluster: aCluster({ accessConfig: { authenticationMode } }) });

describe('eks_cluster_access_api_mode', () => {
  itJudgesClustersLikeEveryClusterCheck(check, () => withMode('CONFIG_MAP'));

  it('passes a cluster using access entries only', () => {
    // Prepare
    const snapshot = withMode('API');
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'PASSED',
      severity: 'LOW',
      resourceId: CLUSTER_ARN,
      resourceType: 'AwsEksCluster',
      evidence: { authenticationMode: 'API' },
    });
    expect(results[0]?.reason).toContain('Cluster payments authenticates only through EKS access entries');
  });

  it('passes API_AND_CONFIG_MAP while saying that aws-auth is still honoured', () => {
    // Prepare
    const snapshot = withMode('API_AND_CONFIG_MAP');
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('still honours the aws-auth ConfigMap');
  });

  it('fails a cluster authenticating only through the aws-auth ConfigMap', () => {
    // Prepare
    const snapshot = withMode('CONFIG_MAP');
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'LOW', resourceId: CLUSTER_ARN });
    expect(result?.reason).toContain('Cluster payments authenticates only through the aws-auth ConfigMap');
    expect(result?.evidence).toEqual({ authenticationMode: 'CONFIG_MAP' });
  });

  it.each([
    ['authenticationMode is absent', aCluster({ accessConfig: {} }), 'reports no accessConfig'],
    ['accessConfig is absent', aCluster({ accessConfig: undefined }), 'reports no accessConfig'],
    [
      'authenticationMode is unknown',
      aCluster({ accessConfig: { authenticationMode: 'OIDC_ONLY' as AuthenticationMode } }),
      'unknown accessConfig.authenticationMode OIDC_ONLY',
    ],
  ])('is ERROR when %s', (_, cluster, expected) => {
    // Prepare
    const snapshot = aSnapshot({ cluster });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain(expected);
  });
});
