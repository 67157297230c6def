import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_insights.js';
import { runChecks } from '../../lib/checks/runner.js';
import { collected } from '../../lib/snapshot/types.js';
import {
  aDeniedClusterSnapshot,
  anInsight,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  insightsOf,
  NOW,
} from '../support/snapshot.js';

const DEPRECATED_APIS = anInsight({
  id: 'ins-apis',
  name: 'Deprecated APIs removed in Kubernetes v1.34',
  insightStatus: { status: 'ERROR', reason: 'Deprecated API usage detected within the last 30 days.' },
  categorySpecificSummary: {
    deprecationDetails: [
      {
        usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas',
        replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
        clientStats: [
          { userAgent: 'kube-state-metrics/v2.9.2', numberOfRequestsLast30Days: 120 },
          { userAgent: 'argocd-application-controller/v2.8', numberOfRequestsLast30Days: 900 },
          { userAgent: 'kubectl/v1.27.4', numberOfRequestsLast30Days: 3 },
          { userAgent: 'helm/v3.12', numberOfRequestsLast30Days: 40 },
        ],
      },
    ],
  },
});
const KUBELET_SKEW = anInsight({
  id: 'ins-skew',
  name: 'Kubelet version skew',
  insightStatus: { status: 'WARNING', reason: 'Node kubelet versions are two minor versions behind.' },
});
const HYBRID = anInsight({
  id: 'ins-hybrid',
  name: 'Hybrid nodes pod network',
  category: 'MISCONFIGURATION',
  insightStatus: { status: 'UNKNOWN', reason: 'Not evaluated yet.' },
});

describe('eks_cluster_insights', () => {
  it('has no results without clusters', () => {
    // Act
    const results = runChecks([check], [], { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('passes a cluster for which EKS lists no insight', () => {
    // Prepare
    const snapshot = aSnapshot({ insights: insightsOf([]) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'PASSED', resourceId: CLUSTER_ARN });
    expect(result?.reason).toBe(
      'EKS lists no upgrade-readiness or misconfiguration insight for cluster payments.',
    );
  });

  it('passes when every insight is PASSING, and mentions an UNKNOWN one without failing', () => {
    // Prepare
    const snapshot = aSnapshot({ insights: insightsOf([anInsight(), HYBRID]) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toBe(
      'Cluster payments has no insight in ERROR or WARNING (1 of 2 PASSING). 1 insight(s) have status UNKNOWN, ' +
        'which is not judged: "Hybrid nodes pod network" (MISCONFIGURATION, Kubernetes 1.34).',
    );
  });

  it('fails HIGH on an ERROR insight, naming it and its three busiest clients', () => {
    // Prepare
    const snapshot = aSnapshot({ insights: insightsOf([DEPRECATED_APIS]) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(result?.reason).toBe(
      'Cluster payments has 1 insight(s) needing action: ERROR "Deprecated APIs removed in Kubernetes v1.34" ' +
        '(UPGRADE_READINESS, Kubernetes 1.34): Deprecated API usage detected within the last 30 days; top clients: ' +
        'argocd-application-controller/v2.8 (900 requests in 30 days), kube-state-metrics/v2.9.2 (120 requests in 30 days), ' +
        'helm/v3.12 (40 requests in 30 days).',
    );
  });

  it('fails LOW on a WARNING insight alone', () => {
    // Prepare
    const snapshot = aSnapshot({ insights: insightsOf([anInsight(), KUBELET_SKEW]) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    expect(result?.reason).toContain('WARNING "Kubelet version skew"');
  });

  it('fails HIGH with several insights, listing the ERROR and the WARNING ones and the UNKNOWN', () => {
    // Prepare
    const snapshot = aSnapshot({ insights: insightsOf([KUBELET_SKEW, DEPRECATED_APIS, HYBRID]) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(result?.reason).toContain('has 2 insight(s) needing action: ERROR "Deprecated APIs');
    expect(result?.reason).toContain('; WARNING "Kubelet version skew"');
    expect(result?.reason).toContain('1 insight(s) have status UNKNOWN');
    expect(result?.evidence.insights).toHaveLength(3);
  });

  it('ignores insights of other categories', () => {
    // Prepare
    const other = anInsight({
      id: 'ins-other',
      category: 'ROLLBACK_READINESS' as never,
      insightStatus: { status: 'ERROR' },
    });
    const snapshot = aSnapshot({ insights: insightsOf([other]) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
  });

  it('still fails on an ERROR insight whose details could not be read, naming the failed call', () => {
    // Prepare
    const failure = {
      operation: 'eks:DescribeInsight',
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    };
    const snapshot = aSnapshot({
      insights: collected(insightsOf([DEPRECATED_APIS], []), { 'ins-apis': failure }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(result?.reason).toContain(
      '(details not read: eks:DescribeInsight failed (ThrottlingException: Rate exceeded))',
    );
    expect(result?.evidence.detailFailures).toEqual({ 'ins-apis': failure });
  });

  it('gives ERROR when ListInsights failed', () => {
    // Prepare
    const snapshot = aSnapshot({
      insights: failedPart({
        operation: 'eks:ListInsights',
        code: 'AccessDeniedException',
        message: 'denied',
      }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('eks:ListInsights failed (AccessDeniedException: denied)');
  });

  it('gives ERROR on the cluster ARN when DescribeCluster was denied', () => {
    // Act
    const [result] = evaluate(check, aDeniedClusterSnapshot());
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
  });
});
