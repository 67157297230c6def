import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { type Estate, homeAccountId, parseEstate } from '../../emulator/estate.js';
import { CHECKS } from '../../lib/checks/registry.js';
import { runChecks } from '../../lib/checks/runner.js';
import type { CheckResult } from '../../lib/checks/types.js';
import { discoverNodeGroups } from '../../lib/snapshot/node-groups.js';
import { isScannable, snapshotsOfEstate } from '../support/estate-snapshots.js';

const DEMO_ESTATE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'demo-estate.json');
/** The scan time the demo is written for: its AMI ages and support dates are relative to it. */
const SCAN_TIME = new Date('2026-11-22T12:00:00Z');
const FARGATE_CHECK = 'eks_fargate_inspector_coverage';

const loadDemo = (): Estate => parseEstate(JSON.parse(readFileSync(DEMO_ESTATE, 'utf8')));

const scan = (estate: Estate) => runChecks(CHECKS, snapshotsOfEstate(estate), { now: SCAN_TIME });

const where = (result: CheckResult) =>
  `${result.accountId}/${result.region}/${result.cluster}${result.nodeGroup ? `/${result.nodeGroup}` : ''}`;

const resultsOf = (results: readonly CheckResult[], checkId: string, status: string) =>
  results.filter((result) => result.checkId === checkId && result.status === status);

