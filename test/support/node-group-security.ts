/**
 * One node group of every kind in one snapshot, for the node-group host-security check tests (SSH
 * access, private subnets, IMDS, Inspector coverage).
 */
import type { AutoScalingGroup, Instance, Nodegroup } from '../../lib/snapshot/types.js';
import {
  aKarpenterInstance,
  aManagedNodegroup,
  anAutoScalingGroup,
  anInstance,
  aSelfManagedInstance,
  autoScalingGroupResourceId,
  instanceResourceId,
  nodegroupArn,
  nodePoolResourceId,
} from './snapshot.js';

export const MANAGED_GROUP = 'ng-1';
export const KARPENTER_POOL = 'general';
export const AUTO_SCALING_GROUP = 'self-managed-workers';

export const MANAGED_NODE = 'i-0aaa0000000000001';
export const KARPENTER_NODE = 'i-0ccc0000000000001';
export const AUTO_SCALING_NODE = 'i-0bbb0000000000001';
export const LONE_NODE = 'i-0ddd0000000000001';

/** The resource id each kind of node group gets in results. */
export const RESOURCE_ID = {
  managed: nodegroupArn(MANAGED_GROUP),
  karpenter: nodePoolResourceId(KARPENTER_POOL),
  autoScaling: autoScalingGroupResourceId(AUTO_SCALING_GROUP),
  lone: instanceResourceId(LONE_NODE),
} as const;

export interface EveryKindOverrides {
  readonly nodegroup?: Partial<Nodegroup>;
  readonly autoScalingGroup?: Partial<AutoScalingGroup>;
  readonly managedNode?: Partial<Instance>;
  readonly karpenterNode?: Partial<Instance>;
  readonly autoScalingNode?: Partial<Instance>;
  readonly loneNode?: Partial<Instance>;
}

/**
 * The node-group parts of a snapshot holding a managed node group, a Karpenter pool, a self-managed
 * Auto Scaling group and a lone self-managed node, each with one running node.
 */
export const nodeGroupsOfEveryKind = (overrides: EveryKindOverrides = {}) => ({
  nodegroups: [aManagedNodegroup({ nodegroupName: MANAGED_GROUP, ...overrides.nodegroup })],
  autoScalingGroups: [anAutoScalingGroup(AUTO_SCALING_GROUP, overrides.autoScalingGroup)],
  instances: [
    anInstance({ group: MANAGED_GROUP, InstanceId: MANAGED_NODE, ...overrides.managedNode }),
    aKarpenterInstance(KARPENTER_POOL, { InstanceId: KARPENTER_NODE, ...overrides.karpenterNode }),
    aSelfManagedInstance({
      asg: AUTO_SCALING_GROUP,
      InstanceId: AUTO_SCALING_NODE,
      ...overrides.autoScalingNode,
    }),
    aSelfManagedInstance({ InstanceId: LONE_NODE, ...overrides.loneNode }),
  ],
});
