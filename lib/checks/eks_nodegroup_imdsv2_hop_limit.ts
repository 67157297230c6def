import { MissingDataError } from '../snapshot/missing-data.js';
import { describeNodeGroup, runningNodes } from '../snapshot/node-groups.js';
import { ASFF_TYPE } from './asff-types.js';
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
    "Any running node with the metadata endpoint on accepts IMDSv1 (HttpTokens not required) or has a response hop limit above 1, so pods can reach the node role's credentials; a node with HttpEndpoint disabled passes (no credentials are reachable).",
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
      httpEndpoint: node.MetadataOptions?.HttpEndpoint,
      httpTokens: node.MetadataOptions?.HttpTokens,
      hopLimit: node.MetadataOptions?.HttpPutResponseHopLimit,
    }));
    // With the endpoint off, tokens and hop limit guard nothing. An unreported endpoint counts as on (EC2's default).
    const disabled = settings.filter((node) => node.httpEndpoint === 'disabled');
    const reachable = settings.filter((node) => node.httpEndpoint !== 'disabled');
    const unknown = reachable.filter((node) => node.httpTokens === undefined || node.hopLimit === undefined);
    if (unknown.length > 0) {
      throw new MissingDataError(
        `${label}: instance(s) ${unknown.map((node) => node.instanceId).join(', ')} report no MetadataOptions.HttpTokens or HttpPutResponseHopLimit.`,
      );
    }

    const exposed = reachable.filter(
      (node) => node.httpTokens !== 'required' || (node.hopLimit ?? 0) > MAX_HOP_LIMIT,
    );
    if (exposed.length === 0) {
      const protectedBy = [
        reachable.length > 0
          ? `${reachable.length} running node(s) require IMDSv2 tokens with a hop limit of ${MAX_HOP_LIMIT}`
          : undefined,
        disabled.length > 0
          ? `${disabled.length} running node(s) have the instance metadata endpoint disabled, so no credentials are reachable through it (${disabled.map((node) => node.instanceId).join(', ')})`
          : undefined,
      ].filter((part) => part !== undefined);
      return {
        status: 'PASSED',
        reason: `${label}: ${disabled.length === 0 ? 'all ' : ''}${protectedBy.join('; ')}.`,
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
