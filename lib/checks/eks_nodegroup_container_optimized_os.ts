import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, type NodeGroup, runningNodes } from '../snapshot/node-groups.js';
import type { ClusterSnapshot, Image } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { notApplicableToAutoMode } from './compute.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck, type Outcome } from './types.js';

type OsFamily = 'Amazon Linux 2' | 'Amazon Linux 2023' | 'Bottlerocket' | 'Windows Server';

/** The EKS-optimized AL2 AMIs (https://github.com/awslabs/amazon-eks-ami/issues/2545). */
const AL2_EKS_AMI_END_OF_SUPPORT = '2025-11-26';
/** Amazon Linux 2 itself, the OS of plain `amzn2-ami-*` AMIs (https://aws.amazon.com/amazon-linux-2/faqs/). */
const AL2_END_OF_SUPPORT = '2026-06-30';

/** EKS amiType prefixes and the OS they stand for ('AL2_' does not match 'AL2023_'). */
const AMI_TYPE_FAMILIES: readonly (readonly [string, OsFamily])[] = [
  ['AL2_', 'Amazon Linux 2'],
  ['AL2023_', 'Amazon Linux 2023'],
  ['BOTTLEROCKET_', 'Bottlerocket'],
  ['WINDOWS_', 'Windows Server'],
];

/**
 * Whether an AMI name is an Amazon Linux 2 EKS-optimized AMI (`amazon-eks-node-1.29-v20240117`,
 * `amazon-eks-arm64-node-…`, `amazon-eks-gpu-node-…`). AL2023 EKS AMIs share the prefix but name al2023.
 */
export const isAmazonLinux2EksAmi = (name: string): boolean =>
  name.startsWith('amazon-eks-') && !name.includes('al2023');

/**
 * Whether an AMI name is a plain Amazon Linux 2 AMI (`amzn2-ami-kernel-5.10-hvm-…`, `amzn2-ami-hvm-…`,
 * `amzn2-ami-minimal-hvm-…`), often the base of custom node images; AL2023's are named `al2023-ami-…`.
 */
export const isPlainAmazonLinux2Ami = (name: string): boolean => name.startsWith('amzn2-ami-');

/** The OS an AMI name belongs to: EKS-optimized ones, and plain Amazon Linux 2; undefined otherwise. */
function identifiedFamily(name: string | undefined): OsFamily | undefined {
  if (name === undefined) return undefined;
  if (isAmazonLinux2EksAmi(name) || isPlainAmazonLinux2Ami(name)) return 'Amazon Linux 2';
  if (name.startsWith('amazon-eks-')) return 'Amazon Linux 2023';
  if (name.startsWith('bottlerocket-aws-k8s-')) return 'Bottlerocket';
  if (/^Windows_Server-.+-EKS_Optimized-/.test(name)) return 'Windows Server';
  return undefined;
}

interface AmiInUse {
  readonly imageId: string;
  readonly name: string | undefined;
  readonly family: OsFamily | undefined;
  readonly instanceIds: readonly string[];
}

const describeAmi = (ami: AmiInUse) =>
  ami.name === undefined ? ami.imageId : `${ami.imageId} (${ami.name})`;

/** The AMIs the running nodes use, each with its nodes; an AMI that was not described is missing data. */
function amisInUse(group: NodeGroup, images: Readonly<Record<string, Image>>, label: string): AmiInUse[] {
  const instanceIdsByImage = new Map<string, string[]>();
  for (const instance of runningNodes(group)) {
    if (instance.ImageId === undefined) {
      throw new MissingDataError(`${label}: instance ${instance.InstanceId} reports no ImageId.`);
    }
    const ids = instanceIdsByImage.get(instance.ImageId) ?? [];
    ids.push(instance.InstanceId ?? 'unknown-instance');
    instanceIdsByImage.set(instance.ImageId, ids);
  }
  return [...instanceIdsByImage].map(([imageId, instanceIds]) => {
    const image = Object.hasOwn(images, imageId) ? images[imageId] : undefined;
    if (image === undefined) {
      throw new MissingDataError(
        `${label}: AMI ${imageId} (used by ${instanceIds.join(', ')}) could not be described ` +
          '(deregistered or not shared), so its operating system cannot be told.',
      );
    }
    return { imageId, name: image.Name, family: identifiedFamily(image.Name), instanceIds };
  });
}

