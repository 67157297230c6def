/** publishTarget with a mocked Security Hub client: batching, retries of FailedFindings, failures reported. */
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import noSsh from '../../lib/checks/eks_nodegroup_no_ssh_access.js';
import type { CheckResult } from '../../lib/checks/types.js';
import type { Clock } from '../../lib/publish/rate-limit.js';
import {
  batchesOf,
  type PublishOutcome,
  publicationErrors,
  publishTarget,
  type TargetToPublish,
} from '../../lib/publish/security-hub.js';
import { ACCOUNT, aScope, aSnapshot, CLUSTER, NOW, nodegroupArn, REGION } from '../support/snapshot.js';

const hub = mockClient(SecurityHubClient);

/** A clock whose sleeps return at once and are recorded. */
const instantClock = (): Clock & { slept: number[] } => {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
};

const aFailedResult = (index: number): CheckResult => ({
  checkId: noSsh.id,
  status: 'FAILED',
  severity: 'HIGH',
  partition: 'aws',
  accountId: ACCOUNT,
  region: REGION,
  cluster: CLUSTER,
  resourceType: 'Other',
  resourceId: nodegroupArn(`ng-${index}`),
  nodeGroup: `ng-${index}`,
  reason: `Managed node group ng-${index} allows SSH from 0.0.0.0/0.`,
  evidence: {},
  frameworks: [],
});

const aTarget = (resultCount: number): TargetToPublish => ({
  partition: 'aws',
  accountId: ACCOUNT,
  region: REGION,
  scannedAt: NOW,
  checks: [noSsh],
  clusters: [
    {
      snapshot: aSnapshot(),
      results: Array.from({ length: resultCount }, (_, index) => aFailedResult(index)),
    },
  ],
});

const importCalls = () => hub.commandCalls(BatchImportFindingsCommand);
const importedIds = (call: number) =>
  (importCalls()[call]?.args[0].input.Findings ?? []).map((finding) => finding.Id ?? '');

beforeEach(() => {
  hub.reset();
  hub.on(GetFindingsCommand).resolves({ Findings: [] });
  hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 0, FailedFindings: [] });
});

async function publish(target: TargetToPublish, clock = instantClock()): Promise<PublishOutcome> {
  return publishTarget(target, {}, { client: new SecurityHubClient({ region: REGION }), clock });
}

