/**
 * The command-line conventions: help on every command, the version, one-line usage errors, no stack
 * trace for bad input, the output format from the file name, and suppressions marked in every format.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Log } from 'sarif';
import { run } from '../../cli/main.js';
import { CHECKS_USAGE, EMULATOR_USAGE, MAIN_USAGE, SCAN_USAGE } from '../../cli/usage.js';
import type { MarkedReport, MarkedResult } from '../../lib/publish/suppressions.js';
import type { ScanReport } from '../../lib/scan.js';
import { SCANNER_VERSION } from '../../lib/version.js';
import { recordingIo } from '../support/io.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'two-clusters.estate.json');
const NOW = '2026-11-22T12:00:00Z';
const BETA = 'arn:aws:eks:eu-west-1:222222222222:cluster/beta';

/** A usage error as the user sees it: what is wrong, then where the usage is; nothing else. */
const usageErrorOf = (program: string) =>
  new RegExp(`^${program}: [^\\n]+\\nRun '${program} --help' for usage\\.\\n$`);

describe('eks-scan help and version', () => {
  it.each([
    [['--help'], MAIN_USAGE],
    [['-h'], MAIN_USAGE],
    [['help'], MAIN_USAGE],
    [['help', 'scan'], SCAN_USAGE],
    [['scan', '--help'], SCAN_USAGE],
    [['scan', '--estate', FIXTURE, '-h'], SCAN_USAGE],
    [['emulator', '--help'], EMULATOR_USAGE],
    [['emulator', '-h'], EMULATOR_USAGE],
    [['checks', '--help'], CHECKS_USAGE],
  ])('%j prints that usage on stdout and exits 0', async (argv, usage) => {
    // Prepare
    const io = recordingIo(false);
    // Act
    const status = await run(argv, io);
    // Assess
    expect(status).toBe(0);
    expect(io.out()).toBe(usage);
    expect(io.err()).toBe('');
  });

  it('prints the version', async () => {
    // Prepare
    const io = recordingIo(false);
    // Act
    const status = await run(['--version'], io);
    // Assess
    expect(status).toBe(0);
    expect(io.out()).toBe(`${SCANNER_VERSION}\n`);
  });

  it('keeps each usage within 110 columns', () => {
    // Assess
    const lines = [MAIN_USAGE, SCAN_USAGE, EMULATOR_USAGE, CHECKS_USAGE].join('\n').split('\n');
    expect(lines.filter((line) => line.length > 110)).toEqual([]);
  });
});

