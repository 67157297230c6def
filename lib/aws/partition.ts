/**
 * AWS partitions and their Regions, from the partition data the SDK's endpoint rules use (the
 * `partition()` function of @aws-sdk/core), so a new Region needs an SDK update, not a code change.
 */
import { partition } from '@aws-sdk/core/client';

/** The partition of a Region, for ARNs (arn:<partition>:...); `aws` for a name the SDK does not know. */
export const partitionOf = (region: string): string => partition(region).name;

/** Region names end in a number; the data also lists pseudo-Regions such as `aws-global`, which are not. */
const REGION_NAME = /^[a-z]+(-[a-z]+)+-\d+$/;

/**
 * Whether `region` is a Region of `partitionName`. The SDK's `partition()` returns a description only
 * for a Region its data lists; a well-formed but unknown name (eu-west-9) gets the partition's
 * defaults without one.
 */
export function isRegionOf(region: string, partitionName: string): boolean {
  const found: { name: string; description?: string } = partition(region);
  return REGION_NAME.test(region) && found.name === partitionName && found.description !== undefined;
}

/** The Region a global service (IAM) of the Region's partition is signed for: us-east-1 in `aws`. */
export function globalRegionOf(region: string): string {
  // The SDK's partition data carries it; its type does not declare it.
  const found: { name: string; implicitGlobalRegion?: string } = partition(region);
  return found.implicitGlobalRegion ?? region;
}
