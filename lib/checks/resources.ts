/** The resource kinds checks judge, with their ASFF and AWS Config names. */
import type { NodeGroupKind } from '../snapshot/node-groups.js';
import type { ResourceKind } from './types.js';

export const CLUSTER_ASFF_TYPE = 'AwsEksCluster';

export const CLUSTER_RESOURCE: ResourceKind<'cluster'> = {
  scope: 'cluster',
  description: 'EKS cluster',
  configType: 'AWS::EKS::Cluster',
  asffTypes: [CLUSTER_ASFF_TYPE],
};

/** ASFF has no node-group type: managed groups, Karpenter and Auto Mode pools are `Other`. */
export const NODE_GROUP_ASFF_TYPE: Readonly<Record<NodeGroupKind, string>> = {
  managed: 'Other',
  karpenter: 'Other',
  'auto-mode': 'Other',
  'auto-scaling': 'AwsAutoScalingAutoScalingGroup',
  standalone: 'AwsEc2Instance',
};

/** AWS Config does not record node groups, so node-group results roll up to the cluster. */
export const NODE_GROUP_RESOURCE: ResourceKind<'nodegroup'> = {
  scope: 'nodegroup',
  description:
    'node group (managed, self-managed Auto Scaling group, Karpenter or EKS Auto Mode node pool, or lone node)',
  configType: 'AWS::EKS::Cluster',
  asffTypes: [...new Set(Object.values(NODE_GROUP_ASFF_TYPE))],
};

export const FARGATE_PROFILE_RESOURCE: ResourceKind<'fargate-profile'> = {
  scope: 'fargate-profile',
  description: 'EKS Fargate profile',
  configType: 'AWS::EKS::FargateProfile',
  asffTypes: ['Other'],
};
