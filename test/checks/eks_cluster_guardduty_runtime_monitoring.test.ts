import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_guardduty_runtime_monitoring.js';
import {
  aCluster,
  aGuardDutyCoverage,
  aGuardDutyDetector,
  aKarpenterInstance,
  aLedgerSnapshot,
  aManagedNodegroup,
  anAutoScalingGroup,
  anInstance,
  aSnapshot,
  CLUSTER_ARN,
  DETECTOR_ID,
  evaluate,
  failedPart,
  STOPPED,
} from '../support/snapshot.js';

/** A cluster with one managed node group: EC2 compute GuardDuty can cover. */
const withNodes = (parts: Parameters<typeof aSnapshot>[0] = {}) =>
  aSnapshot({ nodegroups: [aManagedNodegroup()], ...parts });

const detectorWith = (features: { Name: string; Status: string }[]) =>
  aGuardDutyDetector({ Features: features as never });

describe('eks_cluster_guardduty_runtime_monitoring', () => {
  it('passes when the cluster’s coverage is HEALTHY', () => {
    // Act
    const [result] = evaluate(check, withNodes());
    // Assess
    expect(result).toMatchObject({ status: 'PASSED', severity: 'HIGH', resourceId: CLUSTER_ARN });
    expect(result?.reason).toContain('HEALTHY, 2 of 2 compatible node(s) covered');
    expect(result?.evidence).toMatchObject({
      compute: '1 managed node group(s)',
      runtimeFeatures: { RUNTIME_MONITORING: 'ENABLED', EKS_RUNTIME_MONITORING: null },
      coverageStatus: 'HEALTHY',
      managementType: 'AUTO_MANAGED',
    });
  });

  it('passes with the legacy EKS_RUNTIME_MONITORING feature', () => {
    // Prepare
    const snapshot = withNodes({
      guardDutyDetector: detectorWith([{ Name: 'EKS_RUNTIME_MONITORING', Status: 'ENABLED' }]),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
  });

  describe('NOT_APPLICABLE without EC2 or Auto Mode compute', () => {
    it('for a Fargate-only cluster', () => {
      // Act
      const [result] = evaluate(check, aSnapshot({ guardDutyDetector: null }));
      // Assess
      expect(result?.status).toBe('NOT_APPLICABLE');
      expect(result?.reason).toContain(
        'its pods run on Fargate, which GuardDuty Runtime Monitoring does not support',
      );
    });

    it('for a hybrid-only cluster, saying so', () => {
      // Prepare
      const cluster = aCluster({
        remoteNetworkConfig: { remoteNodeNetworks: [{ cidrs: ['10.80.0.0/16'] }] },
      });
      // Act
      const [result] = evaluate(check, aSnapshot({ cluster }));
      // Assess
      expect(result?.status).toBe('NOT_APPLICABLE');
      expect(result?.reason).toContain('Fargate or hybrid nodes');
      expect(result?.evidence).toEqual({
        acceptsHybridNodes: true,
        hybridNodes: expect.objectContaining({ remoteNodeNetworks: ['10.80.0.0/16'] }),
      });
    });

    it('when its only instances are terminated or shutting down', () => {
      // Prepare
      const instances = [
        anInstance({ State: { Code: 48, Name: 'terminated' } }),
        aKarpenterInstance('default', { State: { Code: 32, Name: 'shutting-down' } }),
      ];
      // Act
      const [result] = evaluate(check, aSnapshot({ instances }));
      // Assess
      expect(result?.status).toBe('NOT_APPLICABLE');
    });
  });

  describe('applies as soon as one source shows EC2 or Auto Mode compute', () => {
    it.each([
      ['Auto Mode', { cluster: aCluster({ computeConfig: { enabled: true } }) }, 'EKS Auto Mode'],
      [
        'an empty managed node group',
        { nodegroups: [aManagedNodegroup({ scalingConfig: { desiredSize: 0 } })] },
        '1 managed node group(s)',
      ],
      [
        'a self-managed Auto Scaling group',
        { autoScalingGroups: [anAutoScalingGroup('legacy')] },
        '1 self-managed Auto Scaling group(s)',
      ],
      ['a Karpenter node', { instances: [aKarpenterInstance('default')] }, '1 EC2 node(s)'],
      ['a stopped node', { instances: [anInstance({ State: STOPPED })] }, '1 EC2 node(s)'],
    ] as [string, Parameters<typeof aSnapshot>[0], string][])('%s', (_name, parts, compute) => {
      // Act
      const [result] = evaluate(check, aSnapshot({ ...parts, guardDutyDetector: null }));
      // Assess
      expect(result?.status).toBe('FAILED');
      expect(result?.evidence).toMatchObject({ compute });
    });

    it('reads no later source once one shows compute: a failed instance listing does not matter', () => {
      // Prepare
      const snapshot = withNodes({ instances: failedPart({ operation: 'ec2:DescribeInstances' }) });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result?.status).toBe('PASSED');
    });

    it('is ERROR when the answer depends on a failed listing', () => {
      // Prepare
      const snapshot = aSnapshot({
        autoScalingGroups: failedPart({ operation: 'autoscaling:DescribeAutoScalingGroups' }),
      });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result?.status).toBe('ERROR');
      expect(result?.reason).toContain('autoscaling:DescribeAutoScalingGroups failed');
    });
  });

  describe('HIGH', () => {
    it('fails when the account and Region have no detector (a verdict, not an error)', () => {
      // Act
      const [result] = evaluate(check, withNodes({ guardDutyDetector: null }));
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
      expect(result?.reason).toContain('GuardDuty has no detector in account 222222222222 and eu-west-1');
    });

    it('fails when the detector is suspended', () => {
      // Act
      const [result] = evaluate(
        check,
        withNodes({ guardDutyDetector: aGuardDutyDetector({ Status: 'DISABLED' }) }),
      );
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
      expect(result?.reason).toContain('is DISABLED');
    });

    it('fails when neither runtime feature is ENABLED', () => {
      // Prepare
      const detector = detectorWith([
        { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
        { Name: 'RUNTIME_MONITORING', Status: 'DISABLED' },
      ]);
      // Act
      const [result] = evaluate(check, withNodes({ guardDutyDetector: detector }));
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
      expect(result?.reason).toContain('neither RUNTIME_MONITORING nor EKS_RUNTIME_MONITORING enabled');
      expect(result?.evidence).toMatchObject({
        runtimeFeatures: { RUNTIME_MONITORING: 'DISABLED', EKS_RUNTIME_MONITORING: null },
      });
    });
  });

  describe('MEDIUM', () => {
    it('fails when the cluster has no coverage record, naming agent management when it is off', () => {
      // Prepare
      const detector = aGuardDutyDetector({
        Features: [
          {
            Name: 'RUNTIME_MONITORING',
            Status: 'ENABLED',
            AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' }],
          },
        ],
      });
      // Act
      const [result] = evaluate(check, withNodes({ guardDutyDetector: detector, guardDutyCoverage: null }));
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
      expect(result?.reason).toContain('no runtime coverage record');
      expect(result?.reason).toContain('EKS_ADDON_MANAGEMENT, is DISABLED');
      expect(result?.evidence).toMatchObject({ coverage: null, agentManagement: 'DISABLED' });
    });

    it('fails when the coverage is UNHEALTHY, with the issue, the nodes and the agent status', () => {
      // Prepare
      const coverage = aGuardDutyCoverage({
        CoverageStatus: 'UNHEALTHY',
        Issue: 'VPC endpoint creation failed',
        eks: {
          CoveredNodes: 1,
          CompatibleNodes: 3,
          AddonDetails: { AddonStatus: 'DEGRADED', AddonVersion: 'v1.10.0-eksbuild.1' },
        },
      });
      // Act
      const [result] = evaluate(check, withNodes({ guardDutyCoverage: coverage }));
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
      expect(result?.reason).toContain(
        'UNHEALTHY: VPC endpoint creation failed; 1 of 3 compatible node(s) covered; agent DEGRADED (v1.10.0-eksbuild.1)',
      );
    });

    it('fails when the cluster is excluded (ManagementType DISABLED), even if its record is HEALTHY', () => {
      // Prepare
      const coverage = aGuardDutyCoverage({ eks: { ManagementType: 'DISABLED', CoveredNodes: 0 } });
      // Act
      const [result] = evaluate(check, withNodes({ guardDutyCoverage: coverage }));
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
      expect(result?.reason).toContain(
        'excluded from GuardDuty Runtime Monitoring (ManagementType DISABLED)',
      );
    });
  });

  it('judges several clusters of a Region by their own coverage records', () => {
    // Prepare
    const payments = withNodes();
    const ledger = {
      ...aLedgerSnapshot(payments),
      nodegroups: payments.nodegroups,
      guardDutyCoverage: aSnapshot({ guardDutyCoverage: null }).guardDutyCoverage,
    };
    // Act
    const results = [...evaluate(check, payments), ...evaluate(check, ledger)];
    // Assess
    expect(results.map((result) => [result.cluster, result.status, result.severity])).toEqual([
      ['payments', 'PASSED', 'HIGH'],
      ['ledger', 'FAILED', 'MEDIUM'],
    ]);
  });

  it('is ERROR, never PASSED, when ListCoverage failed', () => {
    // Prepare
    const snapshot = withNodes({
      guardDutyCoverage: failedPart({
        operation: 'guardduty:ListCoverage',
        code: 'InternalServerErrorException',
      }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('guardduty:ListCoverage failed (InternalServerErrorException');
  });

  it('is ERROR when ListDetectors failed', () => {
    // Prepare
    const snapshot = withNodes({ guardDutyDetector: failedPart({ operation: 'guardduty:ListDetectors' }) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.evidence).toMatchObject({ failure: { operation: 'guardduty:ListDetectors' } });
  });

  it('is ERROR when a coverage record has no status', () => {
    // Prepare
    const snapshot = withNodes({ guardDutyCoverage: aGuardDutyCoverage({ CoverageStatus: undefined }) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('has no CoverageStatus');
  });

  it('names the detector in the evidence', () => {
    // Act
    const [result] = evaluate(check, withNodes());
    // Assess
    expect(result?.evidence).toMatchObject({ detectorId: DETECTOR_ID });
  });
});
