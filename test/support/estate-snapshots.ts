/**
 * Cluster snapshots built straight from an estate, without the emulator: for each cluster of the
 * accounts a scan can enter, the Region's resources that belong to it, gathered as the collector does
 * (nodes by cluster tags, then their Auto Scaling groups, AMIs, subnets and launch templates).
 */
import type { AsJson, Estate, EstateClusterEntry, EstateRegion } from '../../emulator/estate.js';
import { addonsForKubernetesVersion } from '../../emulator/services/eks.js';
import { attachedVolumeIds } from '../../lib/snapshot/lookups.js';
import { isTaggedForCluster, TAG, tagValue } from '../../lib/snapshot/node-groups.js';
import { releaseParameterName } from '../../lib/snapshot/references.js';
import {
  type AccountState,
  type Addon,
  type AddonInfo,
  type AutoScalingGroup,
  type Cluster,
  type ClusterScope,
  type ClusterSnapshot,
  type ClusterVersionInformation,
  type CoverageResource,
  type CoveredResource,
  collected,
  type FargateProfile,
  type GuardDutyDetector,
  type Image,
  type Insight,
  type Instance,
  type InstanceInformation,
  type LaunchTemplateVersion,
  type Nodegroup,
  type OpenIDConnectProviderListEntry,
  type RegistryScanningConfiguration,
  type RouteTable,
  type Subnet,
  type Volume,
} from '../../lib/snapshot/types.js';

/**
 * An estate object as its SDK type. Only cluster version dates and instance launch times are revived:
 * no check reads any other Date member, so the rest stay the ISO strings of the file.
 */
const asSdk = <T>(value: AsJson<T>): T => value as unknown as T;

const dateOrUndefined = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

const reviveClusterVersion = (version: AsJson<ClusterVersionInformation>): ClusterVersionInformation => ({
  ...asSdk<ClusterVersionInformation>(version),
  releaseDate: dateOrUndefined(version.releaseDate),
  endOfStandardSupportDate: dateOrUndefined(version.endOfStandardSupportDate),
  endOfExtendedSupportDate: dateOrUndefined(version.endOfExtendedSupportDate),
});

/** What BatchGetAccountStatus reports for an account and Region where Inspector was never enabled. */
const neverEnabled = (accountId: string): AccountState => {
  const disabled = { status: 'DISABLED', errorCode: undefined, errorMessage: undefined } as const;
  return { accountId, state: disabled, resourceState: { ec2: disabled, ecr: disabled } };
};

interface TemplateReference {
  readonly id?: string;
  readonly name?: string;
}

function templatesReferenced(nodegroups: readonly Nodegroup[], groups: readonly AutoScalingGroup[]) {
  const references: TemplateReference[] = nodegroups.flatMap((nodegroup) =>
    nodegroup.launchTemplate
      ? [{ id: nodegroup.launchTemplate.id, name: nodegroup.launchTemplate.name }]
      : [],
  );
  for (const group of groups) {
    const spec =
      group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
    if (spec) references.push({ id: spec.LaunchTemplateId, name: spec.LaunchTemplateName });
  }
  return references;
}

const isOfTemplate = (version: LaunchTemplateVersion, reference: TemplateReference) =>
  reference.id !== undefined
    ? version.LaunchTemplateId === reference.id
    : version.LaunchTemplateName === reference.name;

