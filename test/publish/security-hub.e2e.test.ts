/**
 * `eks-scan scan --publish securityhub` against the emulator's Security Hub: the finding lifecycle
 * across scans, through the real SDK clients. Each test starts from an empty Security Hub and the
 * two-cluster fixture (alpha in 111111111111, beta in 222222222222, 333333333333 denied).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { run } from '../../cli/main.js';
import { parseEstate } from '../../emulator/estate.js';
import { HOME_CREDENTIALS } from '../../emulator/server.js';
import { createSecurityHubClient } from '../../lib/aws/securityhub.js';
import noSsh from '../../lib/checks/eks_nodegroup_no_ssh_access.js';
import { FIELD } from '../../lib/publish/asff.js';
import { publishTarget } from '../../lib/publish/security-hub.js';
import { scanEndpoint } from '../support/cli.js';
import { useEmulator, useEmulatorEnvironment } from '../support/emulator.js';
import { recordingIo } from '../support/io.js';
import { aScope, aSnapshot } from '../support/snapshot.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'two-clusters.estate.json');
const DAY1 = '2026-11-22T12:00:00Z';
const DAY2 = '2026-11-23T12:00:00Z';
const REGION = 'eu-west-1';
const ALPHA_ACCOUNT = '111111111111';
const BETA_ACCOUNT = '222222222222';

type EstateJson = {
  accounts: { accountId: string; regions?: Record<string, Record<string, unknown>> }[];
  faults?: unknown[];
};
type Findings = AwsSecurityFinding[];

const fixtureJson = JSON.parse(await readFile(FIXTURE, 'utf8')) as EstateJson;
const estateWith = (change: (estate: EstateJson) => void = () => {}) => {
  const estate = structuredClone(fixtureJson);
  change(estate);
  return parseEstate(estate);
};
const regionOf = (estate: EstateJson, account: string) =>
  estate.accounts.find((candidate) => candidate.accountId === account)?.regions?.[REGION] as {
    clusters: { cluster: Record<string, unknown>; nodegroups?: { nodegroupName: string }[] }[];
    securityHub?: { enabled: boolean };
  };
const betaEntry = (estate: EstateJson) => {
  const entry = regionOf(estate, BETA_ACCOUNT).clusters[0];
  if (entry === undefined) throw new Error('the fixture has beta');
  return entry;
};

const running = useEmulator(() => ({ estate: estateWith() }));
useEmulatorEnvironment();
beforeEach(() => {
  running().emulator.replaceEstate(estateWith());
});

const publish = (now: string, ...extra: string[]) =>
  scanEndpoint(running().endpoint, now, '--publish', 'securityhub', ...extra);

const findingsIn = (account: string, region = REGION): Findings =>
  ((running().emulator.state().securityHub[account]?.[region] ?? []) as unknown as Findings).slice();
const byId = (findings: Findings) => new Map(findings.map((finding) => [finding.Id ?? '', finding]));
const ofCheck = (findings: Findings, checkId: string, nodeGroup?: string) =>
  findings.filter(
    (finding) =>
      finding.GeneratorId === checkId &&
      (nodeGroup === undefined || finding.ProductFields?.[FIELD.nodeGroup] === nodeGroup),
  );
const onlyOne = (findings: Findings) => {
  expect(findings).toHaveLength(1);
  return findings[0] as AwsSecurityFinding;
};

describe('eks-scan scan --publish securityhub', () => {
  it('imports one finding per evaluated (check, resource) into each account, NOT_APPLICABLE left out', async () => {
    // Act
    const { report, status } = await publish(DAY1);
    // Assess
    expect(status).toBe(1);
    for (const account of [ALPHA_ACCOUNT, BETA_ACCOUNT]) {
      const results = report.results.filter(
        (result) => result.accountId === account && result.status !== 'NOT_APPLICABLE',
      );
      const findings = findingsIn(account);
      expect(findings).toHaveLength(results.length);
      expect(new Set(findings.map((finding) => finding.Id)).size).toBe(findings.length);
      expect(findings.every((finding) => finding.CreatedAt === '2026-11-22T12:00:00.000Z')).toBe(true);
    }
    expect(report.published).toEqual([
      {
        accountId: ALPHA_ACCOUNT,
        region: REGION,
        imported: 21,
        archived: 0,
        suppressed: 0,
        failed: { count: 0, codes: {} },
        refusals: [],
      },
      {
        accountId: BETA_ACCOUNT,
        region: REGION,
        imported: 31,
        archived: 0,
        suppressed: 0,
        failed: { count: 0, codes: {} },
        refusals: [],
      },
    ]);
    const ssh = onlyOne(ofCheck(findingsIn(BETA_ACCOUNT), 'eks_nodegroup_no_ssh_access', 'legacy'));
    expect(ssh).toMatchObject({
      Compliance: { Status: 'FAILED' },
      Severity: { Label: 'HIGH' },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
  });

  it('keeps one finding per (check, resource) on a second scan, first-seen dates intact, UpdatedAt moved', async () => {
    // Prepare
    await publish(DAY1);
    const first = byId(findingsIn(BETA_ACCOUNT));
    // Act
    await publish(DAY2);
    // Assess
    const second = findingsIn(BETA_ACCOUNT);
    expect(second).toHaveLength(first.size);
    for (const finding of second) {
      const before = first.get(finding.Id ?? '');
      expect(finding.CreatedAt).toBe(before?.CreatedAt);
      expect(finding.FirstObservedAt).toBe(before?.FirstObservedAt);
      expect(finding.UpdatedAt).toBe('2026-11-23T12:00:00.000Z');
      expect(finding.LastObservedAt).toBe('2026-11-23T12:00:00.000Z');
    }
  });

  it('re-imports a fixed resource as PASSED and INFORMATIONAL, and changes nothing else', async () => {
    // Prepare
    await publish(DAY1);
    const before = byId(findingsIn(BETA_ACCOUNT));
    running().emulator.replaceEstate(
      estateWith((estate) => {
        const cluster = betaEntry(estate).cluster as { resourcesVpcConfig: Record<string, unknown> };
        cluster.resourcesVpcConfig.endpointPublicAccess = false;
      }),
    );
    // Act
    await publish(DAY2);
    // Assess
    const after = findingsIn(BETA_ACCOUNT);
    const endpoint = onlyOne(ofCheck(after, 'eks_cluster_endpoint_not_public'));
    expect(endpoint).toMatchObject({
      Compliance: { Status: 'PASSED' },
      Severity: { Label: 'INFORMATIONAL' },
    });
    expect(endpoint.RecordState).toBe('ACTIVE');
    const changed = after.filter(
      (finding) => finding.Compliance?.Status !== before.get(finding.Id ?? '')?.Compliance?.Status,
    );
    expect(changed.map((finding) => finding.GeneratorId)).toEqual(['eks_cluster_endpoint_not_public']);
  });

  it('archives the findings of a deleted node group and of a deleted cluster, and nothing else', async () => {
    // Prepare: the estate changes the way a user changes it, through PUT /_emulator/estate.
    await publish(DAY1);
    const changed = structuredClone(fixtureJson);
    betaEntry(changed).nodegroups = [];
    regionOf(changed, ALPHA_ACCOUNT).clusters = [];
    const put = await fetch(`${running().endpoint}/_emulator/estate`, {
      method: 'PUT',
      body: JSON.stringify(changed),
    });
    expect(put.status).toBe(200);
    // Act
    const { report } = await publish(DAY2);
    // Assess
    const alpha = findingsIn(ALPHA_ACCOUNT);
    expect(alpha.every((finding) => finding.RecordState === 'ARCHIVED')).toBe(true);
    expect(alpha).toHaveLength(21);
    const beta = findingsIn(BETA_ACCOUNT);
    const archived = beta.filter((finding) => finding.RecordState === 'ARCHIVED');
    expect(new Set(archived.map((finding) => finding.ProductFields?.[FIELD.nodeGroup]))).toEqual(
      new Set(['legacy']),
    );
    expect(archived).toHaveLength(10);
    expect(beta.filter((finding) => finding.ProductFields?.[FIELD.nodeGroup] === 'spot')).toHaveLength(9);
    expect(report.published.map((outcome) => outcome.archived)).toEqual([21, 10]);
  });

  it('archives nothing when the collection behind a finding failed', async () => {
    // Prepare
    await publish(DAY1);
    const before = findingsIn(BETA_ACCOUNT);
    running().emulator.replaceEstate(
      estateWith((estate) => {
        betaEntry(estate).nodegroups = [];
        estate.faults = [
          { service: 'ec2', operation: 'DescribeInstances', account: BETA_ACCOUNT, kind: 'access-denied' },
        ];
      }),
    );
    // Act
    const { report, status } = await publish(DAY2);
    // Assess
    expect(status).toBe(1);
    expect(report.errors).toContainEqual(
      expect.objectContaining({ accountId: BETA_ACCOUNT, operation: 'ec2:DescribeInstances' }),
    );
    const after = findingsIn(BETA_ACCOUNT);
    expect(after.filter((finding) => finding.RecordState === 'ARCHIVED')).toEqual([]);
    const legacy = ofCheck(after, 'eks_nodegroup_private_subnets', 'legacy');
    expect(onlyOne(legacy).Compliance?.Status).toBe('FAILED');
    expect(after.length).toBeGreaterThanOrEqual(before.length);
  });

  it('archives nothing in a Region whose cluster listing failed', async () => {
    // Prepare
    await publish(DAY1);
    running().emulator.replaceEstate(
      estateWith((estate) => {
        estate.faults = [
          { service: 'eks', operation: 'ListClusters', account: BETA_ACCOUNT, kind: 'access-denied' },
        ];
      }),
    );
    // Act
    const { report } = await publish(DAY2);
    // Assess
    expect(findingsIn(BETA_ACCOUNT).filter((finding) => finding.RecordState === 'ARCHIVED')).toEqual([]);
    expect(report.published.find((outcome) => outcome.accountId === BETA_ACCOUNT)?.archived).toBe(0);
  });

  it('never archives, from another claimant, the finding of a resource its owner now judges', async () => {
    // Prepare: a lone node of alpha gets a finding; then cluster gamma appears and the node is tagged
    // `owned` by gamma, `shared` with alpha: gamma owns it, and a batch of alpha alone runs.
    const loneNode = (estate: EstateJson, tags: { Key: string; Value: string }[]) => {
      const region = regionOf(estate, ALPHA_ACCOUNT) as unknown as {
        clusters: { cluster: Record<string, unknown>; nodegroups: unknown[]; fargateProfiles: unknown[] }[];
        ec2: { instances: Record<string, unknown>[] };
      };
      const [node] = region.ec2.instances;
      region.ec2.instances.push({ ...node, InstanceId: 'i-0lone', Tags: tags });
      return region;
    };
    running().emulator.replaceEstate(
      estateWith((estate) => loneNode(estate, [{ Key: 'kubernetes.io/cluster/alpha', Value: 'owned' }])),
    );
    await publish(DAY1, '--accounts', ALPHA_ACCOUNT);
    const loneFindings = () =>
      findingsIn(ALPHA_ACCOUNT).filter((finding) => finding.Resources?.[0]?.Id?.endsWith('instance/i-0lone'));
    expect(loneFindings().length).toBeGreaterThan(0);
    running().emulator.replaceEstate(
      estateWith((estate) => {
        const region = loneNode(estate, [
          { Key: 'kubernetes.io/cluster/alpha', Value: 'shared' },
          { Key: 'kubernetes.io/cluster/gamma', Value: 'owned' },
        ]);
        const [alpha] = region.clusters;
        if (alpha === undefined) throw new Error('the fixture has alpha');
        region.clusters.push({
          ...alpha,
          cluster: {
            ...alpha.cluster,
            name: 'gamma',
            arn: `arn:aws:eks:${REGION}:${ALPHA_ACCOUNT}:cluster/gamma`,
          },
          nodegroups: [],
        });
      }),
    );
    // Act
    await publish(DAY2, '--accounts', ALPHA_ACCOUNT, '--clusters', 'alpha');
    // Assess
    expect(loneFindings().length).toBeGreaterThan(0);
    expect(loneFindings().filter((finding) => finding.RecordState === 'ARCHIVED')).toEqual([]);
  }, 30_000);

  it('touches no finding of a check or cluster the scan did not cover', async () => {
    // Prepare
    await publish(DAY1);
    running().emulator.replaceEstate(
      estateWith((estate) => {
        regionOf(estate, ALPHA_ACCOUNT).clusters = [];
      }),
    );
    // Act
    await publish(DAY2, '--clusters', 'beta', '--checks', 'eks_cluster_endpoint_not_public');
    // Assess
    expect(findingsIn(ALPHA_ACCOUNT).every((finding) => finding.RecordState === 'ACTIVE')).toBe(true);
    const betaUpdated = findingsIn(BETA_ACCOUNT).filter(
      (finding) => finding.UpdatedAt === '2026-11-23T12:00:00.000Z',
    );
    expect(betaUpdated.map((finding) => finding.GeneratorId)).toEqual(['eks_cluster_endpoint_not_public']);
  });

  it('archives a finding whose check no longer applies (NOT_APPLICABLE)', async () => {
    // Prepare: a managed group first, then the same group id judged by a check that no longer applies.
    await publish(DAY1);
    running().emulator.replaceEstate(
      estateWith((estate) => {
        const group = betaEntry(estate).nodegroups?.[0] as Record<string, unknown>;
        group.amiType = 'CUSTOM';
      }),
    );
    // Act
    await publish(DAY2);
    // Assess
    const release = onlyOne(ofCheck(findingsIn(BETA_ACCOUNT), 'eks_nodegroup_ami_latest_release', 'legacy'));
    expect(release.RecordState).toBe('ARCHIVED');
    expect(release.UpdatedAt).toBe('2026-11-23T12:00:00.000Z');
  });

  it('reports a Region without Security Hub and still publishes the others', async () => {
    // Prepare
    running().emulator.replaceEstate(
      estateWith((estate) => {
        regionOf(estate, BETA_ACCOUNT).securityHub = { enabled: false };
      }),
    );
    // Act
    const { report, status } = await publish(DAY1);
    // Assess
    expect(status).toBe(1);
    expect(findingsIn(ALPHA_ACCOUNT)).toHaveLength(21);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        accountId: BETA_ACCOUNT,
        region: REGION,
        operation: 'securityhub:GetFindings',
        code: 'InvalidAccessException',
        message: expect.stringContaining(
          'Security Hub is not enabled in account 222222222222, Region eu-west-1',
        ),
      }),
    );
    expect(report.results.filter((result) => result.accountId === BETA_ACCOUNT)).toHaveLength(34);
  });

  it('publishes the same findings when Security Hub throttles', async () => {
    // Prepare
    running().emulator.replaceEstate(
      estateWith((estate) => {
        estate.faults = [{ service: 'securityhub', operation: '*', kind: 'throttle', rate: 0.5 }];
      }),
    );
    // Act
    const { report } = await publish(DAY1);
    // Assess
    expect(report.published.map((outcome) => [outcome.imported, outcome.failed.count])).toEqual([
      [21, 0],
      [31, 0],
    ]);
    expect(findingsIn(BETA_ACCOUNT)).toHaveLength(31);
  }, 60_000);

  it('with --only-failed imports FAILED findings, and still resolves one it imported before', async () => {
    // Prepare
    await publish(DAY1, '--only-failed');
    const failedOnly = findingsIn(BETA_ACCOUNT);
    running().emulator.replaceEstate(
      estateWith((estate) => {
        const cluster = betaEntry(estate).cluster as { resourcesVpcConfig: Record<string, unknown> };
        cluster.resourcesVpcConfig.endpointPublicAccess = false;
      }),
    );
    // Act
    await publish(DAY2, '--only-failed');
    // Assess
    expect(failedOnly.every((finding) => finding.Compliance?.Status === 'FAILED')).toBe(true);
    expect(failedOnly).toHaveLength(20);
    // Alpha's only failures are account-level (GuardDuty off, no workload identity for pods).
    expect(findingsIn(ALPHA_ACCOUNT).map((finding) => finding.Compliance?.Status)).toEqual([
      'FAILED',
      'FAILED',
      'FAILED',
    ]);
    const endpoint = onlyOne(ofCheck(findingsIn(BETA_ACCOUNT), 'eks_cluster_endpoint_not_public'));
    expect(endpoint.Compliance?.Status).toBe('PASSED');
  });
});

describe('publishTarget against the emulator', () => {
  it('imports 250 findings in 3 BatchImportFindings calls', async () => {
    // Prepare
    const scope = aScope({ accountId: ALPHA_ACCOUNT, clusterName: 'alpha' });
    const results = Array.from({ length: 250 }, (_, index) => ({
      checkId: noSsh.id,
      status: 'FAILED' as const,
      severity: 'HIGH' as const,
      partition: 'aws',
      accountId: ALPHA_ACCOUNT,
      region: REGION,
      cluster: 'alpha',
      resourceType: 'Other',
      resourceId: `arn:aws:eks:${REGION}:${ALPHA_ACCOUNT}:nodegroup/alpha/ng-${index}/0000`,
      nodeGroup: `ng-${index}`,
      reason: `Managed node group ng-${index} allows SSH from 0.0.0.0/0.`,
      evidence: {},
      frameworks: [],
    }));
    const client = createSecurityHubClient({
      region: REGION,
      endpoint: running().endpoint,
      credentials: HOME_CREDENTIALS,
    });
    // Act
    const outcome = await publishTarget(
      {
        partition: 'aws',
        accountId: ALPHA_ACCOUNT,
        region: REGION,
        scannedAt: new Date(DAY1),
        checks: [noSsh],
        clusters: [{ snapshot: aSnapshot({}, scope), results }],
      },
      {},
      { client },
    );
    // Assess
    const imports = running()
      .emulator.calls()
      .filter((entry) => entry.operation === 'BatchImportFindings');
    expect(imports).toEqual([
      {
        account: ALPHA_ACCOUNT,
        region: REGION,
        service: 'securityhub',
        operation: 'BatchImportFindings',
        count: 3,
      },
    ]);
    expect(outcome.imported).toBe(250);
    expect(findingsIn(ALPHA_ACCOUNT)).toHaveLength(250);
  });
});

describe('suppressions', () => {
  async function suppressionFile(rules: unknown): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), 'eks-scan-')), 'suppressions.json');
    await writeFile(path, JSON.stringify(rules));
    return path;
  }

  it('imports a finding suppressed by the resource tag with Workflow SUPPRESSED and a Note, never dropping it', async () => {
    // Prepare
    running().emulator.replaceEstate(
      estateWith((estate) => {
        betaEntry(estate).cluster.tags = {
          'eks-scan:suppress': 'eks_cluster_deletion_protection, eks_cluster_access_api_mode',
        };
      }),
    );
    // Act
    const { report } = await publish(DAY1);
    // Assess
    const beta = findingsIn(BETA_ACCOUNT);
    const suppressed = beta.filter((finding) => finding.Workflow?.Status === 'SUPPRESSED');
    expect(suppressed.map((finding) => finding.GeneratorId).sort()).toEqual([
      'eks_cluster_access_api_mode',
      'eks_cluster_deletion_protection',
    ]);
    expect(suppressed[0]?.Note).toMatchObject({
      Text: 'Suppressed by the resource tag eks-scan:suppress=eks_cluster_deletion_protection, eks_cluster_access_api_mode.',
      UpdatedBy: 'eks-compliance-scanner',
    });
    expect(suppressed.every((finding) => finding.Compliance?.Status === 'FAILED')).toBe(true);
    expect(report.published.find((outcome) => outcome.accountId === BETA_ACCOUNT)?.suppressed).toBe(2);
  });

  it('suppresses by the settings list (ARN pattern, reason, expiry) and ignores an expired rule', async () => {
    // Prepare
    const rules = await suppressionFile([
      {
        checkId: 'eks_nodegroup_no_ssh_access',
        resource: 'arn:aws:eks:*:222222222222:nodegroup/beta/*',
        reason: 'Break-glass access, ticket OPS-42.',
        expires: '2027-01-31',
      },
      {
        checkId: '*',
        resource: 'arn:aws:eks:eu-west-1:222222222222:cluster/beta',
        reason: 'Old.',
        expires: '2026-01-01',
      },
    ]);
    // Act
    await publish(DAY1, '--suppressions', rules);
    // Assess
    const suppressed = findingsIn(BETA_ACCOUNT).filter(
      (finding) => finding.Workflow?.Status === 'SUPPRESSED',
    );
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({
      GeneratorId: 'eks_nodegroup_no_ssh_access',
      Note: { Text: 'Suppressed (until 2027-01-31T00:00:00.000Z): Break-glass access, ticket OPS-42.' },
    });
  });

  it('suppresses an existing finding through BatchUpdateFindings and lifts only its own suppression', async () => {
    // Prepare: two findings exist; a person suppresses one in the console, the settings suppress the other.
    await publish(DAY1);
    const rules = await suppressionFile([
      { checkId: 'eks_cluster_secrets_encrypted', resource: '*', reason: 'Accepted risk.' },
    ]);
    const logging = onlyOne(ofCheck(findingsIn(BETA_ACCOUNT), 'eks_cluster_control_plane_logging'));
    const stored = running()
      .emulator.state()
      .securityHub[BETA_ACCOUNT]?.[REGION]?.find((finding) => finding.Id === logging.Id) as Record<
      string,
      unknown
    >;
    stored.Workflow = { Status: 'SUPPRESSED' };
    stored.Note = { Text: 'Known; fix in Q1.', UpdatedBy: 'alice' };
    await publish(DAY2, '--suppressions', rules);
    const suppressedBySettings = onlyOne(ofCheck(findingsIn(BETA_ACCOUNT), 'eks_cluster_secrets_encrypted'));
    // Act: the rule is removed.
    await publish('2026-11-24T12:00:00Z');
    // Assess
    expect(suppressedBySettings.Workflow?.Status).toBe('SUPPRESSED');
    expect(suppressedBySettings.Note?.Text).toBe('Suppressed: Accepted risk.');
    const lifted = onlyOne(ofCheck(findingsIn(BETA_ACCOUNT), 'eks_cluster_secrets_encrypted'));
    expect(lifted.Workflow?.Status).toBe('NEW');
    const persons = onlyOne(ofCheck(findingsIn(BETA_ACCOUNT), 'eks_cluster_control_plane_logging'));
    expect(persons.Workflow?.Status).toBe('SUPPRESSED');
    expect(persons.Note?.UpdatedBy).toBe('alice');
  });

  it('rejects a suppression list with a clear error naming the field', async () => {
    // Prepare
    const rules = await suppressionFile([
      { checkId: 'eks_nope', resource: '', reason: 'x', expires: 'soon' },
    ]);
    const io = recordingIo(false);
    // Act
    const status = await run(
      ['scan', '--endpoint', running().endpoint, '--now', DAY1, '--suppressions', rules],
      io,
    );
    // Assess
    expect(status).toBe(2);
    expect(io.err()).toContain('[0].checkId: expected "*" or a check id');
    expect(io.err()).toContain('[0].resource: must not be empty');
    expect(io.err()).toContain('[0].expires: expected an ISO-8601 date');
    expect(io.out()).toBe('');
  });
});
