/**
 * The HTML report as a person sees it: `eks-scan scan --estate examples/demo-estate.json --format html`
 * rendered in headless Chromium, read through the page's accessibility roles and computed styles.
 * Screenshots and the printed PDF are saved to test-artifacts/report-browser/ (gitignored).
 *
 * The browser is found by test/support/browser.ts (CHROME_PATH, the system's chromium or Chrome,
 * Playwright's cache). Without one, these tests are reported as skipped, with the reason in their name
 * and a warning; with EKS_SCAN_REQUIRE_BROWSER=1 (CI) they fail instead.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { run } from '../../cli/main.js';
import { CHECKS } from '../../lib/checks/registry.js';
import type { CheckResult } from '../../lib/checks/types.js';
import { renderHtmlReport } from '../../lib/publish/html-report.js';
import { browserRequired, findChromium, HOW_TO_ENABLE_BROWSER } from '../support/browser.js';
import { recordingIo } from '../support/io.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEMO = join(ROOT, 'examples', 'demo-estate.json');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'report-browser');
const REPORT = join(ARTIFACTS, 'demo-report.html');
const BROWSER = findChromium();
const SUITE = 'the demo report in Chromium';
const runsHere = BROWSER.found || browserRequired();
if (!BROWSER.found && !browserRequired()) {
  console.warn(`Skipping "${SUITE}": ${BROWSER.reason}. To run it, ${HOW_TO_ENABLE_BROWSER}.`);
}
/** A run without a browser lists every test as skipped, the reason in the suite's name; never as passed. */
const describeInBrowser = runsHere ? describe : describe.skip;
const suiteName = runsHere
  ? SUITE
  : `${SUITE} (SKIPPED: ${BROWSER.reason}; to run it, ${HOW_TO_ENABLE_BROWSER})`;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** The few browser globals the in-page functions use (tsc here type-checks for Node, without the DOM library). */
interface PageGlobals {
  readonly document: {
    querySelectorAll(selector: string): Iterable<PageElement>;
    readonly documentElement: { readonly scrollWidth: number; readonly scrollHeight: number };
  };
  getComputedStyle(element: unknown): {
    color: string;
    backgroundColor: string;
    overflow: string;
    contentVisibility: string;
  };
  scrollTo(x: number, y: number): void;
}

