import { describe, expect, it } from '@jest/globals';
import { isRegionOf, partitionOf } from '../../lib/aws/partition.js';

describe('partitionOf', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('%s is in %s', (region, partition) => {
    // Act
    const found = partitionOf(region);
    // Assess
    expect(found).toBe(partition);
  });
});

describe('isRegionOf', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['mx-central-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
  ])('knows %s as a Region of %s', (region, partition) => {
    // Act
    const known = isRegionOf(region, partition);
    // Assess
    expect(known).toBe(true);
  });

  it.each([
    ['eu-west-9', 'aws', 'well-formed but not a Region'],
    ['cn-north-1', 'aws', 'a Region of another partition'],
    ['eu-west-1', 'aws-cn', 'a Region of another partition'],
    ['aws-global', 'aws', 'a pseudo-Region of the endpoint data'],
    ['EU-WEST-1', 'aws', 'not a Region name'],
    ['', 'aws', 'empty'],
  ])('refuses %s in %s (%s)', (region, partition) => {
    // Act
    const known = isRegionOf(region, partition);
    // Assess
    expect(known).toBe(false);
  });
});
