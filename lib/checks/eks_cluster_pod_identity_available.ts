import { describeFailure, MissingDataError } from '../snapshot/missing-data.js';
import type { CollectionFailure } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

const POD_IDENTITY_AGENT = 'eks-pod-identity-agent';

const NOT_SEEN =
  'An agent installed outside the EKS add-on (Helm chart, manifest) is not seen by this check.';

export default defineCheck({
  id: 'eks_cluster_pod_identity_available',
  title: 'EKS cluster can give pods their own AWS identity (IRSA or EKS Pod Identity)',
  resource: CLUSTER_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    "Pods can only use the node role: no IAM OIDC provider exists for the cluster's issuer (IRSA), the " +
    '`eks-pod-identity-agent` add-on is not installed and ACTIVE, and Auto Mode is off. The reason says an agent ' +
    'installed outside the add-on is not seen.',
  risk:
    'Without IRSA or EKS Pod Identity, every pod that calls AWS uses the node instance role, so each workload ' +
    'holds the union of all workloads’ permissions and a compromised pod reaches everything the node can.',
  remediation: {
    text:
      'Install the eks-pod-identity-agent add-on and create pod identity associations, or create an IAM OIDC ' +
      'provider for the cluster issuer and use IAM roles for service accounts.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html',
  },
  inputs: ['addons', 'oidcProviders'],
  frameworks: [eksBestPractice('IAM / Use IRSA or EKS Pod Identity to assign AWS identities to pods')],
  parameters: {},
  evaluate({ snapshot, cluster }) {
    // Each way to PASS rests on data that was collected; FAILED needs all three facts.
    if (cluster.computeConfig?.enabled === true) {
      return {
        status: 'PASSED',
        reason: `Cluster ${cluster.name} runs EKS Auto Mode, which has EKS Pod Identity built in.`,
        evidence: { autoMode: true },
      };
    }
    const issuer = cluster.identity?.oidc?.issuer;
    const providerPath = issuer?.replace(/^https:\/\//, '');
    const failures: CollectionFailure[] = [];
    const facts: string[] = [];
    const evidence: Record<string, unknown> = { autoMode: false, issuer: issuer ?? null };

    if (snapshot.addons.status === 'failed') failures.push(snapshot.addons.failure);
    else {
      const agent = snapshot.addons.value.find((addon) => addon.addonName === POD_IDENTITY_AGENT);
      evidence.podIdentityAgent =
        agent === undefined ? null : { status: agent.status, version: agent.addonVersion };
      if (agent?.status === 'ACTIVE') {
        return {
          status: 'PASSED',
          reason: `Cluster ${cluster.name} has the ${POD_IDENTITY_AGENT} add-on ACTIVE (EKS Pod Identity).`,
          evidence,
        };
      }
      facts.push(
        agent === undefined
          ? `the ${POD_IDENTITY_AGENT} add-on is not installed`
          : `the ${POD_IDENTITY_AGENT} add-on is ${agent.status}, not ACTIVE`,
      );
    }

    if (snapshot.oidcProviders.status === 'failed') failures.push(snapshot.oidcProviders.failure);
    else if (providerPath === undefined)
      facts.push('the cluster reports no OIDC issuer, so IRSA cannot work');
    else {
      const provider = snapshot.oidcProviders.value.find((entry) =>
        (entry.Arn ?? '').endsWith(`:oidc-provider/${providerPath}`),
      );
      if (provider !== undefined) {
        return {
          status: 'PASSED',
          reason: `Cluster ${cluster.name} has an IAM OIDC provider for its issuer (IRSA): ${provider.Arn}.`,
          evidence: { ...evidence, oidcProvider: provider.Arn },
        };
      }
      facts.push(`no IAM OIDC provider exists for its issuer ${issuer} (IRSA)`);
    }

    const [failure] = failures;
    if (failure !== undefined) {
      throw new MissingDataError(
        `Cannot tell whether pods of cluster ${cluster.name} can have their own AWS identity: ${failures
          .map(describeFailure)
          .join('; ')}.`,
        failure,
      );
    }
    return {
      status: 'FAILED',
      reason: `Pods of cluster ${cluster.name} can only use the node role: ${facts.join(', ')}, and Auto Mode is off. ${NOT_SEEN}`,
      evidence,
    };
  },
});
