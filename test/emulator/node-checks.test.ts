/**
 * The emulator's calls behind the node-group checks of the 2026 estate: SSM DescribeInstanceInformation,
 * EC2 DescribeVolumes and GetEbsEncryptionByDefault, driven by the real SDK clients and paginators.
 */
import {
  DescribeVolumesCommand,
  EC2Client,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  paginateDescribeInstanceInformation,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { describe, expect, it } from '@jest/globals';
import type { EstateRegion } from '../../emulator/estate.js';
import { type RunningTestEmulator, useEmulator } from '../support/emulator.js';
import { anAccount, anEstate, HOME_REGION } from '../support/estate.js';

const OTHER_REGION = 'us-east-1';

type VolumeRecord = NonNullable<EstateRegion['ec2']['volumes']>[number];

const aVolumeRecord = (
  volumeId: string,
  instanceId: string,
  overrides: Partial<VolumeRecord> = {},
): VolumeRecord => ({
  VolumeId: volumeId,
  Size: 80,
  VolumeType: 'gp3',
  State: 'in-use',
  AvailabilityZone: 'eu-west-1a',
  CreateTime: '2026-11-01T10:00:00.000Z',
  Encrypted: true,
  Attachments: [{ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/xvda', State: 'attached' }],
  ...overrides,
});

const NODES = Array.from({ length: 12 }, (_, index) => `i-0${String(index).padStart(16, '0')}`);

const estate = () =>
  anEstate({
    accounts: [
      anAccount({
        regions: {
          [HOME_REGION]: {
            ec2: {
              ebsEncryptionByDefault: true,
              managedResourceVisibility: 'hidden',
              volumes: [
                aVolumeRecord('vol-a', 'i-a'),
                aVolumeRecord('vol-b', 'i-b', { Encrypted: false }),
                aVolumeRecord('vol-free', 'i-a', { State: 'available', Attachments: [] }),
                aVolumeRecord('vol-auto', 'i-auto', {
                  Operator: { Managed: true, Principal: 'eks.amazonaws.com' },
                }),
              ],
            },
            ssm: {
              instanceInformation: [
                ...NODES.map((InstanceId) => ({
                  InstanceId,
                  PingStatus: 'Online' as const,
                  ResourceType: 'EC2Instance' as const,
                  LastPingDateTime: '2026-11-22T11:58:00.000Z',
                })),
                {
                  InstanceId: 'mi-0hybrid00000001',
                  PingStatus: 'ConnectionLost',
                  ResourceType: 'ManagedInstance',
                },
              ],
            },
          },
          [OTHER_REGION]: {},
        },
      }),
    ],
  });

const config = (running: RunningTestEmulator, region = HOME_REGION) => ({
  region,
  endpoint: running.endpoint,
  credentials: running.credentials,
  maxAttempts: 1,
});

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return error;
  }
}

async function allPages<T>(paginator: AsyncIterable<T>): Promise<T[]> {
  const pages: T[] = [];
  for await (const page of paginator) pages.push(page);
  return pages;
}

describe('SSM DescribeInstanceInformation', () => {
  const running = useEmulator(() => ({ estate: estate() }));

  it('lists the EC2 managed nodes in pages of at most MaxResults, with dates as dates', async () => {
    // Prepare
    const ssm = new SSMClient(config(running()));
    // Act
    const pages = await allPages(
      paginateDescribeInstanceInformation(
        { client: ssm },
        { Filters: [{ Key: 'ResourceType', Values: ['EC2Instance'] }], MaxResults: 5 },
      ),
    );
    // Assess
    expect(pages.map((page) => page.InstanceInformationList?.length)).toEqual([5, 5, 2]);
    const listed = pages.flatMap((page) => page.InstanceInformationList ?? []);
    expect(listed.map((node) => node.InstanceId)).toEqual(NODES);
    expect(listed[0]?.LastPingDateTime).toEqual(new Date('2026-11-22T11:58:00.000Z'));
  });

  it('pages 10 nodes when MaxResults is not given, and filters by PingStatus', async () => {
    // Prepare
    const ssm = new SSMClient(config(running()));
    // Act
    const first = await ssm.send(new DescribeInstanceInformationCommand({}));
    const lost = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }],
      }),
    );
    // Assess
    expect(first.InstanceInformationList).toHaveLength(10);
    expect(first.NextToken).toBeDefined();
    expect(lost.InstanceInformationList?.map((node) => node.InstanceId)).toEqual(['mi-0hybrid00000001']);
  });

  it.each([
    [4, 'greater than or equal to 5'],
    [51, 'less than or equal to 50'],
  ])('rejects MaxResults %i as SSM does', async (MaxResults, constraint) => {
    // Prepare
    const ssm = new SSMClient(config(running()));
    // Act
    const failure = await failureOf(ssm.send(new DescribeInstanceInformationCommand({ MaxResults })));
    // Assess
    expect(failure).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(constraint),
    });
  });

  it('fails the whole call when an InstanceIds filter names a node SSM does not manage', async () => {
    // Prepare
    const ssm = new SSMClient(config(running()));
    // Act
    const failure = await failureOf(
      ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: [NODES[0] ?? '', 'i-0unknown'] }],
        }),
      ),
    );
    // Assess
    expect(failure).toMatchObject({
      name: 'InvalidInstanceId',
      message: expect.stringContaining('i-0unknown'),
    });
  });

  it('rejects an unknown filter key', async () => {
    // Prepare
    const ssm = new SSMClient(config(running()));
    // Act
    const failure = await failureOf(
      ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'Colour', Values: ['blue'] }] })),
    );
    // Assess
    expect(failure).toMatchObject({ name: 'InvalidFilterKey' });
  });

  it('lists nothing in a Region without managed nodes', async () => {
    // Prepare
    const ssm = new SSMClient(config(running(), OTHER_REGION));
    // Act
    const response = await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 50 }));
    // Assess
    expect(response.InstanceInformationList).toEqual([]);
  });
});

