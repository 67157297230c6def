/**
 * Amazon EC2, per Region: the nodes of the Region's clusters, their AMIs, launch template versions,
 * subnets and route tables. Filters rather than id lists, so an id that no longer exists is simply
 * absent instead of failing the whole call.
 */
import {
  type DescribeInstancesRequest,
  type DescribeLaunchTemplateVersionsRequest,
  DescribeVolumesCommand,
  type DescribeVolumesRequest,
  type EC2Client,
  type Filter,
  GetEbsEncryptionByDefaultCommand,
  type Image,
  type Instance,
  type LaunchTemplateVersion,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeLaunchTemplateVersions,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  type RouteTable,
  type Subnet,
  type Volume,
} from '@aws-sdk/client-ec2';
import { TAG } from '../snapshot/node-groups.js';
import type { Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt, chunksOf, drain, fetchByKeys, type KeyedFetch, required } from './fetch.js';

/**
 * The input of every EC2 listing that can return resources an AWS service manages for the account
 * (DescribeInstances, DescribeLaunchTemplateVersions, DescribeLaunchTemplates, DescribeVolumes,
 * DescribeNetworkInterfaces: the SDK input types that take `IncludeManagedResources`). Accounts whose
 * managed-resource visibility is `hidden` leave such resources out unless the request asks for them,
 * and EKS Auto Mode nodes, their volumes and ENIs are such resources: without the flag an Auto Mode
 * node pool would vanish from the scan (EC2 API reference, DescribeInstances IncludeManagedResources).
 * Build every such input here; test/collect/managed-resources.test.ts fails on a listing that does not.
 */
export const ec2ListingInput = <Input extends { IncludeManagedResources?: boolean }>(
  input: Omit<Input, 'IncludeManagedResources'>,
): Input => ({ ...input, IncludeManagedResources: true }) as Input;

/** EC2 accepts at most 200 values in one filter. */
export const FILTER_VALUES_PER_CALL = 200;
const PAGE_SIZE = 100;

/** Node states worth judging: terminated and shutting-down instances are gone. */
export const NODE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/**
 * One filter set per DescribeInstances call: each tag the node grouping accepts (node-groups.ts,
 * claimsOf: the EKS cluster tags, Auto Mode's, the Kubernetes cluster tag key) over the cluster names,
 * 200 names at most per call. EC2 has no filter on tag values alone, so each tag is a call.
 */
export function nodeInstanceFilters(clusterNames: readonly string[]): Filter[][] {
  const conventions: ((names: string[]) => Filter)[] = [
    (names) => ({ Name: `tag:${TAG.awsClusterName}`, Values: names }),
    (names) => ({ Name: `tag:${TAG.eksAutoModeClusterName}`, Values: names }),
    (names) => ({ Name: `tag:${TAG.eksClusterName}`, Values: names }),
    (names) => ({ Name: 'tag-key', Values: names.map((name) => `${TAG.kubernetesClusterPrefix}${name}`) }),
  ];
  const chunks = chunksOf(clusterNames, FILTER_VALUES_PER_CALL);
  return conventions.flatMap((filterOf) =>
    chunks.map((names) => [filterOf(names), { Name: 'instance-state-name', Values: NODE_STATES }]),
  );
}

/** Every instance tagged as a node of any of the clusters, each once. Region-shared: one failure fails all. */
export async function fetchNodeInstances(
  ec2: EC2Client,
  clusterNames: readonly string[],
  limit: Limiter,
): Promise<Part<Instance[]>> {
  return attempt('ec2:DescribeInstances', async () => {
    const found = await Promise.all(
      nodeInstanceFilters(clusterNames).map((Filters) =>
        limit(() =>
          drain(
            paginateDescribeInstances(
              { client: ec2 },
              ec2ListingInput<DescribeInstancesRequest>({ Filters, MaxResults: PAGE_SIZE }),
            ),
            (page) => page.Reservations?.flatMap((reservation) => reservation.Instances ?? []),
          ),
        ),
      ),
    );
    const byId = new Map<string, Instance>();
    for (const instance of found.flat()) byId.set(instance.InstanceId ?? '', instance);
    return [...byId.values()];
  });
}

/** Each AMI once; deprecated and disabled ones included, deregistered ones absent. */
export const fetchImages = (
  ec2: EC2Client,
  imageIds: Iterable<string>,
  limit: Limiter,
): Promise<KeyedFetch<Image>> =>
  fetchByKeys({
    keys: imageIds,
    batchSize: FILTER_VALUES_PER_CALL,
    limit,
    operation: 'ec2:DescribeImages',
    fetchBatch: (batch) =>
      drain(
        paginateDescribeImages(
          { client: ec2 },
          {
            Filters: [{ Name: 'image-id', Values: batch }],
            IncludeDeprecated: true,
            IncludeDisabled: true,
            MaxResults: PAGE_SIZE,
          },
        ),
        (page) => page.Images,
      ),
  });

/** One version of a launch template as node groups reference it (by id or by name). */
export interface LaunchTemplateWanted {
  readonly id?: string;
  readonly name?: string;
  /** A version number, `$Latest` or `$Default`. */
  readonly version: string;
}

/** DescribeLaunchTemplateVersions takes at most 200 versions (the API's MaxResults). */
const VERSIONS_PER_CALL = 200;

