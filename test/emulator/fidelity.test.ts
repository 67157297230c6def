/** DescribeRegions with AllRegions, and calls to operations the emulator does not serve, through the real SDK. */
import { AutoScalingClient, DescribeLaunchConfigurationsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeRegionsCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeAccessEntryCommand, EKSClient, ListAccessEntriesCommand } from '@aws-sdk/client-eks';
import { DescribeSessionsCommand, GetInventoryCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from '@jest/globals';
import { HOME_CREDENTIALS } from '../../emulator/server.js';
import { useEmulator } from '../support/emulator.js';
import { anAccount, anEstate, HOME_REGION, MANAGEMENT_ACCOUNT } from '../support/estate.js';

const OPT_IN_REGION = 'ap-southeast-3';

const delays: number[] = [];
const emulator = useEmulator(() => ({
  estate: anEstate({
    accounts: [anAccount({ regions: { [HOME_REGION]: {}, [OPT_IN_REGION]: {} } })],
    faults: [
      { service: '*', operation: '*', kind: 'latency', ms: 25 },
      { service: 'eks', operation: 'DescribeAccessEntry', kind: 'throttle' },
      { service: 'ssm', operation: 'GetInventory', kind: 'access-denied' },
    ],
  }),
  sleep: async (ms) => {
    delays.push(ms);
  },
}));

const config = () => ({
  region: HOME_REGION,
  endpoint: emulator().endpoint,
  credentials: HOME_CREDENTIALS,
  maxAttempts: 1,
});

/** The error a call ends in, with the HTTP status it came with. */
async function failureOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const { name, message } = error as Error;
    return {
      name,
      message,
      status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
    };
  }
  throw new Error('the call succeeded');
}

const callsTo = (operation: string) =>
  emulator()
    .emulator.calls()
    .filter((call) => call.operation === operation);

describe('DescribeRegions', () => {
  it("lists only the account's enabled Regions without AllRegions, or with AllRegions false", async () => {
    // Prepare
    const ec2 = new EC2Client(config());
    // Act
    const { Regions: unset } = await ec2.send(new DescribeRegionsCommand({}));
    const { Regions: enabled } = await ec2.send(new DescribeRegionsCommand({ AllRegions: false }));
    // Assess
    const expected = [
      { RegionName: OPT_IN_REGION, Endpoint: `ec2.${OPT_IN_REGION}.amazonaws.com`, OptInStatus: 'opted-in' },
      {
        RegionName: HOME_REGION,
        Endpoint: `ec2.${HOME_REGION}.amazonaws.com`,
        OptInStatus: 'opt-in-not-required',
      },
    ];
    expect(unset).toEqual(expected);
    expect(enabled).toEqual(expected);
  });

  it('lists every Region of the partition with AllRegions, those not enabled as not-opted-in', async () => {
    // Prepare
    const ec2 = new EC2Client(config());
    // Act
    const { Regions } = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    const { Regions: notOptedIn } = await ec2.send(
      new DescribeRegionsCommand({
        AllRegions: true,
        Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }],
      }),
    );
    // Assess
    const status = new Map(Regions?.map((region) => [region.RegionName, region.OptInStatus]));
    expect(status.get(HOME_REGION)).toBe('opt-in-not-required');
    expect(status.get(OPT_IN_REGION)).toBe('opted-in');
    expect(status.get('us-east-1')).toBe('not-opted-in');
    expect(status.get('af-south-1')).toBe('not-opted-in');
    expect(status.size).toBeGreaterThan(30);
    expect(notOptedIn?.map((region) => region.RegionName)).not.toContain(HOME_REGION);
    expect(notOptedIn).toHaveLength((Regions?.length ?? 0) - 2);
  });
});

