/**
 * End to end through the emulator (real SDK clients, the emulator's AWS errors): a node and an Auto
 * Scaling group tagged for two clusters are judged once, by their owner; a deleted launch template and
 * a missing AMI make ERROR only of the groups that use them; and every estate gives exactly one result
 * per (check, resource).
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { run } from '../../cli/main.js';
import type { CheckResult } from '../../lib/checks/types.js';
import type { ScanReport } from '../../lib/scan.js';
import { recordingIo } from '../support/io.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const NOW = '2026-11-22T12:00:00Z';

async function scanJson(estatePath: string, ...extra: string[]) {
  const io = recordingIo(false);
  const status = await run(['scan', '--estate', estatePath, '--format', 'json', '--now', NOW, ...extra], io);
  return { status, report: JSON.parse(io.out() || '{}') as ScanReport };
}

const tags = (entries: Record<string, string>) =>
  Object.entries(entries).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true }));

const member = (InstanceId: string) => ({
  InstanceId,
  AvailabilityZone: 'eu-west-1a',
  LifecycleState: 'InService',
  HealthStatus: 'Healthy',
  ProtectedFromScaleIn: false,
});

const aGroup = (name: string, extra: Record<string, unknown>) => ({
  AutoScalingGroupName: name,
  AutoScalingGroupARN: `arn:aws:autoscaling:eu-west-1:111111111111:autoScalingGroup:77:autoScalingGroupName/${name}`,
  MinSize: 0,
  MaxSize: 3,
  DesiredCapacity: 1,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: '2026-01-01T00:00:00Z',
  VPCZoneIdentifier: 'subnet-a1',
  ...extra,
});

/**
 * The two-clusters fixture, with a second cluster `gamma` beside `alpha` in 111111111111 eu-west-1, and:
 * shared-asg and its node i-0shared tagged for both (gamma `owned`, alpha `shared`); gamma-zero,
 * scaled to zero, tagged only `eks:cluster-name` and launching from a deleted template; and a lone
 * gamma node on an AMI that no longer exists.
 */
async function sharedEstate(): Promise<string> {
  const estate = JSON.parse(await readFile(join(FIXTURES, 'two-clusters.estate.json'), 'utf8'));
  const region = estate.accounts[0].regions['eu-west-1'];
  const [alpha] = region.clusters;
  region.clusters.push({
    ...alpha,
    cluster: {
      ...alpha.cluster,
      name: 'gamma',
      arn: 'arn:aws:eks:eu-west-1:111111111111:cluster/gamma',
      endpoint: 'https://GAMMA.gr7.eu-west-1.eks.amazonaws.com',
    },
    nodegroups: [],
  });
  const [node] = region.ec2.instances;
  const nodeWith = (InstanceId: string, ImageId: string, entries: Record<string, string>) => ({
    ...node,
    InstanceId,
    ImageId,
    Tags: tags(entries).map(({ Key, Value }) => ({ Key, Value })),
  });
  region.ec2.instances.push(
    nodeWith('i-0shared', 'ami-al2023', {
      'kubernetes.io/cluster/alpha': 'shared',
      'kubernetes.io/cluster/gamma': 'owned',
      'aws:autoscaling:groupName': 'shared-asg',
    }),
    nodeWith('i-0noami', 'ami-deregistered', { 'kubernetes.io/cluster/gamma': 'owned' }),
  );
  region.autoscaling.groups.push(
    aGroup('shared-asg', {
      Tags: tags({ 'kubernetes.io/cluster/alpha': 'shared', 'kubernetes.io/cluster/gamma': 'owned' }),
      Instances: [member('i-0shared')],
      LaunchTemplate: { LaunchTemplateId: 'lt-shared', Version: '1' },
    }),
    aGroup('gamma-zero', {
      DesiredCapacity: 0,
      Tags: tags({ 'eks:cluster-name': 'gamma' }),
      LaunchTemplate: { LaunchTemplateId: 'lt-deleted', Version: '$Default' },
    }),
  );
  region.ec2.launchTemplateVersions.push({
    LaunchTemplateId: 'lt-shared',
    LaunchTemplateName: 'shared',
    VersionNumber: 1,
    DefaultVersion: true,
    CreateTime: '2026-01-01T00:00:00Z',
    LaunchTemplateData: { ImageId: 'ami-al2023', InstanceType: 'm6i.large' },
  });
  const path = join(await mkdtemp(join(tmpdir(), 'eks-scan-')), 'estate.json');
  await writeFile(path, JSON.stringify(estate));
  return path;
}

const keyOf = (result: CheckResult) => `${result.checkId} ${result.resourceId}`;