describe('eks-scan on bad input', () => {
  const folder = mkdtempSync(join(tmpdir(), 'eks-scan-bad-'));
  const notJson = join(folder, 'not.json');
  writeFileSync(notJson, '{ nope');
  mkdirSync(join(folder, 'a-folder'));
  const busy: Server = createServer();
  let busyPort = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  it.each([
    ['no command', () => [], 'eks-scan', 'eks-scan: no command given.'],
    ['an unknown command', () => ['scna'], 'eks-scan', 'unknown command "scna"'],
    ['an unknown flag', () => ['scan', '--colour'], 'eks-scan scan', "Unknown option '--colour'."],
    [
      'a flag without its value',
      () => ['scan', '--format'],
      'eks-scan scan',
      "Option '--format <value>' argument missing",
    ],
    ['a positional argument', () => ['checks', 'all'], 'eks-scan checks', "Unexpected argument 'all'"],
    [
      'an unknown format',
      () => ['scan', '--estate', FIXTURE, '--format', 'csv'],
      'eks-scan scan',
      '--format must be one of',
    ],
    [
      'a format the output file contradicts',
      () => ['scan', '--estate', FIXTURE, '--format', 'html', '--output', join(folder, 'r.json')],
      'eks-scan scan',
      '--format html contradicts --output',
    ],
    [
      'output into a missing folder',
      () => ['scan', '--estate', FIXTURE, '--output', join(folder, 'missing', 'r.json')],
      'eks-scan scan',
      `the folder ${join(folder, 'missing')} does not exist`,
    ],
    [
      'output onto a folder',
      () => ['scan', '--estate', FIXTURE, '--output', join(folder, 'a-folder')],
      'eks-scan scan',
      'is a folder; name a file',
    ],
    [
      'a missing estate file',
      () => ['scan', '--estate', join(folder, 'none.json')],
      'eks-scan scan',
      'Cannot read the estate file',
    ],
    ['an estate that is a folder', () => ['scan', '--estate', folder], 'eks-scan scan', 'EISDIR'],
    [
      'a missing suppression list',
      () => ['scan', '--estate', FIXTURE, '--suppressions', join(folder, 'none.json')],
      'eks-scan scan',
      'Cannot read the suppression list',
    ],
    [
      'a suppression list that is not JSON',
      () => ['scan', '--estate', FIXTURE, '--suppressions', notJson],
      'eks-scan scan',
      'is not valid JSON',
    ],
    [
      '--only-failed without publishing',
      () => ['scan', '--estate', FIXTURE, '--only-failed'],
      'eks-scan scan',
      '--only-failed applies to publishing',
    ],
    [
      'an unknown publisher',
      () => ['scan', '--publish', 'slack'],
      'eks-scan scan',
      '--publish must be securityhub',
    ],
    [
      'a malformed --param',
      () => ['scan', '--param', 'maxAmiAgeDays'],
      'eks-scan scan',
      '--param expects key=value',
    ],
    ['emulator without an estate', () => ['emulator'], 'eks-scan emulator', 'needs --estate FILE'],
    [
      'an impossible port',
      () => ['emulator', '--estate', FIXTURE, '--port', '70000'],
      'eks-scan emulator',
      '--port must be a port number',
    ],
    [
      'an emulator port in use',
      () => ['emulator', '--estate', FIXTURE, '--port', String(busyPort)],
      'eks-scan emulator',
      () => `--port ${busyPort}: already in use on 127.0.0.1`,
    ],
  ])(
    '%s: one line saying what is wrong, one pointing to --help, exit 2',
    async (_case, argv, program, message) => {
      // Prepare
      const io = recordingIo(false);
      // Act
      const status = await run(argv(), io);
      // Assess
      expect(status).toBe(2);
      expect(io.err()).toContain(typeof message === 'string' ? message : message());
      expect(io.err()).toMatch(usageErrorOf(program));
      expect(io.out()).toBe('');
    },
  );

  it('an invalid estate file: every problem by its JSON path, no usage pointer, no stack trace', async () => {
    // Prepare
    const io = recordingIo(false);
    // Act
    const status = await run(['scan', '--estate', notJson], io);
    // Assess
    expect(status).toBe(2);
    expect(io.err()).toBe(
      `eks-scan scan: Invalid estate file ${notJson} (1 problem):\n` +
        `  (root): not valid JSON: Expected property name or '}' in JSON at position 2\n`,
    );
  });
});

