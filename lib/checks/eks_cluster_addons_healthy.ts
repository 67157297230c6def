import { need } from '../snapshot/missing-data.js';
import type { Addon } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** Add-on statuses that mean it is not working as installed (EKS API reference, Addon.status). */
const FAILED_STATUSES = ['DEGRADED', 'CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'];

/** What is wrong with an add-on, or undefined when nothing is. */
function problemOf(addon: Addon): string | undefined {
  const issues = (addon.health?.issues ?? []).map(
    (issue) => `${issue.code ?? 'unknown code'}: ${issue.message ?? 'no message'}`,
  );
  const failedStatus = FAILED_STATUSES.includes(addon.status ?? '');
  if (!failedStatus && issues.length === 0) return undefined;
  const health = issues.length === 0 ? 'no health issue reported' : `health issues ${issues.join('; ')}`;
  return `${addon.addonName} is ${addon.status} (${health})`;
}

export default defineCheck({
  id: 'eks_cluster_addons_healthy',
  title: 'EKS add-ons of the cluster are healthy',
  resource: CLUSTER_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    'An installed EKS add-on is DEGRADED, CREATE_FAILED, UPDATE_FAILED or DELETE_FAILED, or reports health ' +
    'issues (add-on, code, message).',
  risk:
    'A failed or degraded add-on (VPC CNI, CoreDNS, kube-proxy, the EBS CSI driver, the Pod Identity agent) ' +
    'breaks pod networking, name resolution, storage or pod credentials, and blocks cluster upgrades.',
  remediation: {
    text:
      'Read the health issues (aws eks describe-addon), fix their cause (IAM role, configuration values, ' +
      'conflicting self-managed resources), then update or re-create the add-on.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html',
  },
  inputs: ['addons'],
  frameworks: [eksBestPractice('Cluster upgrades / Keep EKS add-ons healthy and compatible')],
  parameters: {},
  evaluate({ snapshot, cluster }) {
    const addons = need(snapshot.addons, `The EKS add-ons of cluster ${cluster.name}`);
    const evidence = {
      addons: addons.map((addon) => ({
        name: addon.addonName,
        status: addon.status,
        healthIssues: (addon.health?.issues ?? []).map(({ code, message }) => ({ code, message })),
      })),
    };
    if (addons.length === 0) {
      return { status: 'NOT_APPLICABLE', reason: `Cluster ${cluster.name} has no EKS add-on installed.` };
    }
    const problems = addons.flatMap((addon) => problemOf(addon) ?? []);
    if (problems.length > 0) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} has ${problems.length} unhealthy add-on(s): ${problems.join('; ')}.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `All ${addons.length} add-on(s) of cluster ${cluster.name} are healthy: ${addons
        .map((addon) => `${addon.addonName} ${addon.status}`)
        .join(', ')}.`,
      evidence,
    };
  },
});
