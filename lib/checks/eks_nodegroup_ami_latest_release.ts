import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup } from '../snapshot/node-groups.js';
import { releaseParameterNaming } from '../snapshot/references.js';
import { ASFF_TYPE } from './asff-types.js';
import { notApplicableToAutoMode } from './compute.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

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
    const awsManaged = notApplicableToAutoMode(group, 'its AMI release');
    if (awsManaged !== undefined) return awsManaged;
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
    const parameterOfVersion = releaseParameterNaming(amiType);
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
