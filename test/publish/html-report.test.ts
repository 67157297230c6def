/** The HTML report: self-contained, escaped, and what a person needs: overview, matrix, failures, errors. */
import { describe, expect, it } from '@jest/globals';
import { CHECKS, findCheck } from '../../lib/checks/registry.js';
import type { CheckResult } from '../../lib/checks/types.js';
import { escapeHtml, renderHtmlReport } from '../../lib/publish/html-report.js';
import type { ScanError, ScanReport } from '../../lib/scan.js';

const SCANNED_AT = '2026-11-22T12:00:00.000Z';

const clusterArn = (account: string, region: string, cluster: string) =>
  `arn:aws:eks:${region}:${account}:cluster/${cluster}`;

function aResult(overrides: Partial<CheckResult> = {}): CheckResult {
  const accountId = overrides.accountId ?? '222222222222';
  const region = overrides.region ?? 'eu-west-1';
  const cluster = overrides.cluster ?? 'payments';
  return {
    checkId: 'eks_cluster_endpoint_not_public',
    status: 'PASSED',
    severity: 'HIGH',
    partition: 'aws',
    accountId,
    region,
    cluster,
    resourceType: 'AwsEksCluster',
    resourceId: clusterArn(accountId, region, cluster),
    reason: `Cluster ${cluster} passes.`,
    evidence: {},
    frameworks: [],
    ...overrides,
  };
}

const nodeGroupResult = (nodeGroup: string, overrides: Partial<CheckResult> = {}) =>
  aResult({
    checkId: 'eks_nodegroup_imdsv2_hop_limit',
    severity: 'MEDIUM',
    resourceType: 'Other',
    resourceId: `arn:aws:eks:eu-west-1:222222222222:nodegroup/payments/${nodeGroup}/1a2b`,
    nodeGroup,
    reason: `Node group ${nodeGroup} requires IMDSv2.`,
    ...overrides,
  });

const ASSUME_ROLE_DENIED: ScanError = {
  accountId: '444444444444',
  region: null,
  operation: 'sts:AssumeRole',
  code: 'AccessDenied',
  message: 'User: arn:aws:iam::111111111111:user/eks-scan is not authorized to perform: sts:AssumeRole',
};

/** Two accounts, two Regions, three clusters; every status; one account not scanned. */
function mixedReport(): ScanReport {
  return {
    scannedAt: SCANNED_AT,
    results: [
      aResult({
        status: 'FAILED',
        reason: 'Cluster payments has a public endpoint open to 0.0.0.0/0.',
        evidence: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
      }),
      aResult({ checkId: 'eks_cluster_deletion_protection', status: 'FAILED', severity: 'LOW' }),
      aResult({
        checkId: 'eks_cluster_version_supported',
        status: 'ERROR',
        reason: 'Cluster payments: eks:DescribeClusterVersions failed (ThrottlingException).',
      }),
      nodeGroupResult('workers'),
      nodeGroupResult('legacy', {
        status: 'FAILED',
        reason: 'Node group legacy allows IMDSv1 on i-0abc.',
        evidence: { instances: [{ instanceId: 'i-0abc', httpTokens: 'optional' }] },
      }),
      aResult({
        checkId: 'eks_fargate_inspector_coverage',
        status: 'NOT_APPLICABLE',
        severity: 'INFORMATIONAL',
        resourceType: 'Other',
        resourceId: 'arn:aws:eks:eu-west-1:222222222222:fargateprofile/payments/default/9f9f',
      }),
      aResult({ cluster: 'ledger' }),
      aResult({
        accountId: '333333333333',
        region: 'us-east-1',
        cluster: 'analytics',
        status: 'FAILED',
        severity: 'HIGH',
      }),
      aResult({
        accountId: '333333333333',
        region: 'us-east-1',
        cluster: 'analytics',
        checkId: 'eks_cluster_secrets_encrypted',
        status: 'FAILED',
        severity: 'MEDIUM',
      }),
    ],
    errors: [ASSUME_ROLE_DENIED],
  };
}

/** The HTML between two markers (the top-level sections follow each other in a fixed order). */
function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  const to = html.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`No ${start} ... ${end} in the report.`);
  return html.slice(from, to);
}

const SECTION_ORDER = ['overview', 'matrix', 'failures', 'errors'];
function section(html: string, id: string): string {
  const next = SECTION_ORDER[SECTION_ORDER.indexOf(id) + 1];
  return between(html, `<section id="${id}"`, next === undefined ? '<footer>' : `<section id="${next}"`);
}

