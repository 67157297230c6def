import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { HOME_CREDENTIALS } from '../../emulator/server.js';
import { resultTokenFor } from '../../emulator/services/config.js';
import { CHECKS } from '../../lib/checks/registry.js';
import {
  clusterEvaluation,
  configRuleName,
  hasConfigRule,
  putEvaluations,
} from '../../lib/publish/config-evaluations.js';
import { useEmulator } from '../support/emulator.js';
import { anEstate } from '../support/estate.js';
import { aClusterResult, NOW, nodegroupArn } from '../support/snapshot.js';

const nodeGroupResult = (name: string, status: 'PASSED' | 'FAILED' | 'ERROR' | 'NOT_APPLICABLE') =>
  aClusterResult({
    checkId: 'eks_nodegroup_no_ssh_access',
    status,
    resourceType: 'Other',
    resourceId: nodegroupArn(name),
    nodeGroup: name,
    reason: `Managed node group ${name}: ${status}.`,
  });

describe('configRuleName', () => {
  it('derives the rule name from the check id, for every check that reports on clusters', () => {
    // Act
    const names = CHECKS.filter(hasConfigRule).map(configRuleName);
    // Assess
    expect(names).toContain('eks-nodegroup-private-subnets');
    expect(names).toHaveLength(CHECKS.length - 1);
    expect(names.every((name) => /^[a-z0-9-]{1,128}$/.test(name))).toBe(true);
  });
});

describe('clusterEvaluation', () => {
  it('is COMPLIANT with the reason when the cluster check passes', () => {
    // Act
    const evaluation = clusterEvaluation(
      'payments',
      [aClusterResult({ status: 'PASSED', reason: 'Private.' })],
      NOW,
    );
    // Assess
    expect(evaluation).toEqual({
      ComplianceResourceType: 'AWS::EKS::Cluster',
      ComplianceResourceId: 'payments',
      ComplianceType: 'COMPLIANT',
      Annotation: 'Private.',
      OrderingTimestamp: NOW,
    });
  });

  it('is NON_COMPLIANT when any node group fails, naming the failing groups', () => {
    // Act
    const evaluation = clusterEvaluation(
      'payments',
      [nodeGroupResult('a', 'PASSED'), nodeGroupResult('b', 'FAILED'), nodeGroupResult('c', 'ERROR')],
      NOW,
    );
    // Assess
    expect(evaluation?.ComplianceType).toBe('NON_COMPLIANT');
    expect(evaluation?.Annotation).toBe('1 node group(s) fail: b. Managed node group b: FAILED.');
  });

  it('sends nothing when a group could not be judged and none failed: never COMPLIANT on missing data', () => {
    // Act
    const evaluation = clusterEvaluation(
      'payments',
      [nodeGroupResult('a', 'PASSED'), nodeGroupResult('b', 'ERROR')],
      NOW,
    );
    // Assess
    expect(evaluation).toBeUndefined();
  });

  it('is NOT_APPLICABLE when nothing in the cluster is subject to the check', () => {
    // Act
    const none = clusterEvaluation('payments', [], NOW);
    const notApplicable = clusterEvaluation('payments', [nodeGroupResult('a', 'NOT_APPLICABLE')], NOW);
    // Assess
    expect(none?.ComplianceType).toBe('NOT_APPLICABLE');
    expect(notApplicable).toMatchObject({
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: 'Managed node group a: NOT_APPLICABLE.',
    });
  });

  it('keeps the annotation within 256 characters and names at most five groups', () => {
    // Prepare
    const failing = Array.from({ length: 8 }, (_, index) => ({
      ...nodeGroupResult(`group-${index}`, 'FAILED'),
      reason: 'x '.repeat(300),
    }));
    // Act
    const evaluation = clusterEvaluation('payments', failing, NOW);
    // Assess
    expect(evaluation?.Annotation?.length).toBeLessThanOrEqual(256);
    expect(evaluation?.Annotation).toMatch(
      /^8 node group\(s\) fail: group-0, group-1, group-2, group-3, group-4 \(\+3 more\)\. /,
    );
  });
});

describe('putEvaluations', () => {
  const running = useEmulator(() => ({ estate: anEstate() }));

  it('sends 250 evaluations in 3 calls with the invocation token', async () => {
    // Prepare
    const client = new ConfigServiceClient({
      region: 'eu-west-1',
      endpoint: running().endpoint,
      credentials: HOME_CREDENTIALS,
    });
    const evaluations = Array.from({ length: 250 }, (_, index) =>
      clusterEvaluation(`cluster-${index}`, [aClusterResult({ status: 'PASSED' })], NOW),
    ).filter((evaluation) => evaluation !== undefined);
    // Act
    const outcome = await putEvaluations(
      client,
      'eks-cluster-endpoint-not-public',
      resultTokenFor('eks-cluster-endpoint-not-public'),
      evaluations,
    );
    // Assess
    expect(outcome).toEqual({ calls: 3, accepted: 250, failures: [] });
    const sent = running()
      .emulator.calls()
      .find((call) => call.operation === 'PutEvaluations');
    expect(sent?.count).toBe(3);
    const stored = Object.values(running().emulator.state().config).flatMap((regions) =>
      Object.values(regions).flat(),
    );
    expect(stored).toHaveLength(250);
    expect(new Set(stored.map((evaluation) => evaluation.ConfigRuleName))).toEqual(
      new Set(['eks-cluster-endpoint-not-public']),
    );
  });
});

describe('putEvaluations when Config does not take everything', () => {
  const RULE = 'eks-cluster-endpoint-not-public';
  const evaluations = Array.from({ length: 250 }, (_, index) =>
    clusterEvaluation(`cluster-${index}`, [aClusterResult({ status: 'PASSED' })], NOW),
  ).filter((evaluation) => evaluation !== undefined);

  it('sends the other calls when one fails, and names the operation and the rule', async () => {
    // Prepare
    const config = mockClient(ConfigServiceClient);
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [] })
      .rejectsOnce(
        Object.assign(new Error('The security token included in the request is expired'), {
          name: 'ExpiredTokenException',
        }),
      )
      .resolves({ FailedEvaluations: [] });
    // Act
    const outcome = await putEvaluations(
      new ConfigServiceClient({ region: 'eu-west-1' }),
      RULE,
      'token',
      evaluations,
    );
    // Assess
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(3);
    expect(outcome).toEqual({
      calls: 3,
      accepted: 150,
      failures: [
        {
          operation: 'config:PutEvaluations',
          code: 'ExpiredTokenException',
          message: `Rule ${RULE}: 100 evaluation(s) not sent: The security token included in the request is expired`,
        },
      ],
    });
    config.restore();
  });

  it('reports each evaluation Config refused in FailedEvaluations', async () => {
    // Prepare
    const config = mockClient(ConfigServiceClient);
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: evaluations.filter((_, index) => index === 3 || index === 7) })
      .resolves({ FailedEvaluations: [] });
    // Act
    const outcome = await putEvaluations(
      new ConfigServiceClient({ region: 'eu-west-1' }),
      RULE,
      'token',
      evaluations,
    );
    // Assess
    expect(outcome.accepted).toBe(248);
    expect(outcome.failures).toEqual(
      ['cluster-3', 'cluster-7'].map((cluster) => ({
        operation: 'config:PutEvaluations',
        code: 'FailedEvaluation',
        message: `Rule ${RULE}: Config refused the evaluation of AWS::EKS::Cluster ${cluster} (COMPLIANT).`,
      })),
    );
    config.restore();
  });
});