describe('eks-scan scan outputs', () => {
  let folder: string;
  let suppressions: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'eks-scan-out-'));
    suppressions = join(folder, 'suppressions.json');
    await writeFile(
      suppressions,
      JSON.stringify([
        {
          checkId: 'eks_cluster_deletion_protection',
          resource: 'arn:aws:eks:*:222222222222:cluster/*',
          reason: 'Beta is rebuilt weekly, ticket OPS-7.',
        },
      ]),
    );
  });

  const scanTo = async (file: string, ...extra: string[]) => {
    const io = recordingIo(true);
    const status = await run(['scan', '--estate', FIXTURE, '--now', NOW, '--output', file, ...extra], io);
    return { status, io, text: await readFile(file, 'utf8') };
  };

  it.each([
    ['report.html', /^<!DOCTYPE html>/],
    ['report.HTM', /^<!DOCTYPE html>/],
    ['eks.sarif', /"version": "2\.1\.0"/],
    ['results.json', /^\{\n {2}"scannedAt": "2026-11-22T12:00:00\.000Z"/],
    ['results.txt', /^Scan at 2026-11-22T12:00:00\.000Z: 2 clusters/],
  ])('infers the format of %s from its extension', async (name, start) => {
    // Act
    const { status, io, text } = await scanTo(join(folder, name));
    // Assess
    expect(status).toBe(1);
    expect(text).toMatch(start);
    expect(io.out()).toBe('');
  });

  it('takes --format asff for a .json file: both are JSON', async () => {
    // Act
    const { text } = await scanTo(join(folder, 'findings.json'), '--format', 'asff');
    // Assess
    expect((JSON.parse(text) as { Findings: unknown[] }).Findings.length).toBeGreaterThan(0);
  });

  it('marks suppressed results in JSON, the table, HTML and SARIF, and drops none', async () => {
    // Act
    const json = JSON.parse(
      (await scanTo(join(folder, 's.json'), '--suppressions', suppressions)).text,
    ) as MarkedReport;
    const table = (await scanTo(join(folder, 's.txt'), '--suppressions', suppressions)).text;
    const html = (await scanTo(join(folder, 's.html'), '--suppressions', suppressions)).text;
    const sarif = JSON.parse(
      (await scanTo(join(folder, 's.sarif'), '--suppressions', suppressions)).text,
    ) as Log;
    // Assess
    const reason = 'Suppressed: Beta is rebuilt weekly, ticket OPS-7.';
    const suppressed = json.results.filter((result) => result.suppression !== undefined);
    expect(suppressed.map((result) => `${result.checkId} ${result.resourceId} ${result.status}`)).toEqual([
      `eks_cluster_deletion_protection ${BETA} FAILED`,
    ]);
    expect(suppressed[0]?.suppression).toEqual({ reason });
    expect(json.results).toHaveLength(57);
    expect(table).toMatch(
      /FAILED +LOW +eks_cluster_deletion_protection +222222222222 eu-west-1 beta\n.+\n +Suppressed: Beta is rebuilt weekly/,
    );
    expect(table).toContain('(1 suppressed)');
    expect(html).toContain(`<span class="suppressed">SUPPRESSED</span>`);
    expect(html).toContain(`<dt>Suppressed</dt><dd>${reason}</dd>`);
    const sarifResults = sarif.runs[0]?.results ?? [];
    expect(
      sarifResults.filter((result) => result.suppressions !== undefined).map((result) => result.ruleId),
    ).toEqual(['eks_cluster_deletion_protection']);
    expect(sarifResults.find((result) => result.suppressions !== undefined)?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: reason },
    ]);
  });

  it('marks results suppressed by the resource tag even without a suppression list', async () => {
    // Prepare
    const estate = JSON.parse(await readFile(FIXTURE, 'utf8')) as {
      accounts: { regions: Record<string, { clusters: { cluster: { tags?: Record<string, string> } }[] }> }[];
    };
    const beta = estate.accounts[1]?.regions['eu-west-1']?.clusters[0]?.cluster;
    if (beta === undefined) throw new Error('the fixture changed: no beta cluster');
    beta.tags = { ...beta.tags, 'eks-scan:suppress': 'eks_cluster_secrets_encrypted' };
    const tagged = join(folder, 'tagged.estate.json');
    await writeFile(tagged, JSON.stringify(estate));
    const io = recordingIo(false);
    // Act
    await run(['scan', '--estate', tagged, '--now', NOW, '--format', 'json'], io);
    // Assess
    const report = JSON.parse(io.out()) as { results: MarkedResult[] };
    expect(
      report.results.filter((result) => result.suppression !== undefined).map((result) => result.checkId),
    ).toEqual(['eks_cluster_secrets_encrypted']);
  });

  it('says how to provide AWS credentials when there are none', async () => {
    // Prepare
    const saved = { ...process.env };
    for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      delete process.env[name];
    }
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(folder, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(folder, 'no-credentials'),
      AWS_REGION: 'eu-west-1',
    });
    const io = recordingIo(false);
    // Act
    const status = await run(['scan', '--endpoint', 'http://127.0.0.1:9', '--format', 'json'], io).finally(
      () => {
        process.env = saved;
      },
    );
    // Assess
    expect(status).toBe(1);
    expect(io.err()).toContain(
      'eks-scan scan: no usable AWS credentials. Provide them in one of these ways:',
    );
    expect(io.err()).toContain('--profile NAME (or AWS_PROFILE=NAME)');
    expect(io.err()).toContain('AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY');
    expect(io.err()).toContain('aws sso login --profile NAME');
    expect((JSON.parse(io.out()) as ScanReport).errors.map((error) => error.code)).toContain(
      'CredentialsProviderError',
    );
  });
});
