/**
 * What compute a cluster runs besides the node groups the host checks judge, read from DescribeCluster:
 * EKS Auto Mode (`computeConfig`) and hybrid nodes (`remoteNetworkConfig`). Pure logic over the model.
 */
import type { Cluster } from './types.js';

/**
 * The CIDR blocks of the cluster's remote node networks: non-empty when the cluster accepts hybrid
 * nodes (on-premises or edge machines joined through SSM or IAM Roles Anywhere). They are not EC2
 * instances and no AWS API lists them, so no host check can see them.
 */
export const hybridNodeNetworks = (cluster: Cluster): string[] =>
  (cluster.remoteNetworkConfig?.remoteNodeNetworks ?? []).flatMap((network) => network.cidrs ?? []);

/** The built-in node pools of an EKS Auto Mode cluster, or undefined when Auto Mode is off. */
export const autoModeNodePools = (cluster: Cluster): string[] | undefined =>
  cluster.computeConfig?.enabled === true ? [...(cluster.computeConfig.nodePools ?? [])] : undefined;
