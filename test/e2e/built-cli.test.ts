/**
 * The built command (`npm run build`) as an installed user runs it: copied out of the repository, so
 * no node_modules, tsx or TypeScript is within reach, and run by plain `node` from another folder
 * against the local emulator it carries.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { buildCli } from '../../deploy/build-cli.js';
import type { ScanReport } from '../../lib/scan.js';
import { SCANNER_VERSION } from '../../lib/version.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NOW = '2026-11-22T12:00:00Z';

describe('the built eks-scan', () => {
  let entry: string;
  let elsewhere: string;
  let estate: string;

  beforeAll(async () => {
    const built = await buildCli(await mkdtemp(join(tmpdir(), 'eks-scan-build-')));
    const installed = join(await mkdtemp(join(tmpdir(), 'eks-scan-installed-')), 'eks-scan');
    await cp(dirname(built), installed, { recursive: true });
    entry = join(installed, 'eks-scan.mjs');
    elsewhere = await mkdtemp(join(tmpdir(), 'eks-scan-cwd-'));
    estate = join(elsewhere, 'demo-estate.json');
    await cp(join(ROOT, 'examples', 'demo-estate.json'), estate);
  }, 120_000);

  const eksScan = (...args: string[]) => {
    const { status, stdout, stderr } = spawnSync(entry, args, {
      cwd: elsewhere,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: elsewhere },
      timeout: 120_000,
    });
    return { status, stdout, stderr };
  };

  it('starts with a shebang and prints its version and help', async () => {
    // Act
    const version = eksScan('--version');
    const help = eksScan('scan', '--help');
    // Assess
    expect((await readFile(entry, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(version).toEqual({ status: 0, stdout: `${SCANNER_VERSION}\n`, stderr: '' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: eks-scan scan /);
  });

  it('scans the demo organization through its embedded emulator', () => {
    // Act
    const { status, stdout, stderr } = eksScan('scan', '--estate', estate, '--now', NOW, '--format', 'json');
    // Assess
    const report = JSON.parse(stdout) as ScanReport;
    const count = (status: string) => report.results.filter((result) => result.status === status).length;
    expect(status).toBe(1);
    expect([count('PASSED'), count('FAILED'), count('NOT_APPLICABLE'), count('ERROR')]).toEqual([
      240, 67, 34, 0,
    ]);
    expect(report.errors.map((error) => `${error.accountId} ${error.operation} ${error.code}`)).toEqual([
      '444444444444 sts:AssumeRole AccessDenied',
    ]);
    // The SDK's notice about Node versions (on Node 20) at most once, on stderr; nothing else there.
    expect(stderr.split('NodeVersionSupportWarning').length - 1).toBeLessThanOrEqual(1);
    expect(
      stderr.replace(
        /^\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?show where the warning was created\)\n/,
        '',
      ),
    ).toBe('');
  });

  it('writes the HTML report the --output extension names', async () => {
    // Act
    const { status, stdout } = eksScan('scan', '--estate', estate, '--now', NOW, '--output', 'report.html');
    // Assess
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(await readFile(join(elsewhere, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('answers bad input with a clean message and exit 2, never a stack trace', () => {
    // Act
    const unknownFlag = eksScan('scan', '--colour');
    const missingFolder = eksScan('scan', '--estate', estate, '--output', 'no-such-folder/report.json');
    // Assess
    expect(unknownFlag).toEqual({
      status: 2,
      stdout: '',
      stderr: "eks-scan scan: Unknown option '--colour'.\nRun 'eks-scan scan --help' for usage.\n",
    });
    expect(missingFolder.status).toBe(2);
    expect(missingFolder.stderr).toBe(
      `eks-scan scan: --output no-such-folder/report.json: the folder ${join(elsewhere, 'no-such-folder')} does not exist.\n` +
        "Run 'eks-scan scan --help' for usage.\n",
    );
  });
});
