import { describe, expect, it } from '@jest/globals';
import type { TargetOutcome } from '../../lib/orchestration/contracts.js';
import {
  failedRunMessage,
  outcomesOfChildren,
  runFailed,
  summarizeRun,
} from '../../lib/orchestration/summary.js';

const RUN = { scannedAt: '2026-11-22T12:00:00.000Z', trigger: 'schedule' };

const anOutcome = (overrides: Partial<TargetOutcome> = {}): TargetOutcome => ({
  accountId: '111111111111',
  region: 'eu-west-1',
  clusters: 2,
  clustersFailed: 0,
  results: { PASSED: 20, FAILED: 3, NOT_APPLICABLE: 1, ERROR: 0 },
  published: { imported: 23, archived: 1, suppressed: 0, failedFindings: 0 },
  failures: [],
  ...overrides,
});

describe('summarizeRun', () => {
  it('adds the targets up and passes a clean run', () => {
    // Act
    const summary = summarizeRun(RUN, 2, [anOutcome(), anOutcome({ accountId: '222222222222' })]);
    // Assess
    expect(summary).toEqual({
      scannedAt: RUN.scannedAt,
      trigger: 'schedule',
      targetsPlanned: 2,
      targetsScanned: 2,
      targetsFailed: [],
      clusters: 4,
      clustersFailed: 0,
      results: { PASSED: 40, FAILED: 6, NOT_APPLICABLE: 2, ERROR: 0 },
      published: { imported: 46, archived: 2, suppressed: 0, failedFindings: 0 },
      failures: [],
    });
    expect(runFailed(summary)).toBe(false);
  });

  it.each([
    [
      'a target failed',
      [
        anOutcome(),
        {
          accountId: '333333333333',
          region: 'eu-west-1',
          error: { Error: 'TaskFailedError', Cause: 'denied' },
        },
      ],
    ],
    ['a cluster failed', [anOutcome({ clustersFailed: 1 }), anOutcome()]],
    [
      'a call failed',
      [anOutcome({ failures: [{ operation: 'ec2:DescribeInstances', code: 'Throttling' }] }), anOutcome()],
    ],
    [
      'findings were refused',
      [anOutcome({ published: { imported: 1, archived: 0, suppressed: 0, failedFindings: 2 } }), anOutcome()],
    ],
    ['a planned target is missing', [anOutcome()]],
  ])('fails the run when %s', (_, outcomes) => {
    // Act
    const summary = summarizeRun(RUN, 2, outcomes);
    // Assess
    expect(runFailed(summary)).toBe(true);
  });

  it('reports a call that failed for several clusters of a target once', () => {
    // Prepare
    const failure = { operation: 'securityhub:GetFindings', code: 'InvalidAccessException' };
    // Act
    const summary = summarizeRun(RUN, 1, [anOutcome({ failures: [failure, failure] })]);
    // Assess
    expect(summary.failures).toEqual([{ accountId: '111111111111', region: 'eu-west-1', ...failure }]);
  });

  it('names a failed target with its error, and reports a Map that gave up', () => {
    // Act
    const summary = summarizeRun(RUN, 3, [], {
      Error: 'States.ExceedToleratedFailureThreshold',
      Cause: 'too many',
    });
    // Assess
    expect(summary.mapError).toBe('States.ExceedToleratedFailureThreshold: too many');
    expect(runFailed(summary)).toBe(true);
  });
});

describe('failedRunMessage', () => {
  it('reads the Lambda error message out of a Cause, and keeps the message within 32 KB', () => {
    // Prepare
    const failed = Array.from({ length: 400 }, (_, index) => ({
      accountId: String(100000000000 + index),
      region: 'eu-west-1',
      error: {
        Error: 'TaskFailedError',
        Cause: JSON.stringify({
          errorType: 'TaskFailedError',
          errorMessage: `Cannot assume role ${index}`,
          trace: ['x'.repeat(200)],
        }),
      },
    }));
    // Act
    const summary = summarizeRun(RUN, 400, failed);
    const message = failedRunMessage(summary);
    // Assess
    expect(summary.targetsFailed[0]?.error).toBe('TaskFailedError: Cannot assume role 0');
    expect(message.length).toBeLessThan(32_768);
    expect(JSON.parse(message)).toMatchObject({ targetsPlanned: 400, truncated: expect.any(String) });
  });
});

describe('outcomesOfChildren', () => {
  it('keeps successful outcomes and turns failed child executions into failed targets', () => {
    // Act
    const outcomes = outcomesOfChildren([
      { status: 'succeeded', output: anOutcome() },
      {
        status: 'failed',
        input: { run: RUN, target: { accountId: '444444444444', region: 'us-east-1' } },
        error: 'States.Timeout',
      },
    ]);
    // Assess
    expect(outcomes).toEqual([
      anOutcome(),
      { accountId: '444444444444', region: 'us-east-1', error: { Error: 'States.Timeout' } },
    ]);
  });

  it('refuses an output that is not a target outcome, naming the field', () => {
    // Act
    const read = () => outcomesOfChildren([{ status: 'succeeded', output: { accountId: '111111111111' } }]);
    // Assess
    expect(read).toThrow('region');
  });
});
