/**
 * Which instance belongs to which cluster and node group: pure logic over a snapshot.
 *
 * A "node group" is a managed node group, a self-managed Auto Scaling group, a Karpenter node pool,
 * or a lone self-managed instance (see the check catalogue). Precedence when an instance carries
 * several markers: managed > Karpenter > Auto Scaling group > lone instance.
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
  eksClusterName: 'eks:cluster-name',
  nodegroupName: 'eks:nodegroup-name',
  karpenterNodePool: 'karpenter.sh/nodepool',
  autoScalingGroupName: 'aws:autoscaling:groupName',
  kubernetesClusterPrefix: 'kubernetes.io/cluster/',
} as const;

interface NodeGroupBase {
  /** The resource id findings use: an ARN, or `<cluster ARN>/nodepool/<pool>` for Karpenter. */
  readonly id: string;
  readonly name: string;
  /** Member instances that are not terminated or shutting down. */
  readonly instances: readonly Instance[];
}

export type NodeGroup =
  | (NodeGroupBase & { readonly kind: 'managed'; readonly nodegroup: Nodegroup })
  | (NodeGroupBase & { readonly kind: 'auto-scaling'; readonly autoScalingGroup: AutoScalingGroup })
  | (NodeGroupBase & { readonly kind: 'karpenter' })
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
  standalone: 'Self-managed node',
};

/** How reasons name a node group: its kind and name, e.g. `Karpenter node pool general`. */
export const describeNodeGroup = (group: Pick<NodeGroup, 'kind' | 'name'>) =>
  `${KIND_LABEL[group.kind]} ${group.name}`;

/** "Running nodes" in the catalogue: instances in state pending or running. */
export const runningNodes = (group: NodeGroup): Instance[] =>
  group.instances.filter((instance) => RUNNING_STATES.has(instance.State?.Name ?? ''));

/** Whether tags mark a resource as belonging to the named cluster. */
export const isTaggedForCluster = (
  tags: readonly { Key?: string; Value?: string }[] | undefined,
  clusterName: string,
): boolean =>
  tagValue(tags, TAG.awsClusterName) === clusterName ||
  tagValue(tags, TAG.eksClusterName) === clusterName ||
  ['owned', 'shared'].includes(tagValue(tags, `${TAG.kubernetesClusterPrefix}${clusterName}`) ?? '');

/** The resource id of a Karpenter node pool (Karpenter pools have no AWS ARN). */
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
  const standalone: Instance[] = [];

  for (const instance of instances.value) {
    if (!isTaggedForCluster(instance.Tags, scope.clusterName)) continue;
    if (GONE_STATES.has(instance.State?.Name ?? '')) continue;
    const managedName = tagValue(instance.Tags, TAG.nodegroupName);
    const pool = tagValue(instance.Tags, TAG.karpenterNodePool);
    const asgName = tagValue(instance.Tags, TAG.autoScalingGroupName);
    // An instance naming a managed group or Auto Scaling group that no longer exists is judged as a lone node.
    if (managedName !== undefined && managedByName.has(managedName))
      addMember(`managed:${managedName}`, instance);
    else if (pool !== undefined) addMember(`karpenter:${pool}`, instance);
    else if (asgName !== undefined && managedName === undefined && asgByName.has(asgName))
      addMember(`asg:${asgName}`, instance);
    else standalone.push(instance);
  }

  const groups: NodeGroup[] = [];
  for (const [name, nodegroup] of managedByName) {
    groups.push({
      kind: 'managed',
      id: nodegroup.nodegroupArn ?? `${clusterArn(scope)}/nodegroup/${name}`,
      name,
      nodegroup,
      instances: members.get(`managed:${name}`) ?? [],
    });
  }
  for (const [name, autoScalingGroup] of asgByName) {
    const instancesOfGroup = members.get(`asg:${name}`) ?? [];
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
    });
  }
  for (const [key, poolInstances] of members) {
    if (!key.startsWith('karpenter:')) continue;
    const pool = key.slice('karpenter:'.length);
    groups.push({ kind: 'karpenter', id: nodePoolId(scope, pool), name: pool, instances: poolInstances });
  }
  for (const instance of standalone) {
    const instanceId = instance.InstanceId ?? 'unknown-instance';
    groups.push({
      kind: 'standalone',
      id: instanceArn(scope, instanceId),
      name: instanceId,
      instances: [instance],
    });
  }
  return { status: 'collected', groups };
}
