import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_addons_healthy.js';
import { runChecks } from '../../lib/checks/runner.js';
import {
  aDeniedClusterSnapshot,
  anAddon,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  NOW,
} from '../support/snapshot.js';

describe('eks_cluster_addons_healthy', () => {
  it('has no results without clusters', () => {
    // Act
    const results = runChecks([check], [], { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('is not applicable to a cluster without add-ons', () => {
    // Prepare
    const snapshot = aSnapshot({ addons: [] });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'NOT_APPLICABLE', resourceId: CLUSTER_ARN });
    expect(result?.reason).toBe('Cluster payments has no EKS add-on installed.');
  });

  it('passes ACTIVE add-ons without health issues, and one still UPDATING', () => {
    // Prepare
    const snapshot = aSnapshot({
      addons: [
        anAddon(),
        anAddon({ addonName: 'coredns', status: 'UPDATING', addonVersion: 'v1.11.4-eksbuild.2' }),
      ],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toBe(
      'All 2 add-on(s) of cluster payments are healthy: vpc-cni ACTIVE, coredns UPDATING.',
    );
  });

  it.each(['DEGRADED', 'CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'] as const)(
    'fails an add-on %s',
    (status) => {
      // Prepare
      const snapshot = aSnapshot({ addons: [anAddon({ status })] });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
      expect(result?.reason).toBe(
        `Cluster payments has 1 unhealthy add-on(s): vpc-cni is ${status} (no health issue reported).`,
      );
    },
  );

  it('fails an ACTIVE add-on that reports health issues, with code and message', () => {
    // Prepare
    const issue = {
      code: 'ConfigurationConflict' as const,
      message: 'Conflicts found when trying to apply.',
      resourceIds: [],
    };
    const snapshot = aSnapshot({ addons: [anAddon({ health: { issues: [issue] } })] });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toBe(
      'Cluster payments has 1 unhealthy add-on(s): vpc-cni is ACTIVE (health issues ConfigurationConflict: Conflicts found when trying to apply.).',
    );
  });

  it('lists every unhealthy add-on among several', () => {
    // Prepare
    const snapshot = aSnapshot({
      addons: [
        anAddon(),
        anAddon({
          addonName: 'aws-ebs-csi-driver',
          status: 'DEGRADED',
          health: { issues: [{ code: 'InsufficientNumberOfReplicas', message: 'Not enough replicas.' }] },
        }),
        anAddon({ addonName: 'coredns', status: 'UPDATE_FAILED' }),
      ],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(
      'has 2 unhealthy add-on(s): aws-ebs-csi-driver is DEGRADED (health issues InsufficientNumberOfReplicas: Not enough replicas.); coredns is UPDATE_FAILED',
    );
    expect(result?.evidence.addons).toHaveLength(3);
  });

  it('gives ERROR when the add-ons could not be listed or described', () => {
    // Prepare
    const snapshot = aSnapshot({
      addons: failedPart({
        operation: 'eks:DescribeAddon',
        code: 'ServerException',
        message: 'Add-on coredns: boom',
      }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('eks:DescribeAddon failed (ServerException: Add-on coredns: boom)');
  });

  it('gives ERROR on the cluster ARN when DescribeCluster was denied', () => {
    // Act
    const [result] = evaluate(check, aDeniedClusterSnapshot());
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
  });
});
