import * as ec2Model from '@aws-sdk/client-ec2';
import { describe, expect, it } from '@jest/globals';
import { NormalizedSchema } from '@smithy/core/schema';
import { CHECKS } from '../../lib/checks/registry.js';
import { inputsOf } from '../../lib/checks/runner.js';
import { collectRegion } from '../../lib/collect/collector.js';
import { ec2ListingInput } from '../../lib/collect/ec2.js';
import { SNAPSHOT_PART_NAMES } from '../../lib/snapshot/types.js';
import { mockRegion } from '../support/aws-estate.js';
import { TARGET, twoClusters } from '../support/collect-estate.js';

/** Whether the SDK's input shape of an EC2 operation has the member (its smithy schema says so). */
function operationTakes(operation: string, member: string): boolean {
  const schema = (ec2Model as Record<string, unknown>)[`${operation}Request$`];
  if (schema === undefined) throw new Error(`The EC2 client has no input schema for ${operation}`);
  return [...NormalizedSchema.of(schema as never).structIterator()].some(([name]) => name === member);
}

describe('EC2 listings ask for managed resources', () => {
  it('builds listing inputs with IncludeManagedResources set, keeping the rest', () => {
    // Prepare
    const input = { Filters: [{ Name: 'instance-state-name', Values: ['running'] }], MaxResults: 100 };
    // Act
    const built = ec2ListingInput<ec2Model.DescribeInstancesRequest>(input);
    // Assess
    expect(built).toEqual({ ...input, IncludeManagedResources: true });
  });

  it('knows which operations take the flag from the SDK model, not from a list of its own', () => {
    // Prepare
    const listings = [
      'DescribeInstances',
      'DescribeLaunchTemplateVersions',
      'DescribeLaunchTemplates',
      'DescribeNetworkInterfaces',
      'DescribeVolumes',
    ];
    // Act
    const taking = listings.filter((operation) => operationTakes(operation, 'IncludeManagedResources'));
    // Assess
    expect(taking).toEqual(listings);
    expect(operationTakes('DescribeImages', 'IncludeManagedResources')).toBe(false);
  });

  it('sends it on every EC2 call of a full collection whose input takes it', async () => {
    // Prepare: every part every check reads, so every EC2 call the collector makes is made.
    const mocks = mockRegion(twoClusters());
    const inputs = new Set([...SNAPSHOT_PART_NAMES, ...CHECKS.flatMap(inputsOf)]);
    // Act
    await collectRegion(TARGET, { inputs, clients: mocks.clients });
    // Assess
    const calls = mocks.ec2.calls().map((call) => {
      const command = call.args[0] as unknown as {
        constructor: { name: string };
        input: Record<string, unknown>;
      };
      return { operation: command.constructor.name.replace(/Command$/, ''), input: command.input };
    });
    const taking = calls.filter((call) => operationTakes(call.operation, 'IncludeManagedResources'));
    expect([...new Set(taking.map((call) => call.operation))]).toEqual(
      expect.arrayContaining(['DescribeInstances', 'DescribeLaunchTemplateVersions']),
    );
    const forgetting = taking.filter((call) => call.input.IncludeManagedResources !== true);
    expect(forgetting.map((call) => call.operation)).toEqual([]);
  });
});
