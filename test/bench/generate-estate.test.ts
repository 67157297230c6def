/**
 * The benchmark's synthetic estates: valid as the emulator validates them, the same for a seed, shaped as
 * requested, and mixed enough that a scan of a handful of clusters passes and fails every check.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_NOW,
  type GenerateOptions,
  generateEstate,
  latencyFault,
} from '../../bench/generate-estate.js';
import { run } from '../../cli/main.js';
import { parseEstate } from '../../emulator/estate.js';
import { CHECKS } from '../../lib/checks/registry.js';
import { recordingIo } from '../support/io.js';

const SMALL: GenerateOptions = {
  seed: 1,
  accounts: 2,
  regionsPerAccount: 1,
  clustersPerRegion: 3,
  nodeGroupsPerCluster: 3,
  nodesPerGroup: 2,
};

/** Checks that judge nothing: Inspector cannot scan Fargate, so that check is NOT_APPLICABLE by design. */
/**
 * Judged per Region, over the few Fargate profiles a small estate draws: both verdicts are not
 * guaranteed there (ECR scanning alternates by Region), so a verdict is required, not both.
 */
const REGIONAL_FARGATE_CHECK = 'eks_fargate_inspector_coverage';

type Tags = readonly { Key?: string; Value?: string }[] | undefined;
const tag = (tags: Tags, key: string) => tags?.find((entry) => entry.Key === key)?.Value;

/** The cluster an instance is a node of, from the tagging conventions of EKS, Karpenter and Kubernetes. */
function clusterOf(tags: Tags): string | undefined {
  const named = tag(tags, 'eks:cluster-name') ?? tag(tags, 'eks:eks-cluster-name');
  if (named !== undefined) return named;
  return tags?.find((entry) => entry.Key?.startsWith('kubernetes.io/cluster/'))?.Key?.slice(22);
}

/** The node group an instance belongs to: managed group, Karpenter pool or Auto Scaling group. */
function groupOf(tags: Tags): string | undefined {
  const managed = tag(tags, 'eks:nodegroup-name');
  if (managed !== undefined) return `managed:${managed}`;
  const pool = tag(tags, 'karpenter.sh/nodepool');
  if (pool !== undefined) return `karpenter:${pool}`;
  const asg = tag(tags, 'aws:autoscaling:groupName');
  return asg === undefined ? undefined : `asg:${asg}`;
}

