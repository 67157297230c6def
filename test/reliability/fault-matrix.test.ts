/**
 * The fault matrix: the demo organization (made healthy: every account reachable, Security Hub on
 * everywhere) scanned and published once without faults, then again under each fault. Under every
 * fault the scan completes for every healthy target; results of unaffected resources equal the
 * fault-free run; affected results are ERROR, never PASSED; nothing Security Hub holds is archived or
 * resolved on the back of a failed collection; and the report and exit status name the failure.
 * The Config rule's write paths get the same treatment: what was judged is sent, and the failure is
 * named and fails the invocation.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { parseEstate } from '../../emulator/estate.js';
import { resultTokenFor } from '../../emulator/services/config.js';
import { logger } from '../../functions/observability.js';
import { createS3Client } from '../../lib/aws/s3.js';
import type { CheckResult } from '../../lib/checks/types.js';
import { assumeRoleCredentials } from '../../lib/discover.js';
import type { RunSummary } from '../../lib/orchestration/summary.js';
import type { ScanError, ScanReport } from '../../lib/scan.js';
import { s3ObjectStore } from '../../local/object-store.js';
import { LOCAL_RESULTS_BUCKET } from '../../local/start.js';
import { ExecutionFailedError, lambdaHandlers, runScanStateMachine } from '../../local/state-machine.js';
import { type JsonReport, scanEndpoint } from '../support/cli.js';
import { useEmulator, useEmulatorEnvironment } from '../support/emulator.js';
import { seededRandom } from '../support/estate.js';

type EstateJson = {
  accounts: {
    accountId: string;
    assumeRole?: string;
    regions: Record<string, { securityHub?: { enabled: boolean } }>;
  }[];
  faults?: unknown[];
};

const demo = JSON.parse(
  await readFile(new URL('../../examples/demo-estate.json', import.meta.url), 'utf8'),
) as EstateJson;

/** The demo without its deliberate problems, so the fault-free run is clean (exit status 0). */
function healthyEstate(faults: unknown[] = [], change: (estate: EstateJson) => void = () => {}) {
  const estate = structuredClone(demo);
  estate.accounts = estate.accounts.filter((account) => account.assumeRole !== 'deny');
  for (const account of estate.accounts) {
    for (const region of Object.values(account.regions)) region.securityHub = { enabled: true };
  }
  estate.faults = faults;
  change(estate);
  return parseEstate(estate);
}

const BEFORE = '2026-11-22T12:00:00Z';
const AFTER = '2026-11-23T12:00:00Z';

const keyOf = (result: CheckResult) => `${result.checkId} ${result.resourceId}`;
const judged = (result: CheckResult) => `${result.status} ${result.severity} ${result.reason}`;

