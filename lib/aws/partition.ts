/** The AWS partition of a Region, for ARNs (arn:<partition>:...). */

const PARTITION_BY_REGION_PREFIX: readonly (readonly [RegExp, string])[] = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^us-isof-/, 'aws-iso-f'],
  [/^us-iso-/, 'aws-iso'],
  [/^eu-isoe-/, 'aws-iso-e'],
  [/^eusc-/, 'aws-eusc'],
];

export const partitionOf = (region: string): string =>
  PARTITION_BY_REGION_PREFIX.find(([prefix]) => prefix.test(region))?.[1] ?? 'aws';
