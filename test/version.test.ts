import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { SCANNER_VERSION } from '../lib/version.js';

describe('SCANNER_VERSION', () => {
  it('is the version package.json declares, so findings name the release that made them', async () => {
    // Prepare
    const packageJson = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    // Assess
    expect(SCANNER_VERSION).toBe(packageJson.version);
  });
});
