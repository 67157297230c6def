import type { Cluster, ClusterVersionInformation } from '@aws-sdk/client-eks';
import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_version_supported.js';
import { runChecks } from '../../lib/checks/runner.js';
import {
  aCluster,
  aClusterVersion,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  NOW,
} from '../support/snapshot.js';

const END_OF_STANDARD = new Date('2026-07-29T00:00:00.000Z');
const END_OF_EXTENDED = new Date('2027-07-29T00:00:00.000Z');

/** A cluster on 1.33, whose standard support ends on END_OF_STANDARD and extended support on END_OF_EXTENDED. */
const onVersion = (version: Partial<ClusterVersionInformation> = {}, cluster: Partial<Cluster> = {}) =>
  aSnapshot({
    cluster: aCluster({ version: '1.33', ...cluster }),
    clusterVersions: [
      aClusterVersion({ clusterVersion: '1.32', endOfStandardSupportDate: new Date('2026-03-23T00:00:00Z') }),
      aClusterVersion({
        clusterVersion: '1.33',
        endOfStandardSupportDate: END_OF_STANDARD,
        endOfExtendedSupportDate: END_OF_EXTENDED,
        ...version,
      }),
    ],
  });

const NO_DATES = { endOfStandardSupportDate: undefined, endOfExtendedSupportDate: undefined };