interface DOMRectLike {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

interface PageElement {
  readonly className: string;
  readonly textContent: string | null;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  scrollLeft: number;
  getClientRects(): { readonly length: number };
  getBoundingClientRect(): { readonly left: number; readonly width: number };
}

/** Visible text with runs of white space (including the line breaks of block elements) as one space. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a person reads.
const visibleText = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

async function cellTexts(row: Locator): Promise<string[]> {
  const cells = await row.locator('th, td').all();
  return Promise.all(cells.map(visibleText));
}

describeInBrowser(suiteName, () => {
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let scanStatus: number;
  const requests: string[] = [];

  beforeAll(async () => {
    if (!BROWSER.found) {
      throw new Error(
        `EKS_SCAN_REQUIRE_BROWSER=1 and no Chromium: ${BROWSER.reason}. To run it, ${HOW_TO_ENABLE_BROWSER}.`,
      );
    }
    await mkdir(ARTIFACTS, { recursive: true });
    const io = recordingIo(false);
    scanStatus = await run(
      ['scan', '--estate', DEMO, '--format', 'html', '--output', REPORT, '--now', '2026-11-22T12:00:00Z'],
      io,
    );
    // A fresh profile each run: nothing cached, nothing signed in.
    userDataDir = await mkdtemp(join(tmpdir(), 'eks-scan-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: BROWSER.executablePath,
      headless: true,
      chromiumSandbox: false,
      args: FLAGS,
      viewport: { width: 1400, height: 900 },
    });
    context.on('request', (request) => {
      requests.push(request.url());
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(pathToFileURL(REPORT).href, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir !== undefined) await rm(userDataDir, { recursive: true, force: true });
  });

  it('opens from disk without fetching anything, and saves a screenshot', async () => {
    // Act
    await page.screenshot({ path: join(ARTIFACTS, 'demo-report.png'), fullPage: true });
    // Assess
    expect(scanStatus).toBe(1);
    expect(await page.title()).toBe('EKS compliance report, 2026-11-22 12:00 UTC');
    expect(requests).toEqual([pathToFileURL(REPORT).href]);
    expect(existsSync(join(ARTIFACTS, 'demo-report.png'))).toBe(true);
  });

  it('shows the overview: clusters, accounts, Regions and the counts by status and severity', async () => {
    // Prepare
    const overview = page.getByRole('region', { name: 'Overview' });
    const byStatus = overview.getByRole('table', { name: 'Results by status' });
    const bySeverity = overview.getByRole('table', { name: 'Failed results by severity' });
    // Act
    const statusRows = await Promise.all((await byStatus.getByRole('row').all()).map(visibleText));
    const severityRows = await Promise.all((await bySeverity.getByRole('row').all()).map(visibleText));
    const facts = await visibleText(overview.locator('dl.facts'));
    // Assess
    expect(statusRows).toEqual(['Status Results', 'PASSED 240', 'FAILED 67', 'N/A 34', 'ERROR 0']);
    expect(severityRows).toEqual([
      'Severity Failed',
      'CRITICAL 0',
      'HIGH 17',
      'MEDIUM 36',
      'LOW 14',
      'INFORMATIONAL 0',
    ]);
    expect(facts).toContain('Scan time 2026-11-22 12:00 UTC');
    expect(facts).toContain(
      'Accounts 3 (111111111111, 222222222222, 333333333333); not scanned: 1 (444444444444)',
    );
    expect(facts).toContain('Regions 2 (eu-west-1, us-east-1)');
    expect(facts).toContain('Clusters 12, of which 10 with failures');
    expect(await visibleText(page.locator('header .lede'))).toBe(
      'Scan at 2026-11-22 12:00 UTC. 67 failed results on 10 of 12 clusters. 1 account, Region or call could ' +
        'not be scanned; see Errors. Nothing there counts as PASSED.',
    );
  });

  it('shows a failing cluster’s row in the matrix, coloured and spelled out', async () => {
    // Prepare
    const matrix = page.getByRole('table', { name: '12 clusters × 24 checks' });
    const headers = await Promise.all((await matrix.locator('thead th').all()).map(visibleText));
    const spark = matrix
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'analytics-spark' }) });
    const ledger = matrix
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'platform-tools' }) });
    // Act
    const cells = await cellTexts(spark);
    const column = headers.indexOf('cluster_endpoint_not_public');
    const failedCell = spark.locator('th, td').nth(column);
    const passedCell = ledger.locator('th, td').nth(column);
    await spark.screenshot({ path: join(ARTIFACTS, 'analytics-spark-row.png') });
    // Assess
    expect(headers.slice(0, 5)).toEqual(['Cluster', 'Account', 'Region', 'Failed', 'Worst']);
    expect(headers).toHaveLength(5 + CHECKS.length);
    expect(cells.slice(0, 5)).toEqual(['analytics-spark', '333333333333', 'eu-west-1', '20', 'HIGH']);
    expect(cells[column]).toBe('FAILED HIGH');
    expect(cells[headers.indexOf('cluster_version_supported')]).toBe('FAILED MEDIUM');
    expect(await visibleText(passedCell)).toBe('PASSED');
    const background = (locator: Locator) =>
      locator.evaluate(
        (element) => (globalThis as unknown as PageGlobals).getComputedStyle(element).backgroundColor,
      );
    expect(await background(failedCell)).not.toBe(await background(passedCell));
    expect(await spark.isVisible()).toBe(true);
  });

  it('takes a person from a failed cell to the reason, the evidence and the remediation link', async () => {
    // Prepare
    const matrix = page.getByRole('table', { name: '12 clusters × 24 checks' });
    const spark = matrix
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'analytics-spark' }) });
    // Act
    await spark.getByRole('link', { name: 'FAILED HIGH' }).first().click();
    const target = page.locator('article:target');
    // Assess
    expect(await target.isVisible()).toBe(true);
    const text = await visibleText(target);
    expect(text).toMatch(/^HIGH eks_cluster_endpoint_not_public on analytics-spark /);
    expect(text).toContain('Expected EKS cluster API endpoint is not open to the whole internet');
    expect(text).toContain('0.0.0.0/0');
    expect(text).toContain('Resource arn:aws:eks:eu-west-1:333333333333:cluster/analytics-spark');
    expect(text).toContain('Evidence');
    const link = target.getByRole('link', {
      name: 'docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
    });
    expect(await link.getAttribute('href')).toBe(
      'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
    );
    expect(await link.isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-report-failure.png') });
  });

  it('lists the failures most severe first and shows what could not be scanned and why', async () => {
    // Prepare
    const failures = page.getByRole('region', { name: 'Failures, most severe first' });
    const errors = page.getByRole('region', { name: 'Errors: what could not be scanned' });
    // Act
    const groups = await Promise.all(
      (await failures.getByRole('heading', { level: 3 }).all()).map(visibleText),
    );
    const errorRows = await Promise.all(
      (await errors.getByRole('table', { name: '1 target or call that failed' }).getByRole('row').all()).map(
        cellTexts,
      ),
    );
    // Assess
    expect(groups).toEqual(['HIGH 17 failures', 'MEDIUM 36 failures', 'LOW 14 failures']);
    expect(await failures.getByRole('article').count()).toBe(67);
    expect(errorRows[1]?.slice(0, 4)).toEqual([
      '444444444444',
      'every Region',
      'sts:AssumeRole',
      'AccessDenied',
    ]);
    expect(errorRows[1]?.[4]).toContain('is not authorized to perform: sts:AssumeRole');
  });

  it('renders every failure card in a full-page capture, at a page length that holds while scrolling', async () => {
    // Prepare
    const cards = page.locator('article.finding');
    const pageHeight = () =>
      page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollHeight);
    const heightAtTop = await pageHeight();
    await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 1_000_000));
    const heightAtBottom = await pageHeight();
    await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
    // Act
    const full = await page.screenshot({ path: join(ARTIFACTS, 'demo-report-full.png'), fullPage: true });
    const visibility = await cards.evaluateAll((elements) =>
      elements.map(
        (element) => (globalThis as unknown as PageGlobals).getComputedStyle(element).contentVisibility,
      ),
    );
    /** A card as the full-page capture shows it, and as a capture of the card itself (scrolled into view). */
    const capturesOf = async (card: Locator) => {
      const box = await card.evaluate((element) => {
        const rect = (element as unknown as { getBoundingClientRect(): DOMRectLike }).getBoundingClientRect();
        const { scrollX, scrollY } = globalThis as unknown as { scrollX: number; scrollY: number };
        return { x: rect.left + scrollX, y: rect.top + scrollY, width: rect.width, height: rect.height };
      });
      await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
      const inFullPage = await page.screenshot({ fullPage: true, clip: box });
      const alone = await card.screenshot();
      return { inFullPage: inFullPage.length, alone: alone.length, text: await visibleText(card) };
    };
    const last = await capturesOf(cards.last());
    const middle = await capturesOf(cards.nth(18));
    // Assess
    expect(heightAtBottom).toBe(heightAtTop);
    // The PNG header holds the capture's height (bytes 20-23): the whole page, at its real length.
    expect(full.readUInt32BE(20)).toBe(heightAtTop);
    expect(visibility).toHaveLength(67);
    expect(new Set(visibility)).toEqual(new Set(['visible']));
    for (const card of [last, middle]) {
      expect(card.text).toMatch(/ Expected .+ Found .+ Resource arn:aws:/);
      // A card left blank in the full-page capture compresses to a fraction of the rendered card.
      expect(card.inFullPage).toBeGreaterThan(card.alone * 0.6);
    }
  });

  it('keeps the page within 1,400 px: the 24-check matrix scrolls in its own frame with the cluster column fixed', async () => {
    // Prepare
    const measure = () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const [wrap] = [...document.querySelectorAll('.matrix-wrap')];
        const [cluster] = [...document.querySelectorAll('.matrix tbody th')];
        if (wrap === undefined || cluster === undefined) throw new Error('no matrix');
        wrap.scrollLeft = wrap.scrollWidth;
        const figures = {
          page: document.documentElement.scrollWidth,
          content: wrap.scrollWidth,
          frame: wrap.clientWidth,
          scrolled: wrap.scrollLeft,
          clusterOffset: cluster.getBoundingClientRect().left - wrap.getBoundingClientRect().left,
        };
        wrap.scrollLeft = 0;
        return figures;
      });
    // Act
    const wide = await measure();
    await page.setViewportSize({ width: 900, height: 900 });
    const narrow = await measure();
    await page.setViewportSize({ width: 1400, height: 900 });
    // Assess
    // 24 checks do not fit 1,400 px: the page stays within it and the matrix scrolls inside its frame.
    expect(wide.page).toBeLessThanOrEqual(1400);
    expect(wide.content).toBeGreaterThan(wide.frame);
    expect(wide.clusterOffset).toBeGreaterThanOrEqual(0);
    expect(wide.clusterOffset).toBeLessThanOrEqual(2);
    expect(narrow.page).toBeLessThanOrEqual(900);
    expect(narrow.content).toBeGreaterThan(narrow.frame);
    expect(narrow.scrolled).toBeGreaterThan(0);
    // Scrolled to the right end, the cluster names still stand at the frame's left edge (inside its border).
    expect(narrow.clusterOffset).toBeGreaterThanOrEqual(0);
    expect(narrow.clusterOffset).toBeLessThanOrEqual(2);
  });

  it('writes evidence as key/value lines, and action names on one line at any width', async () => {
    // Prepare
    const evidence = page.locator('.finding dl.evidence');
    const actionNameLines = () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return [...document.querySelectorAll('code')]
          .filter((element) => /^[a-z0-9-]+:[A-Za-z0-9]+$/.test(element.textContent ?? ''))
          .map((element) => `${element.textContent}: ${element.getClientRects().length}`);
      });
    // Act
    const texts = await evidence.allInnerTexts();
    const wide = await actionNameLines();
    await page.setViewportSize({ width: 700, height: 900 });
    const narrow = await actionNameLines();
    await page.setViewportSize({ width: 1400, height: 900 });
    const subnets = page
      .locator('.finding', { hasText: 'eks_nodegroup_private_subnets' })
      .locator('dl.evidence')
      .first();
    // Assess
    expect(texts.length).toBeGreaterThanOrEqual(30);
    expect(texts.filter((text) => /[{}]|\[\{|":/.test(text))).toEqual([]);
    expect(await visibleText(subnets)).toContain('destination 0.0.0.0/0 gatewayId igw-');
    expect(wide).toEqual(['sts:AssumeRole: 1']);
    expect(narrow).toEqual(['sts:AssumeRole: 1']);
  });

  it('keeps every coloured text readable: contrast of at least 4.5:1 (WCAG AA)', async () => {
    // Act
    const contrasts = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
      const channels = (colour: string) => (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const luminance = (colour: string) => {
        const [r = 0, g = 0, b = 0] = channels(colour).map((value) => {
          const s = value / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const seen = new Map<string, number>();
      for (const element of document.querySelectorAll('[class*="st-"], .badge')) {
        const style = getComputedStyle(element);
        const text = luminance(style.color);
        const background = luminance(style.backgroundColor);
        const ratio = (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
        seen.set(`${element.className}: ${style.color} on ${style.backgroundColor}`, ratio);
      }
      return [...seen.entries()];
    });
    // Assess
    expect(contrasts.length).toBeGreaterThanOrEqual(9);
    expect(contrasts.filter(([, ratio]) => ratio < 4.5)).toEqual([]);
  });

  it('prints: no navigation, the matrix unclipped, into a PDF', async () => {
    // Act
    await page.emulateMedia({ media: 'print' });
    const navVisible = await page.getByRole('navigation', { name: 'Sections' }).isVisible();
    const overflow = await page
      .locator('.matrix-wrap')
      .evaluate((element) => (globalThis as unknown as PageGlobals).getComputedStyle(element).overflow);
    const pdf = await page.pdf({
      path: join(ARTIFACTS, 'demo-report.pdf'),
      landscape: true,
      printBackground: true,
    });
    await page.emulateMedia({ media: 'screen' });
    // Assess
    expect(navVisible).toBe(false);
    expect(overflow).toBe('visible');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
  }, 60_000);

  it('opens a report of 1,000 clusters with every row', async () => {
    // Prepare
    const results: CheckResult[] = [];
    for (let index = 0; index < 1000; index += 1) {
      const cluster = `cluster-${String(index).padStart(4, '0')}`;
      const accountId = String(100000000000 + (index % 50));
      for (const [checkIndex, check] of CHECKS.entries()) {
        results.push({
          checkId: check.id,
          status: (index + checkIndex) % 9 === 0 ? 'FAILED' : 'PASSED',
          severity: check.severities[0],
          partition: 'aws',
          accountId,
          region: 'eu-west-1',
          cluster,
          resourceType: 'AwsEksCluster',
          resourceId: `arn:aws:eks:eu-west-1:${accountId}:cluster/${cluster}`,
          reason: `Cluster ${cluster}: ${check.title}.`,
          evidence: { index },
          frameworks: [],
        });
      }
    }
    const path = join(ARTIFACTS, 'thousand-clusters.html');
    await writeFile(
      path,
      renderHtmlReport({ scannedAt: '2026-11-22T12:00:00.000Z', results, errors: [] }, CHECKS),
    );
    const large = await context.newPage();
    // Act
    await large.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await large.getByRole('rowheader', { name: 'cluster-0999' }).waitFor();
    // Assess
    expect(await large.locator('.matrix tbody tr').count()).toBe(1000);
    await large.screenshot({ path: join(ARTIFACTS, 'thousand-clusters.png') });
    await large.close();
  }, 60_000);
});
