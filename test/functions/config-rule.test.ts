/**
 * The Config rule handler, run through its real middy chain against the emulator serving the demo
 * estate: each events/ sample leaves exactly the evaluations its check implies in Config's state.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { parseEstate } from '../../emulator/estate.js';
import { resultTokenFor } from '../../emulator/services/config.js';
import { handler } from '../../functions/config-rule.js';
import { logger } from '../../functions/observability.js';
import { useEmulator, useEmulatorEnvironment } from '../support/emulator.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ANALYTICS = '333333333333';
const REGION = 'eu-west-1';
const demo = parseEstate(JSON.parse(await readFile(join(ROOT, 'examples', 'demo-estate.json'), 'utf8')));

const context = {
  functionName: 'eks-compliance-scanner-config-rule',
  invokedFunctionArn: `arn:aws:lambda:${REGION}:111111111111:function:eks-compliance-scanner-config-rule`,
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

const sample = async (name: string) =>
  JSON.parse(await readFile(join(ROOT, 'events', name), 'utf8')) as Record<string, unknown>;

/** A sample with its invokingEvent (a JSON string) changed. */
const withInvokingEvent = (
  event: Record<string, unknown>,
  change: (invoking: Record<string, unknown>) => void,
) => {
  const invoking = JSON.parse(String(event.invokingEvent)) as Record<string, unknown>;
  change(invoking);
  return { ...event, invokingEvent: JSON.stringify(invoking) };
};

