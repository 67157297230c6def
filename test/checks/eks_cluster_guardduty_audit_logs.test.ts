import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_guardduty_audit_logs.js';
import {
  aDeniedClusterSnapshot,
  aGuardDutyDetector,
  aLedgerSnapshot,
  aSnapshot,
  CLUSTER_ARN,
  DETECTOR_ID,
  evaluate,
  failedPart,
} from '../support/snapshot.js';

const withAuditLogs = (status?: string) =>
  aGuardDutyDetector({
    Features: [
      { Name: 'CLOUD_TRAIL', Status: 'ENABLED' },
      ...(status === undefined ? [] : [{ Name: 'EKS_AUDIT_LOGS' as const, Status: status as never }]),
    ],
  });

describe('eks_cluster_guardduty_audit_logs', () => {
  it('passes when the enabled detector has EKS_AUDIT_LOGS ENABLED', () => {
    // Prepare
    const snapshot = aSnapshot({ guardDutyDetector: aGuardDutyDetector() });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'PASSED', severity: 'MEDIUM', resourceId: CLUSTER_ARN });
    expect(result?.evidence).toEqual({ detectorId: DETECTOR_ID, eksAuditLogs: 'ENABLED' });
  });

  it('fails when GuardDuty has no detector in the account and Region (ListDetectors empty)', () => {
    // Prepare
    const snapshot = aSnapshot({ guardDutyDetector: null });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('GuardDuty has no detector in account 222222222222 and eu-west-1');
    expect(result?.evidence).toEqual({ detectorId: null });
  });

  it('fails when the detector is suspended, whatever its features say', () => {
    // Prepare
    const snapshot = aSnapshot({ guardDutyDetector: aGuardDutyDetector({ Status: 'DISABLED' }) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(
      `detector ${DETECTOR_ID} in account 222222222222 and eu-west-1 is DISABLED`,
    );
  });

  it.each([
    ['DISABLED', 'EKS_AUDIT_LOGS DISABLED'],
    [undefined, 'EKS_AUDIT_LOGS not configured'],
  ])('fails when EKS_AUDIT_LOGS is %s', (status, words) => {
    // Prepare
    const snapshot = aSnapshot({ guardDutyDetector: withAuditLogs(status) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(words);
    expect(result?.evidence).toEqual({ detectorId: DETECTOR_ID, eksAuditLogs: status ?? null });
  });

  it('judges each cluster of the Region by the same detector', () => {
    // Prepare
    const payments = aSnapshot({ guardDutyDetector: withAuditLogs('DISABLED') });
    const ledger = { ...aLedgerSnapshot(payments), guardDutyDetector: payments.guardDutyDetector };
    // Act
    const results = [...evaluate(check, payments), ...evaluate(check, ledger)];
    // Assess
    expect(results.map((result) => [result.cluster, result.status])).toEqual([
      ['payments', 'FAILED'],
      ['ledger', 'FAILED'],
    ]);
  });

  it('is ERROR, never PASSED, when a GuardDuty call failed', () => {
    // Prepare
    const snapshot = aSnapshot({
      guardDutyDetector: failedPart({ operation: 'guardduty:GetDetector', code: 'AccessDeniedException' }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('guardduty:GetDetector failed (AccessDeniedException');
  });

  it('is ERROR when the detector reports no Features', () => {
    // Prepare
    const snapshot = aSnapshot({ guardDutyDetector: aGuardDutyDetector({ Features: undefined }) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('reports no Features');
  });

  it('is ERROR on the cluster when DescribeCluster failed', () => {
    // Act
    const [result] = evaluate(check, aDeniedClusterSnapshot());
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
  });
});
