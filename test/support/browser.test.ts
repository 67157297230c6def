import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { browserRequired, findChromium } from './browser.js';

describe('findChromium', () => {
  it('uses CHROME_PATH when it is set, and only it', async () => {
    // Prepare
    const folder = await mkdtemp(join(tmpdir(), 'eks-scan-browser-'));
    const chrome = join(folder, 'my-chrome');
    await writeFile(chrome, '');
    // Act
    const chosen = findChromium({ CHROME_PATH: chrome, PATH: '/usr/bin' });
    const missing = findChromium({ CHROME_PATH: join(folder, 'none'), PATH: '/usr/bin' });
    // Assess
    expect(chosen).toEqual({ found: true, executablePath: chrome });
    expect(missing).toEqual({
      found: false,
      reason: `CHROME_PATH is ${join(folder, 'none')}, which does not exist`,
    });
  });

  it('finds a chromium on the PATH', async () => {
    // Prepare
    const folder = await mkdtemp(join(tmpdir(), 'eks-scan-browser-'));
    const chromium = join(folder, 'chromium');
    await writeFile(chromium, '#!/bin/sh\n');
    await chmod(chromium, 0o755);
    // Act
    const lookup = findChromium({ PATH: folder });
    // Assess
    expect(lookup).toEqual({ found: true, executablePath: chromium });
  });

  it('requires a browser only when EKS_SCAN_REQUIRE_BROWSER is 1', () => {
    // Assess
    expect(browserRequired({ EKS_SCAN_REQUIRE_BROWSER: '1' })).toBe(true);
    expect(browserRequired({})).toBe(false);
  });
});
