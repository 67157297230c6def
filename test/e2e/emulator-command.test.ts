/**
 * `eks-scan emulator` as a separate process, and `eks-scan scan --endpoint` against it: the path a
 * user takes to point other tools (or a second scan) at a served estate.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from '../../cli/main.js';
import type { ScanReport } from '../../lib/scan.js';
import { recordingIo } from '../support/io.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'two-clusters.estate.json');
const NOW = '2026-11-22T12:00:00Z';

interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  readonly endpoint: string;
  readonly exportLine: string;
}

/** Starts `eks-scan emulator` and waits for the two lines it prints. */
function serve(): Promise<Served> {
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    join(ROOT, 'cli', 'bin.ts'),
    'emulator',
    '--estate',
    FIXTURE,
  ]);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const [endpoint, exportLine, afterSecondLine] = out.split('\n');
      if (afterSecondLine !== undefined)
        resolve({ child, endpoint: endpoint ?? '', exportLine: exportLine ?? '' });
    });
    child.once('exit', (code) => reject(new Error(`eks-scan emulator exited early with ${code}`)));
  });
}

describe('eks-scan emulator and scan --endpoint', () => {
  let served: Served;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    served = await serve();
  }, 30_000);

  afterAll(() => {
    process.env = savedEnv;
    if (served.child.exitCode === null) served.child.kill('SIGKILL');
  });

  it('prints its loopback endpoint and the settings other tools need', () => {
    // Assess
    expect(served.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.exportLine).toBe(
      `# export AWS_ENDPOINT_URL=${served.endpoint} AWS_ACCESS_KEY_ID=AKIAEMULATORHOME0000 ` +
        'AWS_SECRET_ACCESS_KEY=emulator-secret AWS_REGION=eu-west-1',
    );
  });

  it('serves a scan through --endpoint with the credentials from the environment', async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEMULATORHOME0000';
    process.env.AWS_SECRET_ACCESS_KEY = 'emulator-secret';
    process.env.AWS_REGION = 'eu-west-1';
    const output = join(await mkdtemp(join(tmpdir(), 'eks-scan-')), 'report.json');
    const io = recordingIo(true);
    // Act
    const status = await run(
      ['scan', '--endpoint', served.endpoint, '--now', NOW, '--format', 'json', '--output', output],
      io,
    );
    // Assess
    const report = JSON.parse(await readFile(output, 'utf8')) as ScanReport;
    expect(io.out()).toBe('');
    expect(status).toBe(1);
    expect(new Set(report.results.map((result) => result.cluster))).toEqual(new Set(['alpha', 'beta']));
    expect(report.results.filter((result) => result.status === 'FAILED')).toHaveLength(23);
    expect(report.errors.map((error) => `${error.accountId} ${error.operation} ${error.code}`)).toEqual([
      '333333333333 sts:AssumeRole AccessDenied',
    ]);
  }, 30_000);

  it('stops cleanly with status 0 on SIGTERM', async () => {
    // Act
    const exited = new Promise<number | null>((resolve) => served.child.once('exit', resolve));
    served.child.kill('SIGTERM');
    // Assess
    expect(await exited).toBe(0);
  }, 30_000);
});
