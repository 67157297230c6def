/** The organization-scale estate: every account its 17 default Regions, a few with clusters, some in an opt-in Region of their own. */
import { describe, expect, it } from '@jest/globals';
import { callFloor } from '../../bench/floor.js';
import { DEFAULT_REGIONS, generateOrganization, OPT_IN_REGIONS } from '../../bench/organization.js';
import { parseEstate } from '../../emulator/estate.js';

describe('generateOrganization', () => {
  it('gives every account the 17 default Regions, clusters to the first, an opt-in Region of its own to the last of those', () => {
    // Act
    const estate = parseEstate(
      generateOrganization({ seed: 1, accounts: 6, clusters: 20, optInAccounts: 1 }),
    );
    // Assess
    expect(estate.accounts).toHaveLength(6);
    const clusters = estate.accounts.map((account) =>
      Object.fromEntries(
        Object.entries(account.regions)
          .filter(([, region]) => region.clusters.length > 0)
          .map(([name, region]) => [name, region.clusters.length]),
      ),
    );
    const optIn = OPT_IN_REGIONS[1 % OPT_IN_REGIONS.length] as string;
    expect(clusters).toEqual([{ 'eu-west-1': 10 }, { [optIn]: 10 }, {}, {}, {}, {}]);
    for (const [index, account] of estate.accounts.entries()) {
      const expected = index === 1 ? [...DEFAULT_REGIONS, optIn] : [...DEFAULT_REGIONS];
      expect(Object.keys(account.regions).sort()).toEqual(expected.sort());
    }
    expect(DEFAULT_REGIONS).toHaveLength(17);
    // The opt-in Region's clusters are named as being there.
    const moved = estate.accounts[1]?.regions[optIn]?.clusters[0]?.cluster.arn ?? '';
    expect(moved).toContain(`:${optIn}:`);
  });

  it('costs one ListClusters per empty Region and one AssumeRole per member account at the floor', () => {
    // Act
    const floor = callFloor(
      parseEstate(generateOrganization({ seed: 1, accounts: 4, clusters: 0, optInAccounts: 0 })),
    );
    // Assess
    expect(floor['eks:ListClusters']).toBe(4 * 17);
    expect(floor['sts:AssumeRole']).toBe(3);
    expect(floor['ec2:DescribeRegions']).toBe(4);
  });

  it('refuses more clusters or opt-in accounts than its accounts can hold', () => {
    // Act / Assess
    expect(() => generateOrganization({ seed: 1, accounts: 1, clusters: 20, optInAccounts: 0 })).toThrow(
      RangeError,
    );
    expect(() => generateOrganization({ seed: 1, accounts: 4, clusters: 10, optInAccounts: 2 })).toThrow(
      RangeError,
    );
  });
});