describe('the Config rule handler', () => {
  const running = useEmulator(() => ({ estate: demo }));
  useEmulatorEnvironment({ AWS_ENDPOINT_URL: () => running().endpoint, AWS_REGION: REGION });
  beforeAll(() => {
    logger.setLogLevel('SILENT');
  });

  const evaluations = () =>
    (running().emulator.state().config[ANALYTICS]?.[REGION] ?? []).map((stored) => ({
      rule: stored.ConfigRuleName,
      cluster: stored.ComplianceResourceId,
      type: stored.ComplianceType,
      at: stored.OrderingTimestamp,
      annotation: stored.Annotation,
    }));

  it('change notification: rolls the node groups up to the cluster, NON_COMPLIANT naming them', async () => {
    // Act
    const result = await handler(await sample('config-change.json'), context);
    // Assess
    expect(result).toEqual({ checkId: 'eks_nodegroup_no_ssh_access', evaluations: 1 });
    expect(evaluations()).toEqual([
      {
        rule: 'eks-nodegroup-no-ssh-access',
        cluster: 'analytics-spark',
        type: 'NON_COMPLIANT',
        at: '2026-11-22T11:58:00.000Z',
        annotation: expect.stringMatching(/^2 node group\(s\) fail: spark-al2-legacy, spark-executors\. /),
      },
    ]);
    expect(String(evaluations()[0]?.annotation).length).toBeLessThanOrEqual(256);
  });

  it('oversized notification: fetches the item from the configuration history and evaluates it', async () => {
    // Act
    await handler(await sample('config-change-oversized.json'), context);
    // Assess
    expect(evaluations()).toEqual([
      expect.objectContaining({
        rule: 'eks-nodegroup-private-subnets',
        cluster: 'analytics-notebooks',
        type: 'NON_COMPLIANT',
        annotation: expect.stringMatching(/^2 node group\(s\) fail: /),
      }),
    ]);
    const history = running()
      .emulator.calls()
      .filter((call) => call.operation === 'GetResourceConfigHistory');
    expect(history.map((call) => [call.account, call.count])).toEqual([[ANALYTICS, 1]]);
  });

  it('deletion: NOT_APPLICABLE, without collecting anything', async () => {
    // Act
    await handler(await sample('config-change-deleted.json'), context);
    // Assess
    expect(evaluations()).toEqual([
      expect.objectContaining({
        rule: 'eks-cluster-endpoint-not-public',
        cluster: 'analytics-retired',
        type: 'NOT_APPLICABLE',
      }),
    ]);
    expect(
      running()
        .emulator.calls()
        .some((call) => call.service === 'eks'),
    ).toBe(false);
  });

  it('scope exit: NOT_APPLICABLE', async () => {
    // Act
    await handler(await sample('config-change-left-scope.json'), context);
    // Assess
    expect(evaluations()).toEqual([
      expect.objectContaining({
        cluster: 'analytics-notebooks',
        type: 'NOT_APPLICABLE',
        annotation: expect.stringContaining('out of the rule scope'),
      }),
    ]);
  });

  it('periodic: every cluster of the account and Region, and retires a cluster that is gone', async () => {
    // Prepare: Config still holds an evaluation of a cluster deleted since the last run.
    const rule = 'eks-cluster-endpoint-not-public';
    const { ConfigServiceClient, PutEvaluationsCommand } = await import('@aws-sdk/client-config-service');
    const { assumeRoleCredentials } = await import('../../lib/discover.js');
    const credentials = await assumeRoleCredentials({
      roleArn: `arn:aws:iam::${ANALYTICS}:role/EksComplianceScannerRole`,
      region: REGION,
    });
    const config = new ConfigServiceClient({ region: REGION, credentials });
    await config.send(
      new PutEvaluationsCommand({
        ResultToken: resultTokenFor(rule),
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::EKS::Cluster',
            ComplianceResourceId: 'analytics-old',
            ComplianceType: 'NON_COMPLIANT',
            OrderingTimestamp: new Date('2026-11-21T12:00:00Z'),
          },
        ],
      }),
    );
    // Act
    await handler(await sample('config-periodic.json'), context);
    // Assess
    expect(evaluations().map(({ rule: name, cluster, type, at }) => [name, cluster, type, at])).toEqual([
      [rule, 'analytics-old', 'NOT_APPLICABLE', '2026-11-22T12:00:00.000Z'],
      [rule, 'analytics-notebooks', 'NON_COMPLIANT', '2026-11-22T12:00:00.000Z'],
      [rule, 'analytics-spark', 'NON_COMPLIANT', '2026-11-22T12:00:00.000Z'],
    ]);
  });

  it.each([
    ['not an object', async () => 'just text', '(root): expected object'],
    [
      'an invokingEvent that is not JSON',
      async () => ({ ...(await sample('config-change.json')), invokingEvent: '{' }),
      'invokingEvent: invokingEvent is not valid JSON',
    ],
    [
      'an unknown messageType',
      async () =>
        withInvokingEvent(await sample('config-change.json'), (invoking) => {
          invoking.messageType = 'ConfigurationItemChanged';
        }),
      'invokingEvent.messageType',
    ],
    [
      'a configuration item without its resource id',
      async () =>
        withInvokingEvent(await sample('config-change.json'), (invoking) => {
          delete (invoking.configurationItem as Record<string, unknown>).resourceId;
        }),
      'invokingEvent.configurationItem.resourceId: required',
    ],
    [
      'a bad account id',
      async () => ({ ...(await sample('config-change.json')), accountId: '333' }),
      'accountId: expected 12 digits',
    ],
  ])('fails the invocation on a malformed event (%s), logging the field', async (_, event, message) => {
    // Prepare
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => {});
    // Act
    const invocation = handler((await event()) as never, context);
    // Assess
    await expect(invocation).rejects.toThrow(message);
    expect(logged).toHaveBeenCalledWith(
      'Invocation failed',
      expect.objectContaining({ message: expect.stringContaining(message) }),
    );
    expect(running().emulator.state().config).toEqual({});
    logged.mockRestore();
  });
  it.each([
    ['{"checkId":"eks_nope"}', 'ruleParameters.checkId: unknown check id "eks_nope"'],
    ['{}', 'ruleParameters.checkId: required'],
    ['{"checkId":"eks_fargate_inspector_coverage"}', 'does not report on AWS::EKS::Cluster'],
    [
      '{"checkId":"eks_nodegroup_ami_age","maxAmiAgeDays":"0"}',
      'Parameter maxAmiAgeDays: expected 1..3650, got 0',
    ],
    [
      '{"checkId":"eks_nodegroup_ami_age","maxAmiAgeDays":30}',
      'ruleParameters.maxAmiAgeDays: expected a string',
    ],
  ])('rejects rule parameters %s', async (ruleParameters, message) => {
    // Prepare
    const event = { ...(await sample('config-change.json')), ruleParameters };
    // Act
    const invocation = handler(event as never, context);
    // Assess
    await expect(invocation).rejects.toThrow(message);
    expect(running().emulator.state().config).toEqual({});
  });

  it('sends no evaluation for a cluster it could not judge, and fails the invocation', async () => {
    // Prepare
    running().emulator.replaceEstate(
      parseEstate({
        ...JSON.parse(await readFile(join(ROOT, 'examples', 'demo-estate.json'), 'utf8')),
        faults: [
          { service: 'ec2', operation: 'DescribeInstances', account: ANALYTICS, kind: 'access-denied' },
        ],
      }),
    );
    try {
      // Act
      const invocation = handler(await sample('config-change.json'), context);
      // Assess
      await expect(invocation).rejects.toThrow(
        /^Rule eks-nodegroup-no-ssh-access incomplete \(0 of 0 evaluation\(s\) accepted\): ec2:DescribeInstances UnauthorizedOperation: /,
      );
      expect(evaluations()).toEqual([]);
    } finally {
      running().emulator.replaceEstate(demo);
    }
  });
});