describe('an operation the emulator does not serve', () => {
  // Operations of the SDK models the emulator has no handler for, one per protocol.
  const unserved = [
    [
      'REST-JSON (EKS ListAccessEntries)',
      'ListAccessEntries',
      () => new EKSClient(config()).send(new ListAccessEntriesCommand({ clusterName: 'a' })),
      { name: 'UnknownOperationException', status: 404 },
    ],
    [
      'JSON 1.1 (SSM DescribeSessions)',
      'DescribeSessions',
      () => new SSMClient(config()).send(new DescribeSessionsCommand({ State: 'Active' })),
      { name: 'UnknownOperationException', status: 400 },
    ],
    [
      'EC2 query (DescribeSnapshots)',
      'DescribeSnapshots',
      () => new EC2Client(config()).send(new DescribeSnapshotsCommand({})),
      { name: 'InvalidAction', status: 400 },
    ],
    [
      'AWS query (Auto Scaling DescribeLaunchConfigurations)',
      'DescribeLaunchConfigurations',
      () => new AutoScalingClient(config()).send(new DescribeLaunchConfigurationsCommand({})),
      { name: 'InvalidAction', status: 400 },
    ],
  ] as const;

  it.each(unserved)(
    'is answered over %s with the unknown-operation error, recorded and delayed',
    async (_protocol, operation, send, expected) => {
      // Prepare
      delays.length = 0;
      // Act
      const failure = await failureOf(send());
      // Assess
      expect(failure).toMatchObject(expected);
      expect(callsTo(operation)).toEqual([
        {
          account: MANAGEMENT_ACCOUNT,
          region: HOME_REGION,
          service: expect.any(String),
          operation,
          count: 1,
        },
      ]);
      expect(delays).toEqual([25]);
    },
  );

  it('gets the error faults aimed at it by name before the unknown-operation answer', async () => {
    // Act
    const throttled = await failureOf(
      new EKSClient(config()).send(
        new DescribeAccessEntryCommand({
          clusterName: 'a',
          principalArn: 'arn:aws:iam::111111111111:role/admin',
        }),
      ),
    );
    const denied = await failureOf(new SSMClient(config()).send(new GetInventoryCommand({})));
    // Assess
    expect(throttled).toMatchObject({ name: 'ThrottlingException', status: 400 });
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(callsTo('DescribeAccessEntry')).toHaveLength(1);
    expect(callsTo('GetInventory')).toHaveLength(1);
  });

  it('is recorded, faulted and answered when the service model has no such operation either', async () => {
    // Prepare
    const signed = (service: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=${HOME_CREDENTIALS.accessKeyId}/20261204/${HOME_REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    });
    delays.length = 0;
    // Act
    const json = await fetch(`${emulator().endpoint}/`, {
      method: 'POST',
      headers: { ...signed('ssm'), 'x-amz-target': 'AmazonSSM.NoSuchOperation' },
      body: '{}',
    });
    const rest = await fetch(`${emulator().endpoint}/no/such/route`, { headers: signed('eks') });
    const query = await fetch(`${emulator().endpoint}/`, {
      method: 'POST',
      headers: signed('ec2'),
      body: 'Action=NoSuchAction&Version=2016-11-15',
    });
    // Assess
    expect({ status: json.status, body: await json.json() }).toEqual({
      status: 400,
      body: { __type: 'UnknownOperationException', message: 'Unknown operation AmazonSSM.NoSuchOperation.' },
    });
    expect({ status: rest.status, type: rest.headers.get('x-amzn-errortype') }).toEqual({
      status: 404,
      type: 'UnknownOperationException',
    });
    expect(query.status).toBe(400);
    expect(await query.text()).toContain('<Code>InvalidAction</Code>');
    expect(callsTo('AmazonSSM.NoSuchOperation')).toHaveLength(1);
    expect(callsTo('GET /no/such/route')).toHaveLength(1);
    expect(callsTo('NoSuchAction')).toHaveLength(1);
    expect(delays).toEqual([25, 25, 25]);
  });

  it("answers a malformed S3 object path with S3's InvalidURI, not an internal failure", async () => {
    // Prepare
    const authorization = `AWS4-HMAC-SHA256 Credential=${HOME_CREDENTIALS.accessKeyId}/20261204/${HOME_REGION}/s3/aws4_request, SignedHeaders=host, Signature=0`;
    // Act
    const response = await fetch(`${emulator().endpoint}/bucket/%E0%A4%A`, { headers: { authorization } });
    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidURI</Code>');
  });
});
