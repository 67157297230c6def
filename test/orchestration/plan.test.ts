import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { type Discovery, planScan } from '../../lib/orchestration/plan.js';
import { InputError } from '../../lib/validation.js';

const NOW = new Date('2026-11-23T06:00:00Z');
const discovery: Discovery & { calls: string[] } = {
  calls: [],
  accounts: async () => {
    discovery.calls.push('accounts');
    return ['111111111111', '222222222222'];
  },
  regions: async () => {
    discovery.calls.push('regions');
    return ['eu-west-1', 'us-east-1'];
  },
};

const sample = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

describe('planScan', () => {
  it('plans every account x Region for the schedule, at the time it runs', async () => {
    // Act
    const plan = await planScan(await sample('scan-scheduled.json'), discovery, NOW);
    // Assess
    expect(plan).toEqual({
      run: { scannedAt: '2026-11-23T06:00:00.000Z', trigger: 'schedule' },
      targets: [
        { accountId: '111111111111', region: 'eu-west-1' },
        { accountId: '111111111111', region: 'us-east-1' },
        { accountId: '222222222222', region: 'eu-west-1' },
        { accountId: '222222222222', region: 'us-east-1' },
      ],
    });
  });

  it('narrows an on-demand scan to the accounts, Regions, clusters and checks it names, without discovery', async () => {
    // Prepare
    discovery.calls.length = 0;
    // Act
    const plan = await planScan(await sample('scan-on-demand.json'), discovery, NOW);
    // Assess
    expect(plan).toEqual({
      run: {
        scannedAt: '2026-11-22T12:00:00.000Z',
        trigger: 'on-demand',
        checks: ['eks_nodegroup_no_ssh_access', 'eks_nodegroup_private_subnets'],
      },
      targets: [{ accountId: '333333333333', region: 'eu-west-1', clusters: ['analytics-spark'] }],
    });
    expect(discovery.calls).toEqual([]);
  });

  it('discovers what an on-demand scan leaves out', async () => {
    // Act
    const plan = await planScan(
      {
        source: 'eks-compliance-scanner',
        'detail-type': 'Scan Requested',
        detail: { regions: ['eu-west-1'] },
      },
      discovery,
      NOW,
    );
    // Assess
    expect(plan.targets).toEqual([
      { accountId: '111111111111', region: 'eu-west-1' },
      { accountId: '222222222222', region: 'eu-west-1' },
    ]);
  });

  it('rescans just the cluster an EKS API call changed', async () => {
    // Act
    const plan = await planScan(await sample('scan-eks-change.json'), discovery, NOW);
    // Assess
    expect(plan).toEqual({
      run: { scannedAt: '2026-11-22T12:00:00.000Z', trigger: 'eks-change' },
      targets: [{ accountId: '222222222222', region: 'eu-west-1', clusters: ['payments-ledger'] }],
    });
  });

  it('rescans the clusters of the findings selected in Security Hub, ignoring other products findings', async () => {
    // Act
    const plan = await planScan(await sample('scan-security-hub-action.json'), discovery, NOW);
    // Assess
    expect(plan.targets).toEqual([
      {
        accountId: '333333333333',
        region: 'eu-west-1',
        clusters: ['analytics-spark', 'analytics-notebooks'],
      },
    ]);
    expect(plan.run.trigger).toBe('security-hub-action');
  });

  it.each([
    [{ source: 'somewhere' }, 'source: expected eks-compliance-scanner.schedule'],
    [
      { source: 'eks-compliance-scanner', 'detail-type': 'Scan Requested', detail: { accounts: ['12'] } },
      'detail.accounts[0]: expected a 12-digit account id',
    ],
    [
      { source: 'eks-compliance-scanner', 'detail-type': 'Scan Requested', detail: { checks: ['eks_nope'] } },
      'detail.checks[0]: unknown check id "eks_nope"',
    ],
    [
      { source: 'eks-compliance-scanner', 'detail-type': 'Scan Requested', detail: { region: 'eu-west-1' } },
      'detail.region: unknown key "region"',
    ],
    [
      {
        source: 'aws.eks',
        'detail-type': 'AWS API Call via CloudTrail',
        account: '222222222222',
        region: 'eu-west-1',
        detail: { eventName: 'UpdateNodegroupConfig', requestParameters: {} },
      },
      'detail.requestParameters: UpdateNodegroupConfig names no cluster',
    ],
    [
      {
        source: 'aws.eks',
        'detail-type': 'AWS API Call via CloudTrail',
        account: '222222222222',
        region: 'eu-west-1',
        detail: { eventName: 'ListClusters', requestParameters: {} },
      },
      'detail.eventName',
    ],
  ])('refuses a bad event %j, naming the field', async (event, message) => {
    // Act
    const planning = planScan(event, discovery, NOW);
    // Assess
    await expect(planning).rejects.toThrow(message);
    await expect(planning).rejects.toBeInstanceOf(InputError);
  });
});
