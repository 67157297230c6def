/**
 * Managed-resource visibility in the emulator's EC2 listings: in a Region that hides managed resources,
 * instances and launch template versions whose Operator.Managed is true are listed only with
 * IncludeManagedResources; elsewhere they are listed as any other. The operator filters work alike.
 */
import {
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from '@jest/globals';
import { useEmulator } from '../support/emulator.js';
import { aClusterRecord, anAccount, anEstate, HOME_REGION } from '../support/estate.js';

const OTHER_REGION = 'us-east-1';
const EKS_OPERATOR = { Managed: true, Principal: 'eks.amazonaws.com' };

const aNode = (InstanceId: string, Operator?: typeof EKS_OPERATOR) => ({
  InstanceId,
  ImageId: 'ami-1',
  InstanceType: 'm5.large' as const,
  State: { Name: 'running' as const, Code: 16 },
  LaunchTime: '2026-11-01T10:00:00.000Z',
  Tags: [{ Key: 'eks:eks-cluster-name', Value: 'auto' }],
  ...(Operator === undefined ? {} : { Operator }),
});

const aTemplateVersion = (LaunchTemplateId: string, Operator?: typeof EKS_OPERATOR) => ({
  LaunchTemplateId,
  LaunchTemplateName: LaunchTemplateId,
  VersionNumber: 1,
  DefaultVersion: true,
  ...(Operator === undefined ? {} : { Operator }),
});

const ec2Section = (managedResourceVisibility?: 'hidden' | 'visible') => ({
  ...(managedResourceVisibility === undefined ? {} : { managedResourceVisibility }),
  instances: [aNode('i-managed', EKS_OPERATOR), aNode('i-own')],
  launchTemplateVersions: [aTemplateVersion('lt-managed', EKS_OPERATOR), aTemplateVersion('lt-own')],
});

describe('EC2 managed-resource visibility', () => {
  const running = useEmulator(() => ({
    estate: anEstate({
      accounts: [
        anAccount({
          regions: {
            [HOME_REGION]: { clusters: [{ cluster: aClusterRecord('auto') }], ec2: ec2Section('hidden') },
            [OTHER_REGION]: { ec2: ec2Section() },
          },
        }),
      ],
    }),
  }));
  const ec2In = (region: string) =>
    new EC2Client({
      region,
      endpoint: running().endpoint,
      credentials: running().credentials,
      maxAttempts: 1,
    });
  const instanceIds = async (region: string, input: DescribeInstancesCommandInput = {}) => {
    const { Reservations = [] } = await ec2In(region).send(new DescribeInstancesCommand(input));
    return Reservations.flatMap((reservation) => reservation.Instances ?? []).map((node) => node.InstanceId);
  };
  const templateIds = async (region: string, IncludeManagedResources?: boolean) => {
    const { LaunchTemplateVersions = [] } = await ec2In(region).send(
      new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Default'], IncludeManagedResources }),
    );
    return LaunchTemplateVersions.map((version) => version.LaunchTemplateId);
  };

  it('hides managed instances from a listing that does not ask for them where the Region hides them', async () => {
    // Act
    const without = await instanceIds(HOME_REGION);
    const withFlag = await instanceIds(HOME_REGION, { IncludeManagedResources: true });
    const withFalse = await instanceIds(HOME_REGION, { IncludeManagedResources: false });
    // Assess
    expect(without).toEqual(['i-own']);
    expect(withFalse).toEqual(['i-own']);
    expect(withFlag).toEqual(['i-managed', 'i-own']);
  });

  it('lists managed instances without the flag where the Region shows them (the default)', async () => {
    // Act
    const without = await instanceIds(OTHER_REGION);
    // Assess
    expect(without).toEqual(['i-managed', 'i-own']);
  });

  it('treats a hidden instance named by id as absent unless the flag is set', async () => {
    // Act
    const error = await ec2In(HOME_REGION)
      .send(new DescribeInstancesCommand({ InstanceIds: ['i-managed'] }))
      .then(
        () => undefined,
        (caught: Error) => caught,
      );
    const named = await instanceIds(HOME_REGION, {
      InstanceIds: ['i-managed'],
      IncludeManagedResources: true,
    });
    // Assess
    expect(error?.name).toBe('InvalidInstanceID.NotFound');
    expect(named).toEqual(['i-managed']);
  });

  it('hides managed launch templates the same way', async () => {
    // Act
    const hidden = await templateIds(HOME_REGION);
    const asked = await templateIds(HOME_REGION, true);
    const visible = await templateIds(OTHER_REGION);
    // Assess
    expect(hidden).toEqual(['lt-own']);
    expect(asked.sort()).toEqual(['lt-managed', 'lt-own']);
    expect(visible.sort()).toEqual(['lt-managed', 'lt-own']);
  });

  it('filters instances on operator.managed and operator.principal', async () => {
    // Act
    const managed = await instanceIds(OTHER_REGION, {
      Filters: [{ Name: 'operator.managed', Values: ['true'] }],
    });
    const unmanaged = await instanceIds(OTHER_REGION, {
      Filters: [{ Name: 'operator.managed', Values: ['false'] }],
    });
    const byEks = await instanceIds(HOME_REGION, {
      IncludeManagedResources: true,
      Filters: [{ Name: 'operator.principal', Values: ['eks.amazonaws.com'] }],
    });
    // Assess
    expect(managed).toEqual(['i-managed']);
    expect(unmanaged).toEqual(['i-own']);
    expect(byEks).toEqual(['i-managed']);
  });
});
