/** The cost of a scheduled run: pure arithmetic over measured figures and the one price table. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import {
  costOfConfigRound,
  costOfRun,
  type Deployment,
  deploymentOf,
  evaluationsPerDay,
  LAMBDA_PLATFORM_LOG_BYTES,
  type MeasuredRun,
  monthlyCost,
  PRICES,
  priceTableMarkdown,
  runsPerDay,
} from '../../bench/cost.js';
import { TASKS } from '../../local/state-machine.js';

const DEPLOYMENT: Deployment = {
  architecture: 'arm64',
  memoryMb: { planScan: 512, listClusters: 512, scanCluster: 1024, configRule: 512 },
  scanSchedule: 'cron(0 6 * * ? *)',
  configRuleFrequency: 'TwentyFour_Hours',
};

/** 1,000 clusters in 100 (account, Region) targets of 10 clusters. */
const RUN: MeasuredRun = {
  clusters: 1000,
  functions: [
    { functionKey: 'planScan', invocations: 1, durationMs: 2000, oncePerRun: true },
    { functionKey: 'listClusters', invocations: 17_000, durationMs: 17_000 * 100 },
    { functionKey: 'scanCluster', invocations: 100, durationMs: 100 * 5000 },
  ],
  stateTransitions: 50_000,
  childExecutions: 100,
  findingsByTarget: Array.from({ length: 100 }, () => 250),
  s3PutRequests: 4,
  s3GetRequests: 3,
  functionLogBytes: 0,
};

const usdOf = (lines: ReturnType<typeof costOfRun>['lines'], item: string) =>
  lines.find((line) => line.item.startsWith(item))?.usd;

describe('runsPerDay and evaluationsPerDay', () => {
  it('counts the runs of rates and of daily crons, and Config frequencies', () => {
    // Act / Assess
    expect(runsPerDay('cron(0 6 * * ? *)')).toBe(1);
    expect(runsPerDay('cron(0 6,18 * * ? *)')).toBe(2);
    expect(runsPerDay('cron(0,30 * * * ? *)')).toBe(48);
    expect(runsPerDay('rate(6 hours)')).toBe(4);
    expect(runsPerDay('rate(1 day)')).toBe(1);
    expect(evaluationsPerDay('TwentyFour_Hours')).toBe(1);
    expect(evaluationsPerDay('One_Hour')).toBe(24);
  });

  it('refuses a schedule it cannot count rather than guessing', () => {
    // Act / Assess
    expect(() => runsPerDay('cron(0 6 ? * MON *)')).toThrow(/give the monthly runs yourself/);
    expect(() => runsPerDay('cron(0/15 * * * ? *)')).toThrow(RangeError);
    expect(() => evaluationsPerDay('Hourly')).toThrow(/Unknown Config rule frequency Hourly/);
  });
});

describe('deploymentOf', () => {
  it('reads the architecture, each function memory (the provider default where unset) and the schedules', () => {
    // Prepare
    const yml = [
      'params:',
      '  default:',
      '    scanSchedule: rate(12 hours)',
      '    configRuleFrequency: Six_Hours',
      'provider:',
      '  architecture: arm64',
      '  memorySize: 512',
      'functions:',
      '  planScan:',
      '    handler: functions/plan-scan.handler',
      '  scanCluster:',
      '    handler: functions/scan-cluster.handler',
      '    memorySize: 1024',
    ].join('\n');
    // Act
    const deployment = deploymentOf(yml);
    // Assess
    expect(deployment).toEqual({
      architecture: 'arm64',
      memoryMb: { planScan: 512, scanCluster: 1024 },
      scanSchedule: 'rate(12 hours)',
      configRuleFrequency: 'Six_Hours',
    });
  });

  it('knows every function the state machine invokes and the Config rule function in serverless.yml', async () => {
    // Act
    const deployment = deploymentOf(await readFile(new URL('../../serverless.yml', import.meta.url), 'utf8'));
    // Assess
    for (const { functionKey } of [...Object.values(TASKS), { functionKey: 'configRule' }])
      expect(deployment.memoryMb[functionKey]).toBeGreaterThanOrEqual(128);
    expect(runsPerDay(deployment.scanSchedule)).toBeGreaterThan(0);
    expect(evaluationsPerDay(deployment.configRuleFrequency)).toBeGreaterThan(0);
  });
});