describe('the fault matrix', () => {
  const running = useEmulator(() => ({ estate: healthyEstate(), random: seededRandom(7) }));
  useEmulatorEnvironment();
  let baseline: JsonReport;

  const scan = (now: string, publish = true, ...extra: string[]) =>
    scanEndpoint(running().endpoint, now, ...(publish ? ['--publish', 'securityhub'] : []), ...extra);

  const findings = () =>
    new Map(
      Object.values(running().emulator.state().securityHub)
        .flatMap((regions) => Object.values(regions).flat())
        .map((finding) => [String(finding.Id), finding as unknown as AwsSecurityFinding]),
    );

  beforeEach(async () => {
    // Prepare: a fault-free scan published first, so there is something a faulty run could wrongly
    // close; and the fault-free results at the time of the faulty run, to compare with.
    running().emulator.replaceEstate(healthyEstate());
    expect((await scan(BEFORE)).status).toBe(0);
    const clean = await scan(AFTER, false);
    expect(clean.status).toBe(0);
    baseline = clean.report;
  }, 120_000);

  /** Runs the scan under the faults and checks the invariants every fault must keep. */
  async function underFaults(estate: ReturnType<typeof healthyEstate>, ...extra: string[]) {
    const before = findings();
    running().emulator.replaceEstate(estate);
    const { status, report } = await scan(AFTER, true, ...extra);
    const after = findings();

    const expected = new Map(baseline.results.map((result) => [keyOf(result), result]));
    const changed = report.results.filter((result) => {
      const was = expected.get(keyOf(result));
      return was === undefined || judged(was) !== judged(result);
    });
    // A result may differ from the fault-free run only by being ERROR: never PASSED (or FAILED) by mistake.
    expect(changed.filter((result) => result.status !== 'ERROR')).toEqual([]);

    // Nothing Security Hub held is archived or resolved: each finding keeps its verdict or is NOT_AVAILABLE.
    for (const [id, was] of before) {
      const now = after.get(id);
      expect({ id, record: now?.RecordState }).toEqual({ id, record: 'ACTIVE' });
      expect([was.Compliance?.Status, 'NOT_AVAILABLE']).toContain(now?.Compliance?.Status);
      expect(now?.CreatedAt).toBe(was.CreatedAt);
    }
    return { status, report, changed };
  }

  const errorsOf = (report: ScanReport, operation: string) =>
    report.errors.filter((error: ScanError) => error.operation === operation);

  it('20% throttling on every service: retried to the same results, nothing lost', async () => {
    // Act
    const { status, report, changed } = await underFaults(
      healthyEstate([{ service: '*', operation: '*', kind: 'throttle', rate: 0.2 }]),
    );
    // Assess
    expect(changed).toEqual([]);
    expect(report.results).toHaveLength(baseline.results.length);
    expect(report.errors).toEqual([]);
    expect(status).toBe(0);
  }, 120_000);

  it('server errors on one call: only the results that need it are ERROR, and the error is reported', async () => {
    // Act
    const { status, report, changed } = await underFaults(
      healthyEstate([
        { service: 'ec2', operation: 'DescribeImages', account: '333333333333', kind: 'server-error' },
      ]),
    );
    // Assess
    expect(changed.length).toBeGreaterThan(0);
    expect(new Set(changed.map((result) => result.accountId))).toEqual(new Set(['333333333333']));
    expect(new Set(changed.map((result) => result.checkId))).toEqual(
      new Set([
        'eks_nodegroup_ami_age',
        'eks_nodegroup_container_optimized_os',
        'eks_nodegroup_version_skew',
      ]),
    );
    expect(errorsOf(report, 'ec2:DescribeImages').map((error) => error.code)).toContain('InternalError');
    expect(status).toBe(1);
  }, 120_000);

  it('timeouts on one call: the call is abandoned, its results ERROR, the others unchanged', async () => {
    // Act
    const { status, report, changed } = await underFaults(
      healthyEstate([
        { service: 'ssm', operation: 'GetParameters', account: '222222222222', kind: 'timeout', ms: 10 },
      ]),
    );
    // Assess
    expect(new Set(changed.map((result) => `${result.accountId} ${result.checkId}`))).toEqual(
      new Set(['222222222222 eks_nodegroup_ami_latest_release']),
    );
    expect(errorsOf(report, 'ssm:GetParameters')).not.toEqual([]);
    expect(status).toBe(1);
  }, 120_000);

  it('one account denies AssumeRole: every other account is scanned and published as before', async () => {
    // Act
    const { status, report } = await underFaults(
      healthyEstate([], (estate) => {
        const analytics = estate.accounts.find((account) => account.accountId === '333333333333');
        if (analytics) analytics.assumeRole = 'deny';
      }),
    );
    // Assess
    expect(report.results.filter((result) => result.accountId === '333333333333')).toEqual([]);
    expect(report.results).toEqual(baseline.results.filter((result) => result.accountId !== '333333333333'));
    expect(report.errors).toEqual([
      expect.objectContaining({
        accountId: '333333333333',
        operation: 'sts:AssumeRole',
        code: 'AccessDenied',
      }),
    ]);
    expect(status).toBe(1);
  }, 120_000);

  it('Security Hub disabled in one Region: the others publish, the Region is reported', async () => {
    // Act
    const { status, report, changed } = await underFaults(
      healthyEstate([], (estate) => {
        const payments = estate.accounts.find((account) => account.accountId === '222222222222');
        if (payments?.regions['us-east-1']) payments.regions['us-east-1'].securityHub = { enabled: false };
      }),
    );
    // Assess
    expect(changed).toEqual([]);
    expect(report.errors).toEqual([
      expect.objectContaining({
        accountId: '222222222222',
        region: 'us-east-1',
        code: 'InvalidAccessException',
      }),
    ]);
    expect(report.published.filter((outcome) => outcome.error === undefined)).toHaveLength(
      report.published.length - 1,
    );
    expect(status).toBe(1);
  }, 120_000);

  it('Inspector denied in one account: only the Inspector results there are ERROR', async () => {
    // Act
    const { status, report, changed } = await underFaults(
      healthyEstate([
        { service: 'inspector2', operation: '*', account: '222222222222', kind: 'access-denied' },
      ]),
    );
    // Assess
    expect(changed.length).toBeGreaterThan(0);
    expect(new Set(changed.map((result) => `${result.accountId} ${result.checkId}`))).toEqual(
      // The Fargate check reads Inspector's ECR scanning state from the same BatchGetAccountStatus.
      new Set([
        '222222222222 eks_nodegroup_inspector_coverage',
        '222222222222 eks_fargate_inspector_coverage',
      ]),
    );
    expect(report.errors.map((error) => `${error.accountId} ${error.operation} ${error.code}`)).toContain(
      '222222222222 inspector2:BatchGetAccountStatus AccessDeniedException',
    );
    expect(status).toBe(1);
  }, 120_000);

  it('partial FailedFindings: retried, what still fails is counted and reported, the rest imported', async () => {
    // Act
    const { status, report, changed } = await underFaults(
      healthyEstate([
        {
          service: 'securityhub',
          operation: 'BatchImportFindings',
          account: '333333333333',
          kind: 'failed-findings',
          rate: 0.6,
        },
      ]),
    );
    // Assess
    expect(changed).toEqual([]);
    const analytics = report.published.filter((outcome) => outcome.accountId === '333333333333');
    const refused = analytics.reduce((total, outcome) => total + outcome.failed.count, 0);
    const expectedImports = baseline.results.filter(
      (result) => result.accountId === '333333333333' && result.status !== 'NOT_APPLICABLE',
    ).length;
    expect(analytics.reduce((total, outcome) => total + outcome.imported, 0) + refused).toBe(expectedImports);
    expect(refused).toBeGreaterThan(0);
    expect(errorsOf(report, 'securityhub:BatchImportFindings')).toEqual([
      expect.objectContaining({ accountId: '333333333333', code: 'InternalException' }),
      expect.objectContaining({ accountId: '333333333333', code: 'InternalException' }),
    ]);
    expect(
      report.published
        .filter((outcome) => outcome.accountId !== '333333333333')
        .every((outcome) => outcome.failed.count === 0),
    ).toBe(true);
    expect(status).toBe(1);
  }, 120_000);

  it('BatchUpdateFindings denied in one account: reported as that operation, findings still imported', async () => {
    // Prepare: a suppression list that suppresses findings Security Hub already holds, which takes
    // BatchUpdateFindings (an import may set the workflow only of a new finding).
    const suppressions = join(await mkdtemp(join(tmpdir(), 'fault-matrix-')), 'suppressions.json');
    await writeFile(
      suppressions,
      JSON.stringify([{ checkId: 'eks_cluster_endpoint_not_public', resource: '*', reason: 'Accepted.' }]),
    );
    // Act
    const { status, report, changed } = await underFaults(
      healthyEstate([
        {
          service: 'securityhub',
          operation: 'BatchUpdateFindings',
          account: '333333333333',
          kind: 'access-denied',
        },
      ]),
      '--suppressions',
      suppressions,
    );
    // Assess
    expect(changed).toEqual([]);
    expect(
      report.errors.map((error) => `${error.accountId} ${error.region} ${error.operation} ${error.code}`),
    ).toEqual([
      '333333333333 eu-west-1 securityhub:BatchUpdateFindings AccessDeniedException',
      '333333333333 us-east-1 securityhub:BatchUpdateFindings AccessDeniedException',
    ]);
    expect(report.errors[0]?.message).toMatch(
      /^The workflow status of \d+ finding\(s\) was not updated: User is not authorized to perform securityhub:BatchUpdateFindings$/,
    );
    expect(errorsOf(report, 'securityhub:BatchImportFindings')).toEqual([]);
    const workflowOf = (account: string) =>
      [...findings().values()]
        .filter(
          (finding) =>
            finding.AwsAccountId === account && finding.GeneratorId === 'eks_cluster_endpoint_not_public',
        )
        .map((finding) => finding.Workflow?.Status);
    expect(new Set(workflowOf('333333333333'))).toEqual(new Set(['NEW']));
    expect(new Set(workflowOf('222222222222'))).toEqual(new Set(['SUPPRESSED']));
    expect(status).toBe(1);
  }, 120_000);

  describe('through the state machine', () => {
    useEmulatorEnvironment({
      AWS_ENDPOINT_URL: () => running().endpoint,
      MEMBER_ROLE_NAME: 'EksComplianceScannerRole',
      SCAN_RESULTS_BUCKET: LOCAL_RESULTS_BUCKET,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });

    it('a refused on-demand request under 20% throttling: the rest is scanned, the refused reported, nothing assumed into', async () => {
      // Prepare
      running().emulator.replaceEstate(
        healthyEstate([{ service: '*', operation: '*', kind: 'throttle', rate: 0.2 }]),
      );
      const before = findings();
      const event = JSON.parse(
        await readFile(new URL('../../events/scan-on-demand-refused.json', import.meta.url), 'utf8'),
      ) as Record<string, unknown>;
      const handlers = await lambdaHandlers({ accountId: '111111111111' });
      const s3 = createS3Client({ region: 'eu-west-1' });
      // Act
      const execution = runScanStateMachine(
        { ...event, time: AFTER },
        { handlers, store: s3ObjectStore(s3) },
      ).finally(() => s3.destroy());
      // Assess: the run fails, and says why.
      const error = (await execution.catch((caught: unknown) => caught)) as ExecutionFailedError;
      expect(error).toBeInstanceOf(ExecutionFailedError);
      const summary = JSON.parse(
        (JSON.parse(error.Cause) as { errorMessage: string }).errorMessage,
      ) as RunSummary;
      expect(summary).toMatchObject({
        accountsScanned: 1,
        targetsScanned: 1,
        clusters: 1,
        results: { ERROR: 0 },
        refused: 2,
        clustersNotFound: 1,
        failures: 0,
      });
      expect(summary.problems.map((problem) => problem.problem)).toEqual([
        'refused account 999999999999: not an ACTIVE account of the organization nor a configured account',
        'refused Region ap-east-1: not enabled in the account',
        'cluster no-such-cluster not found in any Region scanned',
      ]);
      // Nothing was asked of the refused account or Region.
      const calls = running().emulator.calls();
      expect(calls.filter((call) => call.account === '999999999999' || call.region === 'ap-east-1')).toEqual(
        [],
      );
      // The cluster scanned keeps the verdicts of the fault-free run; nothing else changed.
      const after = findings();
      for (const [id, was] of before) {
        const now = after.get(id);
        expect({ id, status: now?.Compliance?.Status, record: now?.RecordState }).toEqual({
          id,
          status: was.Compliance?.Status,
          record: 'ACTIVE',
        });
      }
      expect(after.size).toBe(before.size);
    }, 120_000);
  });
});

