/**
 * Node kinds the host checks treat apart (catalogue, third edition).
 *
 * EKS Auto Mode pools: AWS chooses the AMI (a Bottlerocket variant), patches it, replaces every node
 * within 21 days and allows no SSH, so the OS, AMI age, AMI release and SSH checks do not apply; what
 * the customer controls through the node class (subnets, public IPs) and what runs on the node (IMDS,
 * Inspector coverage) is judged like any node. AMI names of Auto Mode nodes are not documented: no
 * check matches on them.
 *
 * Hybrid nodes: a cluster with remote node networks says so in the evidence of every node-group
 * result (and of its cluster results, so the report can say it for a cluster with hybrid nodes alone),
 * because no host check sees them.
 */
import { autoModeNodePools, hybridNodeNetworks } from '../snapshot/compute.js';
import { describeNodeGroup, type NodeGroup } from '../snapshot/node-groups.js';
import type { Cluster } from '../snapshot/types.js';
import type { Outcome } from './types.js';

/** How node-group evidence names who runs an Auto Mode pool's nodes. */
export const AUTO_MODE_MANAGED_BY = 'AWS (EKS Auto Mode)';

/**
 * NOT_APPLICABLE for an Auto Mode pool, saying why (`what` is what the check judges, e.g. "its
 * operating system"); undefined for any other group, which the check judges as usual.
 */
export function notApplicableToAutoMode(group: NodeGroup, what: string): Outcome | undefined {
  if (group.kind !== 'auto-mode') return undefined;
  return {
    status: 'NOT_APPLICABLE',
    reason:
      `${describeNodeGroup(group)} is managed by AWS: EKS Auto Mode chooses, patches and replaces its nodes ` +
      `(each lives at most 21 days) and allows no SSH to them, so ${what} is not the account's to set.`,
  };
}

/** What node-group evidence says about hybrid nodes: the report reads it back (hybridNodesOf). */
export interface HybridNodesEvidence {
  readonly remoteNodeNetworks: readonly string[];
  readonly note: string;
}

const HYBRID_NOTE =
  'The cluster accepts hybrid nodes, which are not EC2 instances: they are outside the host checks and were not judged.';

/** The evidence every node-group (and cluster) result of the cluster carries about its other compute. */
export function clusterComputeEvidence(cluster: Cluster): {
  readonly hybridNodes?: HybridNodesEvidence;
  readonly autoMode?: { readonly nodePools: readonly string[] };
} {
  const networks = hybridNodeNetworks(cluster);
  const pools = autoModeNodePools(cluster);
  return {
    ...(networks.length === 0 ? {} : { hybridNodes: { remoteNodeNetworks: networks, note: HYBRID_NOTE } }),
    ...(pools === undefined ? {} : { autoMode: { nodePools: pools } }),
  };
}

/** The sentence a node-group reason ends with where a reader could take it for the whole cluster. */
export const hybridNodesSentence = (clusterName: string, hybrid: HybridNodesEvidence) =>
  `Cluster ${clusterName} also accepts hybrid nodes (remote node networks ${hybrid.remoteNodeNetworks.join(', ')}), ` +
  'which are not EC2 instances: no host check judges them.';

/** The hybrid-node evidence of a result, if it carries any (as clusterComputeEvidence wrote it). */
export function hybridNodesOf(evidence: Readonly<Record<string, unknown>>): HybridNodesEvidence | undefined {
  const value = evidence.hybridNodes;
  if (typeof value !== 'object' || value === null) return undefined;
  const { remoteNodeNetworks, note } = value as Record<string, unknown>;
  return Array.isArray(remoteNodeNetworks) && typeof note === 'string'
    ? { remoteNodeNetworks: remoteNodeNetworks.map(String), note }
    : undefined;
}