/**
 * One DescribeLaunchTemplateVersions per template with all its wanted versions, keyed per version (as
 * the caller keys them; keys of one template share its group `templateOf(key)`). A deleted template
 * (`InvalidLaunchTemplateId.NotFound`) or version (`InvalidLaunchTemplateId.VersionNotFound`) fails the
 * whole call; fetchByKeys then asks again for the other versions, so only the missing ones fail.
 */
export const fetchLaunchTemplateVersions = (
  ec2: EC2Client,
  versions: ReadonlyMap<string, LaunchTemplateWanted>,
  limit: Limiter,
): Promise<KeyedFetch<LaunchTemplateVersion>> =>
  fetchByKeys({
    keys: versions.keys(),
    batchSize: VERSIONS_PER_CALL,
    groupOf: (key) => {
      const wanted = versions.get(key);
      return wanted?.id !== undefined ? `id:${wanted.id}` : `name:${wanted?.name}`;
    },
    limit,
    operation: 'ec2:DescribeLaunchTemplateVersions',
    fetchBatch: async (keys) => {
      const batch = keys.flatMap((key) => {
        const wanted = versions.get(key);
        return wanted === undefined ? [] : [wanted];
      });
      const [template] = batch;
      if (template === undefined) return [];
      // A template is named by id or by name, never both (the API rejects both).
      const which =
        template.id !== undefined ? { LaunchTemplateId: template.id } : { LaunchTemplateName: template.name };
      return drain(
        paginateDescribeLaunchTemplateVersions(
          { client: ec2 },
          ec2ListingInput<DescribeLaunchTemplateVersionsRequest>({
            ...which,
            Versions: [...new Set(batch.map((wanted) => wanted.version))],
            MaxResults: PAGE_SIZE,
          }),
        ),
        (page) => page.LaunchTemplateVersions?.map(withoutUserData),
      );
    },
  });

/**
 * The version without its UserData: DescribeLaunchTemplateVersions always returns it (no API leaves it
 * out), it often carries bootstrap secrets, and no check reads it, so it is dropped on arrival and never
 * reaches a snapshot, a log line, a report or a finding.
 */
export function withoutUserData(version: LaunchTemplateVersion): LaunchTemplateVersion {
  if (version.LaunchTemplateData?.UserData === undefined) return version;
  const { UserData: _dropped, ...data } = version.LaunchTemplateData;
  return { ...version, LaunchTemplateData: data };
}

export const fetchSubnets = (
  ec2: EC2Client,
  subnetIds: Iterable<string>,
  limit: Limiter,
): Promise<KeyedFetch<Subnet>> =>
  fetchByKeys({
    keys: subnetIds,
    batchSize: FILTER_VALUES_PER_CALL,
    limit,
    operation: 'ec2:DescribeSubnets',
    fetchBatch: (batch) =>
      drain(
        paginateDescribeSubnets(
          { client: ec2 },
          { Filters: [{ Name: 'subnet-id', Values: batch }], MaxResults: PAGE_SIZE },
        ),
        (page) => page.Subnets,
      ),
  });

/** Every route table of the VPCs, so a subnet without its own table falls back to its VPC's main table. */
export const fetchRouteTables = (
  ec2: EC2Client,
  vpcIds: Iterable<string>,
  limit: Limiter,
): Promise<KeyedFetch<RouteTable>> =>
  fetchByKeys({
    keys: vpcIds,
    batchSize: FILTER_VALUES_PER_CALL,
    limit,
    operation: 'ec2:DescribeRouteTables',
    fetchBatch: (batch) =>
      drain(
        paginateDescribeRouteTables(
          { client: ec2 },
          { Filters: [{ Name: 'vpc-id', Values: batch }], MaxResults: PAGE_SIZE },
        ),
        (page) => page.RouteTables,
      ),
  });

/** Volume ids per DescribeVolumes call: the filter limit the other look-ups keep to. */
export const VOLUME_IDS_PER_CALL = 200;

/**
 * The volumes attached to the nodes, by id: one call per 200 volumes, where a Region-wide listing
 * (attachment.status=attached) would page through every attached volume of the Region, node or not,
 * however few the clusters' nodes. DescribeVolumes takes no MaxResults with VolumeIds (so there is
 * nothing to page); an id that no longer exists fails the call (`InvalidVolume.NotFound`), which
 * fetchByKeys narrows to that id alone. IncludeManagedResources: Auto Mode volumes are hidden otherwise.
 */
export const fetchVolumes = (
  ec2: EC2Client,
  volumeIds: Iterable<string>,
  limit: Limiter,
): Promise<KeyedFetch<Volume>> =>
  fetchByKeys({
    keys: volumeIds,
    batchSize: VOLUME_IDS_PER_CALL,
    limit,
    operation: 'ec2:DescribeVolumes',
    fetchBatch: async (VolumeIds) =>
      (await ec2.send(new DescribeVolumesCommand(ec2ListingInput<DescribeVolumesRequest>({ VolumeIds }))))
        .Volumes ?? [],
  });

/** Whether new EBS volumes of the account and Region are encrypted by default: one call per Region. */
export const fetchEbsEncryptionByDefault = (ec2: EC2Client, limit: Limiter): Promise<Part<boolean>> =>
  limit(() =>
    attempt('ec2:GetEbsEncryptionByDefault', async () =>
      required(
        (await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault,
        'EbsEncryptionByDefault',
      ),
    ),
  );
