import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { batchesOf, listClusters } from '../../lib/orchestration/tasks.js';

describe('batchesOf', () => {
  it.each([
    [[], 20, []],
    [['a'], 20, [['a']]],
    [['a', 'b', 'c', 'd', 'e'], 2, [['a', 'b'], ['c', 'd'], ['e']]],
    [['a', 'b'], 1, [['a'], ['b']]],
  ])('splits %j into batches of %i, in order: %j', (names, size, batches) => {
    // Act
    const split = batchesOf(names, size);
    // Assess
    expect(split).toEqual(batches);
  });
});

describe('listClusters', () => {
  const sts = mockClient(STSClient);
  const eks = mockClient(EKSClient);
  const environment = {
    partition: 'aws',
    clusterBatchSize: 2,
    checkParameters: {},
    publish: {},
  };

  beforeEach(() => {
    sts.reset();
    eks.reset();
    eks.on(ListClustersCommand).resolves({ clusters: ['c', 'a', 'b'] });
  });

  it('lists the clusters in batches, through the member role, reusing a session that is still fresh', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const target = { accountId: '777777777777', region: 'eu-west-1' };
    // Act
    const first = await listClusters(target, environment);
    await listClusters(target, environment);
    // Assess
    expect(first).toEqual({ clusters: ['a', 'b', 'c'], batches: [['a', 'b'], ['c']] });
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      'arn:aws:iam::777777777777:role/EksComplianceScannerRole',
    ]);
  });

  it('assumes the role again when the session is about to expire', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 60_000),
      },
    });
    const target = { accountId: '888888888888', region: 'eu-west-1' };
    // Act
    await listClusters(target, environment);
    await listClusters(target, environment);
    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('fails the target, naming the role, when the role cannot be assumed', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    // Act
    const listing = listClusters({ accountId: '999999999999', region: 'eu-west-1' }, environment);
    // Assess
    await expect(listing).rejects.toThrow(
      'Cannot assume arn:aws:iam::999999999999:role/EksComplianceScannerRole: AccessDenied: not authorized',
    );
  });
});
