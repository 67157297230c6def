import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, runningNodes } from '../snapshot/node-groups.js';
import { instanceIdOf } from '../snapshot/references.js';
import type { Instance, InstanceInformation } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { integerParameter } from './parameters.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

const MINUTE_MS = 60_000;

/** When the node was launched; the SDK gives a Date, estate-built snapshots an ISO string. */
function launchTimeOf(node: Instance): Date | undefined {
  if (node.LaunchTime === undefined) return undefined;
  const launched = new Date(node.LaunchTime);
  return Number.isNaN(launched.getTime()) ? undefined : launched;
}

/** Why SSM cannot reach a node, or undefined when it is an Online managed node. */
function whyUnmanaged(information: InstanceInformation | undefined): string | undefined {
  if (information === undefined) return 'not registered with Systems Manager';
  if (information.PingStatus === 'Online') return undefined;
  return `PingStatus ${information.PingStatus ?? '(none reported)'}`;
}

export default defineCheck({
  id: 'eks_nodegroup_ssm_managed',
  title: 'EKS worker nodes are reachable through AWS Systems Manager instead of SSH',
  resource: NODE_GROUP_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    "A running node launched more than ssmGraceMinutes before the scan is not in the Region's Systems Manager managed-node list, or its PingStatus is not Online; the reason lists each node and why.",
  risk:
    'Nodes that Systems Manager does not manage can only be reached for troubleshooting through SSH keys and open ' +
    'ports, whose use CloudTrail does not audit; they also miss SSM-based patching and Inspector package scanning.',
  remediation: {
    text:
      'Run the SSM agent on the nodes (EKS-optimized AMIs ship it; Bottlerocket has the control container) and give ' +
      'the node role the AmazonSSMManagedInstanceCore policy, or enable Default Host Management Configuration; ' +
      'reach nodes with Session Manager instead of SSH.',
    url: 'https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html',
  },
  inputs: ['ssmManagedNodes'],
  frameworks: [eksBestPractice('Infrastructure security / Minimize access to worker nodes')],
  parameters: {
    ssmGraceMinutes: integerParameter({
      description:
        'Minutes a node may run before it must be an Online Systems Manager managed node (agent start and registration).',
      default: 15,
      min: 0,
      max: 1440,
    }),
  },
  evaluate({ snapshot, group }, { now, parameters }) {
    const label = describeNodeGroup(group);
    if (group.kind === 'auto-mode') {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label} is managed by AWS: EKS Auto Mode nodes allow no Systems Manager (or SSH) access by design.`,
      };
    }
    const nodes = runningNodes(group);
    if (nodes.length === 0) {
      return { status: 'NOT_APPLICABLE', reason: `${label} has no running nodes.` };
    }

    const managed = need(snapshot.ssmManagedNodes, 'The Systems Manager managed-node list');
    const informationById = new Map(managed.map((information) => [information.InstanceId, information]));
    const graceMs = parameters.ssmGraceMinutes * MINUTE_MS;
    const unmanaged: { instanceId: string; reason: string }[] = [];
    const withinGrace: string[] = [];
    const online: string[] = [];
    for (const node of nodes) {
      const instanceId = instanceIdOf(node);
      const why = whyUnmanaged(informationById.get(node.InstanceId));
      if (why === undefined) {
        online.push(instanceId);
        continue;
      }
      // An Online node passes whenever it was launched; only an unreachable one needs its age, to be excused.
      const launched = launchTimeOf(node);
      if (launched === undefined) {
        throw new MissingDataError(
          `${label}: running node ${instanceId} is ${why} and reports no valid LaunchTime, so whether it is still within the ${parameters.ssmGraceMinutes}-minute grace is unknown.`,
        );
      }
      if (now.getTime() - launched.getTime() > graceMs) unmanaged.push({ instanceId, reason: why });
      else withinGrace.push(instanceId);
    }

    const evidence = { managedNodes: online, unmanagedNodes: unmanaged, nodesWithinGrace: withinGrace };
    const graceNote =
      withinGrace.length === 0
        ? ''
        : `; ${withinGrace.join(', ')} launched within the last ${parameters.ssmGraceMinutes} minutes and not yet Online, judged on a later scan`;
    if (unmanaged.length > 0) {
      return {
        status: 'FAILED',
        reason: `${label} has running nodes Systems Manager cannot reach: ${unmanaged
          .map((node) => `${node.instanceId} (${node.reason})`)
          .join(', ')}${graceNote}.`,
        evidence,
      };
    }
    if (online.length === 0) {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label}: every running node (${withinGrace.join(', ')}) launched within the last ${parameters.ssmGraceMinutes} minutes and is not yet Online in Systems Manager; judged on a later scan.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `${label}: ${online.length} running node(s) are Online Systems Manager managed nodes${graceNote}.`,
      evidence,
    };
  },
});