function clusterSnapshot(
  estate: Estate,
  scope: ClusterScope,
  region: EstateRegion,
  entry: EstateClusterEntry,
): ClusterSnapshot {
  const instances = region.ec2.instances
    .map((instance) => ({ ...asSdk<Instance>(instance), LaunchTime: dateOrUndefined(instance.LaunchTime) }))
    .filter((instance) => isTaggedForCluster(instance.Tags, scope.clusterName));
  const instanceIds = new Set(instances.map((instance) => instance.InstanceId));
  const volumeIds = new Set(attachedVolumeIds(instances));
  const nodegroups = entry.nodegroups.map(asSdk<Nodegroup>);

  const groupNamesOfNodes = new Set(
    instances.flatMap((instance) => tagValue(instance.Tags, TAG.autoScalingGroupName) ?? []),
  );
  const autoScalingGroups = region.autoscaling.groups
    .map(asSdk<AutoScalingGroup>)
    .filter(
      (group) =>
        groupNamesOfNodes.has(group.AutoScalingGroupName ?? '') ||
        isTaggedForCluster(group.Tags, scope.clusterName),
    );

  const images: Record<string, Image> = {};
  for (const image of region.ec2.images.map(asSdk<Image>)) {
    if (instances.some((instance) => instance.ImageId === image.ImageId)) images[image.ImageId ?? ''] = image;
  }

  const references = templatesReferenced(nodegroups, autoScalingGroups);
  const launchTemplateVersions = region.ec2.launchTemplateVersions
    .map(asSdk<LaunchTemplateVersion>)
    .filter((version) => references.some((reference) => isOfTemplate(version, reference)));

  const subnetIds = new Set([
    ...nodegroups.flatMap((nodegroup) => nodegroup.subnets ?? []),
    ...autoScalingGroups.flatMap((group) => (group.VPCZoneIdentifier ?? '').split(',')),
    ...instances.flatMap((instance) => instance.SubnetId ?? []),
  ]);
  const subnets = region.ec2.subnets
    .map(asSdk<Subnet>)
    .filter((subnet) => subnetIds.has(subnet.SubnetId ?? ''));
  const vpcIds = new Set(subnets.map((subnet) => subnet.VpcId));
  const routeTables = region.ec2.routeTables
    .map(asSdk<RouteTable>)
    .filter((table) => vpcIds.has(table.VpcId));

  const parameterNames = nodegroups.flatMap((nodegroup) => {
    const name =
      nodegroup.amiType && nodegroup.version
        ? releaseParameterName(nodegroup.amiType, nodegroup.version)
        : undefined;
    return name === undefined ? [] : [name];
  });
  const releaseParameters = Object.fromEntries(
    parameterNames.flatMap((name) => {
      const value = region.ssm.parameters[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );

  const insights = (entry.insights ?? [])
    .map(asSdk<Insight>)
    .filter((insight) => ['UPGRADE_READINESS', 'MISCONFIGURATION'].includes(insight.category ?? ''));
  const addons = (entry.addons ?? []).map(asSdk<Addon>);
  const version = entry.cluster.version;
  const addonVersions =
    addons.length === 0 || version === undefined
      ? {}
      : {
          [version]: addonsForKubernetesVersion(
            (region.eksAddonVersions ?? []).map(asSdk<AddonInfo>),
            version,
          ),
        };
  const account = estate.accounts.find((candidate) => candidate.accountId === scope.accountId);

  return {
    scope,
    cluster: collected(asSdk<Cluster>(entry.cluster)),
    clusterVersions: collected(estate.clusterVersions.map(reviveClusterVersion)),
    nodegroups: collected(nodegroups),
    fargateProfiles: collected(entry.fargateProfiles.map(asSdk<FargateProfile>)),
    instances: collected(instances),
    autoScalingGroups: collected(autoScalingGroups),
    images: collected(images),
    launchTemplateVersions: collected(launchTemplateVersions),
    subnets: collected(subnets),
    routeTables: collected(routeTables),
    inspectorAccount: collected(
      region.inspector2 ? asSdk<AccountState>(region.inspector2.accountState) : neverEnabled(scope.accountId),
    ),
    inspectorCoverage: collected(
      (region.inspector2?.coverage ?? [])
        .map(asSdk<CoveredResource>)
        .filter((record) => record.resourceType === 'AWS_EC2_INSTANCE' && instanceIds.has(record.resourceId)),
    ),
    releaseParameters: collected(releaseParameters),
    insights: collected({
      summaries: insights,
      details: Object.fromEntries(
        insights
          .filter((insight) => ['ERROR', 'WARNING'].includes(insight.insightStatus?.status ?? ''))
          .map((insight) => [insight.id ?? '', insight]),
      ),
    }),
    addons: collected(addons),
    addonVersions: collected(addonVersions),
    oidcProviders: collected(
      (account?.iam?.openIDConnectProviders ?? []).map(asSdk<OpenIDConnectProviderListEntry>),
    ),
    guardDutyDetector: collected(
      region.guardduty ? asSdk<GuardDutyDetector>(region.guardduty.detector) : null,
    ),
    guardDutyCoverage: collected(
      (region.guardduty?.coverage ?? [])
        .map(asSdk<CoverageResource>)
        .find((record) => record.ResourceDetails?.EksClusterDetails?.ClusterName === scope.clusterName) ??
        null,
    ),
    // ECR's default when the registry has no scanning configuration.
    ecrScanningConfiguration: collected(
      asSdk<RegistryScanningConfiguration>(
        region.ecr?.registryScanningConfiguration ?? { scanType: 'BASIC', rules: [] },
      ),
    ),
    ssmManagedNodes: collected((region.ssm.instanceInformation ?? []).map(asSdk<InstanceInformation>)),
    volumes: collected(
      (region.ec2.volumes ?? []).map(asSdk<Volume>).filter((volume) => volumeIds.has(volume.VolumeId ?? '')),
    ),
    ebsEncryptionByDefault: collected(region.ec2.ebsEncryptionByDefault ?? false),
  };
}

/** Whether a scan can enter the account: it is active and lets the scanner assume its role. */
export const isScannable = (account: Estate['accounts'][number]) =>
  account.state === 'ACTIVE' && account.assumeRole === 'allow';

/** One snapshot per cluster of every account a scan can enter, in estate order. */
export function snapshotsOfEstate(estate: Estate): ClusterSnapshot[] {
  return estate.accounts.filter(isScannable).flatMap((account) =>
    Object.entries(account.regions).flatMap(([regionName, region]) =>
      region.clusters.map((entry) =>
        clusterSnapshot(
          estate,
          {
            partition: estate.partition,
            accountId: account.accountId,
            region: regionName,
            clusterName: entry.cluster.name,
          },
          region,
          entry,
        ),
      ),
    ),
  );
}
