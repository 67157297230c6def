import { ConfigServiceClient, GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { latestConfigurationItem } from '../../lib/collect/config-history.js';

const config = mockClient(ConfigServiceClient);
const client = new ConfigServiceClient({ region: 'eu-west-1' });

beforeEach(() => {
  config.reset();
});

describe('latestConfigurationItem', () => {
  it('asks for the one latest item of the resource and returns its status and capture time', async () => {
    // Prepare
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        { configurationItemStatus: 'OK', configurationItemCaptureTime: new Date('2026-11-22T11:58:00Z') },
      ],
    });
    // Act
    const item = await latestConfigurationItem(client, 'AWS::EKS::Cluster', 'payments');
    // Assess
    expect(item).toEqual({ status: 'OK', capturedAt: new Date('2026-11-22T11:58:00Z') });
    expect(config.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input).toEqual({
      resourceType: 'AWS::EKS::Cluster',
      resourceId: 'payments',
      limit: 1,
    });
  });

  it('returns nothing when Config holds no item', async () => {
    // Prepare
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    // Act
    const item = await latestConfigurationItem(client, 'AWS::EKS::Cluster', 'payments');
    // Assess
    expect(item).toBeUndefined();
  });

  it('lets a failed call fail the invocation rather than guess', async () => {
    // Prepare
    config
      .on(GetResourceConfigHistoryCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const lookup = latestConfigurationItem(client, 'AWS::EKS::Cluster', 'payments');
    // Assess
    await expect(lookup).rejects.toThrow('denied');
  });
});
