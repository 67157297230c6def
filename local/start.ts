/**
 * `npm start`: the serverless scan end to end on this machine. The emulator serves an
 * estate (examples/demo-estate.json), the state machine of statemachines/scan.asl.yaml runs with the real
 * handlers of functions/, then the run's summary and what each account and Region's Security Hub holds
 * are printed. Exit code: 0 the run succeeded, 1 it failed (the demo estate's denied account fails it),
 * 2 it could not run.
 *
 *   tsx local/start.ts [--now 2026-11-22T12:00:00Z] [--estate examples/demo-estate.json] [--event events/scan-on-demand.json]
 *   npm start -- --event events/scan-on-demand.json
 *
 * The run starts from the event in --event (every trigger has a sample in events/), so an on-demand
 * request can be tried, and its refusals seen, before anyone sends it; without one, a scheduled scan.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import { homeAccountId, loadEstateFile } from '../emulator/estate.js';
import { HOME_CREDENTIALS, startEmulator } from '../emulator/server.js';
import { createS3Client } from '../lib/aws/s3.js';
import { readMapResults } from '../lib/collect/map-results.js';
import {
  type AccountOutcome,
  type FailedAccount,
  MAP_FAILED,
  type Refusal,
  type ScanRun,
  SUMMARIZE_INPUT,
  WRITTEN_OUTCOMES,
} from '../lib/orchestration/contracts.js';
import { outcomesOfChildren, targetsOf } from '../lib/orchestration/summary.js';
import { readTime } from '../lib/time.js';
import { s3ObjectStore } from './object-store.js';
import {
  ExecutionFailedError,
  type LambdaHandlerOptions,
  lambdaHandlers,
  placeholderRef,
  runScanStateMachine,
} from './state-machine.js';

export const DEFAULT_NOW = '2026-11-22T12:00:00Z';
/** The bucket the run's items and results go to: what `Ref: ScanResultsBucket` stands for locally. */
export const LOCAL_RESULTS_BUCKET = placeholderRef('ScanResultsBucket');
export const DEFAULT_ESTATE = 'examples/demo-estate.json';
const REGION = 'eu-west-1';

type Cell = string | number;

/**
 * The event that starts the run: the file's (samples in events/), its time `now` when it has none; a
 * scheduled scan at `now` without a file.
 */
async function startEvent(file: string | undefined, now: string): Promise<unknown> {
  if (file === undefined) return { source: 'eks-compliance-scanner.local', time: now };
  let event: unknown;
  try {
    event = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`--event ${file}: ${(error as Error).message}`);
  }
  if (!isRecord(event)) throw new Error(`--event ${file}: expected a JSON object (an EventBridge event).`);
  return { ...event, time: event.time ?? now };
}

/** A plain-text table: numbers right-aligned, everything else left-aligned. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => String(row[column] ?? '').length)),
  );
  const line = (cells: readonly Cell[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return typeof cell === 'number' ? String(cell).padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** `{a: {b: 1}}` as `{'a.b': 1}`: nested objects become dotted columns. */
function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]) =>
      isRecord(item) ? Object.entries(flatten(item, `${prefix}${key}.`)) : [[`${prefix}${key}`, item]],
    ),
  );
}

const cell = (value: unknown): Cell =>
  typeof value === 'number'
    ? value
    : typeof value === 'string'
      ? readableErrorText(value)
      : value === undefined
        ? ''
        : Array.isArray(value) && value.every((item) => typeof item !== 'object')
          ? value.join(', ')
          : JSON.stringify(value);

/**
 * Any JSON document readably: its scalar fields as `name: value` lines, each list of objects as a table
 * (nested objects as dotted columns), anything else as JSON.
 */
