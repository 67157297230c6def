/**
 * The keys by which the collector looks up single resources for node groups (AMIs, launch template
 * versions, subnets, VPC route tables, Inspector coverage, release parameters), and which of them each
 * group needs. The collector plans its batched calls with them; the runner uses them so that a look-up
 * that failed for one key makes ERROR only of the groups that need that key (narrowToGroup).
 */

import { MissingDataError } from './missing-data.js';
import type { NodeGroup } from './node-groups.js';
import {
  type LaunchTemplateReference,
  launchTemplateOf,
  releaseParameterName,
  subnetIdsOf,
} from './references.js';
import { type ClusterSnapshot, failed, type Instance, type Nodegroup } from './types.js';

/** The snapshot parts the collector fills by key, a look-up per key (or per batch of keys). */
export type KeyedPartName =
  | 'images'
  | 'launchTemplateVersions'
  | 'subnets'
  | 'routeTables'
  | 'inspectorCoverage'
  | 'releaseParameters'
  | 'volumes';

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** The AMIs of the instances. */
export const imageIdsOf = (instances: readonly Instance[]): string[] =>
  unique(instances.flatMap((instance) => (instance.ImageId === undefined ? [] : [instance.ImageId])));

/** "Running nodes" as the checks count them (pending or running): the ones Inspector should cover. */
export const isRunning = (instance: Instance) => ['pending', 'running'].includes(instance.State?.Name ?? '');

export const runningInstanceIds = (instances: readonly Instance[]): string[] =>
  instances
    .filter(isRunning)
    .flatMap((instance) => (instance.InstanceId === undefined ? [] : [instance.InstanceId]));

/** The EBS volumes attached to the running instances (their BlockDeviceMappings), each once. */
export const attachedVolumeIds = (instances: readonly Instance[]): string[] =>
  unique(
    instances
      .filter(isRunning)
      .flatMap((instance) =>
        (instance.BlockDeviceMappings ?? []).flatMap((mapping) =>
          mapping.Ebs?.VolumeId === undefined ? [] : [mapping.Ebs.VolumeId],
        ),
      ),
  );

/** How a launch template is keyed: by id when the reference has one, else by name. */
export const templateKey = (reference: LaunchTemplateReference): string | undefined =>
  reference.id !== undefined
    ? `id:${reference.id}`
    : reference.name !== undefined
      ? `name:${reference.name}`
      : undefined;

/** The default version when a reference names none. */
export const versionOf = (reference: LaunchTemplateReference) => reference.version ?? '$Default';

/** One version of one template: `id:lt-0abc#3`, `name:legacy#$Latest` (names and versions hold no `#`). */
export const templateVersionKey = (reference: LaunchTemplateReference): string | undefined => {
  const template = templateKey(reference);
  return template === undefined ? undefined : `${template}#${versionOf(reference)}`;
};

/**
 * The subnets the private-subnets check will ask for. A group whose subnets are themselves unknown
 * (subnetIdsOf throws) is judged ERROR by the check anyway, so it adds none.
 */
export function plannedSubnetIds(group: NodeGroup): string[] {
  try {
    return subnetIdsOf(group);
  } catch (error) {
    if (error instanceof MissingDataError) return [];
    throw error;
  }
}

/** The SSM parameter of a managed group's latest release, when its AMI type has one. */
export function releaseParameterOf(nodegroup: Nodegroup): string | undefined {
  const { amiType, version } = nodegroup;
  return amiType === undefined || version === undefined ? undefined : releaseParameterName(amiType, version);
}

/** The keys of each keyed part one node group needs. */
export function lookupKeysOf(
  group: NodeGroup,
  snapshot: ClusterSnapshot,
): Readonly<Record<KeyedPartName, readonly string[]>> {
  const reference = launchTemplateOf(group);
  const templateVersion = reference === undefined ? undefined : templateVersionKey(reference);
  const subnetIds = new Set(plannedSubnetIds(group));
  const vpcIds =
    snapshot.subnets.status === 'collected'
      ? unique(
          snapshot.subnets.value.flatMap((subnet) =>
            subnetIds.has(subnet.SubnetId ?? '') && subnet.VpcId !== undefined ? [subnet.VpcId] : [],
          ),
        )
      : [];
  const releaseParameter = group.kind === 'managed' ? releaseParameterOf(group.nodegroup) : undefined;
  return {
    images: imageIdsOf(group.instances),
    launchTemplateVersions: templateVersion === undefined ? [] : [templateVersion],
    subnets: [...subnetIds],
    routeTables: vpcIds,
    inspectorCoverage: runningInstanceIds(group.instances),
    releaseParameters: releaseParameter === undefined ? [] : [releaseParameter],
    volumes: attachedVolumeIds(group.instances),
  };
}

/**
 * The snapshot as the checks of one node group see it: a keyed part whose look-up failed for a key
 * this group needs reads as failed with that failure; for every other group it stays collected.
 */
export function narrowToGroup(snapshot: ClusterSnapshot, group: NodeGroup): ClusterSnapshot {
  const narrowed: Record<string, unknown> = { ...snapshot };
  for (const [name, keys] of Object.entries(lookupKeysOf(group, snapshot))) {
    const part = snapshot[name as KeyedPartName];
    if (part.status !== 'collected' || part.lookupFailures === undefined) continue;
    const failures = part.lookupFailures;
    const failure = keys.flatMap((key) => (Object.hasOwn(failures, key) ? [failures[key]] : []))[0];
    if (failure !== undefined) narrowed[name] = failed(failure);
  }
  return narrowed as unknown as ClusterSnapshot;
}
