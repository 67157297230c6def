import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { type Discovery, planScan } from '../../lib/orchestration/plan.js';
import { InputError } from '../../lib/validation.js';

const NOW = new Date('2026-11-23T06:00:00Z');
const discovery: Discovery & { calls: string[] } = {
  calls: [],
  accounts: async () => {
    discovery.calls.push('accounts');
    return ['111111111111', '222222222222', '333333333333'];
  },
};

const sample = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const onDemand = (detail: Record<string, unknown>) => ({
  source: 'eks-compliance-scanner',
  'detail-type': 'Scan Requested',
  detail,
});

describe('planScan', () => {
  it('plans every account for the schedule, at the time it runs, leaving the Regions to each account', async () => {
    // Act
    const plan = await planScan(await sample('scan-scheduled.json'), discovery, NOW);
    // Assess
    expect(plan).toEqual({
      run: { scannedAt: '2026-11-23T06:00:00.000Z', trigger: 'schedule' },
      accounts: [{ accountId: '111111111111' }, { accountId: '222222222222' }, { accountId: '333333333333' }],
      refused: [],
    });
  });

  it('narrows an on-demand scan to the accounts, Regions, clusters and checks it names', async () => {
    // Act
    const plan = await planScan(await sample('scan-on-demand.json'), discovery, NOW);
    // Assess
    expect(plan).toEqual({
      run: {
        scannedAt: '2026-11-22T12:00:00.000Z',
        trigger: 'on-demand',
        checks: ['eks_nodegroup_no_ssh_access', 'eks_nodegroup_private_subnets'],
      },
      accounts: [{ accountId: '333333333333', regions: ['eu-west-1'], clusters: ['analytics-spark'] }],
      refused: [],
    });
  });

  it('refuses the accounts of an on-demand request this deployment does not scan, and removes duplicates', async () => {
    // Act
    const plan = await planScan(await sample('scan-on-demand-refused.json'), discovery, NOW);
    // Assess
    expect(plan.accounts).toEqual([
      {
        accountId: '333333333333',
        regions: ['eu-west-1', 'ap-east-1'],
        clusters: ['analytics-spark', 'no-such-cluster'],
      },
    ]);
    expect(plan.refused).toEqual([
      {
        accountId: '999999999999',
        subject: 'account 999999999999',
        reason: 'not an ACTIVE account of the organization nor a configured account',
      },
    ]);
  });

  it('plans every account in scope for what an on-demand request leaves out', async () => {
    // Act
    const plan = await planScan(onDemand({ regions: ['eu-west-1', 'eu-west-1'] }), discovery, NOW);
    // Assess
    expect(plan.accounts).toEqual([
      { accountId: '111111111111', regions: ['eu-west-1'] },
      { accountId: '222222222222', regions: ['eu-west-1'] },
      { accountId: '333333333333', regions: ['eu-west-1'] },
    ]);
    expect(plan.refused).toEqual([]);
  });

  it.each([
    ['accounts', { accounts: ['111111111111', '222222222222', '333333333333'] }],
    ['regions', { regions: ['eu-west-1', 'eu-west-2', 'eu-west-3'] }],
    ['clusters', { clusters: ['a', 'b', 'c', 'a'] }],
  ])(
    'refuses an on-demand request naming more %s than the settings allow, naming the field',
    async (field, detail) => {
      // Act
      const planning = planScan(onDemand(detail), discovery, NOW, { accounts: 2, regions: 2, clusters: 2 });
      // Assess
      await expect(planning).rejects.toThrow(`detail.${field}: 3 distinct values; at most 2 per request`);
      await expect(planning).rejects.toBeInstanceOf(InputError);
    },
  );

  it('rescans just the cluster an EKS change names, when the debounced change arrives', async () => {
    // Act
    const plan = await planScan(await sample('scan-eks-change.json'), discovery, NOW);
    // Assess
    expect(plan).toEqual({
      run: { scannedAt: '2026-11-23T06:00:00.000Z', trigger: 'eks-change' },
      accounts: [{ accountId: '222222222222', regions: ['eu-west-1'], clusters: ['payments-ledger'] }],
      refused: [],
    });
  });

  it('refuses an EKS change in an account this deployment does not scan, never assuming into it', async () => {
    // Prepare
    const event = await sample('scan-eks-change.json');
    const detail = { ...(event.detail as Record<string, unknown>), account: '555555555555' };
    // Act
    const plan = await planScan({ ...event, detail }, discovery, NOW);
    // Assess
    expect(plan.accounts).toEqual([]);
    expect(plan.refused).toEqual([expect.objectContaining({ accountId: '555555555555' })]);
  });

  it("rescans the clusters of the selected findings that are this scanner's own, refusing the others", async () => {
    // Act
    const plan = await planScan(await sample('scan-security-hub-action.json'), discovery, NOW);
    // Assess
    expect(plan.accounts).toEqual([
      {
        accountId: '333333333333',
        regions: ['eu-west-1'],
        clusters: ['analytics-spark', 'analytics-notebooks'],
      },
    ]);
    expect(plan.refused).toEqual([
      {
        accountId: '333333333333',
        region: 'eu-west-1',
        subject: 'finding inspector/finding/1',
        reason:
          'not imported by this scanner (ProductArn arn:aws:securityhub:eu-west-1::product/aws/inspector)',
      },
    ]);
    expect(plan.run.trigger).toBe('security-hub-action');
  });

  it.each([
    [
      "another account's product ARN",
      { ProductArn: 'arn:aws:securityhub:eu-west-1:999999999999:product/999999999999/default' },
      'not imported by this scanner',
    ],
    [
      'an unknown check id',
      {
        GeneratorId: 'eks_nope',
        ProductFields: {
          'eks-compliance-scanner/CheckId': 'eks_nope',
          'eks-compliance-scanner/Cluster': 'x',
        },
      },
      'no check of this scanner',
    ],
    [
      'no cluster',
      { ProductFields: { 'eks-compliance-scanner/CheckId': 'eks_cluster_endpoint_not_public' } },
      'names no cluster',
    ],
  ])('refuses a selected finding with %s', async (_, change, reason) => {
    // Prepare
    const event = await sample('scan-security-hub-action.json');
    const detail = event.detail as { findings: Record<string, unknown>[] };
    detail.findings = [{ ...detail.findings[0], ...change }];
    // Act
    const plan = await planScan(event, discovery, NOW);
    // Assess
    expect(plan.accounts).toEqual([]);
    expect(plan.refused).toEqual([expect.objectContaining({ reason: expect.stringContaining(reason) })]);
  });

  it.each([
    [{ source: 'somewhere' }, 'source: expected eks-compliance-scanner.schedule'],
    [
      { source: 'eks-compliance-scanner', 'detail-type': 'Scan Requested', detail: { accounts: ['12'] } },
      'detail.accounts[0]: expected a 12-digit account id',
    ],
    [
      { source: 'eks-compliance-scanner', 'detail-type': 'Scan Requested', detail: { checks: ['eks_nope'] } },
      'detail.checks: unknown check id "eks_nope"',
    ],
    [
      { source: 'eks-compliance-scanner', 'detail-type': 'Scan Requested', detail: { region: 'eu-west-1' } },
      'detail.region: unknown key "region"',
    ],
    [
      {
        source: 'eks-compliance-scanner.eks-change',
        detail: { account: '222222222222', region: 'eu-west-1' },
      },
      'detail.cluster: required',
    ],
    [
      {
        source: 'eks-compliance-scanner.eks-change',
        detail: { account: '222222222222', region: 'eu-west-1', cluster: '' },
      },
      'detail.cluster: expected an EKS cluster name',
    ],
    [
      {
        source: 'eks-compliance-scanner.eks-change',
        detail: { account: '222222222222', region: 'eu-west-1', cluster: 'a"b' },
      },
      'detail.cluster: expected an EKS cluster name',
    ],
    [
      {
        source: 'eks-compliance-scanner.eks-change',
        detail: { account: '2222', region: 'eu-west-1', cluster: 'payments' },
      },
      'detail.account: expected a 12-digit account id',
    ],
    [
      {
        source: 'eks-compliance-scanner.eks-change',
        detail: { account: '222222222222', region: 'Europe', cluster: 'payments' },
      },
      'detail.region: expected a Region name like eu-west-1',
    ],
    [
      {
        source: 'eks-compliance-scanner.eks-change',
        detail: {
          account: '222222222222',
          region: 'eu-west-1',
          cluster: 'payments',
          eventName: 'UpdateClusterConfig',
        },
      },
      'detail.eventName: unknown key',
    ],
    [
      // A CloudTrail event straight from a rule is no debounced change: it names its source.
      {
        source: 'aws.eks',
        'detail-type': 'AWS API Call via CloudTrail',
        account: '222222222222',
        region: 'eu-west-1',
        detail: { eventName: 'UpdateNodegroupConfig', requestParameters: { clusterName: 'payments' } },
      },
      'source: expected eks-compliance-scanner.schedule, eks-compliance-scanner, eks-compliance-scanner.eks-change or aws.securityhub, got "aws.eks"',
    ],
  ])('refuses a bad event %j, naming the field', async (event, message) => {
    // Act
    const planning = planScan(event, discovery, NOW);
    // Assess
    await expect(planning).rejects.toThrow(message);
    await expect(planning).rejects.toBeInstanceOf(InputError);
  });
});