describe('generateEstate', () => {
  it('writes an estate the emulator accepts, faults included', () => {
    // Prepare
    const generated = generateEstate({ ...SMALL, faults: [latencyFault(25)] });
    // Act
    const estate = parseEstate(JSON.parse(JSON.stringify(generated)));
    // Assess
    expect(estate.accounts.map((account) => account.accountId)).toEqual(
      generated.accounts.map((account) => account.accountId),
    );
    expect(estate.organization?.managementAccountId).toBe(generated.accounts[0]?.accountId);
    expect(estate.faults).toEqual([
      { service: '*', operation: '*', account: '*', region: '*', kind: 'latency', ms: 25 },
    ]);
  });

  it.each([
    ['without a zone', '2026-11-22T12:00:00', 'states no zone'],
    ['an impossible date', '2026-02-30T12:00:00Z', 'February 2026 has 28 days'],
  ])('refuses a now %s', (_, now, problem) => {
    // Act
    const generate = () => generateEstate({ ...SMALL, now });
    // Assess
    expect(generate).toThrow(RangeError);
    expect(generate).toThrow(problem);
  });

  it('is the same for a seed and differs between seeds', () => {
    // Act
    const first = JSON.stringify(generateEstate(SMALL));
    const again = JSON.stringify(generateEstate(SMALL));
    const other = JSON.stringify(generateEstate({ ...SMALL, seed: 2 }));
    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('has the requested accounts, Regions, clusters, node groups and nodes', () => {
    // Prepare
    const options: GenerateOptions = {
      seed: 7,
      accounts: 3,
      regionsPerAccount: 2,
      clustersPerRegion: 4,
      nodeGroupsPerCluster: 3,
      nodesPerGroup: 2,
    };
    // Act
    const estate = parseEstate(generateEstate(options));
    // Assess
    expect(estate.accounts).toHaveLength(3);
    expect(new Set(estate.accounts.map((account) => account.accountId)).size).toBe(3);
    for (const account of estate.accounts) {
      expect(Object.keys(account.regions)).toEqual(Object.keys(estate.accounts[0]?.regions ?? {}));
      expect(Object.keys(account.regions)).toHaveLength(2);
      for (const region of Object.values(account.regions)) {
        expect(region.clusters).toHaveLength(4);
        const groups = new Map<string, Map<string, number>>();
        for (const node of region.ec2.instances) {
          const cluster = clusterOf(node.Tags);
          const group = groupOf(node.Tags);
          expect(cluster).toBeDefined();
          expect(group).toBeDefined();
          const ofCluster = groups.get(cluster as string) ?? new Map<string, number>();
          ofCluster.set(group as string, (ofCluster.get(group as string) ?? 0) + 1);
          groups.set(cluster as string, ofCluster);
        }
        for (const { cluster, nodegroups, fargateProfiles } of region.clusters) {
          const ofCluster = groups.get(cluster.name) ?? new Map<string, number>();
          if (ofCluster.size === 0) {
            // A Fargate-only cluster.
            expect(nodegroups).toHaveLength(0);
            expect(fargateProfiles.length).toBeGreaterThan(0);
            continue;
          }
          expect(ofCluster.size).toBe(3);
          expect([...ofCluster.values()]).toEqual([2, 2, 2]);
          expect(nodegroups.map((group) => `managed:${group.nodegroupName}`).sort()).toEqual(
            [...ofCluster.keys()].filter((key) => key.startsWith('managed:')).sort(),
          );
        }
      }
    }
  });

  it('spreads a total of clusters evenly over the accounts and Regions', () => {
    // Act
    const estate = generateEstate({
      ...SMALL,
      clustersPerRegion: undefined,
      clusters: 10,
      regionsPerAccount: 2,
    });
    // Assess
    const counts = estate.accounts.flatMap((account) =>
      Object.values(account.regions).map((region) => region.clusters.length),
    );
    expect(counts).toEqual([3, 3, 2, 2]);
  });

  it('mixes node group kinds and configurations across a large estate', () => {
    // Act
    const estate = parseEstate(
      generateEstate({
        seed: 1,
        accounts: 50,
        regionsPerAccount: 4,
        clusters: 1000,
        nodeGroupsPerCluster: 3,
        nodesPerGroup: 3,
      }),
    );
    // Assess
    const regions = estate.accounts.flatMap((account) => Object.values(account.regions));
    const clusters = regions.flatMap((region) => region.clusters);
    const nodes = regions.flatMap((region) => region.ec2.instances);
    expect(clusters).toHaveLength(1000);
    const kinds = new Set(nodes.map((node) => groupOf(node.Tags)?.split(':')[0]));
    expect([...kinds].sort()).toEqual(['asg', 'karpenter', 'managed']);
    const fargateOnly = clusters.filter(
      (entry) => entry.nodegroups.length === 0 && entry.fargateProfiles.length > 0,
    );
    expect(fargateOnly.length).toBeGreaterThan(0);
    expect(fargateOnly.length).toBeLessThan(clusters.length / 4);
    expect(nodes.some((node) => node.PublicIpAddress !== undefined)).toBe(true);
    expect(nodes.some((node) => node.MetadataOptions?.HttpTokens === 'optional')).toBe(true);
    expect(nodes.some((node) => node.KeyName !== undefined)).toBe(true);
    expect(regions.some((region) => region.inspector2 === undefined)).toBe(true);
    expect(new Set(clusters.map((entry) => entry.cluster.version)).size).toBeGreaterThan(3);
  });

  it('has EKS Auto Mode clusters, whose pools EC2 hides from listings without the flag, and hybrid clusters', () => {
    // Act
    const estate = parseEstate(generateEstate({ ...SMALL, clustersPerRegion: 10 }));
    // Assess
    const regions = estate.accounts.flatMap((account) => Object.values(account.regions));
    const clusters = regions.flatMap((region) => region.clusters.map((entry) => entry.cluster));
    const autoModeNames = clusters
      .filter((cluster) => cluster.computeConfig?.enabled === true)
      .map((cluster) => cluster.name);
    expect(autoModeNames.length).toBeGreaterThan(0);
    expect(
      clusters.some((cluster) => (cluster.remoteNetworkConfig?.remoteNodeNetworks ?? []).length > 0),
    ).toBe(true);
    const autoModeNodes = regions.flatMap((region) =>
      region.ec2.instances.filter((node) => autoModeNames.includes(clusterOf(node.Tags) ?? '')),
    );
    const pooled = autoModeNodes.filter(
      (node) => tag(node.Tags, 'eks:kubernetes-node-pool-name') !== undefined,
    );
    expect(pooled.length).toBeGreaterThan(0);
    for (const node of pooled) {
      expect(node.Operator).toEqual({ Managed: true, Principal: 'eks.amazonaws.com' });
      expect(node.KeyName).toBeUndefined();
    }
    const hiding = regions.filter((region) => region.ec2.managedResourceVisibility === 'hidden');
    expect(hiding.length).toBe(
      regions.filter((region) => region.clusters.some((entry) => entry.cluster.computeConfig?.enabled))
        .length,
    );
  });
});

describe('a generated estate scanned by the CLI', () => {
  it.each([1, 2, 3])(
    'passes and fails every check that judges anything (seed %i)',
    async (seed) => {
      // Prepare
      const work = await mkdtemp(join(tmpdir(), 'eks-scan-bench-test-'));
      const file = join(work, 'estate.json');
      await writeFile(file, JSON.stringify(generateEstate({ ...SMALL, seed })));
      const io = recordingIo();
      try {
        // Act
        const status = await run(['scan', '--estate', file, '--format', 'json', '--now', DEFAULT_NOW], io);
        // Assess
        expect(io.err()).toBe('');
        expect(status).toBe(0);
        const report = JSON.parse(io.out()) as {
          results: { checkId: string; status: string }[];
          errors: unknown[];
        };
        expect(report.errors).toEqual([]);
        const statuses = new Map<string, Set<string>>();
        for (const result of report.results) {
          const seen = statuses.get(result.checkId) ?? new Set<string>();
          seen.add(result.status);
          statuses.set(result.checkId, seen);
        }
        for (const check of CHECKS) {
          const judged = [...(statuses.get(check.id) ?? [])]
            .filter((status) => status !== 'NOT_APPLICABLE')
            .sort();
          if (check.id === REGIONAL_FARGATE_CHECK) {
            expect(judged.length).toBeGreaterThan(0);
            expect(['FAILED', 'PASSED']).toEqual(expect.arrayContaining(judged));
            continue;
          }
          expect({ check: check.id, judged }).toEqual({ check: check.id, judged: ['FAILED', 'PASSED'] });
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
