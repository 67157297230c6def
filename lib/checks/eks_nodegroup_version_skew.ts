import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, type NodeGroup, runningNodes } from '../snapshot/node-groups.js';
import { instanceIdOf } from '../snapshot/references.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { integerParameter } from './parameters.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** A Kubernetes `major.minor` version, compared as numbers (1.9 < 1.10). */
export interface MinorVersion {
  readonly major: number;
  readonly minor: number;
}

const MINOR_VERSION = /^(\d+)\.(\d+)$/;

export function parseMinorVersion(text: string | undefined): MinorVersion | undefined {
  const match = text === undefined ? null : MINOR_VERSION.exec(text);
  return match === null ? undefined : { major: Number(match[1]), minor: Number(match[2]) };
}

export const formatMinorVersion = (version: MinorVersion) => `${version.major}.${version.minor}`;

const K8S = String.raw`(\d+)\.(\d+)`;
const AMI_DATE = String.raw`v\d{8}`;

/**
 * The names of the AMIs AWS publishes for EKS nodes, each with the Kubernetes version in it; matched
 * whole, so a custom AMI copied from one (`amazon-eks-node-1.29-v20240117-hardened`) is not taken for it.
 * Sources: the EKS AMI release notes (awslabs/amazon-eks-ami), Bottlerocket's variant names, the EKS
 * Windows AMI names in the EKS user guide.
 */
const EKS_AMI_NAMES: readonly RegExp[] = [
  // Amazon Linux 2: amazon-eks-node-1.29-v20240117, amazon-eks-arm64-node-…, amazon-eks-gpu-node-…
  new RegExp(`^amazon-eks-(?:arm64-|gpu-)?node-${K8S}-${AMI_DATE}$`),
  // Amazon Linux 2023: amazon-eks-node-al2023-x86_64-standard-1.31-v20241121
  new RegExp(`^amazon-eks-node-al2023-(?:x86_64|arm64)-(?:standard|nvidia|neuron)-${K8S}-${AMI_DATE}$`),
  // Bottlerocket: bottlerocket-aws-k8s-1.31-x86_64-v1.26.2-360b7a38, bottlerocket-aws-k8s-1.31-nvidia-aarch64-…
  new RegExp(
    String.raw`^bottlerocket-aws-k8s-${K8S}(?:-nvidia|-fips|-nvidia-fips)?-(?:x86_64|aarch64)-v\d+\.\d+\.\d+-[0-9a-f]{8}$`,
  ),
  // Windows: Windows_Server-2022-English-Core-EKS_Optimized-1.31-2024.11.13
  new RegExp(
    String.raw`^Windows_Server-\d{4}-English-(?:Core|Full)-EKS_Optimized-${K8S}-\d{4}\.\d{2}\.\d{2}$`,
  ),
];

/** The Kubernetes version an EKS AMI name carries, or undefined for any other name (a custom AMI). */
export function kubernetesVersionOfAmiName(name: string | undefined): MinorVersion | undefined {
  if (name === undefined) return undefined;
  for (const pattern of EKS_AMI_NAMES) {
    const match = pattern.exec(name);
    if (match !== null) return { major: Number(match[1]), minor: Number(match[2]) };
  }
  return undefined;
}

/**
 * The Kubernetes version skew policy: a kubelet may be up to 3 minor versions older than the API server,
 * 2 when the kubelet is older than 1.25 (https://kubernetes.io/releases/version-skew-policy/).
 */
const allowedLag = (node: MinorVersion) => (node.major === 1 && node.minor < 25 ? 2 : 3);

type Verdict =
  | { readonly severity: 'HIGH' | 'LOW'; readonly why: string }
  | { readonly severity: undefined; readonly why: string };

function judge(node: MinorVersion, cluster: MinorVersion, maxMinorLag: number): Verdict {
  const nodeText = formatMinorVersion(node);
  const clusterText = formatMinorVersion(cluster);
  const newer = node.major > cluster.major || (node.major === cluster.major && node.minor > cluster.minor);
  if (newer) return { severity: 'HIGH', why: `${nodeText} is newer than the cluster's ${clusterText}` };
  // Across majors no skew is allowed (Kubernetes 1 is the only major there has been).
  const lag = node.major === cluster.major ? cluster.minor - node.minor : Number.POSITIVE_INFINITY;
  if (lag > allowedLag(node)) {
    return {
      severity: 'HIGH',
      why: `${nodeText} is ${lag} minor versions behind the cluster's ${clusterText}, beyond the ${allowedLag(node)} the Kubernetes skew policy allows`,
    };
  }
  if (lag > maxMinorLag) {
    return {
      severity: 'LOW',
      why: `${nodeText} is ${lag} minor version(s) behind the cluster's ${clusterText} (maxMinorLag ${maxMinorLag})`,
    };
  }
  return { severity: undefined, why: `${nodeText} with the cluster at ${clusterText}` };
}

interface NodeVersion {
  readonly subject: string;
  readonly version: MinorVersion;
  readonly source: string;
}

/** Each running node's version from its AMI name; nodes on AMIs that carry none are returned apart. */
function nodeVersions(group: NodeGroup, images: Readonly<Record<string, { Name?: string }>>, label: string) {
  const known: NodeVersion[] = [];
  const underivable: { instanceId: string; imageId: string; imageName: string | undefined }[] = [];
  for (const node of runningNodes(group)) {
    const instanceId = instanceIdOf(node);
    if (node.ImageId === undefined) {
      throw new MissingDataError(`${label}: running node ${instanceId} reports no ImageId.`);
    }
    const image = images[node.ImageId];
    if (image === undefined) {
      throw new MissingDataError(
        `${label}: AMI ${node.ImageId} of running node ${instanceId} could not be described (deregistered or not shared), so its Kubernetes version is unknown.`,
      );
    }
    const version = kubernetesVersionOfAmiName(image.Name);
    if (version === undefined) underivable.push({ instanceId, imageId: node.ImageId, imageName: image.Name });
    else known.push({ subject: instanceId, version, source: `AMI ${image.Name}` });
  }
  return { known, underivable };
}

