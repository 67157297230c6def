/**
 * Which instance belongs to which cluster and node group: pure logic over a snapshot.
 *
 * A "node group" is a managed node group, a self-managed Auto Scaling group, a Karpenter node pool, an
 * EKS Auto Mode node pool, or a lone self-managed instance (see the check catalogue). Precedence when
 * an instance carries several markers: managed > Auto Mode > Karpenter > Auto Scaling group > lone
 * instance.
 *
 * Ownership: a node or Auto Scaling group may be tagged for several clusters (its claimants), but it is
 * judged once, by its owner (ownerOf). The rule reads only the resource's own tags and the Region's
 * cluster listing, so every collection of the Region (the CLI's whole Region, or the state machine's
 * batches of clusters, which do not see each other) picks the same owner.
 */
import {
  type AutoScalingGroup,
  type ClusterScope,
  type ClusterSnapshot,
  type CollectionFailure,
  clusterArn,
  type Instance,
  instanceArn,
  type Nodegroup,
} from './types.js';

export const TAG = {
  awsClusterName: 'aws:eks:cluster-name',
  /** EKS Auto Mode nodes. */
  eksAutoModeClusterName: 'eks:eks-cluster-name',
  eksClusterName: 'eks:cluster-name',
  nodegroupName: 'eks:nodegroup-name',
  karpenterNodePool: 'karpenter.sh/nodepool',
  /** The EKS Auto Mode node pool of a node (with Operator.Principal eks.amazonaws.com). */
  autoModeNodePool: 'eks:kubernetes-node-pool-name',
  autoScalingGroupName: 'aws:autoscaling:groupName',
  kubernetesClusterPrefix: 'kubernetes.io/cluster/',
} as const;

interface NodeGroupBase {
  /** The resource id findings use: an ARN, or `<cluster ARN>/nodepool/<pool>` for Karpenter. */
  readonly id: string;
  readonly name: string;
  /** Member instances that are not terminated or shutting down. */
  readonly instances: readonly Instance[];
  /** Every cluster the group's resource and its nodes are tagged for, sorted: more than one when shared. */
  readonly claimants: readonly string[];
}

export type NodeGroup =
  | (NodeGroupBase & { readonly kind: 'managed'; readonly nodegroup: Nodegroup })
  | (NodeGroupBase & { readonly kind: 'auto-scaling'; readonly autoScalingGroup: AutoScalingGroup })
  | (NodeGroupBase & { readonly kind: 'karpenter' })
  | (NodeGroupBase & { readonly kind: 'auto-mode' })
  | (NodeGroupBase & { readonly kind: 'standalone' });

export type NodeGroupKind = NodeGroup['kind'];

/** The node group discovery of one cluster: the groups, or the failures that make it incomplete. */
export type NodeGroupDiscovery =
  | { readonly status: 'collected'; readonly groups: readonly NodeGroup[] }
  | { readonly status: 'failed'; readonly failures: readonly CollectionFailure[] };

const RUNNING_STATES = new Set(['pending', 'running']);
const GONE_STATES = new Set(['terminated', 'shutting-down']);

export const tagValue = (tags: readonly { Key?: string; Value?: string }[] | undefined, key: string) =>
  tags?.find((tag) => tag.Key === key)?.Value;

const KIND_LABEL: Readonly<Record<NodeGroupKind, string>> = {
  managed: 'Managed node group',
  'auto-scaling': 'Self-managed Auto Scaling group',
  karpenter: 'Karpenter node pool',
  'auto-mode': 'EKS Auto Mode node pool',
  standalone: 'Self-managed node',
};

/** How reasons name a node group: its kind and name, e.g. `Karpenter node pool general`. */
export const describeNodeGroup = (group: Pick<NodeGroup, 'kind' | 'name'>) =>
  `${KIND_LABEL[group.kind]} ${group.name}`;

/** "Running nodes" in the catalogue: instances in state pending or running. */
export const runningNodes = (group: NodeGroup): Instance[] =>
  group.instances.filter((instance) => RUNNING_STATES.has(instance.State?.Name ?? ''));

