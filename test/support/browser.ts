/**
 * Where the browser tests find a Chromium: CHROME_PATH when it is set (and then only there), else the
 * system's chromium or Google Chrome, else a browser Playwright downloaded (`npx playwright install
 * chromium`). EKS_SCAN_REQUIRE_BROWSER=1 (set by .ci/run) makes a missing browser a failure instead of
 * a reported skip.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

export type BrowserLookup =
  | { readonly found: true; readonly executablePath: string }
  | { readonly found: false; readonly reason: string };

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

const MAC_APPS = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Executables of every Chromium revision in Playwright's browser cache, newest first. */
function playwrightCache(env: NodeJS.ProcessEnv): string[] {
  const cache = env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(cache)) return [];
  return readdirSync(cache)
    .filter((name) => /^chromium(_headless_shell)?-\d+$/.test(name))
    .sort()
    .reverse()
    .flatMap((name) => [
      join(cache, name, 'chrome-linux64', 'chrome'),
      join(cache, name, 'chrome-linux', 'chrome'),
      join(cache, name, 'chrome-linux', 'headless_shell'),
      join(cache, name, 'chrome-headless-shell-linux64', 'chrome-headless-shell'),
    ]);
}

/** The executable Playwright would download for this platform; none where it has no build. */
function playwrightDefault(): string {
  try {
    return chromium.executablePath();
  } catch {
    return '';
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): BrowserLookup {
  const chosen = env.CHROME_PATH;
  if (chosen !== undefined && chosen !== '') {
    return existsSync(chosen)
      ? { found: true, executablePath: chosen }
      : { found: false, reason: `CHROME_PATH is ${chosen}, which does not exist` };
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '')
    .flatMap((folder) => SYSTEM_NAMES.map((name) => join(folder, name)));
  const candidates = [...onPath, ...MAC_APPS, playwrightDefault(), ...playwrightCache(env)];
  const executablePath = candidates.find((candidate) => candidate !== '' && existsSync(candidate));
  return executablePath === undefined
    ? {
        found: false,
        reason: `no chromium or google-chrome on PATH, and none in Playwright's browser cache`,
      }
    : { found: true, executablePath };
}

/** What to do to run the browser tests, for the skip message. */
export const HOW_TO_ENABLE_BROWSER =
  'install one (apt-get install chromium, or npx playwright install chromium) or set CHROME_PATH to a ' +
  'Chromium or Chrome executable';

/** Whether a missing browser fails the run (CI) rather than being reported as skipped. */
export const browserRequired = (env: NodeJS.ProcessEnv = process.env) => env.EKS_SCAN_REQUIRE_BROWSER === '1';