describe('EC2 DescribeVolumes and GetEbsEncryptionByDefault', () => {
  const running = useEmulator(() => ({ estate: estate() }));

  it('describes volumes by id, hiding managed ones in a hidden-visibility Region unless asked for', async () => {
    // Prepare
    const ec2 = new EC2Client(config(running()));
    // Act
    const withManaged = await ec2.send(
      new DescribeVolumesCommand({ VolumeIds: ['vol-a', 'vol-auto'], IncludeManagedResources: true }),
    );
    const withoutManaged = await failureOf(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-auto'] })));
    // Assess
    expect(withManaged.Volumes?.map((volume) => volume.VolumeId)).toEqual(['vol-a', 'vol-auto']);
    expect(withManaged.Volumes?.[0]).toMatchObject({
      Encrypted: true,
      Attachments: [{ InstanceId: 'i-a', Device: '/dev/xvda', State: 'attached' }],
    });
    expect(withoutManaged).toMatchObject({ name: 'InvalidVolume.NotFound' });
  });

  it('fails the call naming every id it does not hold', async () => {
    // Prepare
    const ec2 = new EC2Client(config(running()));
    // Act
    const failure = await failureOf(
      ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-a', 'vol-gone', 'vol-lost'] })),
    );
    // Assess
    expect(failure).toMatchObject({
      name: 'InvalidVolume.NotFound',
      message: "The volumes 'vol-gone, vol-lost' do not exist.",
    });
  });

  it('filters attached volumes per Region and pages them', async () => {
    // Prepare
    const ec2 = new EC2Client(config(running()));
    // Act
    const pages = await allPages(
      paginateDescribeVolumes(
        { client: ec2 },
        {
          Filters: [{ Name: 'attachment.status', Values: ['attached'] }],
          IncludeManagedResources: true,
          MaxResults: 5,
        },
      ),
    );
    const unencrypted = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['false'] }] }),
    );
    // Assess
    expect(pages.flatMap((page) => page.Volumes ?? []).map((volume) => volume.VolumeId)).toEqual([
      'vol-a',
      'vol-b',
      'vol-auto',
    ]);
    expect(unencrypted.Volumes?.map((volume) => volume.VolumeId)).toEqual(['vol-b']);
  });

  it.each([
    [{ MaxResults: 4 }, 'InvalidParameterValue'],
    [{ MaxResults: 501 }, 'InvalidParameterValue'],
    [{ MaxResults: 5, VolumeIds: ['vol-a'] }, 'InvalidParameterCombination'],
  ])('rejects %j as EC2 does', async (input, code) => {
    // Prepare
    const ec2 = new EC2Client(config(running()));
    // Act
    const failure = await failureOf(ec2.send(new DescribeVolumesCommand(input)));
    // Assess
    expect(failure).toMatchObject({ name: code });
  });

  it('reports EBS encryption by default per Region, off where the estate says nothing', async () => {
    // Prepare
    const home = new EC2Client(config(running()));
    const other = new EC2Client(config(running(), OTHER_REGION));
    // Act
    const on = await home.send(new GetEbsEncryptionByDefaultCommand({}));
    const off = await other.send(new GetEbsEncryptionByDefaultCommand({}));
    // Assess
    expect(on.EbsEncryptionByDefault).toBe(true);
    expect(off.EbsEncryptionByDefault).toBe(false);
  });
});

describe('faults on the node-check calls', () => {
  const running = useEmulator(() => ({
    estate: anEstate({
      faults: [
        { service: 'ssm', operation: 'DescribeInstanceInformation', kind: 'access-denied' },
        { service: 'ec2', operation: 'GetEbsEncryptionByDefault', kind: 'throttle' },
      ],
    }),
  }));

  it('fail the calls with the real error shapes', async () => {
    // Prepare
    const ssm = new SSMClient(config(running()));
    const ec2 = new EC2Client(config(running()));
    // Act
    const listing = await failureOf(ssm.send(new DescribeInstanceInformationCommand({})));
    const byDefault = await failureOf(ec2.send(new GetEbsEncryptionByDefaultCommand({})));
    // Assess
    expect(listing).toMatchObject({ name: 'AccessDeniedException' });
    expect(byDefault).toMatchObject({ name: 'RequestLimitExceeded' });
  });
});