/** Judges the AMIs of the running nodes: for custom AMIs and groups that EKS does not manage. */
function judgeRunningNodeAmis(snapshot: ClusterSnapshot, group: NodeGroup, label: string): Outcome {
  if (runningNodes(group).length === 0) {
    return {
      status: 'NOT_APPLICABLE',
      reason: `${label} has no running nodes, so no AMI is in use to judge.`,
    };
  }
  const images = need(snapshot.images, `The AMIs of ${label}`);
  const amis = amisInUse(group, images, label);
  const evidence = {
    amis: amis.map((ami) => ({ ...ami, family: ami.family ?? 'unidentified' })),
  };
  const amazonLinux2 = amis.filter((ami) => ami.family === 'Amazon Linux 2');
  if (amazonLinux2.length > 0) {
    const listed = amazonLinux2.map((ami) => {
      const endOfSupport =
        ami.name !== undefined && isPlainAmazonLinux2Ami(ami.name)
          ? `Amazon Linux 2, end of support ${AL2_END_OF_SUPPORT}`
          : `Amazon Linux 2 EKS AMI, end of support ${AL2_EKS_AMI_END_OF_SUPPORT}`;
      return `${describeAmi(ami)} on ${ami.instanceIds.join(', ')} (${endOfSupport})`;
    });
    return {
      status: 'FAILED',
      reason:
        `${label} runs Amazon Linux 2 AMIs, which no longer get security patches: ` +
        `${listed.join('; ')}. Move these nodes to AL2023 or Bottlerocket.`,
      evidence,
    };
  }
  const families = [...new Set(amis.flatMap((ami) => (ami.family === undefined ? [] : [ami.family])))];
  const unidentified = amis.filter((ami) => ami.family === undefined);
  const sentences = [
    families.length > 0 ? `${label} runs EKS-optimized ${families.join(' and ')} AMIs.` : undefined,
    unidentified.length > 0
      ? `${label} runs AMI ${unidentified.map(describeAmi).join(', ')} that could not be identified as an ` +
        'EKS-optimized image (it is not named like an Amazon Linux 2 AMI either), so its OS is not judged.'
      : undefined,
  ];
  return {
    status: 'PASSED',
    reason: sentences.filter((sentence) => sentence !== undefined).join(' '),
    evidence,
  };
}

export default defineCheck({
  id: 'eks_nodegroup_container_optimized_os',
  title: 'EKS node group runs a supported container-optimized OS, not Amazon Linux 2',
  resource: NODE_GROUP_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.cisHostHardening, ASFF_TYPE.bestPractices],
  failsWhen:
    'A managed group uses an AL2_* AMI type, or a node of a custom, self-managed or Karpenter group runs an Amazon Linux 2 AMI: an EKS AL2 AMI (named amazon-eks-…, without al2023; end of support 2025-11-26) or a plain AL2 AMI (named amzn2-ami-…; end of support 2026-06-30); an AMI that cannot be identified passes with a reason saying so.',
  risk:
    'Amazon Linux 2 AMIs stop receiving security patches when they reach end of support, so nodes ' +
    'running them accumulate unfixed vulnerabilities on hosts that hold pod credentials.',
  remediation: {
    text:
      'Replace Amazon Linux 2 nodes with EKS-optimized AL2023 or Bottlerocket AMIs: change the managed node ' +
      'group amiType (or create a new group and migrate), or the AMI of the launch template or Karpenter node class.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/eks-optimized-amis.html',
  },
  inputs: ['images'],
  frameworks: [eksBestPractice('Infrastructure security / Use an OS optimized for running containers')],
  parameters: {},
  evaluate({ snapshot, group }) {
    // Never judged by AMI name: Auto Mode's AMI names are not documented.
    const awsManaged = notApplicableToAutoMode(group, 'its operating system');
    if (awsManaged !== undefined) return awsManaged;
    const label = describeNodeGroup(group);
    if (group.kind === 'managed') {
      const { amiType } = group.nodegroup;
      if (amiType === undefined) throw new MissingDataError(`${label} reports no amiType.`);
      const family = AMI_TYPE_FAMILIES.find(([prefix]) => amiType.startsWith(prefix))?.[1];
      if (family === 'Amazon Linux 2') {
        return {
          status: 'FAILED',
          reason:
            `${label} uses amiType ${amiType}: Amazon Linux 2 EKS AMIs reached end of support on ` +
            `${AL2_EKS_AMI_END_OF_SUPPORT} (Kubernetes 1.32 was the last version with them); move it to AL2023 or Bottlerocket.`,
          evidence: { amiType },
        };
      }
      if (family !== undefined) {
        return {
          status: 'PASSED',
          reason: `${label} uses amiType ${amiType}, the EKS-optimized ${family}.`,
          evidence: { amiType },
        };
      }
      // CUSTOM (or an amiType newer than this check): the launch template's AMI decides, so judge the nodes.
    }
    return judgeRunningNodeAmis(snapshot, group, label);
  },
});
