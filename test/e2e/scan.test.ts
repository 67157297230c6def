/**
 * `eks-scan scan --estate` end to end: the embedded emulator, the real SDK clients, the collector, the
 * checks and the output, on a small estate whose every outcome was worked out by hand from checks.md.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { run } from '../../cli/main.js';
import type { CheckResult } from '../../lib/checks/types.js';
import type { ScanReport } from '../../lib/scan.js';
import { recordingIo } from '../support/io.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'two-clusters.estate.json');
const NOW = '2026-11-22T12:00:00Z';

async function scanJson(estatePath: string, ...extra: string[]) {
  const io = recordingIo(false);
  const status = await run(['scan', '--estate', estatePath, '--format', 'json', '--now', NOW, ...extra], io);
  return { status, report: JSON.parse(io.out() || '{}') as ScanReport, io };
}

/** An estate file like the fixture with changes, written to a temporary directory. */
async function variantOf(change: (estate: Record<string, unknown>) => void): Promise<string> {
  const estate = JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>;
  change(estate);
  const path = join(await mkdtemp(join(tmpdir(), 'eks-scan-')), 'estate.json');
  await writeFile(path, JSON.stringify(estate));
  return path;
}

const outcome = (result: CheckResult) =>
  `${result.cluster} ${result.checkId}${result.nodeGroup ? ` [${result.nodeGroup}]` : ''}: ${result.status} ${result.severity}`;

const EXPECTED = [
  'alpha eks_cluster_endpoint_not_public: PASSED HIGH',
  'alpha eks_cluster_endpoint_private_access: PASSED MEDIUM',
  'alpha eks_cluster_control_plane_logging: PASSED MEDIUM',
  'alpha eks_cluster_secrets_encrypted: PASSED MEDIUM',
  'alpha eks_cluster_version_supported: PASSED HIGH',
  'alpha eks_cluster_deletion_protection: PASSED LOW',
  'alpha eks_cluster_access_api_mode: PASSED LOW',
  'alpha eks_cluster_insights: PASSED HIGH',
  'alpha eks_cluster_addons_healthy: NOT_APPLICABLE MEDIUM',
  'alpha eks_cluster_addons_current: NOT_APPLICABLE LOW',
  'alpha eks_cluster_pod_identity_available: FAILED MEDIUM',
  'alpha eks_nodegroup_container_optimized_os [workers]: PASSED MEDIUM',
  'alpha eks_nodegroup_ami_age [workers]: PASSED MEDIUM',
  'alpha eks_nodegroup_ami_latest_release [workers]: PASSED LOW',
  'alpha eks_nodegroup_no_ssh_access [workers]: PASSED HIGH',
  'alpha eks_nodegroup_private_subnets [workers]: PASSED HIGH',
  'alpha eks_nodegroup_imdsv2_hop_limit [workers]: PASSED MEDIUM',
  'alpha eks_nodegroup_inspector_coverage [workers]: PASSED HIGH',
  'alpha eks_cluster_guardduty_audit_logs: FAILED MEDIUM',
  'alpha eks_cluster_guardduty_runtime_monitoring: FAILED HIGH',
  'alpha eks_nodegroup_ssm_managed [workers]: PASSED MEDIUM',
  'alpha eks_nodegroup_version_skew [workers]: PASSED HIGH',
  'alpha eks_nodegroup_volumes_encrypted [workers]: PASSED MEDIUM',
  'beta eks_cluster_endpoint_not_public: FAILED HIGH',
  'beta eks_cluster_endpoint_private_access: FAILED MEDIUM',
  'beta eks_cluster_control_plane_logging: FAILED MEDIUM',
  'beta eks_cluster_secrets_encrypted: FAILED MEDIUM',
  'beta eks_cluster_version_supported: FAILED MEDIUM',
  'beta eks_cluster_deletion_protection: FAILED LOW',
  'beta eks_cluster_access_api_mode: FAILED LOW',
  'beta eks_cluster_insights: PASSED HIGH',
  'beta eks_cluster_addons_healthy: NOT_APPLICABLE MEDIUM',
  'beta eks_cluster_addons_current: NOT_APPLICABLE LOW',
  'beta eks_cluster_pod_identity_available: FAILED MEDIUM',
  'beta eks_nodegroup_container_optimized_os [spot]: PASSED MEDIUM',
  'beta eks_nodegroup_container_optimized_os [legacy]: FAILED MEDIUM',
  'beta eks_nodegroup_ami_age [spot]: PASSED MEDIUM',
  'beta eks_nodegroup_ami_age [legacy]: FAILED MEDIUM',
  'beta eks_nodegroup_ami_latest_release [spot]: NOT_APPLICABLE LOW',
  'beta eks_nodegroup_ami_latest_release [legacy]: FAILED LOW',
  'beta eks_nodegroup_no_ssh_access [spot]: PASSED HIGH',
  'beta eks_nodegroup_no_ssh_access [legacy]: FAILED HIGH',
  'beta eks_nodegroup_private_subnets [spot]: PASSED HIGH',
  'beta eks_nodegroup_private_subnets [legacy]: FAILED HIGH',
  'beta eks_nodegroup_imdsv2_hop_limit [spot]: PASSED MEDIUM',
  'beta eks_nodegroup_imdsv2_hop_limit [legacy]: FAILED MEDIUM',
  'beta eks_nodegroup_inspector_coverage [spot]: PASSED HIGH',
  'beta eks_nodegroup_inspector_coverage [legacy]: FAILED MEDIUM',
  'beta eks_fargate_inspector_coverage: FAILED MEDIUM',
  'beta eks_cluster_guardduty_audit_logs: FAILED MEDIUM',
  'beta eks_cluster_guardduty_runtime_monitoring: FAILED HIGH',
  'beta eks_nodegroup_ssm_managed [spot]: PASSED MEDIUM',
  'beta eks_nodegroup_ssm_managed [legacy]: FAILED MEDIUM',
  'beta eks_nodegroup_version_skew [spot]: PASSED HIGH',
  'beta eks_nodegroup_version_skew [legacy]: PASSED HIGH',
  'beta eks_nodegroup_volumes_encrypted [spot]: PASSED MEDIUM',
  'beta eks_nodegroup_volumes_encrypted [legacy]: FAILED MEDIUM',
];