export default defineCheck({
  id: 'eks_nodegroup_version_skew',
  title: "EKS worker nodes run the cluster's Kubernetes version",
  resource: NODE_GROUP_RESOURCE,
  severities: ['HIGH', 'LOW'],
  asffTypes: [ASFF_TYPE.patchManagement, ASFF_TYPE.bestPractices],
  failsWhen:
    "A node's Kubernetes minor version is newer than the cluster's, or older by more than the skew policy allows (3 minors; 2 for nodes older than 1.25): HIGH; older by more than maxMinorLag: LOW. Managed groups are judged by their version (also with no nodes: it is what they launch), other groups by each running node's EKS AMI name, worst first.",
  risk:
    'Nodes outside the Kubernetes version skew policy are unsupported and can fail unpredictably; nodes left behind ' +
    'after a control-plane upgrade miss security fixes and block the next cluster upgrade.',
  remediation: {
    text:
      "Update managed node groups to the cluster's version (UpdateNodegroupVersion); roll self-managed and Karpenter " +
      "nodes onto the EKS AMI of the cluster's version; never run nodes newer than the control plane.",
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html',
  },
  inputs: ['cluster', 'images'],
  frameworks: [
    eksBestPractice('Infrastructure security / Keep the cluster on a supported Kubernetes version'),
  ],
  parameters: {
    maxMinorLag: integerParameter({
      description: 'Minor versions a node may lag behind the cluster before it fails at LOW (0: none).',
      default: 0,
      min: 0,
      max: 3,
    }),
  },
  evaluate({ snapshot, group }, { parameters }) {
    const label = describeNodeGroup(group);
    if (group.kind === 'auto-mode') {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label} is managed by AWS: EKS Auto Mode replaces its nodes with the cluster's Kubernetes version.`,
      };
    }
    const nodes = runningNodes(group);
    // A managed group's version is what it launches, nodes or not: a group scaled to zero still joins skewed nodes.
    if (group.kind !== 'managed' && nodes.length === 0) {
      return { status: 'NOT_APPLICABLE', reason: `${label} has no running nodes.` };
    }

    const clusterVersionText = need(snapshot.cluster, 'The cluster').version;
    const clusterVersion = parseMinorVersion(clusterVersionText);
    if (clusterVersion === undefined) {
      throw new MissingDataError(
        `Cluster ${snapshot.scope.clusterName} reports no Kubernetes version in major.minor form (${clusterVersionText ?? 'absent'}).`,
      );
    }

    let versions: NodeVersion[];
    let underivable: { instanceId: string; imageId: string; imageName: string | undefined }[] = [];
    if (group.kind === 'managed') {
      const version = parseMinorVersion(group.nodegroup.version);
      if (version === undefined) {
        throw new MissingDataError(
          `${label} reports no Kubernetes version in major.minor form (${group.nodegroup.version ?? 'absent'}).`,
        );
      }
      versions = [{ subject: label, version, source: 'its version' }];
    } else {
      ({ known: versions, underivable } = nodeVersions(
        group,
        need(snapshot.images, "The nodes' AMIs"),
        label,
      ));
    }

    const custom = underivable.map((node) => `${node.instanceId} (AMI ${node.imageName ?? node.imageId})`);
    const evidence = {
      clusterVersion: formatMinorVersion(clusterVersion),
      versions: versions.map((entry) => ({
        subject: entry.subject,
        version: formatMinorVersion(entry.version),
        source: entry.source,
      })),
      ...(underivable.length === 0 ? {} : { versionNotDerivable: underivable }),
    };
    const customNote =
      custom.length === 0
        ? ''
        : `; not judged: ${custom.join(', ')}, custom AMIs whose names carry no Kubernetes version`;
    if (versions.length === 0) {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label}: the Kubernetes version of its running nodes cannot be derived: ${custom.join(', ')} are custom AMIs whose names carry no version.`,
        evidence,
      };
    }

    const verdicts = versions.map((entry) => ({
      entry,
      verdict: judge(entry.version, clusterVersion, parameters.maxMinorLag),
    }));
    const failing = verdicts.filter(({ verdict }) => verdict.severity !== undefined);
    if (failing.length === 0) {
      const distinct = [...new Set(versions.map((entry) => formatMinorVersion(entry.version)))].join(', ');
      return {
        status: 'PASSED',
        reason: `${label} runs Kubernetes ${distinct} (${group.kind === 'managed' ? 'its version' : `${versions.length} running node(s) by AMI name`}), within maxMinorLag ${parameters.maxMinorLag} of the cluster's ${formatMinorVersion(clusterVersion)}${customNote}.`,
        evidence,
      };
    }
    const severity = failing.some(({ verdict }) => verdict.severity === 'HIGH') ? 'HIGH' : 'LOW';
    const worstFirst = [...failing].sort(
      (a, b) => Number(b.verdict.severity === 'HIGH') - Number(a.verdict.severity === 'HIGH'),
    );
    return {
      status: 'FAILED',
      severity,
      reason: `${label} is out of step with its cluster: ${worstFirst
        .map(({ entry, verdict }) =>
          group.kind === 'managed'
            ? `version ${verdict.why}`
            : `${entry.subject} (${entry.source}) ${verdict.why}`,
        )
        .join('; ')}${customNote}.`,
      evidence,
    };
  },
});
