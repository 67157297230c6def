import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, type NodeGroup, runningNodes } from '../snapshot/node-groups.js';
import {
  describeLaunchTemplate,
  instanceIdOf,
  launchTemplateOf,
  resolveLaunchTemplateVersion,
} from '../snapshot/references.js';
import type { ClusterSnapshot, Instance, Volume } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck, type Outcome } from './types.js';

interface AttachedVolume {
  readonly volumeId: string;
  readonly instanceId: string;
  readonly device: string;
  readonly encrypted: boolean;
  readonly kmsKeyId?: string;
}

/** Every EBS volume attached to the running nodes, as DescribeVolumes describes it. */
function attachedVolumes(nodes: readonly Instance[], volumes: readonly Volume[], label: string) {
  const byId = new Map(volumes.map((volume) => [volume.VolumeId, volume]));
  return nodes.flatMap((node) =>
    (node.BlockDeviceMappings ?? []).flatMap((mapping): AttachedVolume[] => {
      const volumeId = mapping.Ebs?.VolumeId;
      if (volumeId === undefined) return [];
      const instanceId = instanceIdOf(node);
      const volume = byId.get(volumeId);
      if (volume?.Encrypted === undefined) {
        throw new MissingDataError(
          `${label}: volume ${volumeId} of running node ${instanceId} was ${volume === undefined ? 'not described' : 'described without its Encrypted state'}.`,
        );
      }
      return [
        {
          volumeId,
          instanceId,
          device: mapping.DeviceName ?? '(no device name)',
          encrypted: volume.Encrypted,
          ...(volume.KmsKeyId === undefined ? {} : { kmsKeyId: volume.KmsKeyId }),
        },
      ];
    }),
  );
}

/**
 * A group with no running nodes: what the launch template version in use would create. `Encrypted: false`
 * fails only while the Region's encryption by default is off (it overrides the template); an unset
 * Encrypted follows the source snapshot, which the scanner does not read, so it is not judged.
 */
function judgeLaunchTemplate(group: NodeGroup, snapshot: ClusterSnapshot, label: string): Outcome {
  const reference = launchTemplateOf(group);
  if (reference === undefined) {
    return {
      status: 'NOT_APPLICABLE',
      reason: `${label} has no running nodes and no launch template the scanner can read: no volume to judge.`,
    };
  }
  const version = resolveLaunchTemplateVersion(
    reference,
    need(snapshot.launchTemplateVersions, 'Launch template versions'),
  );
  const template = `launch template ${describeLaunchTemplate(reference)} version ${version.VersionNumber}`;
  const mappings = (version.LaunchTemplateData?.BlockDeviceMappings ?? []).filter(
    (mapping) => mapping.Ebs !== undefined,
  );
  if (mappings.length === 0) {
    return {
      status: 'NOT_APPLICABLE',
      reason: `${label} has no running nodes and its ${template} maps no EBS volume (they come from the AMI): nothing to judge.`,
    };
  }
  const byDefault = mappings.some((mapping) => mapping.Ebs?.Encrypted !== true)
    ? need(snapshot.ebsEncryptionByDefault, 'EBS encryption by default')
    : undefined;
  const devices = (encrypted: boolean | undefined) =>
    mappings
      .filter((mapping) => mapping.Ebs?.Encrypted === encrypted)
      .map((mapping) => mapping.DeviceName ?? '(no device name)');
  const evidence = {
    launchTemplate: { ...reference, versionNumber: version.VersionNumber },
    ebsEncryptionByDefault: byDefault,
    unencryptedDevices: devices(false),
    unsetDevices: devices(undefined),
  };
  if (byDefault === false && evidence.unencryptedDevices.length > 0) {
    return {
      status: 'FAILED',
      reason: `${label} has no running nodes, and its ${template} maps unencrypted EBS volumes (Encrypted false) on ${evidence.unencryptedDevices.join(', ')} while EBS encryption by default is off in ${snapshot.scope.region}.`,
      evidence,
    };
  }
  if (byDefault === false && evidence.unsetDevices.length > 0) {
    return {
      status: 'NOT_APPLICABLE',
      reason: `${label} has no running nodes; its ${template} leaves Encrypted unset on ${evidence.unsetDevices.join(', ')} with EBS encryption by default off, so encryption follows the source snapshot, which is not judged.`,
      evidence,
    };
  }
  return {
    status: 'PASSED',
    reason: `${label} has no running nodes; its ${template} creates encrypted EBS volumes${byDefault === true ? ' (EBS encryption by default is on)' : ''}.`,
    evidence,
  };
}

export default defineCheck({
  id: 'eks_nodegroup_volumes_encrypted',
  title: 'EBS volumes of EKS worker nodes are encrypted',
  resource: NODE_GROUP_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    "An EBS volume attached to a running node is not encrypted (volume, instance and device named); with no running nodes, the launch template version in use maps a volume with Encrypted false while the Region's EBS encryption by default is off.",
  risk:
    'Unencrypted node volumes hold container images, logs, emptyDir data and secrets written to disk in the clear, ' +
    'readable from any snapshot or copy of the volume.',
  remediation: {
    text:
      'Turn on EBS encryption by default in every Region, set Encrypted true (with a KMS key) on the block device ' +
      'mappings of node launch templates and node classes, and replace the nodes so their volumes are recreated encrypted.',
    url: 'https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html',
  },
  inputs: ['volumes', 'launchTemplateVersions', 'ebsEncryptionByDefault'],
  frameworks: [eksBestPractice('Data encryption and secrets management / Encrypt data at rest')],
  parameters: {},
  evaluate({ snapshot, group }) {
    const label = describeNodeGroup(group);
    const nodes = runningNodes(group);
    if (nodes.length === 0) return judgeLaunchTemplate(group, snapshot, label);

    const volumes = attachedVolumes(nodes, need(snapshot.volumes, 'EBS volumes'), label);
    if (volumes.length === 0) {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label}: its ${nodes.length} running node(s) have no EBS volume attached: nothing to judge.`,
      };
    }
    const unencrypted = volumes.filter((volume) => !volume.encrypted);
    const evidence = { volumes };
    if (unencrypted.length === 0) {
      return {
        status: 'PASSED',
        reason: `${label}: all ${volumes.length} EBS volume(s) attached to its ${nodes.length} running node(s) are encrypted.`,
        evidence,
      };
    }
    return {
      status: 'FAILED',
      reason: `${label} has unencrypted EBS volumes: ${unencrypted
        .map((volume) => `${volume.volumeId} on ${volume.instanceId} at ${volume.device}`)
        .join(', ')}.`,
      evidence,
    };
  },
});
