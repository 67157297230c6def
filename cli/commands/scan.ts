/** `eks-scan scan`: scan an estate file, an AWS-compatible endpoint, or real AWS (see docs/interfaces). */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { isRegionOf, partitionOf } from '../../lib/aws/partition.js';
import { createSecurityHubClient } from '../../lib/aws/securityhub.js';
import { CHECKS, selectChecks } from '../../lib/checks/registry.js';
import { assertKnownParameters } from '../../lib/checks/runner.js';
import type { Check } from '../../lib/checks/types.js';
import { DEFAULT_ROLE_NAME } from '../../lib/discover.js';
import { UsageError } from '../../lib/errors.js';
import { renderHtmlReport } from '../../lib/publish/html-report.js';
import { sarifLog } from '../../lib/publish/sarif.js';
import {
  findingsToImport,
  type PublishOutcome,
  type PublishSettings,
  publicationErrors,
  publishTarget,
  targetToPublish,
} from '../../lib/publish/security-hub.js';
import {
  markResults,
  parseSuppressions,
  type Suppression,
  type SuppressionRule,
  suppressionsOf,
} from '../../lib/publish/suppressions.js';
import {
  type ScanError,
  type ScannedTarget,
  type ScanReport,
  type ScanRequest,
  scan,
} from '../../lib/scan.js';
import { readTime } from '../../lib/time.js';
import { assertWritableOutput, type CommandIo, chooseOutputFormat } from '../io.js';
import { renderScanTable } from '../render-scan.js';
import { credentialsHint } from '../usage.js';
import { withEstateEmulator } from './emulator.js';

const OPTIONS = {
  estate: { type: 'string' },
  endpoint: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  accounts: { type: 'string' },
  'role-name': { type: 'string' },
  regions: { type: 'string' },
  clusters: { type: 'string' },
  checks: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  now: { type: 'string' },
  param: { type: 'string', multiple: true },
  publish: { type: 'string' },
  'only-failed': { type: 'boolean' },
  suppressions: { type: 'string' },
} as const;

