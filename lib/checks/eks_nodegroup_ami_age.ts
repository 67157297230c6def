import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, type NodeGroup, runningNodes } from '../snapshot/node-groups.js';
import type { Image } from '../snapshot/types.js';
import { DAY_MS, parseAwsTime, wholeDaysBetween } from '../time.js';
import { ASFF_TYPE } from './asff-types.js';
import { notApplicableToAutoMode } from './compute.js';
import { eksBestPractice } from './frameworks.js';
import { integerParameter } from './parameters.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** An EKS-optimized Amazon Linux release version: Kubernetes version, then the AMI date (`1.31.3-20251112`). */
const DATED_RELEASE_VERSION = /^\d+\.\d+\.\d+-(\d{4})(\d{2})(\d{2})$/;

/** The release date a managed node group's releaseVersion ends in, or undefined when it carries none. */
function releaseDate(releaseVersion: string): Date | undefined {
  const match = DATED_RELEASE_VERSION.exec(releaseVersion);
  if (match === null) return undefined;
  return parseAwsTime(`${match[1]}-${match[2]}-${match[3]}`);
}

interface AmiAge {
  readonly imageId: string;
  readonly name: string | undefined;
  readonly createdAt: Date;
  /** Where the creation date comes from: DescribeImages, or the managed group's releaseVersion. */
  readonly dateSource: 'CreationDate' | 'releaseVersion';
  readonly ageMs: number;
  /** A date after the scan time: the scan's clock (or --now) is behind the AMI's. */
  readonly createdAfterScan: boolean;
  readonly instanceIds: readonly string[];
}

/** Running nodes' instance ids by the AMI they run. */
function instanceIdsByImage(group: NodeGroup, label: string): Map<string, string[]> {
  const byImage = new Map<string, string[]>();
  for (const instance of runningNodes(group)) {
    if (instance.ImageId === undefined) {
      throw new MissingDataError(`${label}: instance ${instance.InstanceId} reports no ImageId.`);
    }
    const ids = byImage.get(instance.ImageId) ?? [];
    ids.push(instance.InstanceId ?? 'unknown-instance');
    byImage.set(instance.ImageId, ids);
  }
  return byImage;
}

/** DescribeImages gives CreationDate as a string (`2026-11-10T21:39:52.000Z`); one without a zone is UTC. */
function describedCreationDate(image: Image, label: string): Date {
  const created = image.CreationDate === undefined ? undefined : parseAwsTime(image.CreationDate);
  if (created === undefined) {
    throw new MissingDataError(
      `${label}: AMI ${image.ImageId} reports no valid CreationDate (${image.CreationDate ?? 'absent'}).`,
    );
  }
  return created;
}

/**
 * The creation date of an AMI that could not be described. Only a managed group's releaseVersion can tell
 * it; Bottlerocket release versions end in a commit id, not a date, so they are never read as one.
 */
function undescribedCreationDate(
  group: NodeGroup,
  imageId: string,
  instanceIds: readonly string[],
  label: string,
): Date {
  const unknown = `${label}: AMI ${imageId} (used by ${instanceIds.join(', ')}) could not be described (deregistered or not shared)`;
  if (group.kind !== 'managed') throw new MissingDataError(`${unknown}, so its age is unknown.`);
  const { releaseVersion, amiType } = group.nodegroup;
  const date =
    releaseVersion === undefined || amiType?.startsWith('BOTTLEROCKET_')
      ? undefined
      : releaseDate(releaseVersion);
  if (date === undefined) {
    throw new MissingDataError(
      `${unknown} and its releaseVersion ${releaseVersion ?? '(absent)'} carries no release date, so its age is unknown.`,
    );
  }
  return date;
}

const describeAmi = (ami: AmiAge) => (ami.name === undefined ? ami.imageId : `${ami.imageId} (${ami.name})`);

