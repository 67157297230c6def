/**
 * Collection of EKS insights, add-ons, add-on versions and IAM OIDC providers against mocked clients:
 * which calls are made (per cluster, per Region and Kubernetes version, once per account) and how a
 * failed call marks exactly what needed it.
 */
import 'aws-sdk-client-mock-jest';
import {
  DescribeAddonVersionsCommand,
  DescribeInsightCommand,
  ListAddonsCommand,
  ListInsightsCommand,
} from '@aws-sdk/client-eks';
import { ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from '@jest/globals';
import { AccountCache, collectRegion } from '../../lib/collect/collector.js';
import type { SnapshotPartName } from '../../lib/snapshot/types.js';
import { awsError, mockRegion, type RegionEstate } from '../support/aws-estate.js';
import { collectedValue, snapshotNamed, TARGET, twoClusters } from '../support/collect-estate.js';
import { anAddon, anAddonInfo, anInsight } from '../support/snapshot.js';

const PARTS: ReadonlySet<SnapshotPartName> = new Set([
  'cluster',
  'insights',
  'addons',
  'addonVersions',
  'oidcProviders',
]);

/** alpha and beta both on Kubernetes 1.33 with add-ons; alpha has an ERROR, a PASSING and a ROLLBACK insight. */
function estate(pageSize = 100): RegionEstate {
  const base = twoClusters(pageSize);
  return {
    ...base,
    clusters: base.clusters.map((cluster) => ({ ...cluster, version: '1.33' })),
    insights: {
      alpha: [
        anInsight({ id: 'apis', insightStatus: { status: 'ERROR' } }),
        anInsight({ id: 'ok' }),
        anInsight({
          id: 'rollback',
          category: 'ROLLBACK_READINESS' as never,
          insightStatus: { status: 'ERROR' },
        }),
      ],
    },
    addons: [
      anAddon({ clusterName: 'alpha' }),
      anAddon({ clusterName: 'alpha', addonName: 'coredns' }),
      anAddon({ clusterName: 'beta' }),
    ],
    addonVersions: [anAddonInfo('vpc-cni', ['v1.20.4-eksbuild.2'], 'v1.20.4-eksbuild.2')],
    oidcProviders: [{ Arn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/A' }],
  };
}

describe('collectRegion: insights, add-ons and identity providers', () => {
  it('lists insights of the judged categories per cluster and describes only those in ERROR or WARNING', async () => {
    // Prepare
    const mocks = mockRegion(estate(1));
    // Act
    const { snapshots } = await collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients });
    // Assess
    expect(mocks.eks).toHaveReceivedCommandWith(ListInsightsCommand, {
      clusterName: 'alpha',
      filter: { categories: ['UPGRADE_READINESS', 'MISCONFIGURATION'] },
      maxResults: 100,
    });
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeInsightCommand, 1);
    expect(mocks.eks).toHaveReceivedCommandWith(DescribeInsightCommand, { clusterName: 'alpha', id: 'apis' });
    const insights = collectedValue(snapshotNamed(snapshots, 'alpha').insights);
    expect(insights.summaries.map((summary) => summary.id)).toEqual(['apis', 'ok']);
    expect(Object.keys(insights.details)).toEqual(['apis']);
  });

  it('keeps the listing when one DescribeInsight fails: a lookup failure of that insight alone', async () => {
    // Prepare
    const mocks = mockRegion(estate());
    mocks.eks.on(DescribeInsightCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    // Act
    const { snapshots } = await collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients });
    // Assess
    const part = snapshotNamed(snapshots, 'alpha').insights;
    expect(part).toMatchObject({
      status: 'collected',
      lookupFailures: {
        apis: {
          operation: 'eks:DescribeInsight',
          code: 'ThrottlingException',
          message: 'Insight Deprecated APIs removed in Kubernetes v1.34: Rate exceeded',
        },
      },
    });
  });

  it('fails the insights of a cluster whose ListInsights failed', async () => {
    // Prepare
    const mocks = mockRegion(estate());
    mocks.eks
      .on(ListInsightsCommand, { clusterName: 'beta' })
      .rejects(awsError('AccessDeniedException', 'denied'));
    // Act
    const { snapshots } = await collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients });
    // Assess
    expect(snapshotNamed(snapshots, 'beta').insights).toEqual({
      status: 'failed',
      failure: { operation: 'eks:ListInsights', code: 'AccessDeniedException', message: 'denied' },
    });
    expect(snapshotNamed(snapshots, 'alpha').insights.status).toBe('collected');
  });

  it('asks DescribeAddonVersions once for the Kubernetes version both clusters run', async () => {
    // Prepare
    const mocks = mockRegion(estate());
    // Act
    const { snapshots } = await collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients });
    // Assess
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeAddonVersionsCommand, 1);
    expect(mocks.eks).toHaveReceivedCommandWith(DescribeAddonVersionsCommand, {
      kubernetesVersion: '1.33',
      maxResults: 100,
    });
    expect(mocks.eks).toHaveReceivedCommandTimes(ListAddonsCommand, 2);
    for (const name of ['alpha', 'beta']) {
      expect(Object.keys(collectedValue(snapshotNamed(snapshots, name).addonVersions))).toEqual(['1.33']);
    }
    expect(collectedValue(snapshotNamed(snapshots, 'alpha').addons).map((addon) => addon.addonName)).toEqual([
      'vpc-cni',
      'coredns',
    ]);
  });

  it('makes no DescribeAddonVersions call when no cluster has an add-on', async () => {
    // Prepare
    const mocks = mockRegion({ ...estate(), addons: [] });
    // Act
    await collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients });
    // Assess
    expect(mocks.eks).not.toHaveReceivedCommand(DescribeAddonVersionsCommand);
  });

  it('records a failed DescribeAddonVersions under the version it was for', async () => {
    // Prepare
    const mocks = mockRegion(estate());
    mocks.eks.on(DescribeAddonVersionsCommand).rejects(awsError('ServerException', 'boom'));
    // Act
    const { snapshots } = await collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients });
    // Assess
    expect(snapshotNamed(snapshots, 'beta').addonVersions).toMatchObject({
      status: 'collected',
      lookupFailures: { '1.33': { operation: 'eks:DescribeAddonVersions', code: 'ServerException' } },
    });
  });

  it('lists IAM OIDC providers once per account, however many Regions share the account cache', async () => {
    // Prepare
    const mocks = mockRegion(estate());
    const account = new AccountCache();
    // Act
    const [first, second] = await Promise.all([
      collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients, account }),
      collectRegion({ ...TARGET, region: 'us-east-1' }, { inputs: PARTS, clients: mocks.clients, account }),
    ]);
    // Assess
    expect(mocks.iam).toHaveReceivedCommandTimes(ListOpenIDConnectProvidersCommand, 1);
    for (const snapshot of [...(first?.snapshots ?? []), ...(second?.snapshots ?? [])]) {
      expect(collectedValue(snapshot.oidcProviders)).toHaveLength(1);
    }
  });

  it('fails the providers of every cluster when IAM refuses the listing', async () => {
    // Prepare
    const mocks = mockRegion(estate());
    mocks.iam.on(ListOpenIDConnectProvidersCommand).rejects(awsError('AccessDenied', 'not allowed'));
    // Act
    const { snapshots } = await collectRegion(TARGET, { inputs: PARTS, clients: mocks.clients });
    // Assess
    for (const snapshot of snapshots) {
      expect(snapshot.oidcProviders).toEqual({
        status: 'failed',
        failure: {
          operation: 'iam:ListOpenIDConnectProviders',
          code: 'AccessDenied',
          message: 'not allowed',
        },
      });
    }
  });
});
