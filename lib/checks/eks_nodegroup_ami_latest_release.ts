import { describeNodeGroup } from '../collect/node-groups.js';
import { ASFF_TYPE } from './asff-types.js';
import { MissingDataError, need } from './errors.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

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
  RELEASE_PARAMETERS.get(amiType)?.(kubernetesVersion);

export default defineCheck({
  id: 'eks_nodegroup_ami_latest_release',
  title: 'EKS managed node group runs the latest AMI release for its Kubernetes version',
  resource: NODE_GROUP_RESOURCE,
  severities: ['LOW'],
  asffTypes: [ASFF_TYPE.patchManagement],
  failsWhen:
    "A managed group's release version differs from the latest release EKS publishes in SSM for its AMI type and Kubernetes version; other groups are NOT_APPLICABLE.",
  risk:
    'A managed node group behind the latest EKS-optimized AMI release lacks the OS, container runtime and ' +
    'kubelet fixes that release carries.',
  remediation: {
    text:
      'Update the managed node group to the latest AMI release version (UpdateNodegroupVersion, or "Update now" ' +
      'in the console); EKS replaces its nodes with a rolling update.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html',
  },
  inputs: ['releaseParameters'],
  frameworks: [
    eksBestPractice(
      'Infrastructure security / Treat infrastructure as immutable and automate node replacement',
    ),
  ],
  parameters: {},
  evaluate({ snapshot, group }) {
    if (group.kind !== 'managed') {
      return {
        status: 'NOT_APPLICABLE',
        reason:
          `${describeNodeGroup(group)} is not an EKS managed node group; only managed node groups ` +
          'have a release version EKS publishes updates for.',
      };
    }
    const label = `Managed node group ${group.name}`;
    const { amiType, version, releaseVersion } = group.nodegroup;
    if (amiType === undefined) throw new MissingDataError(`${label} reports no amiType.`);
    if (amiType === 'CUSTOM') {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label} uses a custom AMI (amiType CUSTOM), for which EKS publishes no latest release.`,
        evidence: { amiType },
      };
    }
    const parameterOfVersion = RELEASE_PARAMETERS.get(amiType);
    if (parameterOfVersion === undefined) {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label} uses amiType ${amiType}, for which no release-version parameter is published.`,
        evidence: { amiType },
      };
    }
    if (version === undefined) throw new MissingDataError(`${label} reports no Kubernetes version.`);
    if (releaseVersion === undefined) throw new MissingDataError(`${label} reports no releaseVersion.`);
    const parameterName = parameterOfVersion(version);
    const parameters = need(
      snapshot.releaseParameters,
      `The latest ${amiType} release for Kubernetes ${version}`,
    );
    const latest = Object.hasOwn(parameters, parameterName) ? parameters[parameterName] : undefined;
    if (latest === undefined) {
      throw new MissingDataError(
        `${label}: the SSM public parameter ${parameterName} (latest ${amiType} release for Kubernetes ` +
          `${version}) does not exist or was not collected.`,
      );
    }
    const evidence = { amiType, version, releaseVersion, latestReleaseVersion: latest, parameterName };
    if (releaseVersion !== latest) {
      return {
        status: 'FAILED',
        reason:
          `${label} runs release ${releaseVersion}, but the latest ${amiType} release for Kubernetes ${version} ` +
          `is ${latest} (${parameterName}); update the node group.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `${label} runs ${latest}, the latest ${amiType} release for Kubernetes ${version}.`,
      evidence,
    };
  },
});