describe('costOfRun', () => {
  it('prices each measured quantity: transitions with one per child, GB-seconds at the configured memory', () => {
    // Act
    const cost = costOfRun(RUN, DEPLOYMENT);
    // Assess
    expect(cost.scale).toBe(1);
    expect(usdOf(cost.lines, 'State transitions')).toBeCloseTo((50_100 * 0.025) / 1000, 10);
    expect(usdOf(cost.lines, 'Lambda requests')).toBeCloseTo((17_101 * 0.2) / 1_000_000, 10);
    // 17,000 x 0.1 s x 0.5 GB = 850 GB-s; 100 x 5 s x 1 GB = 500 GB-s, at the arm64 price.
    expect(usdOf(cost.lines, 'Lambda listClusters')).toBeCloseTo(850 * 0.0000133334, 10);
    expect(usdOf(cost.lines, 'Lambda scanCluster')).toBeCloseTo(500 * 0.0000133334, 10);
    expect(usdOf(cost.lines, 'Security Hub')).toBeCloseTo(25_000 * 0.00003, 10);
    expect(usdOf(cost.lines, 'Function logs')).toBeCloseTo(
      ((17_101 * LAMBDA_PLATFORM_LOG_BYTES) / 1024 ** 3) * 0.5,
      10,
    );
    expect(cost.usd).toBeCloseTo(
      cost.lines.reduce((sum, line) => sum + line.usd, 0),
      12,
    );
  });

  it('prices duration at the x86_64 price when the template deploys x86_64', () => {
    // Act
    const arm = costOfRun(RUN, DEPLOYMENT);
    const x86 = costOfRun(RUN, { ...DEPLOYMENT, architecture: 'x86_64' });
    // Assess
    expect(usdOf(x86.lines, 'Lambda scanCluster')).toBeCloseTo(500 * PRICES.lambdaX86GbSecond.usd, 10);
    expect(x86.usd).toBeGreaterThan(arm.usd);
  });

  it('scales a smaller run to 1,000 clusters, except what runs once a run', () => {
    // Prepare
    const small: MeasuredRun = {
      ...RUN,
      clusters: 100,
      functions: [
        { functionKey: 'planScan', invocations: 1, durationMs: 2000, oncePerRun: true },
        { functionKey: 'scanCluster', invocations: 10, durationMs: 10 * 5000 },
      ],
    };
    // Act
    const cost = costOfRun(small, DEPLOYMENT);
    // Assess
    expect(cost.scale).toBe(10);
    expect(cost.lines.find((line) => line.item.startsWith('Lambda requests'))?.quantity).toBe(101);
    expect(cost.lines.find((line) => line.item.startsWith('Lambda planScan'))?.quantity).toBeCloseTo(1, 10);
    expect(cost.lines.find((line) => line.item.startsWith('Lambda scanCluster'))?.quantity).toBeCloseTo(
      500,
      10,
    );
    expect(cost.lines.find((line) => line.item.startsWith('Scheduler'))?.quantity).toBe(1);
  });

  it('refuses a run without clusters', () => {
    // Act / Assess
    expect(() => costOfRun({ ...RUN, clusters: 0 }, DEPLOYMENT)).toThrow(RangeError);
  });

  it('names a function serverless.yml does not deploy', () => {
    // Act / Assess
    expect(() =>
      costOfRun({ ...RUN, functions: [{ functionKey: 'gone', invocations: 1, durationMs: 1 }] }, DEPLOYMENT),
    ).toThrow(/no function gone/);
  });
});

describe('monthlyCost', () => {
  it('bills Security Hub only beyond 10,000 events per account and Region a month', () => {
    // Prepare: 30 runs a month; 500 findings a run is 15,000 a month (5,000 billed), 100 is 3,000 (free).
    const run = { ...RUN, findingsByTarget: [500, 100] };
    // Act
    const month = monthlyCost(run, DEPLOYMENT);
    // Assess
    expect(month.runsPerMonth).toBe(30);
    expect(month.securityHubBillableEvents).toBe(5000);
    expect(month.securityHubUsd).toBeCloseTo(0.15, 10);
    const listIngestion = 30 * 600 * 0.00003;
    expect(month.usd).toBeCloseTo(month.listUsd - listIngestion + 0.15, 10);
  });

  it('adds a periodic round of the Config rules for each evaluation day', () => {
    // Prepare
    const round = {
      clusters: 1000,
      function: { functionKey: 'configRule', invocations: 14_000, durationMs: 14_000 * 50 },
      evaluations: 14_000,
      functionLogBytes: 0,
    };
    // Act
    const config = costOfConfigRound(round, DEPLOYMENT);
    const month = monthlyCost(RUN, { ...DEPLOYMENT, configRuleFrequency: 'Twelve_Hours' }, round);
    // Assess
    expect(usdOf(config.lines, 'Config rule evaluations')).toBeCloseTo(14, 10);
    expect(month.roundsPerMonth).toBe(60);
    expect(month.listUsd).toBeCloseTo(30 * month.scan.usd + 60 * config.usd, 8);
  });
});

/** Markdown with table cells trimmed and separator cells as `---`: the formatter pads tables. */
const unpadded = (markdown: string) =>
  markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .map((cell) => cell.trim().replace(/^-+$/, '---'))
            .join('|')
        : line,
    )
    .join('\n');

describe('the price table', () => {
  it('is the one bench/README.md quotes, between its markers', async () => {
    // Prepare
    const readme = await readFile(new URL('../../bench/README.md', import.meta.url), 'utf8');
    // Act
    const quoted = /<!-- prices:start -->\n([\s\S]*?)\n<!-- prices:end -->/.exec(readme)?.[1] ?? '';
    // Assess
    expect(unpadded(quoted)).toBe(unpadded(priceTableMarkdown()));
  });

  it('gives every price a source, and a reason wherever it is unconfirmed', () => {
    // Act / Assess
    for (const price of Object.values(PRICES)) {
      expect(price.source).toMatch(/^https:\/\//);
      expect(price.usd).toBeGreaterThan(0);
      if (!price.confirmed) expect('note' in price && price.note.length > 0).toBe(true);
    }
  });
});