export function renderDocument(document: unknown): string {
  if (!isRecord(document)) return JSON.stringify(document, null, 2);
  const flat = flatten(document);
  const blocks: string[] = [];
  const scalars = Object.entries(flat).filter(
    ([, value]) => !Array.isArray(value) || !value.some((item) => isRecord(item)),
  );
  if (scalars.length > 0) {
    const width = Math.max(...scalars.map(([key]) => key.length));
    blocks.push(scalars.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${cell(value)}`).join('\n'));
  }
  for (const [key, value] of Object.entries(flat)) {
    if (!Array.isArray(value) || !value.some((item) => isRecord(item))) continue;
    const rows = value.map(
      (item): Record<string, unknown> => (isRecord(item) ? flatten(item) : { value: item }),
    );
    const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    blocks.push(
      `${key}:\n${renderTable(
        headers,
        rows.map((row) => headers.map((header) => cell(row[header]))),
      )}`,
    );
  }
  return blocks.join('\n\n');
}

/** What Summarize received, with the account outcomes read from where the Distributed Map wrote them. */
export interface RunOutcomes {
  readonly run: ScanRun;
  readonly plan: { readonly accounts: number; readonly refused: readonly Refusal[] };
  readonly outcomes: readonly (AccountOutcome | FailedAccount)[];
  readonly mapError?: { readonly Error: string; readonly Cause?: string };
}

const refusalText = (refusal: Refusal) =>
  `  ${[refusal.accountId, refusal.region].filter((part) => part !== undefined).join(' ')}${
    refusal.accountId === undefined && refusal.region === undefined ? '' : ': '
  }${refusal.subject}: ${refusal.reason}`;

/**
 * The run's targets readably at any size: a row for each (account, Region) that had clusters, failed
 * or had failed calls; a count of those with nothing to scan; the accounts not scanned; the refusals.
 */
export function renderOutcomes({ run, plan, outcomes, mapError }: RunOutcomes): string {
  const heading = `Scan at ${run.scannedAt} (${run.trigger}): ${plan.accounts} account(s) planned`;
  if (mapError !== undefined)
    return `${heading}
The Map failed: ${describeError(mapError)}`;
  const headers = [
    'Account',
    'Region',
    'Clusters',
    'Failed',
    'PASSED',
    'FAILED',
    'N/A',
    'ERROR',
    'Imported',
    'Archived',
    'Problems',
  ];
  const failedTargets: string[] = [];
  const targets = targetsOf(outcomes);
  const shown = targets.filter(
    (target) => 'error' in target || target.clusters > 0 || target.failures.length > 0,
  );
  const rows = shown.map((target): Cell[] => {
    if ('error' in target) {
      const error = target.error as { Error: string; Cause?: string };
      failedTargets.push(`  ${target.accountId} ${target.region}: ${describeError(error)}`);
      return [target.accountId, target.region, '', '', '', '', '', '', '', '', `failed: ${error.Error}`];
    }
    const { results, published } = target;
    return [
      target.accountId,
      target.region,
      target.clusters,
      target.clustersFailed,
      results.PASSED,
      results.FAILED,
      results.NOT_APPLICABLE,
      results.ERROR,
      published.imported,
      published.archived,
      [...new Set(target.failures.map((failure) => `${failure.operation} ${failure.code}`))].join(', '),
    ];
  });
  const failedAccounts = outcomes.flatMap((outcome) =>
    'error' in outcome
      ? [`  ${outcome.accountId}: ${describeError(outcome.error as { Error: string; Cause?: string })}`]
      : [],
  );
  const refusals = [
    ...plan.refused,
    ...outcomes.flatMap((outcome) => ('error' in outcome ? [] : outcome.refused)),
  ];
  const empty = targets.length - shown.length;
  const accounts = new Set(targets.map((target) => target.accountId)).size;
  return [
    heading,
    ...(rows.length === 0
      ? ['No (account, Region) target had clusters or failed.']
      : [renderTable(headers, rows)]),
    `${empty} (account, Region) target(s) in ${accounts} account(s) had no cluster to scan.`,
    ...(failedTargets.length === 0 ? [] : [`\nFailed targets:\n${failedTargets.join('\n')}`]),
    ...(failedAccounts.length === 0 ? [] : [`\nAccounts not scanned:\n${failedAccounts.join('\n')}`]),
    ...(refusals.length === 0 ? [] : [`\nRefused:\n${refusals.map(refusalText).join('\n')}`]),
  ].join('\n');
}

/** The account outcomes Summarize was given: read from the Distributed Map's results object. */
export async function runOutcomes(summarizeInput: unknown, s3: S3Client): Promise<RunOutcomes | string> {
  const parsed = SUMMARIZE_INPUT.safeParse(summarizeInput);
  if (!parsed.success)
    return `Summarize input not as the contract says:\n${JSON.stringify(summarizeInput, null, 2)}`;
  const { run, plan, outcomes } = parsed.data;
  const failed = MAP_FAILED.safeParse(outcomes);
  if (failed.success) return { run, plan, outcomes: [], mapError: failed.data.mapError };
  const { Bucket, Key } = WRITTEN_OUTCOMES.parse(outcomes).ResultWriterDetails;
  return { run, plan, outcomes: outcomesOfChildren(await readMapResults(s3, Bucket, Key)) };
}

/** The message of a Lambda function error's Cause (`{errorType, errorMessage, trace}`), if it is one. */
export function lambdaMessage(cause: string): string | undefined {
  const parsed = parseJson(cause);
  return isRecord(parsed) && typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
}

/** `Error: message`, the message taken out of a Lambda Cause. */
export function describeError(error: { readonly Error: string; readonly Cause?: string }): string {
  const cause = error.Cause ?? '';
  const message = lambdaMessage(cause) ?? cause;
  return message === '' ? error.Error : `${error.Error}: ${message}`;
}

/** An `Error: Cause` text (as a run summary carries errors), a Lambda Cause reduced to its message. */
export function readableErrorText(text: string): string {
  const match = /^([^:{\s]+): (\{[\s\S]*\})$/.exec(text);
  const message = match ? lambdaMessage(match[2] as string) : undefined;
  return match && message !== undefined ? `${match[1]}: ${message}` : text;
}

/** Findings per account and Region, by Compliance.Status and RecordState (the emulator's written state). */
export function securityHubCounts(state: unknown) {
  const securityHub = isRecord(state) && isRecord(state.securityHub) ? state.securityHub : {};
  return Object.entries(securityHub).flatMap(([account, regions]) =>
    Object.entries(isRecord(regions) ? regions : {}).map(([region, findings]) => {
      const compliance: Record<string, number> = {};
      const record: Record<string, number> = {};
      const list = Array.isArray(findings) ? findings : [];
      for (const finding of list) {
        const status =
          isRecord(finding) && isRecord(finding.Compliance) ? finding.Compliance.Status : undefined;
        const recordState = isRecord(finding) ? finding.RecordState : undefined;
        const statusKey = typeof status === 'string' ? status : '(none)';
        const recordKey = typeof recordState === 'string' ? recordState : '(none)';
        compliance[statusKey] = (compliance[statusKey] ?? 0) + 1;
        record[recordKey] = (record[recordKey] ?? 0) + 1;
      }
      return { account, region, findings: list.length, compliance, record };
    }),
  );
}

const COMPLIANCE_ORDER = ['PASSED', 'FAILED', 'WARNING', 'NOT_AVAILABLE'];
const RECORD_ORDER = ['ACTIVE', 'ARCHIVED'];

const ordered = (seen: Iterable<string>, preferred: readonly string[]) => {
  const all = new Set(seen);
  return [
    ...preferred.filter((key) => all.has(key)),
    ...[...all].filter((key) => !preferred.includes(key)).sort(),
  ];
};

export function renderSecurityHub(state: unknown): string {
  const counts = securityHubCounts(state).sort(
    (a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region),
  );
  if (counts.length === 0) return 'No findings in any Security Hub.';
  const statuses = ordered(
    counts.flatMap((count) => Object.keys(count.compliance)),
    COMPLIANCE_ORDER,
  );
  const records = ordered(
    counts.flatMap((count) => Object.keys(count.record)),
    RECORD_ORDER,
  );
  return renderTable(
    ['Account', 'Region', 'Findings', ...statuses, ...records],
    counts.map((count) => [
      count.account,
      count.region,
      count.findings,
      ...statuses.map((status) => count.compliance[status] ?? 0),
      ...records.map((recordState) => count.record[recordState] ?? 0),
    ]),
  );
}

export interface StartIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: StartIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs the scan against the emulator; resolves to the exit code. `importModule`: see lambdaHandlers. */
export async function main(
  argv: readonly string[],
  io: StartIo = processIo,
  { importModule }: Pick<LambdaHandlerOptions, 'importModule'> = {},
): Promise<number> {
  let options: { now: string; estate: string; event?: string };
  let input: unknown;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        now: { type: 'string', default: DEFAULT_NOW },
        estate: { type: 'string', default: DEFAULT_ESTATE },
        event: { type: 'string' },
      },
      strict: true,
    });
    const now = readTime(values.now, { unstatedZone: 'problem', dateOnly: false });
    if ('problem' in now) throw new Error(`--now must be an ISO-8601 time with a zone: ${now.problem}.`);
    options = { now: now.time.toISOString(), estate: values.estate, event: values.event };
    input = await startEvent(values.event, options.now);
  } catch (error) {
    io.err(
      `${(error as Error).message}\nUsage: tsx local/start.ts [--now <ISO time>] [--estate <estate file>] [--event <event file>]`,
    );
    return 2;
  }

  const estate = await loadEstateFile(options.estate);
  const emulator = await startEmulator({ estate });
  try {
    // The functions' SDK clients reach the emulator through the standard settings, read when they load.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: HOME_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: HOME_CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
    });
    for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
    // As serverless.yml sets them. Powertools' logs and metrics (EMF on stdout) would bury the tables,
    // and every failure they would log is in the summary: POWERTOOLS_LOG_LEVEL=INFO and
    // POWERTOOLS_METRICS_DISABLED=false bring them back.
    process.env.MEMBER_ROLE_NAME ??= 'EksComplianceScannerRole';
    process.env.POWERTOOLS_SERVICE_NAME ??= 'eks-compliance-scanner';
    process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    process.env.SCAN_RESULTS_BUCKET ??= LOCAL_RESULTS_BUCKET;

    const handlers = await lambdaHandlers({
      accountId: homeAccountId(estate),
      ...(importModule && { importModule }),
    });
    let summarizeInput: unknown;
    const recorded = {
      ...handlers,
      Summarize: (event: unknown) => {
        summarizeInput = event;
        return handlers.Summarize(event);
      },
    };

    io.out(
      `Emulator ${emulator.endpoint} serving ${options.estate}; ${
        options.event === undefined ? `scheduled scan at ${options.now}` : `event ${options.event}`
      }\n`,
    );
    const s3 = createS3Client({ region: REGION });
    let exitCode = 0;
    let summary: unknown;
    let failure: ExecutionFailedError | undefined;
    try {
      summary = await runScanStateMachine(input, { handlers: recorded, store: s3ObjectStore(s3) });
    } catch (error) {
      if (!(error instanceof ExecutionFailedError)) throw error;
      failure = error;
      exitCode = 1;
    }

    io.out('== Targets ==');
    if (summarizeInput === undefined) io.out('Summarize was not reached.');
    else {
      const outcomes = await runOutcomes(summarizeInput, s3);
      io.out(typeof outcomes === 'string' ? outcomes : renderOutcomes(outcomes));
    }
    s3.destroy();
    if (summary !== undefined) io.out(`\n== Summary ==\n${renderDocument(summary)}`);
    if (failure) {
      // A failing Summarize reports the summary as its error's message (JSON): show it as one.
      const reported = parseJson(lambdaMessage(failure.Cause) ?? failure.Cause);
      if (isRecord(reported)) io.out(`\n== Summary ==\n${renderDocument(reported)}`);
      io.out(
        `\n== Run failed ==\n${isRecord(reported) ? `${failure.Error} (the summary above)` : describeError(failure)}`,
      );
    }

    const response = await fetch(`${emulator.endpoint}/_emulator/state`);
    io.out(`\n== Security Hub ==\n${renderSecurityHub(await response.json())}`);
    io.out(`\nRun ${exitCode === 0 ? 'succeeded' : 'failed'}.`);
    return exitCode;
  } finally {
    await emulator.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
