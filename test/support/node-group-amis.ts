/**
 * Resource ids and dates shared by the node-group AMI check tests (OS family, AMI age, latest release).
 */
import { ACCOUNT, anAutoScalingGroup, CLUSTER_ARN, NOW, REGION } from './snapshot.js';

export const DAY_MS = 86_400_000;

/** The resource id of a Karpenter node pool. */
export const nodePoolResourceId = (pool: string) => `${CLUSTER_ARN}/nodepool/${pool}`;

/** The resource id of a lone self-managed node: its instance ARN. */
export const instanceResourceId = (instanceId: string) =>
  `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${instanceId}`;

/** The resource id of a self-managed Auto Scaling group built by `anAutoScalingGroup(name)`. */
export const autoScalingGroupResourceId = (name: string) =>
  anAutoScalingGroup(name).AutoScalingGroupARN ?? name;

/** An ISO timestamp `ms` milliseconds before the scan time NOW. */
export const beforeNow = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

export const STOPPED = { Code: 80, Name: 'stopped' } as const;