export default defineCheck({
  id: 'eks_nodegroup_ami_age',
  title: 'EKS node group nodes run recently built AMIs',
  resource: NODE_GROUP_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.patchManagement, ASFF_TYPE.bestPractices],
  failsWhen:
    "The oldest AMI its running nodes use was created more than maxAmiAgeDays before the scan time (a CreationDate without a zone is UTC; an AMI created after the scan time passes and is reported as such; an AMI that cannot be described is dated by the group's release version, else ERROR).",
  risk:
    'Nodes launched from an old AMI miss every OS and kubelet fix released since it was built; hosts that are ' +
    'not regularly replaced drift away from a patched, known state.',
  remediation: {
    text:
      'Replace the nodes with ones launched from a current AMI: update the managed node group to the latest ' +
      'release, roll the Auto Scaling group onto a launch template with a new AMI, or let Karpenter drift the nodes.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html',
  },
  inputs: ['images'],
  frameworks: [
    eksBestPractice(
      'Infrastructure security / Treat infrastructure as immutable and automate node replacement',
    ),
  ],
  parameters: {
    maxAmiAgeDays: integerParameter({
      description: 'The age in days (since the AMI was created) beyond which a node AMI fails.',
      default: 30,
      min: 1,
      max: 3650,
    }),
  },
  evaluate({ snapshot, group }, { now, parameters }) {
    const awsManaged = notApplicableToAutoMode(group, 'the age of its AMIs');
    if (awsManaged !== undefined) return awsManaged;
    const label = describeNodeGroup(group);
    const byImage = instanceIdsByImage(group, label);
    if (byImage.size === 0) {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${label} has no running nodes, so no AMI is in use to judge.`,
      };
    }
    const images = need(snapshot.images, `The AMIs of ${label}`);
    const amis: AmiAge[] = [...byImage].map(([imageId, instanceIds]) => {
      const image = Object.hasOwn(images, imageId) ? images[imageId] : undefined;
      const createdAt =
        image === undefined
          ? undescribedCreationDate(group, imageId, instanceIds, label)
          : describedCreationDate(image, label);
      return {
        imageId,
        name: image?.Name,
        createdAt,
        dateSource: image === undefined ? 'releaseVersion' : 'CreationDate',
        ageMs: now.getTime() - createdAt.getTime(),
        createdAfterScan: createdAt > now,
        instanceIds,
      };
    });
    const oldest = amis.reduce((older, ami) => (ami.ageMs > older.ageMs ? ami : older));
    const limit = parameters.maxAmiAgeDays;
    const evidence = {
      maxAmiAgeDays: limit,
      amis: amis.map((ami) => ({
        imageId: ami.imageId,
        name: ami.name,
        createdAt: ami.createdAt.toISOString(),
        dateSource: ami.dateSource,
        ...(ami.createdAfterScan
          ? { createdAfterScan: true }
          : { ageDays: wholeDaysBetween(ami.createdAt, now) }),
        instanceIds: ami.instanceIds,
      })),
    };
    const created =
      `created ${oldest.createdAt.toISOString()}` +
      (oldest.dateSource === 'releaseVersion'
        ? ' (release date of the group, the AMI is not describable)'
        : '');
    if (oldest.ageMs > limit * DAY_MS) {
      return {
        status: 'FAILED',
        reason:
          `${label} runs AMI ${describeAmi(oldest)}, ${created}, ${wholeDaysBetween(oldest.createdAt, now)} days old, older than ` +
          `the ${limit}-day limit; replace instances ${oldest.instanceIds.join(', ')}.`,
        evidence,
      };
    }
    if (oldest.createdAfterScan) {
      return {
        status: 'PASSED',
        reason:
          `${label} runs only AMIs created after the scan time ${now.toISOString()}, so none is older than the ` +
          `${limit}-day limit; the oldest, ${describeAmi(oldest)}, was ${created}.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason:
        `${label} runs AMIs within the ${limit}-day limit; the oldest, ${describeAmi(oldest)}, ${created}, ` +
        `is ${wholeDaysBetween(oldest.createdAt, now)} days old.`,
      evidence,
    };
  },
});
