/**
 * Amazon EC2 Auto Scaling, per Region: the groups of self-managed nodes. Groups tagged for a cluster
 * are found by tag (so a group scaled to zero is not missed); groups named by nodes but not tagged are
 * then described by name.
 */
import {
  type AutoScalingClient,
  type AutoScalingGroup,
  paginateDescribeAutoScalingGroups,
} from '@aws-sdk/client-auto-scaling';
import type { Limiter } from './concurrency.js';
import { attempt, chunksOf, drain, EMPTY_FETCH, fetchByKeys, type KeyedFetch } from './fetch.js';
import { TAG } from './node-groups.js';
import type { Part } from './types.js';

/** DescribeAutoScalingGroups takes at most 50 group names by default. */
export const GROUP_NAMES_PER_CALL = 50;
/** Unverified: the API documents no limit on filter values; 200 matches EC2's and keeps calls small. */
const FILTER_VALUES_PER_CALL = 200;
const PAGE_SIZE = 100;

export interface AutoScalingFetch {
  /** The groups carrying a `kubernetes.io/cluster/<name>` tag key of one of the clusters. */
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
  const tagKeys = request.clusterNames.map((name) => `${TAG.kubernetesClusterPrefix}${name}`);
  const tagged = await attempt(OPERATION, async () =>
    (
      await Promise.all(
        chunksOf(tagKeys, FILTER_VALUES_PER_CALL).map((Values) =>
          limit(() =>
            drain(
              paginateDescribeAutoScalingGroups(
                { client },
                { Filters: [{ Name: 'tag-key', Values }], MaxRecords: PAGE_SIZE },
              ),
              (page) => page.AutoScalingGroups,
            ),
          ),
        ),
      )
    ).flat(),
  );
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
