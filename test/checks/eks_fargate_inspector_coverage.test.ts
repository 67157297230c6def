import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_fargate_inspector_coverage.js';
import {
  aFargateProfile,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  resultFor,
} from '../support/snapshot.js';

describe('eks_fargate_inspector_coverage', () => {
  it('has no results for a cluster without Fargate profiles', () => {
    // Prepare
    const snapshot = aSnapshot({ fargateProfiles: [] });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it('is NOT_APPLICABLE for a Fargate profile, pointing to ECR enhanced scanning', () => {
    // Prepare
    const profile = aFargateProfile('batch');
    const snapshot = aSnapshot({ fargateProfiles: [profile] });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'NOT_APPLICABLE',
      severity: 'INFORMATIONAL',
      resourceId: profile.fargateProfileArn,
      resourceType: 'Other',
    });
    expect(results[0]?.reason).toContain('Fargate profile batch');
    expect(results[0]?.reason).toContain('no EC2 host for Amazon Inspector to scan');
    expect(results[0]?.reason).toContain('ECR enhanced scanning');
    expect(results[0]?.evidence).toEqual({
      fargateProfileName: 'batch',
      selectors: [{ namespace: 'batch' }],
    });
  });

  it('gives exactly one result per profile, named after it', () => {
    // Prepare
    const batch = aFargateProfile('batch');
    const web = aFargateProfile('web', { selectors: [{ namespace: 'web', labels: { tier: 'front' } }] });
    const snapshot = aSnapshot({ fargateProfiles: [batch, web] });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(2);
    expect(resultFor(results, batch.fargateProfileArn ?? '').reason).toContain('Fargate profile batch');
    expect(resultFor(results, web.fargateProfileArn ?? '').reason).toContain('Fargate profile web');
    expect(results.every((result) => result.status === 'NOT_APPLICABLE')).toBe(true);
  });

  it('is ERROR when the Fargate profiles could not be listed', () => {
    // Prepare
    const snapshot = aSnapshot({
      fargateProfiles: failedPart({ operation: 'eks:ListFargateProfiles', code: 'AccessDeniedException' }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN, severity: 'INFORMATIONAL' });
    expect(results[0]?.reason).toContain('eks:ListFargateProfiles failed (AccessDeniedException');
  });
});
