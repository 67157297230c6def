import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

export default defineCheck({
  id: 'eks_cluster_deletion_protection',
  title: 'EKS cluster has deletion protection enabled',
  resource: CLUSTER_RESOURCE,
  severities: ['LOW'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen: 'Deletion protection is not enabled.',
  risk:
    'Without deletion protection, one mistaken or malicious DeleteCluster call destroys the control plane and ' +
    'every workload it runs.',
  remediation: {
    text: 'Enable deletion protection on the cluster (UpdateClusterConfig with deletionProtection=true).',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/deletion-protection.html',
  },
  inputs: [],
  frameworks: [eksBestPractice('Cluster resilience / Protect clusters from accidental deletion')],
  parameters: {},
  evaluate({ cluster }) {
    // DescribeCluster omits deletionProtection on clusters that never set it: unprotected, not missing data.
    const evidence = { deletionProtection: cluster.deletionProtection ?? null };
    if (cluster.deletionProtection !== true) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} has deletion protection ${cluster.deletionProtection === false ? 'disabled' : 'not set'}; enable it so the cluster cannot be deleted by mistake.`,
        evidence,
      };
    }
    return { status: 'PASSED', reason: `Cluster ${cluster.name} has deletion protection enabled.`, evidence };
  },
});
