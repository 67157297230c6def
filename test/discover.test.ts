import 'aws-sdk-client-mock-jest';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { IncompleteResponseError } from '../lib/aws/errors.js';
import {
  accountsToScan,
  assumeRoleCredentials,
  callerIdentity,
  enabledRegions,
  listAccounts,
  regionOptInStatuses,
} from '../lib/discover.js';
import { awsError } from './support/aws-estate.js';

const config = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } };
// assumeRoleCredentials builds its own client: mock every STS client.
const sts = mockClient(STSClient);

afterEach(() => {
  sts.reset();
});
afterAll(() => {
  sts.restore();
});

describe('listAccounts', () => {
  it('follows every page, empty ones included, and keeps the ACTIVE accounts by State', async () => {
    // Prepare
    const client = new OrganizationsClient(config);
    const organizations = mockClient(client);
    organizations
      .on(ListAccountsCommand)
      .resolvesOnce({
        Accounts: [
          { Id: '111111111111', State: 'ACTIVE' },
          { Id: '222222222222', State: 'SUSPENDED' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({ Accounts: [], NextToken: 'page-3' })
      .resolvesOnce({
        Accounts: [
          // `Status` is retired: an account whose State says otherwise is not active.
          { Id: '333333333333', State: 'PENDING_CLOSURE', Status: 'ACTIVE' },
          { Id: '444444444444', State: 'ACTIVE' },
        ],
      });
    // Act
    const accounts = await listAccounts(client);
    // Assess
    expect(accounts).toEqual(['111111111111', '444444444444']);
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 3);
    expect(organizations).toHaveReceivedNthCommandWith(1, ListAccountsCommand, { MaxResults: 20 });
    expect(organizations).toHaveReceivedNthCommandWith(3, ListAccountsCommand, {
      MaxResults: 20,
      NextToken: 'page-3',
    });
  });

  it('lets the error of a failed page through', async () => {
    // Prepare
    const client = new OrganizationsClient(config);
    mockClient(client)
      .on(ListAccountsCommand)
      .rejects(
        awsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'),
      );
    // Act
    const listing = listAccounts(client);
    // Assess
    await expect(listing).rejects.toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
  });
});

describe('callerIdentity', () => {
  it('returns the account and takes the partition from the caller ARN', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({
      Account: '123456789012',
      Arn: 'arn:aws-us-gov:sts::123456789012:assumed-role/scanner/session',
      UserId: 'AROAEXAMPLE:session',
    });
    // Act
    const identity = await callerIdentity(new STSClient(config));
    // Assess
    expect(identity).toEqual({
      accountId: '123456789012',
      partition: 'aws-us-gov',
      arn: 'arn:aws-us-gov:sts::123456789012:assumed-role/scanner/session',
    });
  });

  it('refuses a response without account or ARN', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    // Act
    const identity = callerIdentity(new STSClient(config));
    // Assess
    await expect(identity).rejects.toThrow(IncompleteResponseError);
  });
});

describe('assumeRoleCredentials', () => {
  const request = {
    roleArn: 'arn:aws-cn:iam::444455556666:role/EksComplianceScannerRole',
    region: 'cn-north-1',
    sourceCredentials: config.credentials,
    endpoint: 'http://127.0.0.1:4566',
  };

  it('assumes the role for one hour through the STS endpoint of the Region and returns its credentials', async () => {
    // Prepare
    const expiration = new Date('2026-11-22T13:00:00Z');
    const clientsUsed: { region: string; endpoint: unknown }[] = [];
    sts.on(AssumeRoleCommand).callsFake(async (_input, getClient) => {
      const client = getClient();
      clientsUsed.push({ region: await client.config.region(), endpoint: await client.config.endpoint?.() });
      return {
        Credentials: {
          AccessKeyId: 'ASIA',
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: expiration,
        },
      };
    });
    // Act
    const credentials = await assumeRoleCredentials(request);
    // Assess
    expect(credentials).toEqual({
      accessKeyId: 'ASIA',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration,
    });
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws-cn:iam::444455556666:role/EksComplianceScannerRole',
      RoleSessionName: 'eks-compliance-scanner',
      DurationSeconds: 3600,
    });
    expect(clientsUsed).toEqual([
      { region: 'cn-north-1', endpoint: expect.objectContaining({ hostname: '127.0.0.1', port: 4566 }) },
    ]);
  });

  it('lets AWS’s refusal through', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole'));
    // Act
    const assuming = assumeRoleCredentials(request);
    // Assess
    await expect(assuming).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses a response without credentials', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({});
    // Act
    const assuming = assumeRoleCredentials(request);
    // Assess
    await expect(assuming).rejects.toThrow(IncompleteResponseError);
  });
});

describe('enabledRegions', () => {
  it('lists the Regions enabled for the account, sorted', async () => {
    // Prepare
    const client = new EC2Client(config);
    const ec2 = mockClient(client);
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }, { RegionName: 'ap-south-1' }],
    });
    // Act
    const regions = await enabledRegions(client);
    // Assess
    expect(regions).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1']);
    expect(ec2).toHaveReceivedCommandWith(DescribeRegionsCommand, { AllRegions: false });
  });
});

describe('regionOptInStatuses', () => {
  it('lists every Region of the partition with its opt-in status, disabled ones included', async () => {
    // Prepare
    const client = new EC2Client(config);
    const ec2 = mockClient(client);
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
        { RegionName: 'me-south-1', OptInStatus: 'opted-in' },
      ],
    });
    // Act
    const statuses = await regionOptInStatuses(client);
    // Assess
    expect(Object.fromEntries(statuses)).toEqual({
      'eu-west-1': 'opt-in-not-required',
      'af-south-1': 'not-opted-in',
      'me-south-1': 'opted-in',
    });
    expect(ec2).toHaveReceivedCommandWith(DescribeRegionsCommand, { AllRegions: true });
  });
});

describe('accountsToScan', () => {
  it.each([
    [
      'the organization lists its accounts',
      { Accounts: [{ Id: '222222222222', State: 'ACTIVE' as const }] },
      undefined,
      {
        accounts: ['222222222222'],
        fromOrganization: true,
      },
    ],
    [
      'the caller is in no organization',
      undefined,
      'AWSOrganizationsNotInUseException',
      {
        accounts: ['111111111111'],
        fromOrganization: false,
      },
    ],
    [
      'the caller may not list the organization',
      undefined,
      'AccessDeniedException',
      {
        accounts: ['111111111111'],
        fromOrganization: false,
      },
    ],
    [
      'the listing fails otherwise',
      undefined,
      'TooManyRequestsException',
      {
        accounts: ['111111111111'],
        fromOrganization: false,
        failure: expect.objectContaining({
          operation: 'organizations:ListAccounts',
          code: 'TooManyRequestsException',
        }),
      },
    ],
  ])('says where the accounts come from when %s', async (_, page, errorCode, expected) => {
    // Prepare
    const client = new OrganizationsClient(config);
    const organizations = mockClient(client);
    if (errorCode === undefined) organizations.on(ListAccountsCommand).resolves(page ?? {});
    else organizations.on(ListAccountsCommand).rejects(awsError(errorCode, 'refused'));
    // Act
    const discovered = await accountsToScan('111111111111', client);
    // Assess
    expect(discovered).toEqual(expected);
  });
});