describe('publishTarget', () => {
  it('imports 250 findings in 3 calls of at most 100', async () => {
    // Act
    const outcome = await publish(aTarget(250));
    // Assess
    expect(importCalls().map((call) => call.args[0].input.Findings?.length)).toEqual([100, 100, 50]);
    expect(outcome).toEqual({
      accountId: ACCOUNT,
      region: REGION,
      imported: 250,
      archived: 0,
      suppressed: 0,
      failed: { count: 0, codes: {} },
      refusals: [],
    });
  });

  it('reads existing findings by product, account and check, following every page', async () => {
    // Prepare
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [], NextToken: 'page-2' })
      .resolvesOnce({ Findings: [] });
    // Act
    await publish(aTarget(1));
    // Assess
    const calls = hub.commandCalls(GetFindingsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input.Filters).toEqual({
      ProductArn: [
        {
          Value: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
          Comparison: 'EQUALS',
        },
      ],
      AwsAccountId: [{ Value: ACCOUNT, Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: noSsh.id, Comparison: 'EQUALS' }],
      // One cluster scanned on its own: only its findings are read back.
      ProductFields: [{ Key: 'eks-compliance-scanner/Cluster', Value: CLUSTER, Comparison: 'EQUALS' }],
    });
    expect(calls[1]?.args[0].input.NextToken).toBe('page-2');
  });

  it('reads the whole Region back when the target covers every cluster of a complete listing', async () => {
    // Act
    await publish({ ...aTarget(1), listing: { clusterNames: [CLUSTER] } });
    // Assess
    const filters = hub.commandCalls(GetFindingsCommand)[0]?.args[0].input.Filters;
    expect(filters?.ProductFields).toBeUndefined();
  });

  it('reads back the findings of a batch of clusters 20 cluster names a call', async () => {
    // Prepare
    const clusters = Array.from({ length: 25 }, (_, index) => ({
      snapshot: aSnapshot({}, aScope({ clusterName: `cluster-${index}` })),
      results: [],
    }));
    // Act
    await publish({ ...aTarget(0), clusters });
    // Assess
    const named = hub
      .commandCalls(GetFindingsCommand)
      .map((call) => call.args[0].input.Filters?.ProductFields?.map((filter) => filter.Value));
    expect(named.map((names) => names?.length)).toEqual([20, 5]);
    expect(named.flat()).toEqual(clusters.map((cluster) => cluster.snapshot.scope.clusterName));
  });

  it('retries findings refused with a transient code, with backoff, until they are accepted', async () => {
    // Prepare
    const clock = instantClock();
    const ids = (await publish(aTarget(3), instantClock())) && importedIds(0);
    hub.reset();
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({
        FailedCount: 2,
        SuccessCount: 1,
        FailedFindings: [
          { Id: ids[0], ErrorCode: 'InternalException', ErrorMessage: 'try again' },
          { Id: ids[1], ErrorCode: 'InternalException', ErrorMessage: 'try again' },
        ],
      })
      .resolvesOnce({
        FailedCount: 1,
        SuccessCount: 1,
        FailedFindings: [{ Id: ids[0], ErrorCode: 'InternalException', ErrorMessage: 'try again' }],
      })
      .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    // Act
    const outcome = await publish(aTarget(3), clock);
    // Assess
    expect([importedIds(0), importedIds(1), importedIds(2)]).toEqual([ids, [ids[0], ids[1]], [ids[0]]]);
    expect(clock.slept).toEqual([250, 500]);
    expect(outcome.imported).toBe(3);
    expect(outcome.failed).toEqual({ count: 0, codes: {} });
  });

  it('reports findings still refused after retries, and does not retry permanent refusals', async () => {
    // Prepare
    const ids = (await publish(aTarget(3))) && importedIds(0);
    hub.reset();
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      const failures = input.Findings.filter((finding) => finding.Id !== ids[2]).map((finding) =>
        finding.Id === ids[0]
          ? { Id: finding.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad finding' }
          : { Id: finding.Id, ErrorCode: 'InternalException', ErrorMessage: 'try again' },
      );
      return {
        FailedCount: failures.length,
        SuccessCount: input.Findings.length - failures.length,
        FailedFindings: failures,
      };
    });
    // Act
    const outcome = await publish(aTarget(3));
    // Assess
    expect(importCalls()).toHaveLength(4);
    expect(importedIds(1)).toEqual([ids[1]]);
    expect(outcome.imported).toBe(1);
    expect(outcome.failed).toEqual({ count: 2, codes: { InvalidInput: 1, InternalException: 1 } });
    expect(publicationErrors(outcome)).toEqual([
      {
        operation: 'securityhub:BatchImportFindings',
        code: 'InvalidInput',
        message: '1 finding(s) were not imported after retries: bad finding',
      },
      {
        operation: 'securityhub:BatchImportFindings',
        code: 'InternalException',
        message: '1 finding(s) were not imported after retries: try again',
      },
    ]);
  });

  it('turns a target where every finding is refused with InvalidAccess into one clear error', async () => {
    // Prepare
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({
      FailedCount: input.Findings.length,
      SuccessCount: 0,
      FailedFindings: input.Findings.map((finding) => ({
        Id: finding.Id,
        ErrorCode: 'InvalidAccess',
        ErrorMessage: 'Account is not subscribed to AWS Security Hub',
      })),
    }));
    // Act
    const outcome = await publish(aTarget(2));
    // Assess
    expect(importCalls()).toHaveLength(1);
    expect(publicationErrors(outcome)).toEqual([
      {
        operation: 'securityhub:BatchImportFindings',
        code: 'InvalidAccess',
        message: `Security Hub is not enabled in account ${ACCOUNT}, Region ${REGION}: Account is not subscribed to AWS Security Hub`,
      },
    ]);
  });

  it('publishes nothing when existing findings cannot be read, so no first-seen date is lost', async () => {
    // Prepare
    hub.on(GetFindingsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const outcome = await publish(aTarget(2));
    // Assess
    expect(importCalls()).toHaveLength(0);
    expect(outcome.error).toEqual({
      operation: 'securityhub:GetFindings',
      code: 'AccessDeniedException',
      message: 'denied',
    });
  });

  it('counts every finding of a call that failed as a whole', async () => {
    // Prepare
    hub
      .on(BatchImportFindingsCommand)
      .rejects(Object.assign(new Error('boom'), { name: 'InternalException' }));
    // Act
    const outcome = await publish(aTarget(2));
    // Assess
    expect(outcome.imported).toBe(0);
    expect(outcome.failed).toEqual({ count: 2, codes: { InternalException: 2 } });
  });

  it('suppresses an existing finding with BatchUpdateFindings after importing it', async () => {
    // Prepare
    const [existing] = (await publish(aTarget(1))) && (importCalls()[0]?.args[0].input.Findings ?? []);
    hub.reset();
    hub.on(GetFindingsCommand).resolves({ Findings: [existing as AwsSecurityFinding] });
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    // Act
    const outcome = await publishTarget(
      aTarget(1),
      { suppressions: [{ checkId: noSsh.id, resource: '*', reason: 'Accepted.' }] },
      { client: new SecurityHubClient({ region: REGION }), clock: instantClock() },
    );
    // Assess
    expect(importCalls()[0]?.args[0].input.Findings?.[0]?.Workflow).toBeUndefined();
    expect(hub.commandCalls(BatchUpdateFindingsCommand)[0]?.args[0].input).toEqual({
      FindingIdentifiers: [{ Id: existing?.Id, ProductArn: existing?.ProductArn }],
      Workflow: { Status: 'SUPPRESSED' },
      Note: { Text: 'Suppressed: Accepted.', UpdatedBy: 'eks-compliance-scanner' },
    });
    expect(outcome.suppressed).toBe(1);
  });

  it.each([
    [
      'denied as a whole',
      () =>
        hub.on(BatchUpdateFindingsCommand).rejects(
          Object.assign(new Error('User is not authorized to perform: securityhub:BatchUpdateFindings'), {
            name: 'AccessDeniedException',
          }),
        ),
      'AccessDeniedException',
      'User is not authorized to perform: securityhub:BatchUpdateFindings',
    ],
    [
      'refused per finding',
      () =>
        hub.on(BatchUpdateFindingsCommand).callsFake((input: { FindingIdentifiers: { Id: string }[] }) => ({
          ProcessedFindings: [],
          UnprocessedFindings: input.FindingIdentifiers.map((identifier) => ({
            FindingIdentifier: identifier,
            ErrorCode: 'FindingNotFound',
            ErrorMessage: 'The finding was not found.',
          })),
        })),
      'FindingNotFound',
      'The finding was not found.',
    ],
  ])(
    'reports a BatchUpdateFindings %s as that operation, with its code and message',
    async (_, fail, code, message) => {
      // Prepare: two existing findings the settings now suppress.
      const existing = (await publish(aTarget(2))) && (importCalls()[0]?.args[0].input.Findings ?? []);
      hub.reset();
      hub.on(GetFindingsCommand).resolves({ Findings: existing });
      hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 2, FailedFindings: [] });
      fail();
      // Act
      const outcome = await publishTarget(
        aTarget(2),
        { suppressions: [{ checkId: noSsh.id, resource: '*', reason: 'Accepted.' }] },
        { client: new SecurityHubClient({ region: REGION }), clock: instantClock() },
      );
      // Assess
      expect(outcome.imported).toBe(2);
      expect(outcome.suppressed).toBe(0);
      expect(publicationErrors(outcome)).toEqual([
        {
          operation: 'securityhub:BatchUpdateFindings',
          code,
          message: `The workflow status of 2 finding(s) was not updated: ${message}`,
        },
      ]);
    },
  );
});

describe('batchesOf', () => {
  it('starts a new batch before 6 MB, whatever the count', () => {
    // Prepare: 3 findings of about 2.5 MB each (the 240 KB limit is Security Hub's, not the batcher's).
    const big = (id: string) => ({ Id: id, Description: 'x'.repeat(2_500_000) }) as AwsSecurityFinding;
    // Act
    const batches = batchesOf([big('a'), big('b'), big('c')]);
    // Assess
    expect(batches.map((batch) => batch.map((finding) => finding.Id))).toEqual([['a', 'b'], ['c']]);
  });
});
