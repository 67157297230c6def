/**
 * What the collector and the checks both derive from a snapshot's AWS objects: the launch template a
 * group launches from, the subnets it uses, the SSM parameter publishing its latest release. The
 * collector plans its look-ups with these; the checks judge with the same definitions.
 */
import { MissingDataError } from './missing-data.js';
import { type NodeGroup, runningNodes } from './node-groups.js';
import type { Instance, LaunchTemplateVersion } from './types.js';

/** The launch template a node group launches its nodes from, as the group references it. */
export interface LaunchTemplateReference {
  readonly id?: string;
  readonly name?: string;
  /** A version number, `$Latest` or `$Default`; absent means the default version. */
  readonly version?: string;
}

/**
 * The launch template of a group: the managed node group's or the Auto Scaling group's (plain or in
 * a mixed instances policy). Karpenter pools and lone nodes have none the scanner can read.
 */
export function launchTemplateOf(group: NodeGroup): LaunchTemplateReference | undefined {
  switch (group.kind) {
    case 'managed': {
      const spec = group.nodegroup.launchTemplate;
      return spec && { id: spec.id, name: spec.name, version: spec.version };
    }
    case 'auto-scaling': {
      const asg = group.autoScalingGroup;
      const spec =
        asg.LaunchTemplate ?? asg.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
      return spec && { id: spec.LaunchTemplateId, name: spec.LaunchTemplateName, version: spec.Version };
    }
    // Karpenter and Auto Mode pools launch from node classes (Kubernetes objects), lone nodes from nothing kept.
    case 'karpenter':
    case 'auto-mode':
    case 'standalone':
      return undefined;
  }
}

export const describeLaunchTemplate = (reference: LaunchTemplateReference) =>
  [reference.name, reference.id].filter((part) => part !== undefined).join(' / ') || '(no id or name)';

/**
 * The collected version a reference designates. Templates match by id when the reference has one
 * (an id is exact; a name may have been reused by a re-created template), else by name.
 */
export function resolveLaunchTemplateVersion(
  reference: LaunchTemplateReference,
  versions: readonly LaunchTemplateVersion[],
): LaunchTemplateVersion {
  const ofTemplate = versions.filter((version) =>
    reference.id !== undefined
      ? version.LaunchTemplateId === reference.id
      : reference.name !== undefined && version.LaunchTemplateName === reference.name,
  );
  const requested = reference.version ?? '$Default';
  let resolved: LaunchTemplateVersion | undefined;
  if (/^\d+$/.test(requested)) {
    resolved = ofTemplate.find((version) => version.VersionNumber === Number(requested));
  } else if (requested === '$Latest') {
    resolved = ofTemplate.reduce<LaunchTemplateVersion | undefined>(
      (latest, version) =>
        latest === undefined || (version.VersionNumber ?? 0) > (latest.VersionNumber ?? 0) ? version : latest,
      undefined,
    );
  } else if (requested === '$Default') {
    resolved = ofTemplate.find((version) => version.DefaultVersion === true);
  }
  if (resolved === undefined) {
    throw new MissingDataError(
      `Launch template ${describeLaunchTemplate(reference)} version ${requested} was not collected.`,
    );
  }
  return resolved;
}

export const instanceIdOf = (instance: Instance) => instance.InstanceId ?? '(instance without an id)';

/**
 * The subnets a group launches into (managed: its subnets; Auto Scaling: VPCZoneIdentifier) plus
 * those its running nodes sit in, which also covers Karpenter pools and lone nodes.
 */
export function subnetIdsOf(group: NodeGroup): string[] {
  const configured: string[] = [];
  if (group.kind === 'managed') {
    const { subnets } = group.nodegroup;
    if (subnets === undefined) {
      throw new MissingDataError(`Managed node group ${group.name} reports no subnets.`);
    }
    if (subnets.some((id) => typeof id !== 'string' || id === '')) {
      throw new MissingDataError(
        `Managed node group ${group.name} reports subnets ${JSON.stringify(subnets)}, with an entry that is no subnet id.`,
      );
    }
    configured.push(...subnets);
  } else if (group.kind === 'auto-scaling') {
    configured.push(
      ...(group.autoScalingGroup.VPCZoneIdentifier ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    );
  }
  const ofNodes = runningNodes(group).map((node) => {
    if (typeof node.SubnetId !== 'string' || node.SubnetId === '') {
      throw new MissingDataError(`Running node ${instanceIdOf(node)} reports no SubnetId.`);
    }
    return node.SubnetId;
  });
  return [...new Set([...configured, ...ofNodes])];
}

const amazonLinux = (variant: string) => (version: string) =>
  `/aws/service/eks/optimized-ami/${version}/${variant}/recommended/release_version`;
const bottlerocket = (suffix: string, arch: 'x86_64' | 'arm64') => (version: string) =>
  `/aws/service/bottlerocket/aws-k8s-${version}${suffix}/${arch}/latest/image_version`;

/** The SSM public parameter holding the latest release of each amiType, by Kubernetes version. */
const RELEASE_PARAMETERS: ReadonlyMap<string, (version: string) => string> = new Map([
  ['AL2023_x86_64_STANDARD', amazonLinux('amazon-linux-2023/x86_64/standard')],
  ['AL2023_ARM_64_STANDARD', amazonLinux('amazon-linux-2023/arm64/standard')],
  ['AL2023_x86_64_NVIDIA', amazonLinux('amazon-linux-2023/x86_64/nvidia')],
  ['AL2023_ARM_64_NVIDIA', amazonLinux('amazon-linux-2023/arm64/nvidia')],
  ['AL2023_x86_64_NEURON', amazonLinux('amazon-linux-2023/x86_64/neuron')],
  ['AL2_x86_64', amazonLinux('amazon-linux-2')],
  ['AL2_x86_64_GPU', amazonLinux('amazon-linux-2-gpu')],
  ['AL2_ARM_64', amazonLinux('amazon-linux-2-arm64')],
  ['BOTTLEROCKET_x86_64', bottlerocket('', 'x86_64')],
  ['BOTTLEROCKET_ARM_64', bottlerocket('', 'arm64')],
  ['BOTTLEROCKET_x86_64_NVIDIA', bottlerocket('-nvidia', 'x86_64')],
  ['BOTTLEROCKET_ARM_64_NVIDIA', bottlerocket('-nvidia', 'arm64')],
  ['BOTTLEROCKET_x86_64_FIPS', bottlerocket('-fips', 'x86_64')],
  ['BOTTLEROCKET_ARM_64_FIPS', bottlerocket('-fips', 'arm64')],
  // Unverified: follows the Bottlerocket variant name aws-k8s-<v>-nvidia-fips; a wrong name reads as ERROR.
  ['BOTTLEROCKET_x86_64_NVIDIA_FIPS', bottlerocket('-nvidia-fips', 'x86_64')],
  ['BOTTLEROCKET_ARM_64_NVIDIA_FIPS', bottlerocket('-nvidia-fips', 'arm64')],
]);

/**
 * The SSM public parameter publishing the latest release of an amiType for a Kubernetes version, or
 * undefined when none is published (Windows, CUSTOM, unknown types). The collector fetches these names.
 */
export const releaseParameterName = (amiType: string, kubernetesVersion: string): string | undefined =>
  releaseParameterNaming(amiType)?.(kubernetesVersion);

/** How an amiType's release parameter is named per Kubernetes version; undefined when none is published. */
export const releaseParameterNaming = (
  amiType: string,
): ((kubernetesVersion: string) => string) | undefined => RELEASE_PARAMETERS.get(amiType);