type Tags = readonly { Key?: string; Value?: string }[] | undefined;

/** Tags whose value names the cluster, strongest claim first: `aws:` tags are set by AWS alone. */
const CLUSTER_NAME_TAGS = [TAG.awsClusterName, TAG.eksAutoModeClusterName, TAG.eksClusterName] as const;
/** The values of `kubernetes.io/cluster/<name>` that make a claim, stronger first. */
const KUBERNETES_CLAIMS = ['owned', 'shared'] as const;

/**
 * Every cluster the tags claim, strongest claim first, each once: the values of `aws:eks:cluster-name`,
 * `eks:eks-cluster-name` and `eks:cluster-name` in that order, then the names of
 * `kubernetes.io/cluster/<name>` tags valued `owned`, then `shared`, each set in name order. An empty
 * value claims nothing.
 */
export function claimsOf(tags: Tags): string[] {
  const claims: string[] = [];
  for (const key of CLUSTER_NAME_TAGS) {
    const value = tagValue(tags, key);
    if (value) claims.push(value);
  }
  for (const claim of KUBERNETES_CLAIMS) {
    claims.push(
      ...(tags ?? [])
        .filter((tag) => tag.Key?.startsWith(TAG.kubernetesClusterPrefix) && tag.Value === claim)
        .map((tag) => (tag.Key ?? '').slice(TAG.kubernetesClusterPrefix.length))
        .filter((name) => name !== '')
        .sort(),
    );
  }
  return [...new Set(claims)];
}

/** Whether tags mark a resource as belonging to the named cluster (one of its claims). */
export const isTaggedForCluster = (tags: Tags, clusterName: string): boolean =>
  claimsOf(tags).includes(clusterName);

/**
 * The cluster that judges a resource the tags claim: its strongest claimant (claimsOf order) that
 * exists in the Region's cluster listing. A claimant that no longer exists never owns; with no
 * existing claimant the resource belongs to no cluster.
 */
export const ownerOf = (tags: Tags, listedClusters: ReadonlySet<string>): string | undefined =>
  claimsOf(tags).find((name) => listedClusters.has(name));

/** The service that launched and manages an instance for its customer (EC2's Operator), if any. */
const AUTO_MODE_OPERATOR = 'eks.amazonaws.com';

/**
 * The EKS Auto Mode node pool of an instance: it carries the pool tag and EC2 reports EKS as its
 * operator. Both are required, so a self-managed node copying the tag is still judged as self-managed.
 */
export function autoModeNodePoolOf(instance: Instance): string | undefined {
  const pool = tagValue(instance.Tags, TAG.autoModeNodePool);
  return pool && instance.Operator?.Managed === true && instance.Operator.Principal === AUTO_MODE_OPERATOR
    ? pool
    : undefined;
}

/** The resource id of a Karpenter or Auto Mode node pool (node pools have no AWS ARN). */
export const nodePoolId = (scope: ClusterScope, pool: string) => `${clusterArn(scope)}/nodepool/${pool}`;

/**
 * Groups the cluster's instances into node groups. Fails (naming the calls) when managed node
 * groups, instances or Auto Scaling groups were not collected, because then the set of groups
 * itself is unknown.
 */