describe('the fault matrix of the Config rule', () => {
  const ANALYTICS = '333333333333';
  const REGION = 'eu-west-1';
  const RULE = 'eks-cluster-endpoint-not-public';
  const running = useEmulator(() => ({ estate: healthyEstate(), random: seededRandom(11) }));
  useEmulatorEnvironment({ AWS_ENDPOINT_URL: () => running().endpoint, AWS_REGION: REGION });
  // Imported here, not at the top: the functions read their settings once, when first imported, and
  // the state machine cases above must be the first to import them (with their SCAN_RESULTS_BUCKET).
  let configRuleHandler: (event: unknown, context: Context) => Promise<unknown>;
  beforeAll(async () => {
    logger.setLogLevel('SILENT');
    ({ handler: configRuleHandler } = await import('../../functions/config-rule.js'));
  });

  const context = {
    functionName: 'eks-compliance-scanner-config-rule',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:111111111111:function:eks-compliance-scanner-config-rule`,
    awsRequestId: 'request-1',
    getRemainingTimeInMillis: () => 60_000,
  } as unknown as Context;
  const periodicEvent = async () =>
    JSON.parse(
      await readFile(new URL('../../events/config-periodic.json', import.meta.url), 'utf8'),
    ) as never;

  /** What Config holds for the rule in the analytics account, by cluster. */
  const stored = () =>
    Object.fromEntries(
      (running().emulator.state().config[ANALYTICS]?.[REGION] ?? []).map((evaluation) => [
        evaluation.ComplianceResourceId,
        `${evaluation.ComplianceType} ${evaluation.OrderingTimestamp}`,
      ]),
    );

  /** Config already holds evaluations of clusters deleted since the last run (fault-free). */
  async function clustersDeletedSinceLastRun(names: readonly string[]) {
    running().emulator.replaceEstate(healthyEstate());
    const credentials = await assumeRoleCredentials({
      roleArn: `arn:aws:iam::${ANALYTICS}:role/EksComplianceScannerRole`,
      region: REGION,
    });
    const config = new ConfigServiceClient({ region: REGION, credentials });
    await config.send(
      new PutEvaluationsCommand({
        ResultToken: resultTokenFor(RULE),
        Evaluations: names.map((name) => ({
          ComplianceResourceType: 'AWS::EKS::Cluster',
          ComplianceResourceId: name,
          ComplianceType: 'NON_COMPLIANT',
          OrderingTimestamp: new Date('2026-11-21T12:00:00Z'),
        })),
      }),
    );
    config.destroy();
  }

  it('GetComplianceDetailsByConfigRule failing: no retirement, every judged evaluation sent, the invocation fails', async () => {
    // Prepare
    await clustersDeletedSinceLastRun(['analytics-old']);
    running().emulator.replaceEstate(
      healthyEstate([
        {
          service: 'config',
          operation: 'GetComplianceDetailsByConfigRule',
          account: ANALYTICS,
          kind: 'server-error',
        },
      ]),
    );
    // Act
    const invocation = configRuleHandler(await periodicEvent(), context);
    // Assess
    await expect(invocation).rejects.toThrow(
      new RegExp(
        `^Rule ${RULE} incomplete \\(2 of 2 evaluation\\(s\\) accepted\\): config:GetComplianceDetailsByConfigRule InternalFailure: Rule ${RULE}: clusters that are gone were not retired: `,
      ),
    );
    expect(stored()).toEqual({
      'analytics-old': 'NON_COMPLIANT 2026-11-21T12:00:00.000Z',
      'analytics-notebooks': 'NON_COMPLIANT 2026-11-22T12:00:00.000Z',
      'analytics-spark': 'NON_COMPLIANT 2026-11-22T12:00:00.000Z',
    });
  }, 60_000);

  it('PutEvaluations refusing part of a batch: the rest is stored, each refusal named, the invocation fails', async () => {
    // Prepare: five evaluations in one call (two clusters judged, three retired), half of them refused.
    const gone = ['analytics-old-1', 'analytics-old-2', 'analytics-old-3'];
    await clustersDeletedSinceLastRun(gone);
    running().emulator.replaceEstate(
      healthyEstate([
        {
          service: 'config',
          operation: 'PutEvaluations',
          account: ANALYTICS,
          kind: 'failed-findings',
          rate: 0.5,
        },
      ]),
    );
    // Act
    const error = await configRuleHandler(await periodicEvent(), context).catch((thrown: unknown) => thrown);
    // Assess
    const message = String((error as Error).message);
    const refused = [
      ...message.matchAll(/Config refused the evaluation of AWS::EKS::Cluster ([\w-]+) /g),
    ].map((match) => match[1]);
    expect(error).toMatchObject({ name: 'PublishError' });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(5);
    expect(message).toContain(`Rule ${RULE} incomplete (${5 - refused.length} of 5 evaluation(s) accepted)`);
    expect(message).toContain(`config:PutEvaluations FailedEvaluation: Rule ${RULE}: `);
    const now = stored();
    const sentNow = Object.keys(now).filter((cluster) => now[cluster]?.endsWith('2026-11-22T12:00:00.000Z'));
    expect(new Set([...sentNow, ...refused])).toEqual(
      new Set(['analytics-notebooks', 'analytics-spark', ...gone]),
    );
    expect(sentNow.filter((cluster) => refused.includes(cluster))).toEqual([]);
  }, 60_000);
});