describe('eks-scan scan --estate', () => {
  it('scans every account it can reach and reports exactly one result per check and resource', async () => {
    // Act
    const { status, report } = await scanJson(FIXTURE);
    // Assess
    expect(report.scannedAt).toBe('2026-11-22T12:00:00.000Z');
    expect(report.results.map(outcome)).toEqual(EXPECTED);
    const keys = report.results.map((result) => `${result.checkId} ${result.resourceId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(report.errors).toEqual([
      expect.objectContaining({
        accountId: '333333333333',
        region: null,
        operation: 'sts:AssumeRole',
        code: 'AccessDenied',
      }),
    ]);
    expect(status).toBe(1);
  });

  it('names the evidence in the reasons', async () => {
    // Act
    const { report } = await scanJson(
      FIXTURE,
      '--clusters',
      'beta',
      '--checks',
      'eks_nodegroup_private_subnets',
    );
    // Assess
    const legacy = report.results.find((result) => result.nodeGroup === 'legacy');
    expect(legacy?.reason).toContain('subnet-b-public');
    expect(legacy?.reason).toContain('igw-b');
    expect(legacy?.reason).toContain('54.220.1.10');
    expect(legacy?.resourceId).toBe('arn:aws:eks:eu-west-1:222222222222:nodegroup/beta/legacy/3c4d');
  });

  it('narrows the scan by account, Region, cluster and check', async () => {
    // Act
    const { status, report } = await scanJson(
      FIXTURE,
      '--accounts',
      '222222222222',
      '--regions',
      'eu-west-1',
      '--checks',
      'eks_cluster_endpoint_not_public,eks_cluster_version_supported',
    );
    // Assess
    expect(report.results.map(outcome)).toEqual([
      'beta eks_cluster_endpoint_not_public: FAILED HIGH',
      'beta eks_cluster_version_supported: FAILED MEDIUM',
    ]);
    expect(report.errors).toEqual([]);
    expect(status).toBe(0);
  });

  it('reports a Region not enabled for an account as an error of that account, and scans the others', async () => {
    // Act: af-south-1 is an opt-in Region that no account of the estate has.
    const { status, report } = await scanJson(
      FIXTURE,
      '--accounts',
      '111111111111,222222222222',
      '--regions',
      'eu-west-1,af-south-1',
      '--checks',
      'eks_cluster_endpoint_not_public',
    );
    // Assess
    expect(report.results.map(outcome)).toEqual([
      'alpha eks_cluster_endpoint_not_public: PASSED HIGH',
      'beta eks_cluster_endpoint_not_public: FAILED HIGH',
    ]);
    expect(
      report.errors.map((error) => `${error.accountId} ${error.region} ${error.operation} ${error.code}`),
    ).toEqual([
      '111111111111 af-south-1 selection:regions RegionNotEnabled',
      '222222222222 af-south-1 selection:regions RegionNotEnabled',
    ]);
    expect(status).toBe(1);
  });

  it('reports each --clusters and --accounts value that matches nothing, and still prints the rest', async () => {
    // Act
    const { status, report } = await scanJson(
      FIXTURE,
      '--accounts',
      '222222222222,999999999999',
      '--clusters',
      'beta,gamma',
      '--checks',
      'eks_cluster_endpoint_not_public',
    );
    // Assess
    expect(report.results.map(outcome)).toEqual(['beta eks_cluster_endpoint_not_public: FAILED HIGH']);
    expect(report.errors).toEqual([
      {
        accountId: null,
        region: null,
        operation: 'selection:clusters',
        code: 'NotFound',
        message: 'Cluster gamma was found in no scanned account and Region.',
      },
      {
        accountId: '999999999999',
        region: null,
        operation: 'selection:accounts',
        code: 'NotFound',
        message: 'Account 999999999999 is not an ACTIVE account of the organization; it was not scanned.',
      },
    ]);
    expect(status).toBe(1);
  });

  it('says a cluster not found may be in an account that could not be listed', async () => {
    // Act: the fixture's account 333333333333 denies AssumeRole.
    const { status, report } = await scanJson(FIXTURE, '--clusters', 'gamma');
    // Assess
    expect(report.results).toEqual([]);
    expect(report.errors).toContainEqual({
      accountId: null,
      region: null,
      operation: 'selection:clusters',
      code: 'NotFound',
      message:
        'Cluster gamma was found in no scanned account and Region (1 account(s) or Region(s) could not be listed).',
    });
    expect(status).toBe(1);
  });

  it('never enters an account outside the organization, whatever --accounts names', async () => {
    // Prepare: an account the estate serves (AssumeRole would succeed) that has left the organization.
    const suspended = await variantOf((estate) => {
      (estate.accounts as { accountId: string; state?: string }[])[1] = {
        ...(estate.accounts as { accountId: string }[])[1],
        accountId: '222222222222',
        state: 'SUSPENDED',
      } as never;
    });
    // Act
    const { status, report } = await scanJson(suspended, '--accounts', '222222222222');
    // Assess
    expect(report.results).toEqual([]);
    expect(report.errors).toEqual([
      expect.objectContaining({
        accountId: '222222222222',
        operation: 'selection:accounts',
        code: 'NotFound',
      }),
    ]);
    expect(status).toBe(1);
  });

  it('applies --param overrides', async () => {
    // Act
    const { report } = await scanJson(
      FIXTURE,
      '--checks',
      'eks_nodegroup_ami_age',
      '--param',
      'maxAmiAgeDays=5',
    );
    // Assess
    expect(report.results.map(outcome)).toEqual([
      'alpha eks_nodegroup_ami_age [workers]: FAILED MEDIUM',
      'beta eks_nodegroup_ami_age [spot]: FAILED MEDIUM',
      'beta eks_nodegroup_ami_age [legacy]: FAILED MEDIUM',
    ]);
  });

  it('gives the same results for healthy accounts when another service throttles', async () => {
    // Prepare
    const throttled = await variantOf((estate) => {
      estate.faults = [
        { service: 'ec2', operation: '*', account: '222222222222', region: '*', kind: 'throttle', rate: 0.3 },
        { service: 'eks', operation: '*', account: '*', region: '*', kind: 'throttle', rate: 0.2 },
      ];
    });
    // Act
    const { report } = await scanJson(throttled);
    // Assess
    expect(report.results.map(outcome)).toEqual(EXPECTED);
  }, 30_000);

  it('makes only the affected results ERROR, never PASSED, when a call is denied', async () => {
    // Prepare
    const denied = await variantOf((estate) => {
      estate.faults = [
        { service: 'inspector2', operation: 'ListCoverage', account: '222222222222', kind: 'access-denied' },
      ];
    });
    // Act
    const { status, report } = await scanJson(denied);
    // Assess
    const expected = EXPECTED.map((line) =>
      line.startsWith('beta eks_nodegroup_inspector_coverage')
        ? line.replace(/: \w+ \w+$/, ': ERROR HIGH')
        : line,
    );
    expect(report.results.map(outcome)).toEqual(expected);
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        accountId: '222222222222',
        region: 'eu-west-1',
        operation: 'inspector2:ListCoverage',
        code: 'AccessDeniedException',
      }),
    );
    expect(status).toBe(1);
  });

  it('prints a table a person can read', async () => {
    // Prepare
    const io = recordingIo(true);
    // Act
    const status = await run(['scan', '--estate', FIXTURE, '--now', NOW], io);
    // Assess
    expect(status).toBe(1);
    expect(io.out()).toContain('Scan at 2026-11-22T12:00:00.000Z: 2 clusters in 2 accounts and 1 Region.');
    expect(io.out()).toMatch(/^222222222222\s+eu-west-1\s+beta\s+11\s+20\s+3\s+0\s+HIGH$/m);
    expect(io.out()).toMatch(/^111111111111\s+eu-west-1\s+alpha\s+18\s+3\s+2\s+0\s+HIGH$/m);
    expect(io.out()).toContain('333333333333 -  sts:AssumeRole  AccessDenied');
  });

  it('reports progress on a terminal stderr and keeps stdout pure JSON', async () => {
    // Prepare
    const io = recordingIo(false, true);
    // Act
    const status = await run(['scan', '--estate', FIXTURE, '--now', NOW, '--format', 'json'], io);
    // Assess
    expect(status).toBe(1);
    expect(io.err()).toMatch(/\rScanned 2\/2 account-Regions, 2 clusters\n$/);
    expect((JSON.parse(io.out()) as ScanReport).results).toHaveLength(EXPECTED.length);
  });

  it('shows no progress when stderr is not a terminal', async () => {
    // Prepare
    const io = recordingIo(false, false);
    // Act
    await run(['scan', '--estate', FIXTURE, '--now', NOW], io);
    // Assess
    expect(io.err()).toBe('');
  });

  it.each([
    [['--estate', 'no-such-file.json'], 'Cannot read the estate file no-such-file.json'],
    [['--estate', FIXTURE, '--now', 'yesterday'], '--now must be an ISO-8601 time'],
    [['--estate', FIXTURE, '--now', '2026-11-22T12:00:00'], 'states no zone'],
    [['--estate', FIXTURE, '--now', '2026-11-22'], 'a date without a time and zone'],
    [['--estate', FIXTURE, '--now', '2026-02-30T12:00:00Z'], 'February 2026 has 28 days'],
    [['--estate', FIXTURE, '--now', '2026-11-22T12:00:00+24:00'], 'impossible offset +24:00'],
    [
      ['--estate', FIXTURE, '--param', 'maxAmiAgeDayz=3'],
      'Parameter maxAmiAgeDayz: no selected check takes it',
    ],
    [['--estate', FIXTURE, '--param', 'maxAmiAgeDays=0'], 'Parameter maxAmiAgeDays: expected 1..3650, got 0'],
    [['--estate', FIXTURE, '--checks', 'eks_nope'], 'Unknown check id(s): eks_nope'],
    [['--estate', FIXTURE, '--accounts', '12345'], '--accounts: "12345" is not a 12-digit account id'],
    [
      ['--estate', FIXTURE, '--endpoint', 'http://127.0.0.1:1'],
      'Give either --estate or --endpoint, not both',
    ],
    [['--estate', FIXTURE, '--format', 'csv'], '--format must be one of'],
    [
      ['--estate', FIXTURE, '--regions', 'eu-west-1,eu-west-9'],
      '--regions: "eu-west-9" is not a Region of the aws partition',
    ],
    [
      ['--endpoint', 'http://127.0.0.1:1', '--region', 'eu-west-1', '--regions', 'cn-north-1,aws-global'],
      '--regions: "cn-north-1", "aws-global" are not Regions of the aws partition',
    ],
  ])('exits 2 on bad usage %j, naming the problem', async (args, message) => {
    // Prepare
    const io = recordingIo(false);
    // Act
    const status = await run(['scan', ...args], io);
    // Assess
    expect(status).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('exits 2 on an invalid estate file, naming the JSON path', async () => {
    // Prepare
    const invalid = await variantOf((estate) => {
      estate.colour = 'blue';
      (estate.accounts as { accountId: string }[])[1] = {
        ...(estate.accounts as object[])[1],
        accountId: '2222',
      } as never;
    });
    const io = recordingIo(false);
    // Act
    const status = await run(['scan', '--estate', invalid, '--now', NOW], io);
    // Assess
    expect(status).toBe(2);
    expect(io.err()).toContain('colour');
    expect(io.err()).toContain('accounts[1].accountId');
  });
  describe('address coverage and public subnets, through the emulator', () => {
    /** The parts of the fixture these cases change: alpha's cluster, node group and network. */
    interface AlphaRegion {
      clusters: [{ cluster: { resourcesVpcConfig: object }; nodegroups: [Record<string, unknown>] }];
      ec2: { routeTables: { RouteTableId: string; Routes: object[] }[]; launchTemplateVersions: object[] };
    }
    type Estate = Record<string, unknown>;
    const alphaRegion = (estate: Estate) =>
      (estate as unknown as { accounts: [{ regions: { 'eu-west-1': AlphaRegion } }] }).accounts[0].regions[
        'eu-west-1'
      ];
    const alphaCluster = (estate: Estate) => alphaRegion(estate).clusters[0];
    const withPublicEndpoint = (publicAccessCidrs: unknown) => (estate: Estate) => {
      Object.assign(alphaCluster(estate).cluster.resourcesVpcConfig, {
        endpointPublicAccess: true,
        publicAccessCidrs,
      });
    };
    const endpointResult = async (estatePath: string, ...extra: string[]) => {
      const { report } = await scanJson(
        estatePath,
        '--clusters',
        'alpha',
        '--checks',
        'eks_cluster_endpoint_not_public',
        ...extra,
      );
      expect(report.results).toHaveLength(1);
      return report.results[0] as CheckResult;
    };
    const citations = (result: CheckResult) =>
      result.frameworks.map((citation) => `${citation.framework}/${citation.control}`);

    it.each([
      [
        ['0.0.0.0/1', '128.0.0.0/1'],
        'open to the whole IPv4 space (0.0.0.0/1, 128.0.0.0/1 together cover it)',
      ],
      [['203.0.113.0/24', '0::0/0'], 'open to the whole IPv6 space (0::0/0)'],
      [['0.0.0.1/0'], 'open to the whole IPv4 space (0.0.0.1/0)'],
      [[''], 'contain an empty string'],
    ])(
      'fails a public endpoint whose CIDRs %j reach everyone, even when restricted endpoints are allowed',
      async (cidrs, why) => {
        // Prepare
        const estate = await variantOf(withPublicEndpoint(cidrs));
        // Act
        const result = await endpointResult(estate, '--param', 'allowRestrictedPublicEndpoint=true');
        // Assess
        expect(result.status).toBe('FAILED');
        expect(result.reason).toContain(why);
      },
    );

    it('fails a restricted public endpoint by default, as FSBP EKS.1, and cites EKS.1 in JSON and ASFF', async () => {
      // Prepare
      const estate = await variantOf(withPublicEndpoint(['203.0.113.0/24']));
      // Act
      const strict = await endpointResult(estate);
      const lenient = await endpointResult(estate, '--param', 'allowRestrictedPublicEndpoint=true');
      const io = recordingIo(false);
      await run(
        [
          'scan',
          '--estate',
          estate,
          '--format',
          'asff',
          '--now',
          NOW,
          '--clusters',
          'alpha',
          '--checks',
          'eks_cluster_endpoint_not_public',
        ],
        io,
      );
      // Assess
      expect(strict.status).toBe('FAILED');
      expect(citations(strict)).toContain('AWS Foundational Security Best Practices v1.0.0/EKS.1');
      expect(lenient.status).toBe('PASSED');
      expect(citations(lenient)).toEqual(['CIS Amazon EKS Benchmark v1.1.0/5.4.1']);
      expect(io.out()).toContain('AWS Foundational Security Best Practices v1.0.0/EKS.1');
      expect(io.out()).not.toContain('5.4.1');
    });

    it('is ERROR, naming the value, for a malformed CIDR when restricted endpoints are allowed', async () => {
      // Prepare
      const estate = await variantOf(withPublicEndpoint(['203.0.113.0/24', '203.0.113.0/33']));
      // Act
      const result = await endpointResult(estate, '--param', 'allowRestrictedPublicEndpoint=true');
      // Assess
      expect(result.status).toBe('ERROR');
      expect(result.reason).toContain('"203.0.113.0/33"');
    });

    const privateSubnetsOfWorkers = async (change: (estate: Estate) => void) => {
      const { report } = await scanJson(
        await variantOf(change),
        '--clusters',
        'alpha',
        '--checks',
        'eks_nodegroup_private_subnets',
      );
      expect(report.results).toHaveLength(1);
      return report.results[0] as CheckResult;
    };
    const addRoute = (route: Record<string, string>) => (estate: Estate) => {
      const table = alphaRegion(estate).ec2.routeTables.find(
        (candidate) => candidate.RouteTableId === 'rtb-a-private',
      );
      table?.Routes.push(route);
    };

    it.each([
      [
        'an internet gateway route to a narrow range',
        { DestinationCidrBlock: '198.51.100.0/24', GatewayId: 'igw-a', State: 'active' },
        'FAILED',
      ],
      [
        'a blackhole internet gateway route',
        { DestinationCidrBlock: '198.51.100.0/24', GatewayId: 'igw-a', State: 'blackhole' },
        'PASSED',
      ],
      [
        'an egress-only gateway ::/0 route',
        { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-a', State: 'active' },
        'PASSED',
      ],
    ])('judges a subnet with %s', async (_, route, status) => {
      // Act
      const result = await privateSubnetsOfWorkers(addRoute(route));
      // Assess
      expect(result.status).toBe(status);
      if (status === 'FAILED') expect(result.reason).toContain('routes 198.51.100.0/24 to igw-a');
    });

    it('fails a group whose launch template version associates public IP addresses', async () => {
      // Act
      const result = await privateSubnetsOfWorkers((estate) => {
        alphaCluster(estate).nodegroups[0].launchTemplate = { id: 'lt-a', name: 'workers', version: '2' };
        alphaRegion(estate).ec2.launchTemplateVersions.push({
          LaunchTemplateId: 'lt-a',
          LaunchTemplateName: 'workers',
          VersionNumber: 2,
          DefaultVersion: true,
          LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }] },
        });
      });
      // Assess
      expect(result.status).toBe('FAILED');
      expect(result.reason).toContain('launch template workers version 2 sets AssociatePublicIpAddress');
    });
  });
});

/** The part of a fixture Region the time cases change. */
type FixtureRegion = {
  ec2: { images: [Record<string, unknown>, Record<string, unknown>]; instances: [Record<string, unknown>] };
};

describe('eks-scan scan --estate: times', () => {
  /** The fixture with alpha's AMI and Kubernetes end date, and beta's legacy node and Karpenter AMI, changed. */
  const timesVariant = (creationDate: string, endOfStandardSupport: string) =>
    variantOf((estate) => {
      const [alpha, beta] = (estate.accounts as { regions: Record<string, FixtureRegion> }[]).map(
        (account) => account.regions['eu-west-1'],
      ) as [FixtureRegion, FixtureRegion];
      alpha.ec2.images[0].CreationDate = creationDate;
      const version = (estate.clusterVersions as { clusterVersion: string }[]).find(
        (candidate) => candidate.clusterVersion === '1.34',
      ) as Record<string, unknown>;
      version.endOfStandardSupportDate = endOfStandardSupport;
      beta.ec2.instances[0].MetadataOptions = {
        HttpEndpoint: 'disabled',
        HttpTokens: 'optional',
        HttpPutResponseHopLimit: 3,
        State: 'applied',
      };
      beta.ec2.images[1].Name = 'amzn2-ami-kernel-5.10-hvm-2.0.20261110.0-arm64-gp2';
    });

  const resultOf = (report: ScanReport, cluster: string, checkId: string, nodeGroup?: string) =>
    report.results.find(
      (result) => result.cluster === cluster && result.checkId === checkId && result.nodeGroup === nodeGroup,
    );

  it('reads zone-less AWS dates as UTC whatever the machine zone, at the exact boundaries', async () => {
    // Prepare: the AMI is exactly 30 days old and standard support ends exactly at the scan time
    const estate = await timesVariant('2026-10-23T12:00:00.000', '2026-11-22T12:00:00');
    // Act
    const { report } = await scanJson(estate);
    // Assess
    const amiAge = resultOf(report, 'alpha', 'eks_nodegroup_ami_age', 'workers');
    expect(amiAge?.status).toBe('PASSED');
    expect(amiAge?.evidence).toMatchObject({
      amis: [{ createdAt: '2026-10-23T12:00:00.000Z', ageDays: 30 }],
    });
    const version = resultOf(report, 'alpha', 'eks_cluster_version_supported');
    expect(version).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(version?.evidence).toMatchObject({ endOfStandardSupportDate: '2026-11-22T12:00:00.000Z' });
  });

  it('reports an AMI created after the scan time as such, reading its offset', async () => {
    // Prepare: 2026-11-23T09:00+09:00 is 2026-11-23T00:00Z, after the scan time
    const estate = await timesVariant('2026-11-23T09:00:00.000+09:00', '2026-12-02T00:00:00Z');
    // Act
    const { report } = await scanJson(estate);
    // Assess
    const amiAge = resultOf(report, 'alpha', 'eks_nodegroup_ami_age', 'workers');
    expect(amiAge?.status).toBe('PASSED');
    expect(amiAge?.reason).toContain('created after the scan time 2026-11-22T12:00:00.000Z');
    expect(amiAge?.evidence).toMatchObject({
      amis: [{ createdAt: '2026-11-23T00:00:00.000Z', createdAfterScan: true }],
    });
    expect(resultOf(report, 'alpha', 'eks_cluster_version_supported')?.status).toBe('PASSED');
  });

  it('passes a node with IMDS disabled and fails a node on a plain Amazon Linux 2 AMI', async () => {
    // Prepare
    const estate = await timesVariant('2026-11-10T00:00:00.000Z', '2026-12-02T00:00:00Z');
    // Act
    const { report } = await scanJson(estate);
    // Assess
    const imds = resultOf(report, 'beta', 'eks_nodegroup_imdsv2_hop_limit', 'legacy');
    expect(imds?.status).toBe('PASSED');
    expect(imds?.reason).toContain('instance metadata endpoint disabled');
    const os = resultOf(report, 'beta', 'eks_nodegroup_container_optimized_os', 'spot');
    expect(os?.status).toBe('FAILED');
    expect(os?.reason).toContain('amzn2-ami-kernel-5.10-hvm-2.0.20261110.0-arm64-gp2');
    expect(os?.reason).toContain('Amazon Linux 2, end of support 2026-06-30');
  });
});
