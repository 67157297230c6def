import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_pod_identity_available.js';
import { runChecks } from '../../lib/checks/runner.js';
import {
  aCluster,
  aDeniedClusterSnapshot,
  anAddon,
  anOidcProvider,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  NOW,
  OIDC_ISSUER,
} from '../support/snapshot.js';

const withIssuer = aCluster({ identity: { oidc: { issuer: OIDC_ISSUER } } });
const AGENT = anAddon({ addonName: 'eks-pod-identity-agent', addonVersion: 'v1.3.4-eksbuild.1' });
const IAM_DENIED = failedPart<never>({
  operation: 'iam:ListOpenIDConnectProviders',
  code: 'AccessDenied',
  message: 'no',
});
const ADDONS_DENIED = failedPart<never>({
  operation: 'eks:ListAddons',
  code: 'AccessDeniedException',
  message: 'no',
});
const NOT_SEEN =
  'An agent installed outside the EKS add-on (Helm chart, manifest) is not seen by this check.';

describe('eks_cluster_pod_identity_available', () => {
  it('has no results without clusters', () => {
    // Act
    const results = runChecks([check], [], { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('passes with an IAM OIDC provider for the cluster issuer (IRSA)', () => {
    // Prepare
    const snapshot = aSnapshot({ cluster: withIssuer, addons: [], oidcProviders: [anOidcProvider()] });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'PASSED', resourceId: CLUSTER_ARN });
    expect(result?.reason).toBe(
      `Cluster payments has an IAM OIDC provider for its issuer (IRSA): ${anOidcProvider().Arn}.`,
    );
  });

  it('passes with the eks-pod-identity-agent add-on ACTIVE, even when IAM could not be read', () => {
    // Prepare
    const snapshot = aSnapshot({ cluster: withIssuer, addons: [AGENT], oidcProviders: IAM_DENIED });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('has the eks-pod-identity-agent add-on ACTIVE');
  });

  it('passes an Auto Mode cluster, whose Pod Identity is built in, whatever else failed', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: aCluster({ computeConfig: { enabled: true } }),
      addons: ADDONS_DENIED,
      oidcProviders: IAM_DENIED,
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('EKS Auto Mode');
  });

  it('fails with no provider for the issuer, no agent add-on and Auto Mode off, saying what it cannot see', () => {
    // Prepare
    const otherCluster = anOidcProvider('https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER');
    const snapshot = aSnapshot({
      cluster: aCluster({ ...withIssuer, computeConfig: { enabled: false } }),
      addons: [anAddon()],
      oidcProviders: [otherCluster],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(result?.reason).toBe(
      `Pods of cluster payments can only use the node role: the eks-pod-identity-agent add-on is not installed, no IAM OIDC provider exists for its issuer ${OIDC_ISSUER} (IRSA), and Auto Mode is off. ${NOT_SEEN}`,
    );
  });

  it('fails when the agent add-on is installed but not ACTIVE, and when the cluster has no issuer', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: aCluster(),
      addons: [anAddon({ ...AGENT, status: 'DEGRADED' })],
      oidcProviders: [anOidcProvider()],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('the eks-pod-identity-agent add-on is DEGRADED, not ACTIVE');
    expect(result?.reason).toContain('the cluster reports no OIDC issuer');
  });

  it('gives ERROR when IAM failed and no add-on lets it pass', () => {
    // Prepare
    const snapshot = aSnapshot({ cluster: withIssuer, addons: [], oidcProviders: IAM_DENIED });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('iam:ListOpenIDConnectProviders failed (AccessDenied: no)');
  });

  it('gives ERROR when the add-ons failed and no provider lets it pass', () => {
    // Prepare
    const snapshot = aSnapshot({ cluster: withIssuer, addons: ADDONS_DENIED, oidcProviders: [] });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('eks:ListAddons failed');
  });

  it('gives ERROR on the cluster ARN when DescribeCluster was denied', () => {
    // Act
    const [result] = evaluate(check, aDeniedClusterSnapshot());
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
  });
});
