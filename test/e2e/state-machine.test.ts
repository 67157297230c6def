/**
 * The deployed state machine definition, run locally with the real handlers against the emulator:
 * on the demo organization, and on one whose member has an opt-in Region of its own (the central
 * account has not enabled it) and lacks a Region the central account has, it publishes exactly what the
 * CLI scan publishes; the one denied account fails only itself; an on-demand request that names what the
 * deployment does not scan has the rest scanned and the rest reported, never assumed into.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type Estate, parseEstate } from '../../emulator/estate.js';
import { createS3Client } from '../../lib/aws/s3.js';
import type { RunSummary } from '../../lib/orchestration/summary.js';
import { s3ObjectStore } from '../../local/object-store.js';
import { LOCAL_RESULTS_BUCKET } from '../../local/start.js';
import {
  ExecutionFailedError,
  emptyStats,
  lambdaHandlers,
  runScanStateMachine,
} from '../../local/state-machine.js';
import { scanEndpoint } from '../support/cli.js';
import { useEmulator, useEmulatorEnvironment } from '../support/emulator.js';

const NOW = '2026-11-22T12:00:00.000Z';
const demoJson = JSON.parse(
  await readFile(new URL('../../examples/demo-estate.json', import.meta.url), 'utf8'),
) as { accounts: { accountId: string; regions: Record<string, unknown>; iam?: unknown }[] };
const demo = parseEstate(demoJson);

/**
 * The demo with 222222222222's us-east-1 moved to af-south-1: an opt-in Region only that member has
 * enabled (with a cluster), and a Region the central account has that the member has not.
 */
function optInEstate(): Estate {
  const estate = structuredClone(demoJson);
  const member = estate.accounts.find((account) => account.accountId === '222222222222');
  if (member === undefined) throw new Error('demo estate without 222222222222');
  const moved = JSON.parse(JSON.stringify(member.regions['us-east-1']).replaceAll('us-east-1', 'af-south-1'));
  delete member.regions['us-east-1'];
  member.regions['af-south-1'] = moved;
  // The moved clusters' OIDC issuers name their Region, and so do the account's IAM providers for them.
  if (member.iam !== undefined) {
    member.iam = JSON.parse(
      JSON.stringify(member.iam).replaceAll('oidc.eks.us-east-1', 'oidc.eks.af-south-1'),
    );
  }
  return parseEstate(estate);
}

type StoredFinding = {
  Id: string;
  Compliance?: { Status?: string };
  RecordState?: string;
  Severity?: { Label?: string };
};

const eventSample = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../events/${name}`, import.meta.url), 'utf8')) as unknown;

// One emulator for every estate: the functions keep member-role sessions across invocations, as a warm
// Lambda does, and only the emulator that issued them knows them.
const running = useEmulator(() => ({ estate: demo }));
useEmulatorEnvironment({
  AWS_ENDPOINT_URL: () => running().endpoint,
  MEMBER_ROLE_NAME: 'EksComplianceScannerRole',
  SCAN_RESULTS_BUCKET: LOCAL_RESULTS_BUCKET,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
});

describe.each([
  // The demo's 222222222222 has Security Hub off in its second Region, wherever that is.
  ['the demo organization', () => demo, 'us-east-1'],
  ['an organization with member-only opt-in Regions', optInEstate, 'af-south-1'],
])('the scan state machine, run locally on %s', (_, estate, securityHubOff) => {
  beforeAll(() => {
    running().emulator.replaceEstate(estate());
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

  /** Runs the state machine from `event`; resolves to the summary its failed run reports. */
  async function runFailing(event: unknown) {
    const handlers = await lambdaHandlers({ accountId: '111111111111' });
    const s3 = createS3Client({ region: 'eu-west-1' });
    const stats = emptyStats();
    const execution = runScanStateMachine(event, { handlers, store: s3ObjectStore(s3), stats }).finally(() =>
      s3.destroy(),
    );
    await expect(execution).rejects.toBeInstanceOf(ExecutionFailedError);
    const error = (await execution.catch((caught: unknown) => caught)) as ExecutionFailedError;
    const summary = JSON.parse(
      (JSON.parse(error.Cause ?? '{}') as { errorMessage: string }).errorMessage,
    ) as RunSummary;
    return { summary, stats };
  }

  it('publishes what the CLI publishes, and fails only the denied account', async () => {
    // Act
    const { summary, stats } = await runFailing({ source: 'eks-compliance-scanner.local', time: NOW });
    // Assess: the run fails, after every healthy target was scanned and published.
    expect(summary.problems[0]).toEqual({
      accountId: '444444444444',
      problem: expect.stringContaining('account not scanned: TaskFailedError: Cannot assume'),
    });
    expect(summary).toMatchObject({
      accountsPlanned: 4,
      accountsScanned: 3,
      accountsFailed: 1,
      targetsScanned: 6,
      targetsFailed: 0,
      clusters: 12,
      clustersFailed: 0,
      results: { PASSED: 240, FAILED: 67, NOT_APPLICABLE: 34, ERROR: 0 },
      published: { imported: 286, archived: 0, failedFindings: 0 },
      refused: 0,
      clustersNotFound: 0,
    });
    expect(
      summary.problems
        .slice(1)
        .every((problem) => `${problem.accountId} ${problem.region}` === `222222222222 ${securityHubOff}`),
    ).toBe(true);
    expect(stats.largestHistory).toBeLessThan(25_000);
    // Nothing asked af-south-1 of the central account, where it is not enabled.
    const central = running()
      .emulator.calls()
      .filter((call) => call.account === '111111111111' && call.region === 'af-south-1');
    expect(central).toEqual([]);
    const byStateMachine = securityHub();

    // Act: the CLI scan of the same estate, from an empty Security Hub.
    running().emulator.reset();
    const { status } = await scanEndpoint(running().endpoint, NOW, '--publish', 'securityhub');
    // Assess
    expect(status).toBe(1);
    expect(byStateMachine).toEqual(securityHub());
    expect(Object.keys(byStateMachine).length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('scans what an on-demand request may scan, reports what it refused or did not find, and assumes into nothing else', async () => {
    // Act: accounts 333333333333 and 999999999999 (not a member), Regions eu-west-1 and ap-east-1 (not
    // enabled), clusters analytics-spark and no-such-cluster.
    const { summary } = await runFailing(await eventSample('scan-on-demand-refused.json'));
    // Assess
    expect(summary).toMatchObject({
      trigger: 'on-demand',
      accountsPlanned: 1,
      accountsScanned: 1,
      targetsScanned: 1,
      clusters: 1,
      refused: 2,
      clustersNotFound: 1,
    });
    expect(summary.problems.map((problem) => problem.problem)).toEqual([
      'refused account 999999999999: not an ACTIVE account of the organization nor a configured account',
      'refused Region ap-east-1: not enabled in the account',
      'cluster no-such-cluster not found in any Region scanned',
    ]);
    const calls = running().emulator.calls();
    expect(calls.filter((call) => call.account === '999999999999' || call.region === 'ap-east-1')).toEqual(
      [],
    );
    expect(Object.keys(securityHub())).toEqual(['333333333333 eu-west-1']);
  }, 120_000);
});
