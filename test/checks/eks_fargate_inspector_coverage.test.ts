import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_fargate_inspector_coverage.js';
import type { AccountState } from '../../lib/snapshot/types.js';
import {
  ACCOUNT,
  aFargateProfile,
  anEcrScanningConfiguration,
  anInspectorAccount,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  resultFor,
} from '../support/snapshot.js';

/** Inspector's account state with ECR scanning in `ecrStatus`. */
const inspectorWithEcr = (ecrStatus: string): AccountState => {
  const account = anInspectorAccount();
  return {
    ...account,
    resourceState: {
      ...account.resourceState,
      ecr: { status: ecrStatus as never, errorCode: undefined, errorMessage: undefined },
    } as AccountState['resourceState'],
  };
};

const batch = aFargateProfile('batch');

describe('eks_fargate_inspector_coverage', () => {
  it('has no results for a cluster without Fargate profiles', () => {
    // Act
    const results = evaluate(check, aSnapshot({ fargateProfiles: [] }));
    // Assess
    expect(results).toEqual([]);
  });

  it('passes when Inspector scans ECR, the registry is ENHANCED and a * rule scans continuously', () => {
    // Act
    const [result] = evaluate(check, aSnapshot({ fargateProfiles: [batch] }));
    // Assess
    expect(result).toMatchObject({
      status: 'PASSED',
      severity: 'MEDIUM',
      resourceId: batch.fargateProfileArn,
      resourceType: 'Other',
    });
    expect(result?.reason).toContain(
      `Inspector scans every ECR repository in account ${ACCOUNT} and eu-west-1`,
    );
    expect(result?.reason).toContain(
      'Images pulled from other registries (public or other accounts) are not judged.',
    );
    expect(result?.evidence).toMatchObject({ inspectorEcrStatus: 'ENABLED', registryScanType: 'ENHANCED' });
  });

  it('passes with a * rule scanning on push beside narrower rules', () => {
    // Prepare
    const configuration = anEcrScanningConfiguration({
      rules: [
        {
          scanFrequency: 'CONTINUOUS_SCAN',
          repositoryFilters: [{ filter: 'prod-*', filterType: 'WILDCARD' }],
        },
        { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] },
      ],
    });
    // Act
    const [result] = evaluate(
      check,
      aSnapshot({ fargateProfiles: [batch], ecrScanningConfiguration: configuration }),
    );
    // Assess
    expect(result?.status).toBe('PASSED');
  });

  it.each(['DISABLED', 'ENABLING', 'SUSPENDED'])('fails when Inspector ECR scanning is %s', (ecrStatus) => {
    // Prepare
    const snapshot = aSnapshot({ fargateProfiles: [batch], inspectorAccount: inspectorWithEcr(ecrStatus) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result?.reason).toContain(`Amazon Inspector ECR scanning is ${ecrStatus}`);
    expect(result?.reason).toContain('are not judged');
  });

  it('fails when the registry uses BASIC scanning, saying every problem at once', () => {
    // Prepare
    const snapshot = aSnapshot({
      fargateProfiles: [batch],
      inspectorAccount: inspectorWithEcr('DISABLED'),
      ecrScanningConfiguration: { scanType: 'BASIC', rules: [] },
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('Inspector ECR scanning is DISABLED');
    expect(result?.reason).toContain("the ECR registry's scan type is BASIC, not ENHANCED");
    expect(result?.reason).toContain('no registry scanning rule covers every repository');
  });

  it.each([
    [
      'only a narrower filter',
      [
        {
          scanFrequency: 'CONTINUOUS_SCAN',
          repositoryFilters: [{ filter: 'prod-*', filterType: 'WILDCARD' }],
        },
      ],
    ],
    [
      'a * rule scanning only manually',
      [{ scanFrequency: 'MANUAL', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    ],
    ['no rule', []],
  ])('fails when the enhanced registry has %s', (_name, rules) => {
    // Prepare
    const configuration = anEcrScanningConfiguration({ rules: rules as never });
    // Act
    const [result] = evaluate(
      check,
      aSnapshot({ fargateProfiles: [batch], ecrScanningConfiguration: configuration }),
    );
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('no registry scanning rule covers every repository');
    expect(result?.reason).not.toContain('not ENHANCED');
  });

  it('gives exactly one result per profile, named after it, with the same verdict for the account and Region', () => {
    // Prepare
    const web = aFargateProfile('web', { selectors: [{ namespace: 'web', labels: { tier: 'front' } }] });
    const snapshot = aSnapshot({
      fargateProfiles: [batch, web],
      ecrScanningConfiguration: { scanType: 'BASIC' },
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(2);
    expect(resultFor(results, batch.fargateProfileArn ?? '').reason).toContain('Fargate profile batch');
    expect(resultFor(results, web.fargateProfileArn ?? '').reason).toContain('Fargate profile web');
    expect(results.every((result) => result.status === 'FAILED')).toBe(true);
  });

  it.each([
    [
      'the ECR scanning configuration',
      { ecrScanningConfiguration: failedPart({ operation: 'ecr:GetRegistryScanningConfiguration' }) },
      'ecr:GetRegistryScanningConfiguration failed',
    ],
    [
      'the Inspector account status',
      { inspectorAccount: failedPart({ operation: 'inspector2:BatchGetAccountStatus' }) },
      'inspector2:BatchGetAccountStatus failed',
    ],
  ] as [string, Parameters<typeof aSnapshot>[0], string][])(
    'is ERROR, never PASSED, when %s could not be collected',
    (_name, parts, words) => {
      // Act
      const [result] = evaluate(check, aSnapshot({ fargateProfiles: [batch], ...parts }));
      // Assess
      expect(result).toMatchObject({ status: 'ERROR', resourceId: batch.fargateProfileArn });
      expect(result?.reason).toContain(words);
    },
  );

  it('is ERROR when Inspector reports no ECR status', () => {
    // Prepare
    const account = { ...anInspectorAccount(), resourceState: undefined };
    // Act
    const [result] = evaluate(check, aSnapshot({ fargateProfiles: [batch], inspectorAccount: account }));
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('no ECR scanning status');
  });

  it('is ERROR on the cluster when the Fargate profiles could not be listed', () => {
    // Prepare
    const snapshot = aSnapshot({
      fargateProfiles: failedPart({ operation: 'eks:ListFargateProfiles', code: 'AccessDeniedException' }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN, severity: 'MEDIUM' });
    expect(results[0]?.reason).toContain('eks:ListFargateProfiles failed (AccessDeniedException');
  });
});
