/**
 * The demo organization through the publisher: every finding it would import matches the Security Hub
 * API model, and two scans leave exactly one finding per (check, resource) with first-seen dates intact.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from '@jest/globals';
import { run } from '../../cli/main.js';
import { parseEstate } from '../../emulator/estate.js';
import { findingId } from '../../lib/publish/asff.js';
import type { ScanReport } from '../../lib/scan.js';
import { asffProblems } from '../support/asff-model.js';
import { useEmulator, useEmulatorEnvironment } from '../support/emulator.js';
import { recordingIo } from '../support/io.js';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'demo-estate.json');
const NOW = '2026-11-22T12:00:00Z';
const LATER = '2026-11-23T12:00:00Z';

const demo = parseEstate(JSON.parse(await readFile(DEMO, 'utf8')));

describe('the demo estate in Security Hub', () => {
  const running = useEmulator(() => ({ estate: demo }));
  useEmulatorEnvironment();

  const scan = async (now: string, ...extra: string[]) => {
    const io = recordingIo(false);
    await run(['scan', '--endpoint', running().endpoint, '--now', now, ...extra], io);
    return io.out();
  };

  it('produces findings that all match the Security Hub API model', async () => {
    // Act
    const { Findings } = JSON.parse(await scan(NOW, '--format', 'asff')) as {
      Findings: AwsSecurityFinding[];
    };
    // Assess
    expect(Findings.length).toBe(240 + 67);
    const problems = Findings.flatMap((finding) =>
      asffProblems(finding).map((problem) => `${finding.Id}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('leaves exactly one finding per (check, resource) in each account and Region after two scans', async () => {
    // Prepare
    const first = JSON.parse(await scan(NOW, '--format', 'json', '--publish', 'securityhub')) as ScanReport;
    const createdAt = new Map(
      Object.values(running().emulator.state().securityHub)
        .flatMap((regions) => Object.values(regions).flat())
        .map((finding) => [finding.Id, finding.CreatedAt]),
    );
    // Act
    await scan(LATER, '--format', 'json', '--publish', 'securityhub');
    // Assess
    const published = first.results.filter(
      (result) =>
        result.status !== 'NOT_APPLICABLE' &&
        !(result.accountId === '222222222222' && result.region === 'us-east-1'),
    );
    const hub = running().emulator.state().securityHub;
    const stored = Object.entries(hub).flatMap(([account, regions]) =>
      Object.entries(regions).flatMap(([region, findings]) =>
        findings.map((finding) => ({ account, region, finding: finding as unknown as AwsSecurityFinding })),
      ),
    );
    expect(stored.map(({ finding }) => finding.Id).sort()).toEqual(published.map(findingId).sort());
    for (const { account, region, finding } of stored) {
      expect([finding.AwsAccountId, finding.Region]).toEqual([account, region]);
      expect(finding.CreatedAt).toBe(createdAt.get(finding.Id));
      expect(finding.CreatedAt).toBe('2026-11-22T12:00:00.000Z');
      expect(finding.UpdatedAt).toBe('2026-11-23T12:00:00.000Z');
    }
    expect(hub['222222222222']?.['us-east-1'] ?? []).toEqual([]);
  });
});
