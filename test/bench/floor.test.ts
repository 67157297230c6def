/** The benchmark's call floor and how a run's calls compare with it. */
import { describe, expect, it } from '@jest/globals';
import { analyzeCalls, callFloor } from '../../bench/floor.js';
import { generateEstate } from '../../bench/generate-estate.js';
import { parseEstate } from '../../emulator/estate.js';

const estate = parseEstate(
  generateEstate({
    seed: 3,
    accounts: 2,
    regionsPerAccount: 2,
    clustersPerRegion: 2,
    nodeGroupsPerCluster: 2,
    nodesPerGroup: 2,
  }),
);
const entries = estate.accounts.flatMap((account) =>
  Object.values(account.regions).flatMap((region) => region.clusters),
);

describe('callFloor', () => {
  it('counts the per-cluster EKS calls, the per-Region shared calls and the per-account calls', () => {
    // Act
    const floor = callFloor(estate);
    // Assess
    expect(floor['eks:DescribeCluster']).toBe(8);
    expect(floor['eks:ListNodegroups']).toBe(8);
    expect(floor['eks:DescribeNodegroup']).toBe(
      entries.reduce((sum, entry) => sum + entry.nodegroups.length, 0),
    );
    expect(floor['eks:ListFargateProfiles']).toBe(8);
    expect(floor['eks:ListClusters']).toBe(4);
    expect(floor['eks:DescribeClusterVersions']).toBe(4);
    expect(floor['inspector2:BatchGetAccountStatus']).toBe(4);
    expect(floor['sts:GetCallerIdentity']).toBe(1);
    expect(floor['organizations:ListAccounts']).toBe(1);
    expect(floor['sts:AssumeRole']).toBe(1);
    expect(floor['ec2:DescribeRegions']).toBe(2);
  });

  it('counts the EKS insight and add-on calls and one OIDC provider listing per account', () => {
    // Prepare
    const needingDetails = entries.flatMap((entry) =>
      (entry.insights ?? []).filter((insight) =>
        ['ERROR', 'WARNING'].includes(insight.insightStatus?.status ?? ''),
      ),
    );
    const regionVersions = estate.accounts.flatMap((account) =>
      Object.values(account.regions).map(
        (region) =>
          new Set(
            region.clusters
              .filter((entry) => (entry.addons ?? []).length > 0)
              .map((entry) => entry.cluster.version),
          ).size,
      ),
    );
    // Act
    const floor = callFloor(estate);
    // Assess
    expect(floor['eks:ListInsights']).toBe(8);
    expect(needingDetails.length).toBeGreaterThan(0);
    expect(floor['eks:DescribeInsight']).toBe(needingDetails.length);
    expect(floor['eks:ListAddons']).toBe(8);
    expect(floor['eks:DescribeAddon']).toBe(
      entries.reduce((sum, entry) => sum + (entry.addons ?? []).length, 0),
    );
    expect(floor['eks:DescribeAddon']).toBeGreaterThan(8);
    expect(floor['eks:DescribeAddonVersions']).toBe(regionVersions.reduce((sum, count) => sum + count, 0));
    expect(floor['iam:ListOpenIDConnectProviders']).toBe(2);
  });
});

describe('analyzeCalls', () => {
  it('compares calls with the floor, and imports with ceil(findings / 100) per account and Region', () => {
    // Prepare
    const floor = callFloor(estate);
    const [first, second] = estate.accounts.map((account) => account.accountId);
    const calls = [
      ...Object.entries(floor).map(([operation, count]) => {
        const [service, name] = operation.split(':');
        return { account: first, region: 'eu-west-1', service, operation: name, count };
      }),
      // Twice the floor of DescribeCluster.
      { account: first, region: 'eu-west-1', service: 'eks', operation: 'DescribeCluster', count: 8 },
      {
        account: first,
        region: 'eu-west-1',
        service: 'securityhub',
        operation: 'BatchImportFindings',
        count: 3,
      },
      {
        account: second,
        region: 'eu-west-1',
        service: 'securityhub',
        operation: 'BatchImportFindings',
        count: 2,
      },
      { account: second, region: 'eu-west-1', service: 'securityhub', operation: 'GetFindings', count: 1 },
    ];
    const findings = new Map([
      [`${first}|eu-west-1`, 250],
      [`${second}|eu-west-1`, 100],
    ]);
    // Act
    const analysis = analyzeCalls(estate, calls, findings);
    // Assess
    const total = Object.entries(floor).reduce((sum, [, count]) => sum + count, 0);
    expect(analysis.clusters).toBe(8);
    expect(analysis.floor).toBe(total);
    expect(analysis.calls).toBe(total + 8);
    expect(analysis.ratio).toBe(Number(((total + 8) / total).toFixed(2)));
    expect(analysis.operations.find((entry) => entry.operation === 'eks:DescribeCluster')).toEqual({
      operation: 'eks:DescribeCluster',
      calls: 16,
      floor: 8,
      perCluster: 2,
      floorPerCluster: 1,
    });
    expect(analysis.securityHub).toEqual({
      targets: 2,
      findings: 350,
      batchImportCalls: 5,
      batchImportFloor: 4,
      batchImportRatio: 1.25,
      targetsOverFloor: 1,
      getFindingsCalls: 1,
      batchUpdateCalls: 0,
    });
  });
});
