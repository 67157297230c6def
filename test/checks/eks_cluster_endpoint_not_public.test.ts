import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_endpoint_not_public.js';
import { itJudgesClustersLikeEveryClusterCheck } from '../support/cluster-check-basics.js';
import { aCluster, aSnapshot, CLUSTER_ARN, evaluate } from '../support/snapshot.js';

const withEndpoint = (endpointPublicAccess: boolean | undefined, publicAccessCidrs?: string[]) =>
  aSnapshot({
    cluster: aCluster({
      resourcesVpcConfig: { endpointPublicAccess, endpointPrivateAccess: true, publicAccessCidrs },
    }),
  });

describe('eks_cluster_endpoint_not_public', () => {
  itJudgesClustersLikeEveryClusterCheck(check, () => withEndpoint(true, ['0.0.0.0/0']));

  it('passes a private-only endpoint', () => {
    // Prepare
    const snapshot = withEndpoint(false, []);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({
      status: 'PASSED',
      severity: 'HIGH',
      resourceId: CLUSTER_ARN,
      resourceType: 'AwsEksCluster',
    });
  });

  it.each([['0.0.0.0/0'], ['::/0']])('fails a public endpoint open to %s', (cidr) => {
    // Prepare
    const snapshot = withEndpoint(true, ['203.0.113.0/24', cidr]);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(cidr);
    expect(result?.evidence).toEqual({
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.0/24', cidr],
    });
  });

  it('passes a public endpoint restricted to specific CIDRs by default', () => {
    // Prepare
    const snapshot = withEndpoint(true, ['203.0.113.0/24']);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('203.0.113.0/24');
  });

  it('fails any public endpoint when allowRestrictedPublicEndpoint is false', () => {
    // Prepare
    const snapshot = withEndpoint(true, ['203.0.113.0/24']);
    // Act
    const [result] = evaluate(check, snapshot, { parameters: { allowRestrictedPublicEndpoint: 'false' } });
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('public endpoints are not allowed');
  });

  it.each([
    ['endpointPublicAccess is absent', undefined, []],
    ['publicAccessCidrs is absent on a public endpoint', true, undefined],
  ])('is ERROR when %s', (_, publicAccess, cidrs) => {
    // Prepare
    const snapshot = withEndpoint(publicAccess, cidrs);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
  });
});
