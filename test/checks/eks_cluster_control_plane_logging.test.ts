import type { LogSetup } from '@aws-sdk/client-eks';
import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_control_plane_logging.js';
import { relatedRequirement } from '../../lib/checks/frameworks.js';
import { resolveParameters } from '../../lib/checks/runner.js';
import { ParameterError } from '../../lib/errors.js';
import { itJudgesClustersLikeEveryClusterCheck } from '../support/cluster-check-basics.js';
import { aCluster, aSnapshot, CLUSTER_ARN, evaluate } from '../support/snapshot.js';

const withLogging = (...clusterLogging: LogSetup[]) =>
  aSnapshot({ cluster: aCluster({ logging: { clusterLogging } }) });

describe('eks_cluster_control_plane_logging', () => {
  itJudgesClustersLikeEveryClusterCheck(check, () => withLogging({ types: ['audit'], enabled: false }));

  it('passes a cluster sending every control plane log type', () => {
    // Prepare
    const snapshot = withLogging(
      { types: ['api', 'audit', 'authenticator'], enabled: true },
      { types: ['controllerManager', 'scheduler'], enabled: true },
    );
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
    expect(results[0]?.evidence).toMatchObject({ missingLogTypes: [] });
  });

  it('fails a cluster with some log types disabled and lists them', () => {
    // Prepare
    const snapshot = withLogging(
      { types: ['api', 'audit', 'authenticator'], enabled: true },
      { types: ['controllerManager', 'scheduler'], enabled: false },
    );
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result?.reason).toContain('Cluster payments');
    expect(result?.reason).toContain('controllerManager, scheduler');
    expect(result?.reason).not.toContain('audit');
    expect(result?.evidence).toMatchObject({
      enabledLogTypes: ['api', 'audit', 'authenticator'],
      missingLogTypes: ['controllerManager', 'scheduler'],
    });
  });

  it('fails a cluster with logging entirely disabled', () => {
    // Prepare
    const snapshot = withLogging({
      types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      enabled: false,
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('api, audit, authenticator, controllerManager, scheduler');
  });

  it('passes a cluster logging only audit when requiredLogTypes is audit', () => {
    // Prepare
    const snapshot = withLogging(
      { types: ['audit'], enabled: true },
      { types: ['api', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
    );
    // Act
    const [result] = evaluate(check, snapshot, { parameters: { requiredLogTypes: 'audit' } });
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('(audit)');
  });

  it('fails on a required type alone when requiredLogTypes narrows the set', () => {
    // Prepare
    const snapshot = withLogging({ types: ['api'], enabled: true });
    // Act
    const [result] = evaluate(check, snapshot, { parameters: { requiredLogTypes: 'api,audit' } });
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.evidence).toMatchObject({ missingLogTypes: ['audit'] });
  });

  it('rejects an unknown log type in requiredLogTypes', () => {
    // Prepare
    const overrides = { requiredLogTypes: 'audit,kubelet' };
    // Act
    const resolve = () => resolveParameters(check, overrides);
    // Assess
    expect(resolve).toThrow(ParameterError);
    expect(resolve).toThrow('kubelet');
  });

  it.each([
    ['logging is absent', aCluster({ logging: undefined })],
    ['clusterLogging is absent', aCluster({ logging: {} })],
  ])('is ERROR when %s', (_, cluster) => {
    // Prepare
    const snapshot = aSnapshot({ cluster });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('reports no logging.clusterLogging');
  });

  it.each([
    [{}, ['CIS Amazon EKS Benchmark v1.1.0/2.1.1']],
    [
      { requiredLogTypes: 'audit' },
      [
        'AWS Foundational Security Best Practices v1.0.0/EKS.8',
        'EKS Best Practices Guide/Detective controls / Enable audit logs',
      ],
    ],
    [{ requiredLogTypes: 'audit,api' }, []],
  ])('with parameters %j cites only the controls whose verdict it gives: %j', (parameters, cited) => {
    // Act
    const [result] = evaluate(check, aSnapshot(), { parameters });
    // Assess
    expect(result?.frameworks.map(relatedRequirement)).toEqual(cited);
  });
});