describe('eks_cluster_version_supported', () => {
  it('has no results without clusters', () => {
    // Prepare
    const snapshots = [] as const;
    // Act
    const results = runChecks([check], snapshots, { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('passes a version in standard support and gives its end date', () => {
    // Prepare
    const snapshot = onVersion({ endOfStandardSupportDate: new Date('2027-01-15T00:00:00Z') });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'PASSED',
      resourceId: CLUSTER_ARN,
      resourceType: 'AwsEksCluster',
    });
    expect(results[0]?.reason).toBe(
      'Cluster payments runs Kubernetes 1.33, which is in standard support until 2027-01-15.',
    );
    expect(results[0]?.evidence).toMatchObject({ clusterVersion: '1.33', judgedBy: 'dates' });
  });

  it('passes 1 ms before the end of standard support', () => {
    // Prepare
    const snapshot = onVersion({ versionStatus: 'EXTENDED_SUPPORT' });
    // Act
    const [result] = evaluate(check, snapshot, { now: new Date(END_OF_STANDARD.getTime() - 1) });
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('until 2026-07-29');
  });

  it('fails at MEDIUM exactly at the end of standard support, naming the end of extended support', () => {
    // Prepare
    const snapshot = onVersion({ versionStatus: 'STANDARD_SUPPORT' });
    // Act
    const [result] = evaluate(check, snapshot, { now: END_OF_STANDARD });
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result?.reason).toBe(
      'Cluster payments runs Kubernetes 1.33, which is out of standard support and in extended support until ' +
        '2027-07-29; upgrade it before EKS does it automatically (its upgrade policy is STANDARD).',
    );
    expect(result?.evidence).toMatchObject({
      supportPhase: 'EXTENDED_SUPPORT',
      judgedBy: 'dates',
      endOfStandardSupportDate: '2026-07-29T00:00:00.000Z',
      endOfExtendedSupportDate: '2027-07-29T00:00:00.000Z',
      scanTime: '2026-07-29T00:00:00.000Z',
    });
  });

  it('fails at MEDIUM 1 ms before the end of extended support', () => {
    // Prepare
    const snapshot = onVersion();
    // Act
    const [result] = evaluate(check, snapshot, { now: new Date(END_OF_EXTENDED.getTime() - 1) });
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
  });

  it('fails at HIGH exactly at the end of extended support', () => {
    // Prepare
    const snapshot = onVersion({ versionStatus: 'EXTENDED_SUPPORT' });
    // Act
    const [result] = evaluate(check, snapshot, { now: END_OF_EXTENDED });
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(result?.reason).toContain('Cluster payments runs Kubernetes 1.33');
    expect(result?.reason).toContain('past the end of extended support (ended 2027-07-29)');
    expect(result?.evidence).toMatchObject({ supportPhase: 'UNSUPPORTED', judgedBy: 'dates' });
  });

  it('names the extended-support charge when the upgrade policy is EXTENDED', () => {
    // Prepare
    const snapshot = onVersion({}, { upgradePolicy: { supportType: 'EXTENDED' } });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result?.reason).toContain('upgrade it to end the extra extended-support charge');
    expect(result?.evidence).toMatchObject({ supportType: 'EXTENDED' });
  });

  it('warns, while passing, that an EXTENDED upgrade policy leads into paid extended support', () => {
    // Prepare
    const snapshot = onVersion({}, { upgradePolicy: { supportType: 'EXTENDED' } });
    // Act
    const [result] = evaluate(check, snapshot, { now: new Date('2026-01-01T00:00:00Z') });
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('its upgrade policy is EXTENDED');
  });

  it.each([
    ['STANDARD_SUPPORT', 'PASSED', 'HIGH'],
    ['EXTENDED_SUPPORT', 'FAILED', 'MEDIUM'],
    ['UNSUPPORTED', 'FAILED', 'HIGH'],
  ] as const)(
    'falls back to versionStatus %s when the dates are missing',
    (versionStatus, status, severity) => {
      // Prepare
      const snapshot = onVersion({ ...NO_DATES, versionStatus });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result).toMatchObject({ status, severity });
      expect(result?.evidence).toMatchObject({ judgedBy: 'versionStatus', versionStatus });
    },
  );

  it('keeps versionStatus within what a known date proves: past standard support is never PASSED', () => {
    // Prepare
    const snapshot = onVersion({ endOfExtendedSupportDate: undefined, versionStatus: 'STANDARD_SUPPORT' });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result?.evidence).toMatchObject({ supportPhase: 'EXTENDED_SUPPORT', judgedBy: 'versionStatus' });
  });

  it('uses versionStatus between the phases a lone date allows', () => {
    // Prepare
    const snapshot = onVersion({ endOfExtendedSupportDate: undefined, versionStatus: 'UNSUPPORTED' });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
  });

  it('fails at HIGH on a passed end of extended support even without the standard date', () => {
    // Prepare
    const snapshot = onVersion({
      endOfStandardSupportDate: undefined,
      endOfExtendedSupportDate: new Date('2026-11-01T00:00:00Z'),
      versionStatus: 'STANDARD_SUPPORT',
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(result?.evidence).toMatchObject({ judgedBy: 'dates' });
  });

  it('reads dates given as ISO strings, as estate files hold them', () => {
    // Prepare
    const snapshot = onVersion({
      endOfStandardSupportDate: '2026-07-29T00:00:00Z' as unknown as Date,
      endOfExtendedSupportDate: '2027-07-29T00:00:00Z' as unknown as Date,
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result?.evidence).toMatchObject({ judgedBy: 'dates' });
  });

  it.each([
    ['1 ms before', -1, 'PASSED'],
    ['exactly at', 0, 'FAILED'],
  ])('reads a zone-less end date as UTC: %s the end of standard support', (_, offsetMs, status) => {
    // Prepare
    const snapshot = onVersion({
      endOfStandardSupportDate: '2026-07-29T00:00:00' as unknown as Date,
      endOfExtendedSupportDate: '2027-07-29' as unknown as Date,
    });
    // Act
    const [result] = evaluate(check, snapshot, { now: new Date(END_OF_STANDARD.getTime() + offsetMs) });
    // Assess
    expect(result?.status).toBe(status);
    expect(result?.evidence).toMatchObject({
      judgedBy: 'dates',
      endOfStandardSupportDate: '2026-07-29T00:00:00.000Z',
      endOfExtendedSupportDate: '2027-07-29T00:00:00.000Z',
    });
  });

  it('reads an end date with an offset at its instant', () => {
    // Prepare: 2026-07-29T09:00+09:00 is END_OF_STANDARD
    const snapshot = onVersion({ endOfStandardSupportDate: '2026-07-29T09:00:00+09:00' as unknown as Date });
    // Act
    const [before] = evaluate(check, snapshot, { now: new Date(END_OF_STANDARD.getTime() - 1) });
    const [at] = evaluate(check, snapshot, { now: END_OF_STANDARD });
    // Assess
    expect(before?.status).toBe('PASSED');
    expect(at).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
  });

  it('treats an impossible end date as no date: versionStatus settles what it leaves open', () => {
    // Prepare
    const snapshot = onVersion({
      endOfStandardSupportDate: '2026-02-30T00:00:00Z' as unknown as Date,
      endOfExtendedSupportDate: undefined,
      versionStatus: 'STANDARD_SUPPORT',
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'PASSED', evidence: { judgedBy: 'versionStatus' } });
    expect(result?.evidence).not.toHaveProperty('endOfStandardSupportDate', expect.anything());
  });

  it('judges each cluster of several snapshots on its own', () => {
    // Prepare
    const extended = onVersion();
    const current = aSnapshot(
      {
        cluster: aCluster({
          name: 'ledger',
          arn: CLUSTER_ARN.replace('payments', 'ledger'),
          version: '1.34',
        }),
        clusterVersions: [
          aClusterVersion({
            clusterVersion: '1.34',
            endOfStandardSupportDate: new Date('2027-12-02T00:00:00Z'),
            endOfExtendedSupportDate: new Date('2028-12-02T00:00:00Z'),
          }),
        ],
      },
      { ...extended.scope, clusterName: 'ledger' },
    );
    // Act
    const results = runChecks([check], [extended, current], { now: NOW });
    // Assess
    expect(results.map((result) => [result.resourceId, result.status, result.severity])).toEqual([
      [CLUSTER_ARN, 'FAILED', 'MEDIUM'],
      [CLUSTER_ARN.replace('payments', 'ledger'), 'PASSED', 'HIGH'],
    ]);
  });

  it('is ERROR, not PASSED, when DescribeClusterVersions failed', () => {
    // Prepare
    const snapshot = aSnapshot({
      clusterVersions: failedPart({
        operation: 'eks:DescribeClusterVersions',
        code: 'AccessDeniedException',
      }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
    expect(results[0]?.reason).toContain('eks:DescribeClusterVersions failed (AccessDeniedException');
  });

  it('is ERROR when DescribeCluster failed', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: failedPart({ operation: 'eks:DescribeCluster', code: 'ResourceNotFoundException' }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('ERROR');
    expect(results[0]?.reason).toContain('eks:DescribeCluster failed (ResourceNotFoundException');
  });

  it.each([
    [
      'the cluster reports no version',
      onVersion({}, { version: undefined }),
      'reports no Kubernetes version',
    ],
    [
      'the version is not listed (versions are matched exactly, never as numbers)',
      aSnapshot({
        cluster: aCluster({ version: '1.3' }),
        clusterVersions: [
          aClusterVersion({ clusterVersion: '1.30' }),
          aClusterVersion({ clusterVersion: '1.33' }),
        ],
      }),
      'returned no entry for Kubernetes 1.3,',
    ],
    [
      'both dates and versionStatus are missing',
      onVersion({ ...NO_DATES, versionStatus: undefined }),
      'none',
    ],
    [
      'the dates are missing and versionStatus is unknown',
      onVersion({ ...NO_DATES, versionStatus: 'RETIRED' as never }),
      'RETIRED',
    ],
    [
      'extended support ends before standard support',
      onVersion({ endOfExtendedSupportDate: new Date('2026-01-01T00:00:00Z') }),
      'before its end of standard support',
    ],
  ])('is ERROR when %s', (_, snapshot, expected) => {
    // Prepare (the snapshot above)
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain(expected);
  });
});
