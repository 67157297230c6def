/**
 * Amazon EKS add-ons and insights, per cluster (EKS has no Region-wide listing of either), and the
 * add-on versions AWS offers, per Region and Kubernetes version (shared by every cluster of that version).
 */
import {
  type Addon,
  type AddonInfo,
  DescribeAddonCommand,
  DescribeInsightCommand,
  type EKSClient,
  type Insight,
  paginateDescribeAddonVersions,
  paginateListAddons,
  paginateListInsights,
} from '@aws-sdk/client-eks';
import { DESCRIBED_INSIGHT_STATUSES, INSIGHT_CATEGORIES } from '../snapshot/insights.js';
import {
  type ClusterInsights,
  type CollectionFailure,
  collected,
  type LookupFailures,
} from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { byClusterName, describeListed } from './eks.js';
import { attempt, type ByCluster, drain, fetchByKeys, type KeyedFetch, required } from './fetch.js';

/** ListInsights, ListAddons and DescribeAddonVersions take maxResults 1 to 100. */
const PAGE_SIZE = 100;

/**
 * Each cluster's insights of INSIGHT_CATEGORIES, and DescribeInsight for those in ERROR or WARNING.
 * A failed ListInsights fails the cluster's part; a failed DescribeInsight is a lookup failure of that
 * insight alone, since its status is already known from the listing.
 */
export const fetchInsights = (
  eks: EKSClient,
  clusterNames: readonly string[],
  limit: Limiter,
): Promise<ByCluster<ClusterInsights>> =>
  byClusterName(clusterNames, async (clusterName) => {
    const listed = await limit(() =>
      attempt('eks:ListInsights', () =>
        drain(
          paginateListInsights(
            { client: eks },
            { clusterName, filter: { categories: [...INSIGHT_CATEGORIES] }, maxResults: PAGE_SIZE },
          ),
          (page) => page.insights,
        ),
      ),
    );
    if (listed.status === 'failed') return listed;
    const details: Record<string, Insight> = {};
    const failures: Record<string, CollectionFailure> = {};
    const toDescribe = listed.value.filter(
      (summary) =>
        summary.id !== undefined && DESCRIBED_INSIGHT_STATUSES.includes(summary.insightStatus?.status ?? ''),
    );
    await Promise.all(
      toDescribe.map(async ({ id = '', name }) => {
        const described = await limit(() =>
          attempt('eks:DescribeInsight', async () =>
            required((await eks.send(new DescribeInsightCommand({ clusterName, id }))).insight, 'insight'),
          ),
        );
        if (described.status === 'collected') details[id] = described.value;
        else
          failures[id] = {
            ...described.failure,
            message: `Insight ${name ?? id}: ${described.failure.message}`,
          };
      }),
    );
    return collected<ClusterInsights>({ summaries: listed.value, details }, failures as LookupFailures);
  });

/** Every installed add-on of each cluster (ListAddons, then DescribeAddon each). */
export const describeAddons = (
  eks: EKSClient,
  clusterNames: readonly string[],
  limit: Limiter,
): Promise<ByCluster<Addon[]>> =>
  byClusterName(clusterNames, (clusterName) =>
    describeListed({
      listOperation: 'eks:ListAddons',
      list: () =>
        drain(
          paginateListAddons({ client: eks }, { clusterName, maxResults: PAGE_SIZE }),
          (page) => page.addons,
        ),
      describeOperation: 'eks:DescribeAddon',
      kind: 'Add-on',
      describe: async (addonName) =>
        required((await eks.send(new DescribeAddonCommand({ clusterName, addonName }))).addon, 'addon'),
      limit,
    }),
  );

/** The add-ons AWS offers for one Kubernetes version. */
export interface VersionAddons {
  readonly kubernetesVersion: string;
  readonly addons: readonly AddonInfo[];
}

/**
 * DescribeAddonVersions once per Kubernetes version (every add-on, all pages), keyed by the version:
 * one call (or pagination) serves every cluster of the Region on that version.
 */
export const fetchAddonVersions = (
  eks: EKSClient,
  kubernetesVersions: Iterable<string>,
  limit: Limiter,
): Promise<KeyedFetch<VersionAddons>> =>
  fetchByKeys({
    keys: kubernetesVersions,
    batchSize: 1,
    limit,
    operation: 'eks:DescribeAddonVersions',
    fetchBatch: async ([kubernetesVersion = '']) => [
      {
        kubernetesVersion,
        addons: await drain(
          paginateDescribeAddonVersions({ client: eks }, { kubernetesVersion, maxResults: PAGE_SIZE }),
          (page) => page.addons,
        ),
      },
    ],
  });
