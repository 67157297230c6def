/** `eks-scan scan`: scan an estate file, an AWS-compatible endpoint, or real AWS (see docs/interfaces). */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CHECKS, selectChecks } from '../../lib/checks/registry.js';
import { assertKnownParameters } from '../../lib/checks/runner.js';
import { UsageError } from '../../lib/errors.js';
import { DEFAULT_ROLE_NAME, type ScanReport, type ScanRequest, scan } from '../../lib/scan.js';
import { type CommandIo, chooseFormat } from '../io.js';
import { renderScanTable } from '../render-scan.js';
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

function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--now must be an ISO-8601 time such as 2026-11-22T12:00:00Z; got ${JSON.stringify(value)}.`,
    );
  }
  return date;
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
  const format = chooseFormat(values.format, ['table', 'json'], io);
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
  const homeRegion = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';

  const report =
    values.estate !== undefined
      ? await withEstateEmulator(values.estate, (emulator) =>
          scan({
            ...request,
            homeRegion: values.region ?? emulator.homeRegion,
            endpoint: emulator.endpoint,
            credentials: emulator.credentials,
          }),
        )
      : await scan({ ...request, homeRegion, endpoint: values.endpoint });

  const text =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderScanTable(report, checks.length === CHECKS.length);
  if (values.output !== undefined) await writeFile(values.output, text);
  else io.stdout(text);
  return exitStatus(report);
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
