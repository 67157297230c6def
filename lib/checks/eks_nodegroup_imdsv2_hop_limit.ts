import { describeNodeGroup, runningNodes } from '../collect/node-groups.js';
import { ASFF_TYPE } from './asff-types.js';
import { MissingDataError } from './errors.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** A hop limit of 1 stops IMDS responses at the node: a pod's network namespace is one hop further. */
const MAX_HOP_LIMIT = 1;

export default defineCheck({
  id: 'eks_nodegroup_imdsv2_hop_limit',
  title: 'EKS worker nodes require IMDSv2 with a response hop limit of 1',
  resource: NODE_GROUP_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    "Any running node accepts IMDSv1 (HttpTokens not required) or has a response hop limit above 1, so pods can reach the node role's credentials.",
  risk:
    'When IMDSv1 is allowed or the hop limit exceeds 1, any pod can read the instance metadata service and take ' +
    "the node role's credentials, gaining every permission the nodes have.",
  remediation: {
    text:
      'Set HttpTokens to required and HttpPutResponseHopLimit to 1 in the launch template (or EC2NodeClass) and ' +
      'on running instances with ModifyInstanceMetadataOptions; give pods their own credentials through EKS Pod ' +
      'Identity or IRSA.',
    url: 'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html',
  },
  inputs: [],
  frameworks: [eksBestPractice('IAM / Restrict access to the instance profile assigned to the worker node')],
  parameters: {},
  evaluate({ group }) {
    const label = describeNodeGroup(group);
    const nodes = runningNodes(group);
    if (nodes.length === 0) {
      return { status: 'NOT_APPLICABLE', reason: `${label} has no running nodes.` };
    }

    const settings = nodes.map((node) => ({
      instanceId: node.InstanceId ?? '(instance without an id)',
      httpTokens: node.MetadataOptions?.HttpTokens,
      hopLimit: node.MetadataOptions?.HttpPutResponseHopLimit,
    }));
    const unknown = settings.filter((node) => node.httpTokens === undefined || node.hopLimit === undefined);
    if (unknown.length > 0) {
      throw new MissingDataError(
        `${label}: instance(s) ${unknown.map((node) => node.instanceId).join(', ')} report no MetadataOptions.HttpTokens or HttpPutResponseHopLimit.`,
      );
    }

    const exposed = settings.filter(
      (node) => node.httpTokens !== 'required' || (node.hopLimit ?? 0) > MAX_HOP_LIMIT,
    );
    if (exposed.length === 0) {
      return {
        status: 'PASSED',
        reason: `${label}: all ${nodes.length} running node(s) require IMDSv2 tokens with a hop limit of ${MAX_HOP_LIMIT}.`,
        evidence: { nodes: settings },
      };
    }
    return {
      status: 'FAILED',
      reason: `${label} lets pods reach the node role's credentials through instance metadata on ${exposed
        .map((node) => `${node.instanceId} (HttpTokens ${node.httpTokens}, hop limit ${node.hopLimit})`)
        .join(', ')}.`,
      evidence: { nodes: settings, exposedNodes: exposed.map((node) => node.instanceId) },
    };
  },
});