export function discoverNodeGroups(snapshot: ClusterSnapshot): NodeGroupDiscovery {
  const { nodegroups, instances, autoScalingGroups, scope } = snapshot;
  const failures = [nodegroups, instances, autoScalingGroups].flatMap((part) =>
    part.status === 'failed' ? [part.failure] : [],
  );
  if (
    nodegroups.status === 'failed' ||
    instances.status === 'failed' ||
    autoScalingGroups.status === 'failed'
  ) {
    return { status: 'failed', failures };
  }

  const managedByName = new Map(nodegroups.value.map((ng) => [ng.nodegroupName ?? '', ng]));
  const asgByName = new Map(autoScalingGroups.value.map((asg) => [asg.AutoScalingGroupName ?? '', asg]));
  const managedAsgNames = new Set(
    nodegroups.value.flatMap((ng) => ng.resources?.autoScalingGroups?.map((asg) => asg.name ?? '') ?? []),
  );

  const members = new Map<string, Instance[]>();
  const addMember = (key: string, instance: Instance) => {
    const list = members.get(key);
    if (list) list.push(instance);
    else members.set(key, [instance]);
  };
  const memberOf = (key: string) => members.get(key) ?? [];
  const standalone: Instance[] = [];

  for (const instance of instances.value) {
    if (!isTaggedForCluster(instance.Tags, scope.clusterName)) continue;
    if (GONE_STATES.has(instance.State?.Name ?? '')) continue;
    const managedName = tagValue(instance.Tags, TAG.nodegroupName);
    const autoModePool = autoModeNodePoolOf(instance);
    const pool = tagValue(instance.Tags, TAG.karpenterNodePool);
    const asgName = tagValue(instance.Tags, TAG.autoScalingGroupName);
    // An instance naming a managed group or Auto Scaling group that no longer exists is judged as a lone node.
    if (managedName !== undefined && managedByName.has(managedName))
      addMember(`managed:${managedName}`, instance);
    // Auto Mode is built on Karpenter: its nodes are judged as AWS-managed pools whatever else they carry.
    else if (autoModePool !== undefined) addMember(`auto-mode:${autoModePool}`, instance);
    else if (pool !== undefined) addMember(`karpenter:${pool}`, instance);
    else if (asgName !== undefined && managedName === undefined && asgByName.has(asgName))
      addMember(`asg:${asgName}`, instance);
    else standalone.push(instance);
  }

  const claimantsOf = (tagSets: readonly Tags[]) =>
    [...new Set([scope.clusterName, ...tagSets.flatMap(claimsOf)])].sort();
  const tagsOfAll = (list: readonly Instance[]) => list.map((instance) => instance.Tags);

  const groups: NodeGroup[] = [];
  for (const [name, nodegroup] of managedByName) {
    const members = memberOf(`managed:${name}`);
    groups.push({
      kind: 'managed',
      id: nodegroup.nodegroupArn ?? `${clusterArn(scope)}/nodegroup/${name}`,
      name,
      nodegroup,
      instances: members,
      claimants: claimantsOf(tagsOfAll(members)),
    });
  }
  for (const [name, autoScalingGroup] of asgByName) {
    const instancesOfGroup = memberOf(`asg:${name}`);
    const isClusterGroup =
      instancesOfGroup.length > 0 || isTaggedForCluster(autoScalingGroup.Tags, scope.clusterName);
    if (managedAsgNames.has(name) || tagValue(autoScalingGroup.Tags, TAG.nodegroupName) !== undefined)
      continue;
    if (!isClusterGroup) continue;
    groups.push({
      kind: 'auto-scaling',
      id: autoScalingGroup.AutoScalingGroupARN ?? name,
      name,
      autoScalingGroup,
      instances: instancesOfGroup,
      claimants: claimantsOf([autoScalingGroup.Tags, ...tagsOfAll(instancesOfGroup)]),
    });
  }
  for (const kind of ['karpenter', 'auto-mode'] as const) {
    for (const [key, poolInstances] of members) {
      if (!key.startsWith(`${kind}:`)) continue;
      const pool = key.slice(kind.length + 1);
      groups.push({
        kind,
        id: nodePoolId(scope, pool),
        name: pool,
        instances: poolInstances,
        claimants: claimantsOf(tagsOfAll(poolInstances)),
      });
    }
  }
  for (const instance of standalone) {
    const instanceId = instance.InstanceId ?? 'unknown-instance';
    groups.push({
      kind: 'standalone',
      id: instanceArn(scope, instanceId),
      name: instanceId,
      instances: [instance],
      claimants: claimantsOf([instance.Tags]),
    });
  }
  return { status: 'collected', groups };
}