/** Text as a person reads it: block tags as spaces, inline tags dropped, entities decoded, spaces collapsed. */
const text = (html: string) =>
  html
    .replace(/<\/?(?:t[dhr]|d[tdl]|h\d|p|li|caption|div|table|thead|tbody|section|article)\b[^>]*>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&ndash;/g, '–')
    .replace(/&times;/g, '×')
    .replace(/&rsquo;/g, '’')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** Every table row as the text of its cells, header cells included. */
const tableRows = (html: string): string[][] =>
  [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((match) =>
    [...(match[1] ?? '').matchAll(/<t[hd][ >].*?<\/t[hd]>/g)].map((cell) => text(cell[0])),
  );

/** The cells after the first of the row whose first cell reads `first`. */
function row(html: string, first: string): string[] {
  const found = tableRows(html).find((cells) => cells[0] === first);
  if (found === undefined) throw new Error(`No row ${first}.`);
  return found.slice(1);
}

const columnIndex = (checkId: string) => CHECKS.findIndex((check) => check.id === checkId);
/** Cluster, then Account, Region, Failed, Worst: the check cells start at the fifth td. */
const FIXED_CELLS = 4;

describe('renderHtmlReport', () => {
  it('is one self-contained document that loads nothing from anywhere', () => {
    // Act
    const html = renderHtmlReport(mixedReport(), CHECKS);
    // Assess
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>EKS compliance report, 2026-11-22 12:00 UTC</title>');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|\bsrc=|url\(|@import/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1] as string);
    const external = hrefs.filter((href) => !href.startsWith('#'));
    expect(new Set(external)).toEqual(
      new Set(
        [
          'eks_cluster_endpoint_not_public',
          'eks_cluster_deletion_protection',
          'eks_nodegroup_imdsv2_hop_limit',
        ]
          .concat('eks_cluster_secrets_encrypted')
          .map((id) => findCheck(id)?.remediation.url),
      ),
    );
    const anchors = new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((match) => match[1]));
    const dangling = hrefs.filter((href) => href.startsWith('#') && !anchors.has(href.slice(1)));
    expect(dangling).toEqual([]);
  });

  it('escapes every name, reason, evidence and error message that comes from AWS', () => {
    // Prepare
    const hostile = '<img src=x onerror=alert(1)>';
    const report: ScanReport = {
      scannedAt: SCANNED_AT,
      results: [
        aResult({
          cluster: hostile,
          nodeGroup: '"><script>alert(2)</script>',
          status: 'FAILED',
          reason: 'Tag value </td><b>bold</b> & more',
          resourceId: 'arn:aws:eks:eu-west-1:222222222222:cluster/"quoted"',
          evidence: { '<key>': '<value>', nested: { text: '</code><u>x</u>' } },
        }),
      ],
      errors: [{ ...ASSUME_ROLE_DENIED, message: 'Denied </table><iframe src="https://evil.example">' }],
    };
    // Act
    const html = renderHtmlReport(report, CHECKS);
    // Assess
    expect(html).not.toMatch(/<img|<script|<iframe|<b>|<u>|<key>|<value>/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('Tag value &lt;/td&gt;&lt;b&gt;bold&lt;/b&gt; &amp; more');
    expect(html).toContain('cluster/&quot;quoted&quot;');
    expect(html).toContain('&lt;/code&gt;&lt;u&gt;x&lt;/u&gt;');
    expect(html).toContain('Denied &lt;/table&gt;&lt;iframe src=&quot;https://evil.example&quot;&gt;');
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('gives an overview: scan time, accounts, Regions, clusters, counts by status and severity', () => {
    // Act
    const overview = section(renderHtmlReport(mixedReport(), CHECKS), 'overview');
    // Assess
    expect(text(overview)).toContain('Scan time 2026-11-22 12:00 UTC');
    expect(text(overview)).toContain(
      'Accounts 2 (222222222222, 333333333333); not scanned: 1 (444444444444)',
    );
    expect(text(overview)).toContain('Regions 2 (eu-west-1, us-east-1)');
    expect(text(overview)).toContain('Clusters 3, of which 2 with failures');
    expect(text(overview)).toContain('Checks 24');
    expect(row(overview, 'PASSED')).toEqual(['2']);
    expect(row(overview, 'FAILED')).toEqual(['5']);
    expect(row(overview, 'N/A')).toEqual(['1']);
    expect(row(overview, 'ERROR')).toEqual(['1']);
    const severities = text(between(overview, '<table id="severity-counts">', '</table>'));
    expect(severities).toBe(
      'Failed results by severity Severity Failed CRITICAL 0 HIGH 2 MEDIUM 2 LOW 1 INFORMATIONAL 0',
    );
  });

  it('says in the first lines how many results failed and that something could not be scanned', () => {
    // Act
    const html = renderHtmlReport(mixedReport(), CHECKS);
    // Assess
    expect(text(between(html, '<p class="lede">', '</p>'))).toBe(
      'Scan at 2026-11-22 12:00 UTC. 5 failed results on 2 of 3 clusters. 1 check result could not be ' +
        'determined. 1 account, Region or call could not be scanned; see Errors. Nothing there counts as PASSED.',
    );
  });

  it('builds a matrix with one row per cluster and one cell per check that says its status in words', () => {
    // Act
    const html = renderHtmlReport(mixedReport(), CHECKS);
    const matrix = section(html, 'matrix');
    // Assess
    const headers = [...matrix.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((match) =>
      text(match[1] ?? ''),
    );
    expect(headers).toEqual([
      'Cluster',
      'Account',
      'Region',
      'Failed',
      'Worst',
      ...CHECKS.map((check) => check.id.replace(/^eks_/, '')),
    ]);
    expect([...matrix.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((match) => match[1])).toEqual([
      'ledger',
      'payments',
      'analytics',
    ]);
    const payments = row(matrix, 'payments');
    expect(payments.slice(0, FIXED_CELLS)).toEqual(['222222222222', 'eu-west-1', '3', 'HIGH']);
    const cell = (checkId: string) => payments[FIXED_CELLS + columnIndex(checkId)];
    expect(cell('eks_cluster_endpoint_not_public')).toBe('FAILED HIGH');
    expect(cell('eks_nodegroup_imdsv2_hop_limit')).toBe('FAILED MEDIUM 1/2');
    expect(cell('eks_cluster_version_supported')).toBe('ERROR');
    expect(cell('eks_fargate_inspector_coverage')).toBe('N/A');
    expect(cell('eks_cluster_secrets_encrypted')).toBe('–');
    expect(row(matrix, 'ledger').slice(0, FIXED_CELLS + 1)).toEqual([
      '222222222222',
      'eu-west-1',
      '0',
      '–',
      'PASSED',
    ]);
    expect(payments).toHaveLength(FIXED_CELLS + CHECKS.length);
  });

  it('links each failed cell to the failure it summarizes', () => {
    // Act
    const html = renderHtmlReport(mixedReport(), CHECKS);
    // Assess
    const paymentsRow = /<tr id="c-\d+"><th scope="row">payments<\/th>.*?<\/tr>/.exec(html)?.[0] ?? '';
    const links = [...paymentsRow.matchAll(/<td class="st-(failed|error)"><a href="#([fr]-\d+)">/g)].map(
      (match) => match[2] as string,
    );
    expect(links).toHaveLength(4);
    const targets = links.map((id) =>
      text(between(html, `id="${id}"`, id.startsWith('f') ? '</h4>' : '</tr>')),
    );
    expect(targets).toEqual([
      expect.stringContaining('eks_cluster_endpoint_not_public on payments'),
      expect.stringContaining('eks_cluster_version_supported'),
      expect.stringContaining('eks_cluster_deletion_protection on payments'),
      expect.stringContaining('eks_nodegroup_imdsv2_hop_limit on payments / legacy'),
    ]);
  });

  it('lists failures most severe first, each with the reason, the evidence and a remediation link', () => {
    // Act
    const failures = section(renderHtmlReport(mixedReport(), CHECKS), 'failures');
    // Assess
    const headings = [...failures.matchAll(/<h4[^>]*>(.*?)<\/h4>/g)].map((match) => text(match[1] ?? ''));
    expect(headings).toEqual([
      'HIGH eks_cluster_endpoint_not_public on payments',
      'HIGH eks_cluster_endpoint_not_public on analytics',
      'MEDIUM eks_nodegroup_imdsv2_hop_limit on payments / legacy',
      'MEDIUM eks_cluster_secrets_encrypted on analytics',
      'LOW eks_cluster_deletion_protection on payments',
    ]);
    expect([...failures.matchAll(/<h3[^>]*>(.*?)<\/h3>/g)].map((match) => text(match[1] ?? ''))).toEqual([
      'HIGH 2 failures',
      'MEDIUM 2 failures',
      'LOW 1 failure',
    ]);
    const first = text(between(failures, 'id="f-0"', '</article>'));
    expect(first).toContain(
      'Expected EKS cluster API endpoint is not open to the whole internet Found Cluster payments has a public ' +
        'endpoint open to 0.0.0.0/0.',
    );
    expect(first).toContain('Where account 222222222222, eu-west-1, cluster payments');
    expect(first).toContain('Resource arn:aws:eks:eu-west-1:222222222222:cluster/payments');
    expect(first).toContain('Evidence endpointPublicAccess true publicAccessCidrs 0.0.0.0/0');
    expect(between(failures, 'id="f-0"', '</article>')).toContain(
      '<a href="https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html">' +
        'docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html</a>',
    );
    expect(text(between(failures, 'id="f-2"', '</article>'))).toContain(
      'Evidence instances instanceId i-0abc httpTokens optional',
    );
  });

  it('writes nested evidence as key/value lines at every level, never as JSON', () => {
    // Prepare
    const report: ScanReport = {
      scannedAt: SCANNED_AT,
      results: [
        aResult({
          status: 'FAILED',
          evidence: {
            subnets: [
              {
                subnetId: 'subnet-1',
                internetGatewayRoutes: [{ destination: '0.0.0.0/0', gatewayId: 'igw-1' }],
                tags: {},
              },
            ],
            missing: undefined,
          },
        }),
      ],
      errors: [],
    };
    // Act
    const card = between(section(renderHtmlReport(report, CHECKS), 'failures'), 'id="f-0"', '</article>');
    // Assess
    expect(text(card)).toContain(
      'Evidence subnets subnetId subnet-1 internetGatewayRoutes destination 0.0.0.0/0 gatewayId igw-1 tags none ' +
        'missing not given',
    );
    expect(card).not.toMatch(/[{}]|&quot;/);
    expect(card.match(/<dl class="evidence">/g)).toHaveLength(3);
  });

  it('marks a suppressed failure with its reason, and keeps it in every count', () => {
    // Prepare
    const reason = 'Suppressed: accepted until the migration, ticket OPS-42.';
    const report = {
      scannedAt: SCANNED_AT,
      results: [
        { ...aResult({ status: 'FAILED' }), suppression: { reason } },
        aResult({ cluster: 'analytics' }),
      ],
      errors: [],
    };
    // Act
    const html = renderHtmlReport(report, CHECKS);
    // Assess
    const card = between(section(html, 'failures'), 'id="f-0"', '</article>');
    expect(text(card)).toContain('HIGH eks_cluster_endpoint_not_public on payments SUPPRESSED Expected');
    expect(text(card)).toContain(`Suppressed ${reason}`);
    expect(text(section(html, 'overview'))).toContain(
      'Suppressed 1 result, of which 1 failed (marked SUPPRESSED below, still counted)',
    );
    expect(text(section(html, 'overview'))).toContain('FAILED 1');
  });

  it('renders every failure card in full, so a full-page capture or print shows them all', () => {
    // Act
    const html = renderHtmlReport(mixedReport(), CHECKS);
    // Assess
    expect(html).not.toContain('content-visibility');
    expect(html).toContain('.operation{white-space:nowrap}');
  });

  it('reports every target or call that failed and every result that could not be determined', () => {
    // Act
    const errors = section(renderHtmlReport(mixedReport(), CHECKS), 'errors');
    // Assess
    expect(row(errors, '444444444444')).toEqual([
      'every Region',
      'sts:AssumeRole',
      'AccessDenied',
      ASSUME_ROLE_DENIED.message,
    ]);
    expect(text(between(errors, '<table id="undetermined">', '</table>'))).toContain(
      'account 222222222222, eu-west-1, cluster payments eks_cluster_version_supported ' +
        'arn:aws:eks:eu-west-1:222222222222:cluster/payments Cluster payments: eks:DescribeClusterVersions failed ' +
        '(ThrottlingException).',
    );
  });

  it('says so when there is nothing to report', () => {
    // Act
    const html = renderHtmlReport({ scannedAt: SCANNED_AT, results: [], errors: [] }, CHECKS);
    // Assess
    expect(text(section(html, 'matrix'))).toContain('No clusters were found.');
    expect(text(section(html, 'failures'))).toContain('No check failed.');
    expect(text(section(html, 'errors'))).toContain('Every account and Region listed was scanned');
    expect(text(section(html, 'overview'))).toContain(
      'Errors none: every account and Region listed was scanned',
    );
  });

  it('is accessible and printable: scoped headers, captions, landmarks, text for every colour, a print stylesheet', () => {
    // Act
    const html = renderHtmlReport(mixedReport(), CHECKS);
    // Assess
    expect(html.match(/<th[ >]/g)?.length).toBe(html.match(/<th scope="(col|row)"/g)?.length);
    expect(html.match(/<table/g)?.length).toBe(html.match(/<caption>/g)?.length);
    for (const landmark of ['<header>', '<nav aria-label="Sections">', '<main id="main">', '<footer>']) {
      expect(html).toContain(landmark);
    }
    const colouredCells = [...html.matchAll(/<td class="st-[a-z_]+">(.*?)<\/td>/g)].map((match) =>
      text(match[1] ?? ''),
    );
    expect(colouredCells.length).toBeGreaterThan(3 * CHECKS.length - 1);
    expect(colouredCells.filter((cell) => !/^(PASSED|FAILED|ERROR|N\/A|–)/.test(cell))).toEqual([]);
    const badges = [...html.matchAll(/<span class="badge sev-([a-z]+)">([^<]*)<\/span>/g)];
    expect(badges.length).toBeGreaterThan(0);
    expect(badges.filter((match) => match[1] !== match[2]?.toLowerCase())).toEqual([]);
    expect(html).toMatch(/@media print\{@page\{size:A4 landscape/);
  });

  it('renders 1,000 clusters in one pass: its size grows linearly', () => {
    // Prepare
    const big = (clusters: number): ScanReport => ({
      scannedAt: SCANNED_AT,
      errors: [],
      results: Array.from(
        { length: clusters },
        (_, index) => `cluster-${String(index).padStart(4, '0')}`,
      ).flatMap((cluster, clusterIndex) =>
        CHECKS.map((check, checkIndex) =>
          aResult({
            cluster,
            checkId: check.id,
            severity: check.severities[0],
            status: (clusterIndex + checkIndex) % 7 === 0 ? 'FAILED' : 'PASSED',
            evidence: { checked: checkIndex },
          }),
        ),
      ),
    });
    const thousand = big(1000);
    const twoThousand = big(2000);
    // Act
    const html = renderHtmlReport(thousand, CHECKS);
    const double = renderHtmlReport(twoThousand, CHECKS);
    // Assess
    expect(section(html, 'matrix').match(/<tr id="c-/g)).toHaveLength(1000);
    expect(section(html, 'matrix').match(/<td class="st-/g)).toHaveLength(1000 * CHECKS.length);
    expect(double.length / html.length).toBeGreaterThan(1.9);
    expect(double.length / html.length).toBeLessThan(2.1);
  });
});

describe('renderHtmlReport: hybrid nodes', () => {
  const hybridEvidence = {
    hybridNodes: {
      remoteNodeNetworks: ['10.80.0.0/16'],
      note: 'The cluster accepts hybrid nodes, which are not EC2 instances: they are outside the host checks and were not judged.',
    },
  };

  it('notes on the cluster, and in a list, that a hybrid-only cluster’s nodes were not judged', () => {
    // Prepare: the edge cluster has no EC2 node group, so only its cluster results carry the note.
    const report: ScanReport = {
      scannedAt: SCANNED_AT,
      results: [
        aResult({ cluster: 'edge<1>', evidence: hybridEvidence }),
        aResult({ cluster: 'payments' }),
        nodeGroupResult('workers'),
      ],
      errors: [],
    };
    // Act
    const html = renderHtmlReport(report, CHECKS);
    // Assess
    const rows = html.match(/<tr id="c-\d+"><th scope="row">[\s\S]*?<\/th>/g) ?? [];
    expect(rows).toEqual([
      '<tr id="c-0"><th scope="row">edge&lt;1&gt; <small class="note">+ hybrid nodes, not judged</small></th>',
      '<tr id="c-1"><th scope="row">payments</th>',
    ]);
    const section = /<section id="hybrid-nodes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('1 cluster accepts hybrid nodes');
    expect(section).toContain('the node-group checks did not judge them');
    expect(section).toContain(
      '<li><a href="#c-0">edge&lt;1&gt;</a> (account 222222222222, eu-west-1): remote node networks 10.80.0.0/16</li>',
    );
  });

  it('has no hybrid-node note when no cluster accepts hybrid nodes', () => {
    // Act
    const html = renderHtmlReport(mixedReport(), CHECKS);
    // Assess
    expect(html).not.toContain('hybrid-nodes');
    expect(html).not.toContain('hybrid nodes, not judged');
  });
});
