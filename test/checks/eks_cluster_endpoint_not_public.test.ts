import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_endpoint_not_public.js';
import { relatedRequirement } from '../../lib/checks/frameworks.js';
import { itJudgesClustersLikeEveryClusterCheck } from '../support/cluster-check-basics.js';
import { aCluster, aSnapshot, CLUSTER_ARN, evaluate } from '../support/snapshot.js';

const withEndpoint = (endpointPublicAccess: unknown, publicAccessCidrs?: unknown) =>
  aSnapshot({
    cluster: aCluster({
      resourcesVpcConfig: {
        endpointPublicAccess,
        endpointPrivateAccess: true,
        publicAccessCidrs,
      } as never,
    }),
  });

const RESTRICTED = { parameters: { allowRestrictedPublicEndpoint: 'true' } };

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

  describe('by default (allowRestrictedPublicEndpoint=false, as FSBP EKS.1)', () => {
    it('fails a public endpoint restricted to specific CIDRs, saying public endpoints are not allowed', () => {
      // Prepare
      const snapshot = withEndpoint(true, ['203.0.113.0/24']);
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result?.status).toBe('FAILED');
      expect(result?.reason).toContain('203.0.113.0/24');
      expect(result?.reason).toContain('public endpoints are not allowed');
    });

    it('cites FSBP EKS.1, CIS 5.4.2 and the private-endpoint practice, not CIS 5.4.1', () => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, ['203.0.113.0/24']));
      // Assess
      expect(result?.frameworks.map(relatedRequirement)).toEqual([
        'AWS Foundational Security Best Practices v1.0.0/EKS.1',
        'CIS Amazon EKS Benchmark v1.1.0/5.4.2',
        'EKS Best Practices Guide/IAM / Make the EKS cluster endpoint private',
      ]);
    });

    it('fails a public endpoint with a malformed CIDR, naming it', () => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, ['203.0.113.0/24', '10.0.0/8']));
      // Assess
      expect(result?.status).toBe('FAILED');
      expect(result?.reason).toContain('"10.0.0/8" is not a CIDR block');
    });
  });

  describe('with allowRestrictedPublicEndpoint=true', () => {
    it('passes a public endpoint restricted to specific CIDRs', () => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, ['203.0.113.0/24', '2001:db8::/32']), RESTRICTED);
      // Assess
      expect(result?.status).toBe('PASSED');
      expect(result?.reason).toContain('203.0.113.0/24, 2001:db8::/32');
    });

    it('cites CIS 5.4.1 only', () => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, ['203.0.113.0/24']), RESTRICTED);
      // Assess
      expect(result?.frameworks.map(relatedRequirement)).toEqual(['CIS Amazon EKS Benchmark v1.1.0/5.4.1']);
    });

    it.each([
      [['0.0.0.0/0'], 'IPv4', '(0.0.0.0/0)'],
      [['203.0.113.0/24', '::/0'], 'IPv6', '(::/0)'],
      [['0::0/0'], 'IPv6', '(0::0/0)'],
      [['0000:0000:0000:0000:0000:0000:0000:0000/0'], 'IPv6', '0000:0000'],
      [['FFFF::1/0'], 'IPv6', '(FFFF::1/0)'],
      [['0.0.0.1/0'], 'IPv4', '(0.0.0.1/0)'],
      [['0.0.0.0/1', '128.0.0.0/1'], 'IPv4', '0.0.0.0/1, 128.0.0.0/1 together cover it'],
      [['10.0.0.0/8', '0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1'], 'IPv4', 'together cover it'],
    ])('fails %j: open to the whole %s space', (cidrs, family, named) => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, cidrs), RESTRICTED);
      // Assess
      expect(result?.status).toBe('FAILED');
      expect(result?.reason).toContain(`open to the whole ${family} space`);
      expect(result?.reason).toContain(named);
      expect(result?.evidence).toMatchObject({ openTo: [family], publicAccessCidrs: cidrs });
    });

    it('passes blocks that nearly cover the IPv4 space but leave a gap', () => {
      // Act
      const [result] = evaluate(
        check,
        withEndpoint(true, ['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3']),
        RESTRICTED,
      );
      // Assess
      expect(result?.status).toBe('PASSED');
    });

    it.each([
      ['absent', undefined, 'reports no publicAccessCidrs'],
      ['empty', [], 'publicAccessCidrs list is empty'],
      ['an empty string', [''], 'contain an empty string'],
      ['an empty string beside a block', ['203.0.113.0/24', ''], 'contain an empty string'],
    ])('fails a public endpoint whose publicAccessCidrs are %s: no restriction', (_, cidrs, why) => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, cidrs), RESTRICTED);
      // Assess
      expect(result?.status).toBe('FAILED');
      expect(result?.reason).toContain(why);
      expect(result?.reason).toContain('EKS then allows 0.0.0.0/0');
    });

    it.each([
      [['203.0.113.0/24', '10.0.0/8'], '"10.0.0/8" is not a CIDR block'],
      [['203.0.113.0/33'], 'prefix length'],
      [[42], '42 is not a string'],
      ['203.0.113.0/24', 'not a list'],
    ])('is ERROR for malformed publicAccessCidrs %j, naming the value', (cidrs, named) => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, cidrs), RESTRICTED);
      // Assess
      expect(result?.status).toBe('ERROR');
      expect(result?.reason).toContain(named);
    });

    it('fails rather than ERRORs when the valid blocks already cover the whole space', () => {
      // Act
      const [result] = evaluate(check, withEndpoint(true, ['::/0', 'bogus']), RESTRICTED);
      // Assess
      expect(result?.status).toBe('FAILED');
      expect(result?.reason).toContain('"bogus"');
    });
  });

  it.each([
    ['endpointPublicAccess is absent', undefined],
    ['endpointPublicAccess is the string "false"', 'false'],
    ['endpointPublicAccess is the string "true"', 'true'],
  ])('is ERROR, never PASSED, when %s', (_, publicAccess) => {
    // Act
    const [result] = evaluate(check, withEndpoint(publicAccess, ['203.0.113.0/24']), RESTRICTED);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('endpointPublicAccess');
  });
});
