import { describe, expect, it } from '@jest/globals';
import type { AccountOutcome, TargetOutcome } from '../../lib/orchestration/contracts.js';
import {
  outcomesOfChildren,
  PROBLEMS_SHOWN,
  runFailed,
  summarizeRun,
} from '../../lib/orchestration/summary.js';

const RUN = { scannedAt: '2026-11-22T12:00:00.000Z', trigger: 'schedule' };
const PLAN = { accounts: 2, refused: [] };

const aTarget = (overrides: Partial<TargetOutcome> = {}): TargetOutcome => ({
  accountId: '111111111111',
  region: 'eu-west-1',
  clusters: 2,
  clustersFailed: 0,
  results: { PASSED: 20, FAILED: 3, NOT_APPLICABLE: 1, ERROR: 0 },
  published: { imported: 23, archived: 1, suppressed: 0, failedFindings: 0 },
  failures: [],
  ...overrides,
});
const EMPTY = { clusters: 0, results: { PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0, ERROR: 0 } };

const anAccount = (accountId: string, regions: AccountOutcome['regions']): AccountOutcome => ({
  accountId,
  refused: [],
  requestedClusters: [],
  regions,
});

describe('summarizeRun', () => {
  it('adds the targets up, counts the empty ones, and passes a clean run', () => {
    // Act
    const summary = summarizeRun({
      run: RUN,
      plan: PLAN,
      outcomes: [
        anAccount('111111111111', [aTarget(), aTarget({ region: 'af-south-1', ...EMPTY })]),
        anAccount('222222222222', [aTarget({ accountId: '222222222222' })]),
      ],
      resultsObject: 's3://bucket/scan-runs/run/manifest.json',
    });
    // Assess
    expect(summary).toEqual({
      scannedAt: RUN.scannedAt,
      trigger: 'schedule',
      accountsPlanned: 2,
      accountsScanned: 2,
      accountsFailed: 0,
      targetsScanned: 3,
      targetsEmpty: 1,
      targetsFailed: 0,
      clusters: 4,
      clustersFailed: 0,
      results: { PASSED: 40, FAILED: 6, NOT_APPLICABLE: 2, ERROR: 0 },
      published: { imported: 69, archived: 3, suppressed: 0, failedFindings: 0 },
      failures: 0,
      refused: 0,
      clustersNotFound: 0,
      problems: [],
      resultsObject: 's3://bucket/scan-runs/run/manifest.json',
    });
    expect(runFailed(summary)).toBe(false);
  });

  it('reports a call that failed for several clusters of a target once', () => {
    // Prepare
    const failure = { operation: 'securityhub:GetFindings', code: 'InvalidAccessException' };
    // Act
    const summary = summarizeRun({
      run: RUN,
      plan: { accounts: 1, refused: [] },
      outcomes: [anAccount('111111111111', [aTarget({ failures: [failure, failure] })])],
    });
    // Assess
    expect(summary.failures).toBe(1);
    expect(summary.problems).toEqual([
      {
        accountId: '111111111111',
        region: 'eu-west-1',
        problem: 'securityhub:GetFindings failed: InvalidAccessException',
      },
    ]);
    expect(runFailed(summary)).toBe(true);
  });

  it('names a failed account and a failed target with their errors, the Lambda message read out of the Cause', () => {
    // Prepare
    const cause = JSON.stringify({ errorType: 'TaskFailedError', errorMessage: 'Cannot assume role' });
    // Act
    const summary = summarizeRun({
      run: RUN,
      plan: PLAN,
      outcomes: [
        { accountId: '444444444444', error: { Error: 'TaskFailedError', Cause: cause } },
        anAccount('111111111111', [
          { accountId: '111111111111', region: 'eu-west-1', error: { Error: 'States.Timeout' } },
        ]),
      ],
    });
    // Assess
    expect(summary).toMatchObject({ accountsScanned: 1, accountsFailed: 1, targetsFailed: 1 });
    expect(summary.problems).toEqual([
      { accountId: '444444444444', problem: 'account not scanned: TaskFailedError: Cannot assume role' },
      { accountId: '111111111111', region: 'eu-west-1', problem: 'Region not scanned: States.Timeout' },
    ]);
    expect(runFailed(summary)).toBe(true);
  });

  it('reports refusals and the clusters a request named that no Region of their account has', () => {
    // Prepare
    const refusal = { accountId: '999999999999', subject: 'account 999999999999', reason: 'not a member' };
    const account = {
      ...anAccount('333333333333', [
        aTarget({ accountId: '333333333333', selected: ['analytics-spark'] }),
        aTarget({ accountId: '333333333333', region: 'us-east-1', selected: [], ...EMPTY }),
      ]),
      refused: [
        {
          accountId: '333333333333',
          region: 'ap-east-1',
          subject: 'Region ap-east-1',
          reason: 'not enabled',
        },
      ],
      requestedClusters: ['analytics-spark', 'no-such-cluster'],
    };
    // Act
    const summary = summarizeRun({
      run: RUN,
      plan: { accounts: 1, refused: [refusal] },
      outcomes: [account],
    });
    // Assess
    expect(summary).toMatchObject({ refused: 2, clustersNotFound: 1, accountsScanned: 1 });
    expect(summary.problems.map((problem) => problem.problem)).toEqual([
      'refused account 999999999999: not a member',
      'refused Region ap-east-1: not enabled',
      'cluster no-such-cluster not found in any Region scanned',
    ]);
    expect(runFailed(summary)).toBe(true);
  });

  it('does not call a requested cluster missing when a Region of its account could not be listed', () => {
    // Prepare
    const account = {
      ...anAccount('333333333333', [
        { accountId: '333333333333', region: 'eu-west-1', error: { Error: 'TaskFailedError' } },
      ]),
      requestedClusters: ['analytics-spark'],
    };
    // Act
    const summary = summarizeRun({ run: RUN, plan: { accounts: 1, refused: [] }, outcomes: [account] });
    // Assess
    expect(summary.clustersNotFound).toBe(0);
    expect(summary.targetsFailed).toBe(1);
  });

  it('stays the same size however many accounts fail: the first problems, and how many more', () => {
    // Prepare
    const outcomes = Array.from({ length: 5000 }, (_, index) => ({
      accountId: String(100000000000 + index),
      error: { Error: 'TaskFailedError', Cause: 'x'.repeat(2000) },
    }));
    // Act
    const summary = summarizeRun({ run: RUN, plan: { accounts: 5000, refused: [] }, outcomes });
    // Assess
    expect(summary.problems).toHaveLength(PROBLEMS_SHOWN);
    expect(summary.problemsNotShown).toBe(5000 - PROBLEMS_SHOWN);
    expect(JSON.stringify(summary).length).toBeLessThan(32 * 1024);
  });

  it('reports a Map that gave up, and an account planned but never reported', () => {
    // Act
    const summary = summarizeRun({
      run: RUN,
      plan: PLAN,
      outcomes: [],
      mapError: { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'too many' },
    });
    // Assess
    expect(summary.mapError).toBe('States.ExceedToleratedFailureThreshold: too many');
    expect(runFailed(summary)).toBe(true);
    expect(runFailed({ ...summary, mapError: undefined, problems: [] } as never)).toBe(true);
  });
});

describe('outcomesOfChildren', () => {
  it('keeps the account outcomes of successful children and fails every account of a failed child', () => {
    // Prepare
    const account = anAccount('111111111111', [aTarget()]);
    const run = RUN;
    // Act
    const outcomes = outcomesOfChildren([
      { status: 'succeeded', output: [account] },
      {
        status: 'failed',
        input: {
          Items: [
            { run, account: { accountId: '222222222222' } },
            { run, account: { accountId: '333333333333' } },
          ],
        },
        error: 'States.DataLimitExceeded',
        cause: 'too big',
      },
    ]);
    // Assess
    expect(outcomes).toEqual([
      account,
      { accountId: '222222222222', error: { Error: 'States.DataLimitExceeded', Cause: 'too big' } },
      { accountId: '333333333333', error: { Error: 'States.DataLimitExceeded', Cause: 'too big' } },
    ]);
  });

  it('refuses an output that is not a list of account outcomes, naming the field', () => {
    // Act
    const read = () => outcomesOfChildren([{ status: 'succeeded', output: [{ accountId: '111111111111' }] }]);
    // Assess
    expect(read).toThrow('Map result');
  });
});
