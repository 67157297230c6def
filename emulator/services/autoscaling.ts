/** Auto Scaling (query): the caller's Auto Scaling groups in the request Region, by name and by tag. */
import type { AutoScalingGroup, Filter, TagDescription } from '@aws-sdk/client-auto-scaling';
import type { AsJson } from '../estate.js';
import { AwsError } from '../protocols.js';
import { type Handler, page, regionOf } from './context.js';

type EstateGroup = AsJson<AutoScalingGroup>;

/** DescribeAutoScalingGroups: MaxRecords defaults to 50 and may be at most 100. */
const DEFAULT_RECORDS = 50;
const MAX_RECORDS = 100;

/**
 * The filters DescribeAutoScalingGroups takes: `tag-key`, `tag-value` and `tag:<key>`. Values are ORed
 * within a filter and matched exactly; filters are ANDed.
 */
function filterPredicate(filter: Filter): (group: EstateGroup) => boolean {
  const name = filter.Name ?? '';
  const values = new Set(filter.Values ?? []);
  const tagsOf = (group: EstateGroup): readonly AsJson<TagDescription>[] => group.Tags ?? [];
  if (name === 'tag-key') return (group) => tagsOf(group).some((tag) => values.has(tag.Key ?? ''));
  if (name === 'tag-value') return (group) => tagsOf(group).some((tag) => values.has(tag.Value ?? ''));
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (group) => tagsOf(group).some((tag) => tag.Key === key && values.has(tag.Value ?? ''));
  }
  throw new AwsError(
    'ValidationError',
    `Filter name '${name}' is invalid; valid names are tag-key, tag-value and tag:<key>.`,
  );
}

export const autoScalingHandlers: Readonly<Record<string, Handler>> = {
  DescribeAutoScalingGroups: (
    input: { AutoScalingGroupNames?: string[]; Filters?: Filter[]; MaxRecords?: number; NextToken?: string },
    context,
  ) => {
    if (input.MaxRecords !== undefined && input.MaxRecords > MAX_RECORDS) {
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to ${MAX_RECORDS}`,
      );
    }
    const names = input.AutoScalingGroupNames;
    const predicates = (input.Filters ?? []).map(filterPredicate);
    // Names the Region does not hold are left out, not an error, as in AWS.
    const groups = (regionOf(context)?.autoscaling.groups ?? []).filter(
      (group) =>
        (names === undefined || names.length === 0 || names.includes(group.AutoScalingGroupName)) &&
        predicates.every((matches) => matches(group)),
    );
    const { items, nextToken } = page(
      groups,
      {
        maxResults: input.MaxRecords,
        nextToken: input.NextToken,
        cap: MAX_RECORDS,
        defaultSize: DEFAULT_RECORDS,
        invalidTokenCode: 'InvalidNextToken',
        validationCode: 'ValidationError',
      },
      context,
    );
    return { AutoScalingGroups: items, NextToken: nextToken };
  },
};
