import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { batchesOf, listClusters, listRegions } from '../../lib/orchestration/tasks.js';

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
    homeRegion: 'us-east-1',
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
    // Act: in two Regions of the account, one of them an opt-in Region.
    const first = await listClusters(target, environment);
    await listClusters({ ...target, region: 'af-south-1' }, environment);
    // Assess
    expect(first).toEqual({ clusters: ['a', 'b', 'c'], batches: [['a', 'b'], ['c']] });
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      'arn:aws:iam::777777777777:role/EksComplianceScannerRole',
    ]);
    // In the functions' own Region: the central account may not have the member's opt-in Region.
    expect(await sts.call(0).thisValue.config.region()).toBe('us-east-1');
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

describe('listRegions', () => {
  const sts = mockClient(STSClient);
  const ec2 = mockClient(EC2Client);
  const environment = {
    partition: 'aws',
    homeRegion: 'us-east-1',
    clusterBatchSize: 2,
    checkParameters: {},
    publish: {},
  };

  beforeEach(() => {
    sts.reset();
    ec2.reset();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'af-south-1' }, { RegionName: 'eu-west-1' }],
    });
  });

  it("plans the account's own enabled Regions, opt-in ones included", async () => {
    // Act
    const listing = await listRegions({ accountId: '123456789012' }, environment);
    // Assess
    expect(listing).toEqual({
      targets: [
        { accountId: '123456789012', region: 'af-south-1' },
        { accountId: '123456789012', region: 'eu-west-1' },
        { accountId: '123456789012', region: 'us-east-1' },
      ],
      refused: [],
      clusters: [],
    });
    expect(ec2.commandCalls(DescribeRegionsCommand)[0]?.args[0].input).toEqual({ AllRegions: false });
  });

  it('scans the requested Regions the account has enabled and refuses the others, clusters passed on', async () => {
    // Act
    const listing = await listRegions(
      { accountId: '123456789012', regions: ['eu-west-1', 'ap-east-1'], clusters: ['prod'] },
      environment,
    );
    // Assess
    expect(listing).toEqual({
      targets: [{ accountId: '123456789012', region: 'eu-west-1', clusters: ['prod'] }],
      refused: [
        {
          accountId: '123456789012',
          region: 'ap-east-1',
          subject: 'Region ap-east-1',
          reason: 'not enabled in the account',
        },
      ],
      clusters: ['prod'],
    });
  });

  it('narrows to the configured Regions, refusing a requested Region outside them', async () => {
    // Act
    const listing = await listRegions(
      { accountId: '123456789012', regions: ['af-south-1'] },
      { ...environment, regions: ['eu-west-1'] },
    );
    // Assess
    expect(listing.targets).toEqual([]);
    expect(listing.refused).toEqual([
      expect.objectContaining({ reason: 'not one of the configured Regions' }),
    ]);
  });

  it('fails the account, naming the call, when its Regions cannot be listed', async () => {
    // Prepare
    ec2
      .on(DescribeRegionsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    // Act
    const listing = listRegions({ accountId: '123456789012' }, environment);
    // Assess
    await expect(listing).rejects.toThrow(
      'DescribeRegions failed in 123456789012: UnauthorizedOperation: denied',
    );
  });
});