describe('eks-scan scan: one resource, one result; failures attributed exactly', () => {
  it('judges a node and a group claimed by two clusters once, by the owner, naming both', async () => {
    // Prepare
    const estate = await sharedEstate();
    // Act
    const { report } = await scanJson(estate, '--accounts', '111111111111');
    // Assess
    const keys = report.results.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    const shared = report.results.filter((result) => result.nodeGroup === 'shared-asg');
    expect(shared.map((result) => result.checkId).sort()).toEqual(
      [...new Set(report.results.filter((r) => r.nodeGroup !== undefined).map((r) => r.checkId))].sort(),
    );
    for (const result of shared) {
      expect(result.cluster).toBe('gamma');
      expect(result.evidence.ownership).toEqual({ owner: 'gamma', claimants: ['alpha', 'gamma'] });
    }
    expect(report.results.filter((result) => result.nodeGroup === 'i-0shared')).toEqual([]);
    // Scaled to zero and tagged only `eks:cluster-name`: found.
    expect(report.results.filter((result) => result.nodeGroup === 'gamma-zero').length).toBeGreaterThan(0);
  }, 60_000);

  it('gives the same results when each cluster is scanned on its own, as the state machine batches do', async () => {
    // Prepare
    const estate = await sharedEstate();
    // Act
    const whole = await scanJson(estate, '--accounts', '111111111111');
    const alpha = await scanJson(estate, '--accounts', '111111111111', '--clusters', 'alpha');
    const gamma = await scanJson(estate, '--accounts', '111111111111', '--clusters', 'gamma');
    // Assess
    const summary = (results: readonly CheckResult[]) =>
      results.map((result) => `${keyOf(result)} ${result.cluster} ${result.status}`).sort();
    expect(summary([...alpha.report.results, ...gamma.report.results])).toEqual(
      summary(whole.report.results),
    );
  }, 60_000);

  it('makes ERROR of the groups that use a deleted launch template or a missing AMI, and of no other', async () => {
    // Prepare
    const estate = await sharedEstate();
    // Act
    const { status, report } = await scanJson(estate, '--accounts', '111111111111', '--clusters', 'gamma');
    // Assess
    const statusOf = (checkId: string, nodeGroup: string) =>
      report.results.find((result) => result.checkId === checkId && result.nodeGroup === nodeGroup)?.status;
    const zero = report.results.find(
      (result) => result.checkId === 'eks_nodegroup_no_ssh_access' && result.nodeGroup === 'gamma-zero',
    );
    expect(zero?.status).toBe('ERROR');
    expect(zero?.reason).toContain('InvalidLaunchTemplateId.NotFound');
    expect(statusOf('eks_nodegroup_no_ssh_access', 'shared-asg')).toBe('PASSED');
    expect(statusOf('eks_nodegroup_no_ssh_access', 'i-0noami')).toBe('PASSED');
    expect(statusOf('eks_nodegroup_container_optimized_os', 'i-0noami')).toBe('ERROR');
    expect(statusOf('eks_nodegroup_container_optimized_os', 'shared-asg')).toBe('PASSED');
    const errors = report.results
      .filter((result) => result.status === 'ERROR')
      .map((r) => `${r.checkId} ${r.nodeGroup}`);
    expect(errors.sort()).toEqual(
      [
        'eks_nodegroup_no_ssh_access gamma-zero',
        // The private-subnets check reads the launch template too (AssociatePublicIpAddress).
        'eks_nodegroup_private_subnets gamma-zero',
        'eks_nodegroup_container_optimized_os i-0noami',
        'eks_nodegroup_ami_age i-0noami',
        // The version of a node comes from its AMI's name; an idle group's volumes from its launch template.
        'eks_nodegroup_version_skew i-0noami',
        'eks_nodegroup_volumes_encrypted gamma-zero',
      ].sort(),
    );
    expect(report.errors).toEqual([
      expect.objectContaining({
        operation: 'ec2:DescribeLaunchTemplateVersions',
        code: 'InvalidLaunchTemplateId.NotFound',
      }),
    ]);
    expect(status).toBe(1);
  }, 60_000);

  const estates = [
    join(ROOT, 'examples', 'demo-estate.json'),
    ...readdirSync(FIXTURES)
      .filter((name) => name.endsWith('.estate.json'))
      .map((name) => join(FIXTURES, name)),
  ];

  it.each(estates.map((path) => [relative(ROOT, path), path]))(
    'holds the JSON contract on %s: one result per check and resource',
    async (_name, estate) => {
      // Act
      const { report } = await scanJson(estate);
      // Assess
      const keys = report.results.map(keyOf);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
    },
    60_000,
  );
});
