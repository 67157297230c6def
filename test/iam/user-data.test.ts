/**
 * DescribeLaunchTemplateVersions returns UserData, which often carries bootstrap secrets: the scanner
 * keeps the call (node group checks read the template's key pair, IMDS and image settings) but never
 * stores, logs, reports or publishes UserData.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { parseEstate } from '../../emulator/estate.js';
import { withoutUserData } from '../../lib/collect/ec2.js';
import { scanEndpoint } from '../support/cli.js';
import { useEmulator, useEmulatorEnvironment } from '../support/emulator.js';

const SECRET = 'db-password=hunter2-bootstrap-secret';
const USER_DATA = Buffer.from(`#!/bin/bash\nexport ${SECRET}\n`).toString('base64');

/** The demo estate with a secret in the UserData of every launch template version. */
async function estateWithSecrets() {
  const demo = JSON.parse(
    await readFile(new URL('../../examples/demo-estate.json', import.meta.url), 'utf8'),
  );
  for (const account of demo.accounts)
    for (const region of Object.values(account.regions) as { ec2?: { launchTemplateVersions?: unknown[] } }[])
      for (const version of (region.ec2?.launchTemplateVersions ?? []) as {
        LaunchTemplateData: Record<string, unknown>;
      }[])
        version.LaunchTemplateData.UserData = USER_DATA;
  return parseEstate(demo);
}

const estate = await estateWithSecrets();

describe('UserData never leaves the collector', () => {
  const running = useEmulator(() => ({ estate }));
  useEmulatorEnvironment();

  it('drops UserData from a launch template version and keeps the rest', () => {
    // Act
    const kept = withoutUserData({
      LaunchTemplateId: 'lt-1',
      LaunchTemplateData: {
        UserData: USER_DATA,
        KeyName: 'ops',
        MetadataOptions: { HttpTokens: 'required' },
      },
    });
    // Assess
    expect(kept).toEqual({
      LaunchTemplateId: 'lt-1',
      LaunchTemplateData: { KeyName: 'ops', MetadataOptions: { HttpTokens: 'required' } },
    });
  });

  it('a published scan: no output, log line or finding contains it', async () => {
    // Act
    const { report, io } = await scanEndpoint(
      running().endpoint,
      '2026-11-22T12:00:00Z',
      '--publish',
      'securityhub',
    );
    // Assess
    const read = running()
      .emulator.calls()
      .filter((call) => call.operation === 'DescribeLaunchTemplateVersions');
    expect(read.length).toBeGreaterThan(0);
    for (const text of [
      JSON.stringify(report),
      io.out(),
      io.err(),
      JSON.stringify(running().emulator.state()),
    ]) {
      expect(text).not.toContain(USER_DATA);
      expect(text).not.toContain(SECRET);
    }
  }, 120_000);
});
