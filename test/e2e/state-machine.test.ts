/**
 * The deployed state machine definition, run locally with the real handlers against the emulator
 * serving the demo organization: it publishes exactly what the CLI scan publishes, and the one denied
 * account fails only its own items.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { parseEstate } from '../../emulator/estate.js';
import type { RunSummary } from '../../lib/orchestration/summary.js';
import { ExecutionFailedError, lambdaHandlers, runScanStateMachine } from '../../local/state-machine.js';
import { scanEndpoint } from '../support/cli.js';
import { useEmulator, useEmulatorEnvironment } from '../support/emulator.js';

const NOW = '2026-11-22T12:00:00.000Z';
const demo = parseEstate(
  JSON.parse(await readFile(new URL('../../examples/demo-estate.json', import.meta.url), 'utf8')),
);

type StoredFinding = {
  Id: string;
  Compliance?: { Status?: string };
  RecordState?: string;
  Severity?: { Label?: string };
};

describe('the scan state machine, run locally', () => {
  const running = useEmulator(() => ({ estate: demo }));
  useEmulatorEnvironment({
    AWS_ENDPOINT_URL: () => running().endpoint,
    MEMBER_ROLE_NAME: 'EksComplianceScannerRole',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });

  /** What Security Hub holds, per account and Region: finding id -> status, severity, record state. */
  const securityHub = () =>
    Object.fromEntries(
      Object.entries(running().emulator.state().securityHub).flatMap(([account, regions]) =>
        Object.entries(regions).map(([region, findings]) => [
          `${account} ${region}`,
          Object.fromEntries(
            (findings as unknown as StoredFinding[]).map((finding) => [
              finding.Id,
              `${finding.Compliance?.Status} ${finding.Severity?.Label} ${finding.RecordState}`,
            ]),
          ),
        ]),
      ),
    );

  it('publishes what the CLI publishes, and fails only the denied account', async () => {
    // Prepare
    let summarized: unknown;
    const handlers = await lambdaHandlers({ accountId: '111111111111' });
    // Act
    const execution = runScanStateMachine(
      { source: 'eks-compliance-scanner.local', time: NOW },
      {
        handlers: {
          ...handlers,
          Summarize: async (event) => {
            summarized = event;
            return handlers.Summarize(event);
          },
        },
      },
    );
    // Assess: the run fails, after every healthy target was scanned and published.
    await expect(execution).rejects.toBeInstanceOf(ExecutionFailedError);
    const error = (await execution.catch((caught: unknown) => caught)) as ExecutionFailedError;
    const summary = JSON.parse(
      (JSON.parse(error.Cause ?? '{}') as { errorMessage: string }).errorMessage,
    ) as RunSummary;
    expect(summary.targetsFailed.map((target) => `${target.accountId} ${target.region}`)).toEqual([
      '444444444444 eu-west-1',
      '444444444444 us-east-1',
    ]);
    expect(summary).toMatchObject({
      targetsPlanned: 8,
      targetsScanned: 6,
      clusters: 11,
      clustersFailed: 0,
      results: { PASSED: 150, FAILED: 39, NOT_APPLICABLE: 12, ERROR: 0 },
      published: { imported: 175, archived: 0, failedFindings: 0 },
    });
    expect(
      summary.failures.every(
        (failure) => `${failure.accountId} ${failure.region}` === '222222222222 us-east-1',
      ),
    ).toBe(true);
    expect((summarized as { outcomes: unknown[] }).outcomes).toHaveLength(8);
    const byStateMachine = securityHub();

    // Act: the CLI scan of the same estate, from an empty Security Hub.
    running().emulator.reset();
    const { status } = await scanEndpoint(running().endpoint, NOW, '--publish', 'securityhub');
    // Assess
    expect(status).toBe(1);
    expect(byStateMachine).toEqual(securityHub());
    expect(Object.keys(byStateMachine).sort()).toEqual([
      '111111111111 eu-west-1',
      '111111111111 us-east-1',
      '222222222222 eu-west-1',
      '333333333333 eu-west-1',
      '333333333333 us-east-1',
    ]);
  }, 60_000);
});