describe('the demo estate (examples/demo-estate.json)', () => {
  it('is an organization of at least 10 scannable clusters in 3 accounts and 2 Regions', () => {
    // Prepare
    const estate = loadDemo();
    // Act
    const snapshots = snapshotsOfEstate(estate);
    // Assess
    expect(snapshots.length).toBeGreaterThanOrEqual(10);
    expect(new Set(snapshots.map((snapshot) => snapshot.scope.accountId)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(snapshots.map((snapshot) => snapshot.scope.region))).toEqual(
      new Set(['eu-west-1', 'us-east-1']),
    );
    expect(homeAccountId(estate)).toBe('111111111111');
    expect(estate.accounts.find((account) => account.accountId === '111111111111')?.name).toBe(
      'org-management',
    );
  });

  it('never yields ERROR: every part each check reads is there', () => {
    // Prepare
    const estate = loadDemo();
    // Act
    const results = scan(estate);
    // Assess
    const errors = results.filter((result) => result.status === 'ERROR');
    expect(errors.map((result) => `${result.checkId} ${where(result)}: ${result.reason}`)).toEqual([]);
    expect(results.length).toBeGreaterThan(100);
  });

  it.each(CHECKS.map((check) => check.id))('both passes and fails %s somewhere', (checkId) => {
    // Prepare
    const estate = loadDemo();
    // Act
    const results = scan(estate);
    // Assess
    expect(resultsOf(results, checkId, 'PASSED').length).toBeGreaterThan(0);
    expect(resultsOf(results, checkId, 'FAILED').length).toBeGreaterThan(0);
  });

  it('judges Fargate profiles by ECR scanning, and leaves the Fargate-only cluster to them', () => {
    // Prepare
    const estate = loadDemo();
    // Act
    const results = scan(estate);
    // Assess
    const statusOf = (checkId: string) => (result: CheckResult) => result.checkId === checkId;
    expect(
      results
        .filter(statusOf(FARGATE_CHECK))
        .map((result) => `${result.accountId}/${result.region} ${result.status}`),
    ).toEqual(expect.arrayContaining(['222222222222/eu-west-1 PASSED', '111111111111/eu-west-1 FAILED']));
    expect(
      results.find(
        (result) =>
          result.checkId === 'eks_cluster_guardduty_runtime_monitoring' &&
          result.cluster === 'payments-batch',
      )?.status,
    ).toBe('NOT_APPLICABLE');
  });

  it('fails at each severity of the checks that have several', () => {
    // Prepare
    const estate = loadDemo();
    // Act
    const results = scan(estate);
    // Assess
    const severities = (checkId: string) =>
      new Set(resultsOf(results, checkId, 'FAILED').map((result) => result.severity));
    expect(severities('eks_cluster_version_supported')).toEqual(new Set(['MEDIUM', 'HIGH']));
    expect(severities('eks_nodegroup_no_ssh_access')).toEqual(new Set(['MEDIUM', 'HIGH']));
    expect(severities('eks_nodegroup_inspector_coverage')).toEqual(new Set(['MEDIUM', 'HIGH']));
    expect(severities('eks_cluster_guardduty_runtime_monitoring')).toEqual(new Set(['MEDIUM', 'HIGH']));
  });

  it('holds node groups of all five kinds', () => {
    // Prepare
    const snapshots = snapshotsOfEstate(loadDemo());
    // Act
    const kinds = new Set(
      snapshots.flatMap((snapshot) => {
        const discovery = discoverNodeGroups(snapshot);
        return discovery.status === 'collected' ? discovery.groups.map((group) => group.kind) : [];
      }),
    );
    // Assess
    expect(kinds).toEqual(new Set(['managed', 'auto-scaling', 'karpenter', 'auto-mode', 'standalone']));
  });

  it('has an account the scanner may not enter, a Region without Security Hub and one without Inspector', () => {
    // Prepare
    const estate = loadDemo();
    const account = (id: string) => estate.accounts.find((candidate) => candidate.accountId === id);
    // Act
    const sandbox = account('444444444444');
    const scannedAccounts = new Set(snapshotsOfEstate(estate).map((snapshot) => snapshot.scope.accountId));
    // Assess
    expect(sandbox).toMatchObject({ name: 'sandbox', assumeRole: 'deny' });
    expect(sandbox && isScannable(sandbox)).toBe(false);
    expect(Object.values(sandbox?.regions ?? {}).flatMap((region) => region.clusters)).not.toHaveLength(0);
    expect(scannedAccounts.has('444444444444')).toBe(false);
    const securityHubOff = estate.accounts.flatMap((candidate) =>
      Object.entries(candidate.regions)
        .filter(([, region]) => !region.securityHub.enabled)
        .map(([name]) => `${candidate.accountId}/${name}`),
    );
    expect(securityHubOff).toEqual(['222222222222/us-east-1']);
    expect(
      account('333333333333')?.regions['us-east-1']?.inspector2?.accountState.resourceState?.ec2,
    ).toEqual({
      status: 'DISABLED',
    });
  });

  it('shows the node-group cases the README describes', () => {
    // Prepare
    const estate = loadDemo();
    // Act
    const results = scan(estate);
    // Assess
    const reasonOf = (checkId: string, nodeGroup: string) =>
      results.find((result) => result.checkId === checkId && result.nodeGroup === nodeGroup)?.reason ?? '';
    // A subnet without an explicit association is judged by the VPC's main table (routed through NAT).
    expect(resultsOf(results, 'eks_nodegroup_private_subnets', 'PASSED').map(where)).toContain(
      '222222222222/eu-west-1/payments-ledger/ledger-workers',
    );
    expect(reasonOf('eks_nodegroup_private_subnets', 'notebooks-bottlerocket')).toContain(
      'MapPublicIpOnLaunch',
    );
    expect(reasonOf('eks_nodegroup_ami_age', 'legacy-workers')).toContain('the AMI is not describable');
    expect(reasonOf('eks_nodegroup_container_optimized_os', 'spark-executors')).toContain(
      'amazon-eks-node-1.29-v20250826',
    );
    expect(reasonOf('eks_nodegroup_container_optimized_os', 'ledger-hardened')).toContain(
      'could not be identified',
    );
    // One executor runs a plain Amazon Linux 2 AMI: AL2 too, with its own end of support.
    expect(reasonOf('eks_nodegroup_container_optimized_os', 'spark-executors')).toContain(
      'amzn2-ami-kernel-5.10-hvm-2.0.20250818.0-x86_64-gp2) on i-037247dea17066eb3 (Amazon Linux 2, end of support 2026-06-30)',
    );
    // The JupyterHub proxy has its metadata endpoint off: tokens and hop limit no longer matter.
    const proxy = results.find(
      (result) =>
        result.checkId === 'eks_nodegroup_imdsv2_hop_limit' &&
        result.resourceId.endsWith('i-0c4ce6bc08a81227c'),
    );
    expect(proxy?.status).toBe('PASSED');
    expect(proxy?.reason).toContain('instance metadata endpoint disabled');
    const lone = resultsOf(results, 'eks_nodegroup_inspector_coverage', 'FAILED').find(
      (result) => result.resourceType === 'AwsEc2Instance',
    );
    expect(lone?.reason).toContain('UNMANAGED_EC2_INSTANCE');
  });
});