const list = (value: string | undefined, flag: string): string[] | undefined => {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one value.`);
  return items;
};

/** The scan time: a time without a zone would mean the machine's, so it is refused, as are impossible dates. */
function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const reading = readTime(value, { unstatedZone: 'problem', dateOnly: false });
  if ('problem' in reading) {
    throw new UsageError(
      `--now must be an ISO-8601 time with a zone such as 2026-11-22T12:00:00Z: ${reading.problem}.`,
    );
  }
  return reading.time;
}

function parseParams(values: readonly string[] | undefined): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const pair of values ?? []) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new UsageError(`--param expects key=value; got ${JSON.stringify(pair)}.`);
    parameters[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return parameters;
}

const ACCOUNT_ID = /^\d{12}$/;

/** `--regions` names Regions of the partition the scan runs in: that of its home Region. */
function assertRegionsOf(regions: readonly string[] | undefined, homeRegion: string): void {
  const partition = partitionOf(homeRegion);
  const unknown = (regions ?? []).filter((region) => !isRegionOf(region, partition));
  if (unknown.length > 0) {
    throw new UsageError(
      `--regions: ${unknown.map((region) => JSON.stringify(region)).join(', ')} ${unknown.length === 1 ? 'is not a Region' : 'are not Regions'} of the ${partition} partition (that of the home Region ${homeRegion}).`,
    );
  }
}

export async function scanCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  if (values.estate !== undefined && values.endpoint !== undefined) {
    throw new UsageError('Give either --estate or --endpoint, not both.');
  }
  const format = chooseOutputFormat(
    values.format,
    values.output,
    ['table', 'json', 'asff', 'html', 'sarif'],
    io,
  );
  if (values.publish !== undefined && values.publish !== 'securityhub') {
    throw new UsageError(`--publish must be securityhub; got ${JSON.stringify(values.publish)}.`);
  }
  const checks = selectChecks(list(values.checks, 'checks'));
  const parameters = parseParams(values.param);
  // Validate parameters before any AWS call: a typo must not cost a whole scan.
  assertKnownParameters(checks, parameters);
  for (const check of checks) {
    for (const [name, declaration] of Object.entries(check.parameters)) {
      if (name in parameters) declaration.parse(name, parameters[name]);
    }
  }
  const accounts = list(values.accounts, 'accounts');
  const badAccount = accounts?.find((account) => !ACCOUNT_ID.test(account));
  if (badAccount !== undefined)
    throw new UsageError(`--accounts: ${JSON.stringify(badAccount)} is not a 12-digit account id.`);
  if (values.profile !== undefined) process.env.AWS_PROFILE = values.profile;

  const settings: PublishSettings = {
    onlyFailed: values['only-failed'] === true,
    suppressions: values.suppressions === undefined ? [] : await loadSuppressions(values.suppressions),
  };
  if (settings.onlyFailed && values.publish === undefined && format !== 'asff') {
    throw new UsageError(
      '--only-failed applies to publishing (--publish securityhub) and --format asff; reports show every result.',
    );
  }
  await assertWritableOutput(values.output);
  const publication =
    values.publish === undefined && format !== 'asff' ? undefined : scanPublication(format, settings);

  const request: Omit<ScanRequest, 'homeRegion'> = {
    now: parseNow(values.now),
    checks,
    parameters,
    accounts,
    regions: list(values.regions, 'regions'),
    clusters: list(values.clusters, 'clusters'),
    roleName: values['role-name'] ?? DEFAULT_ROLE_NAME,
    onProgress: progressReporter(io),
  };
  const clusters = request.clusters;
  // Every report marks suppressed results, whether or not they are published.
  const suppressions = new Map<string, Suppression>();
  const onTarget = (endpoint: string | undefined) => {
    const publish = publication?.onTarget({
      checks,
      scannedAt: request.now,
      selection: clusters,
      endpoint,
      publish: values.publish !== undefined,
    });
    return async (scanned: ScannedTarget): Promise<ScanError[]> => {
      const target = { snapshots: scanned.collection.snapshots, results: scanned.results };
      for (const [key, suppression] of suppressionsOf(target, settings.suppressions ?? [], request.now)) {
        suppressions.set(key, suppression);
      }
      return publish === undefined ? [] : publish(scanned);
    };
  };
  const homeRegion = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (values.estate === undefined) assertRegionsOf(request.regions, homeRegion);

  const report =
    values.estate !== undefined
      ? await withEstateEmulator(values.estate, (emulator) => {
          assertRegionsOf(request.regions, values.region ?? emulator.homeRegion);
          return scan({
            ...request,
            homeRegion: values.region ?? emulator.homeRegion,
            endpoint: emulator.endpoint,
            credentials: emulator.credentials,
            onTarget: onTarget(emulator.endpoint),
          });
        })
      : await scan({
          ...request,
          homeRegion,
          endpoint: values.endpoint,
          onTarget: onTarget(values.endpoint),
        });
  // Targets finish in any order; the report lists them in a stable one.
  const published =
    values.publish === undefined
      ? undefined
      : [...(publication?.outcomes ?? [])].sort(
          (a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region),
        );
  const marked = { ...report, results: markResults(report.results, suppressions) };
  const fullReport = published === undefined ? marked : { ...marked, published };

  const text =
    format === 'json'
      ? `${JSON.stringify(fullReport, null, 2)}\n`
      : format === 'asff'
        ? `${JSON.stringify({ Findings: publication?.findings ?? [] }, null, 2)}\n`
        : format === 'html'
          ? renderHtmlReport(marked, checks)
          : format === 'sarif'
            ? `${JSON.stringify(sarifLog(marked, checks), null, 2)}\n`
            : renderScanTable(marked, checks.length === CHECKS.length, published);
  if (values.output !== undefined) await writeFile(values.output, text);
  else io.stdout(text);
  const hint = credentialsHint(report.errors);
  if (hint !== undefined) io.stderr(hint);
  return exitStatus(report);
}

async function loadSuppressions(path: string): Promise<SuppressionRule[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the suppression list ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The suppression list ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSuppressions(
    json,
    CHECKS.map((check) => check.id),
    `suppression list ${path}`,
  );
}

/**
 * Publishing as targets complete: into Security Hub (`--publish securityhub`) and/or the findings a
 * first import would send (`--format asff`).
 */
function scanPublication(format: string, settings: PublishSettings) {
  const outcomes: PublishOutcome[] = [];
  const findings: AwsSecurityFinding[] = [];
  const onTarget =
    (scan: {
      checks: readonly Check[];
      scannedAt: Date;
      selection: readonly string[] | undefined;
      endpoint: string | undefined;
      publish: boolean;
    }) =>
    async (scanned: ScannedTarget): Promise<ScanError[]> => {
      const target = targetToPublish(scanned, scan);
      if (format === 'asff') findings.push(...findingsToImport(target, settings));
      if (!scan.publish) return [];
      const client = createSecurityHubClient({
        region: target.region,
        credentials: scanned.credentials,
        endpoint: scan.endpoint,
      });
      try {
        const outcome = await publishTarget(target, settings, { client });
        outcomes.push(outcome);
        return publicationErrors(outcome).map((failure) => ({
          accountId: target.accountId,
          region: target.region,
          ...failure,
        }));
      } finally {
        client.destroy();
      }
    };
  return { outcomes, findings, onTarget };
}

/** 0 when the scan ran; 1 when any target or call failed (the other results are still reported). */
const exitStatus = (report: ScanReport) => (report.errors.length > 0 ? 1 : 0);

/** Progress on stderr, only on a terminal and only once the scan takes more than a moment. */
function progressReporter(io: CommandIo): ScanRequest['onProgress'] {
  if (!io.isErrorTerminal) return undefined;
  const started = Date.now();
  return ({ targetsDone, targetsTotal, clusters }) => {
    if (Date.now() - started < 1000 && targetsDone < targetsTotal) return;
    io.stderr(`\rScanned ${targetsDone}/${targetsTotal} account-Regions, ${clusters} clusters`);
    if (targetsDone === targetsTotal) io.stderr('\n');
  };
}
