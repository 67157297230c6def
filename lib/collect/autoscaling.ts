/**
 * Amazon EC2 Auto Scaling, per Region: the groups of self-managed nodes. Groups tagged for a cluster,
 * by any tag the node grouping accepts (node-groups.ts, claimsOf), are found by tag, so a group scaled
 * to zero is not missed; groups named by nodes but not tagged are then described by name.
 */
import {
  type AutoScalingClient,
  type AutoScalingGroup,
  type Filter,
  paginateDescribeAutoScalingGroups,
} from '@aws-sdk/client-auto-scaling';
import { TAG } from '../snapshot/node-groups.js';
import type { Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt, chunksOf, drain, EMPTY_FETCH, fetchByKeys, type KeyedFetch } from './fetch.js';

/** DescribeAutoScalingGroups takes at most 50 group names by default. */
export const GROUP_NAMES_PER_CALL = 50;
/** Unverified: the API documents no limit on filter values; 200 matches EC2's and keeps calls small. */
const FILTER_VALUES_PER_CALL = 200;
const PAGE_SIZE = 100;

export interface AutoScalingFetch {
  /**
   * The groups with a tag valued one of the cluster names (a superset of those tagged
   * `aws:eks:cluster-name`, `eks:eks-cluster-name` or `eks:cluster-name` for them) or a
   * `kubernetes.io/cluster/<name>` tag key of one of them; the caller reads the claims.
   */
  readonly tagged: Part<AutoScalingGroup[]>;
  /** The other groups the nodes name, by group name. */
  readonly named: KeyedFetch<AutoScalingGroup>;
}

const OPERATION = 'autoscaling:DescribeAutoScalingGroups';

export async function fetchAutoScalingGroups(
  client: AutoScalingClient,
  request: { readonly clusterNames: readonly string[]; readonly groupNames: Iterable<string> },
  limit: Limiter,
): Promise<AutoScalingFetch> {
  const chunks = chunksOf(request.clusterNames, FILTER_VALUES_PER_CALL);
  // One `tag-value` filter finds the three name-valued tags in one call: it matches groups with any tag
  // of that value (Auto Scaling API reference, Filter), so the caller checks the claims.
  const filters: Filter[] = [
    ...chunks.map((names) => ({ Name: 'tag-value', Values: names })),
    ...chunks.map((names) => ({
      Name: 'tag-key',
      Values: names.map((name) => `${TAG.kubernetesClusterPrefix}${name}`),
    })),
  ];
  const tagged = await attempt(OPERATION, async () => {
    const found = await Promise.all(
      filters.map((filter) =>
        limit(() =>
          drain(
            paginateDescribeAutoScalingGroups({ client }, { Filters: [filter], MaxRecords: PAGE_SIZE }),
            (page) => page.AutoScalingGroups,
          ),
        ),
      ),
    );
    const byName = new Map(found.flat().map((group) => [group.AutoScalingGroupName, group]));
    return [...byName.values()];
  });
  // Every cluster needs the tagged groups: without them none is complete, so naming more is wasted.
  if (tagged.status === 'failed') return { tagged, named: EMPTY_FETCH };
  const found = new Set(tagged.value.map((group) => group.AutoScalingGroupName));
  const named = await fetchByKeys({
    keys: [...request.groupNames].filter((name) => !found.has(name)),
    batchSize: GROUP_NAMES_PER_CALL,
    limit,
    operation: OPERATION,
    fetchBatch: (AutoScalingGroupNames) =>
      drain(
        paginateDescribeAutoScalingGroups({ client }, { AutoScalingGroupNames, MaxRecords: PAGE_SIZE }),
        (page) => page.AutoScalingGroups,
      ),
  });
  return { tagged, named };
}
