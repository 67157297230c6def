/** Amazon EKS: the Region's clusters, each cluster's description, node groups and Fargate profiles. */
import {
  type Cluster,
  type ClusterVersionInformation,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  type FargateProfile,
  type Nodegroup,
  paginateDescribeClusterVersions,
  paginateListClusters,
  paginateListFargateProfiles,
  paginateListNodegroups,
} from '@aws-sdk/client-eks';
import { collected, failed, type Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt, type ByCluster, drain, firstFailure, required } from './fetch.js';

/** The largest page the EKS list operations return. */
const PAGE_SIZE = 100;

/** Every EKS cluster of the Region (throws when the listing fails: the Region cannot be scanned). */
export const listClusterNames = (eks: EKSClient, limit: Limiter): Promise<string[]> =>
  limit(() =>
    drain(paginateListClusters({ client: eks }, { maxResults: PAGE_SIZE }), (page) => page.clusters),
  );

/** Every Kubernetes version EKS knows, with its support dates: fetched once per Region. */
export const fetchClusterVersions = (
  eks: EKSClient,
  limit: Limiter,
): Promise<Part<ClusterVersionInformation[]>> =>
  limit(() =>
    attempt('eks:DescribeClusterVersions', () =>
      drain(
        paginateDescribeClusterVersions(
          { client: eks },
          { includeAll: true, clusterType: 'eks', maxResults: PAGE_SIZE },
        ),
        (page) => page.clusterVersions,
      ),
    ),
  );

export const byClusterName = async <T>(
  clusterNames: readonly string[],
  fetch: (clusterName: string) => Promise<Part<T>>,
): Promise<ByCluster<T>> =>
  new Map(await Promise.all(clusterNames.map(async (name) => [name, await fetch(name)] as const)));

export const describeClusters = (
  eks: EKSClient,
  clusterNames: readonly string[],
  limit: Limiter,
): Promise<ByCluster<Cluster>> =>
  byClusterName(clusterNames, (name) =>
    limit(() =>
      attempt('eks:DescribeCluster', async () =>
        required((await eks.send(new DescribeClusterCommand({ name }))).cluster, 'cluster'),
      ),
    ),
  );

interface ListedResources<T> {
  readonly listOperation: string;
  readonly list: () => Promise<string[]>;
  readonly describeOperation: string;
  /** How failures name the resource, e.g. `node group`. */
  readonly kind: string;
  readonly describe: (name: string) => Promise<T>;
  readonly limit: Limiter;
}

/** Lists names, then describes each. Fails when any call failed; a failed describe names its resource. */
export async function describeListed<T>(resources: ListedResources<T>): Promise<Part<T[]>> {
  const { limit } = resources;
  const names = await limit(() => attempt(resources.listOperation, resources.list));
  if (names.status === 'failed') return names;
  const described = await Promise.all(
    names.value.map(async (name) => {
      const part = await limit(() => attempt(resources.describeOperation, () => resources.describe(name)));
      return part.status === 'failed'
        ? failed<T>({ ...part.failure, message: `${resources.kind} ${name}: ${part.failure.message}` })
        : part;
    }),
  );
  const failure = firstFailure(...described);
  if (failure !== undefined) return failed(failure);
  return collected(described.flatMap((part) => (part.status === 'collected' ? [part.value] : [])));
}

/** Every managed node group of each cluster (ListNodegroups, then DescribeNodegroup each). */
export const describeNodegroups = (
  eks: EKSClient,
  clusterNames: readonly string[],
  limit: Limiter,
): Promise<ByCluster<Nodegroup[]>> =>
  byClusterName(clusterNames, (clusterName) =>
    describeListed({
      listOperation: 'eks:ListNodegroups',
      list: () =>
        drain(
          paginateListNodegroups({ client: eks }, { clusterName, maxResults: PAGE_SIZE }),
          (page) => page.nodegroups,
        ),
      describeOperation: 'eks:DescribeNodegroup',
      kind: 'Node group',
      describe: async (nodegroupName) =>
        required(
          (await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }))).nodegroup,
          'nodegroup',
        ),
      limit,
    }),
  );

/** Every Fargate profile of each cluster (ListFargateProfiles, then DescribeFargateProfile each). */
export const describeFargateProfiles = (
  eks: EKSClient,
  clusterNames: readonly string[],
  limit: Limiter,
): Promise<ByCluster<FargateProfile[]>> =>
  byClusterName(clusterNames, (clusterName) =>
    describeListed({
      listOperation: 'eks:ListFargateProfiles',
      list: () =>
        drain(
          paginateListFargateProfiles({ client: eks }, { clusterName, maxResults: PAGE_SIZE }),
          (page) => page.fargateProfileNames,
        ),
      describeOperation: 'eks:DescribeFargateProfile',
      kind: 'Fargate profile',
      describe: async (fargateProfileName) =>
        required(
          (await eks.send(new DescribeFargateProfileCommand({ clusterName, fargateProfileName })))
            .fargateProfile,
          'fargateProfile',
        ),
      limit,
    }),
  );
