/**
 * What a scheduled run costs in AWS: the figures the organization bench measures (Lambda invocations and
 * their durations, state transitions, findings imported, Config evaluations, S3 requests, log bytes)
 * priced with the one price table below (us-east-1, on demand), which bench/README.md quotes
 * (test/bench/cost.test.ts keeps the two the same). Pure: no clock, no file, no AWS.
 */
import { parse } from 'yaml';

/** The day the prices below were read from their source pages. */
export const PRICES_READ = '2026-12-04';

export interface Price {
  readonly service: string;
  readonly item: string;
  /** US dollars per `per` units. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly free?: string;
  readonly source: string;
  /** false: not read on an AWS pricing page (a secondary source, or aws-facts.md); see `note`. */
  readonly confirmed: boolean;
  readonly note?: string;
}

/** us-east-1 on-demand prices, first pricing tier. */
export const PRICES = {
  schedulerInvocation: {
    service: 'EventBridge Scheduler',
    item: 'schedule invocations',
    usd: 1,
    per: 1_000_000,
    unit: 'invocations',
    free: '14 million a month (account)',
    source: 'https://cloudburn.io/blog/amazon-eventbridge-pricing',
    confirmed: false,
    note: 'secondary source (its table, March 2026); the AWS page is not among the stored pages',
  },
  stateTransition: {
    service: 'Step Functions',
    item: 'Standard state transitions (each Distributed Map child execution started counts one)',
    usd: 0.025,
    per: 1000,
    unit: 'transitions',
    free: '4,000 a month (account)',
    source:
      'https://aws.amazon.com/step-functions/pricing/ ; https://docs.aws.amazon.com/step-functions/latest/dg/concepts-transitions.html',
    confirmed: true,
  },
  lambdaRequest: {
    service: 'Lambda',
    item: 'requests',
    usd: 0.2,
    per: 1_000_000,
    unit: 'requests',
    free: '1 million a month (account)',
    source: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    confirmed: false,
    note: 'secondary source; aws.amazon.com/lambda/pricing/ as stored shows the model, not the figures',
  },
  lambdaArmGbSecond: {
    service: 'Lambda',
    item: 'duration, arm64 (first 7.5 billion GB-s a month)',
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-s',
    free: '400,000 GB-s a month (account)',
    source: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    confirmed: false,
    note: 'secondary source, as the request price',
  },
  lambdaX86GbSecond: {
    service: 'Lambda',
    item: 'duration, x86_64 (first 6 billion GB-s a month)',
    usd: 0.0000166667,
    per: 1,
    unit: 'GB-s',
    free: '400,000 GB-s a month (account)',
    source: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    confirmed: false,
    note: 'secondary source, as the request price',
  },
  s3PutRequest: {
    service: 'S3 Standard',
    item: 'PUT, COPY, POST, LIST requests',
    usd: 0.005,
    per: 1000,
    unit: 'requests',
    source: 'https://c3x.dev/blog/s3-request-fees-explained',
    confirmed: false,
    note: 'secondary source; the S3 pricing page is not among the stored pages',
  },
  s3GetRequest: {
    service: 'S3 Standard',
    item: 'GET, HEAD, SELECT requests',
    usd: 0.0004,
    per: 1000,
    unit: 'requests',
    source: 'https://c3x.dev/blog/s3-request-fees-explained',
    confirmed: false,
    note: 'secondary source, as PUT',
  },
  logIngestion: {
    service: 'CloudWatch Logs',
    item: 'ingestion, Standard class (first tier)',
    usd: 0.5,
    per: 1,
    unit: 'GB',
    free: '5 GB a month (account)',
    source: 'https://hykell.com/kb/platform-specific-guides/aws-cloudwatch-logs-pricing',
    confirmed: false,
    note: 'secondary source; Lambda logs are priced in volume tiers from this price down',
  },
  securityHubIngestion: {
    service: 'Security Hub CSPM',
    item: 'finding ingestion events (BatchImportFindings, each finding)',
    usd: 0.00003,
    per: 1,
    unit: 'events',
    free: '10,000 a month per account and Region',
    source:
      'https://aws-gcr-wwso-security.gitbook.io/an-quan-zui-jia-shi-jian/an-quan-chan-pin-cheng-ben-gu-suan/an-quan-he-gui-chi-xu-jian-ce-he-zi-dong-xiu-fu-fei-yong',
    confirmed: false,
    note: 'partly unverified: the figure aws-facts.md states, also in this cost guide; the stored Security Hub pricing page describes only the per-resource plans of the new Security Hub',
  },
  configRuleEvaluation: {
    service: 'AWS Config',
    item: 'rule evaluations (first 100,000 a month per account and Region)',
    usd: 0.001,
    per: 1,
    unit: 'evaluations',
    source: 'https://aws.amazon.com/tw/config/pricing/ ; https://www.vantage.sh/blog/aws-config-pricing',
    confirmed: true,
  },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;

/** Bytes Lambda itself logs per invocation (START, END and REPORT lines): an estimate, not measured. */
export const LAMBDA_PLATFORM_LOG_BYTES = 300;

/** Security Hub's free ingestion events per account and Region per month. */
export const SECURITY_HUB_FREE_EVENTS = 10_000;

/** Days in the month the monthly figures are for. */
export const DAYS_PER_MONTH = 30;

/** What serverless.yml deploys that the cost depends on. */
export interface Deployment {
  readonly architecture: 'arm64' | 'x86_64';
  /** Memory of each function (serverless.yml's function keys), MB. */
  readonly memoryMb: Readonly<Record<string, number>>;
  readonly scanSchedule: string;
  readonly configRuleFrequency: string;
}

/** The deployment facts of serverless.yml's text (the provider's defaults where a function sets none). */
export function deploymentOf(serverlessYml: string): Deployment {
  const document = parse(serverlessYml) as {
    provider: { architecture?: string; memorySize?: number };
    params: { default: Record<string, unknown> };
    functions: Record<string, { memorySize?: number }>;
  };
  const architecture = document.provider.architecture ?? 'x86_64';
  if (architecture !== 'arm64' && architecture !== 'x86_64')
    throw new Error(`provider.architecture: unknown architecture ${architecture}.`);
  const defaultMemory = document.provider.memorySize ?? 1024;
  return {
    architecture,
    memoryMb: Object.fromEntries(
      Object.entries(document.functions).map(([key, fn]) => [key, fn.memorySize ?? defaultMemory]),
    ),
    scanSchedule: String(document.params.default.scanSchedule),
    configRuleFrequency: String(document.params.default.configRuleFrequency),
  };
}

const CRON_FIELD = /^(\*|\d+(,\d+)*)$/;

/**
 * Runs a day of an EventBridge Scheduler expression: rate(N minutes|hours|days), or a cron whose day,
 * month, weekday and year fields are all wildcards and whose minute and hour fields are `*` or lists.
 */
export function runsPerDay(schedule: string): number {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule);
  if (rate !== null) {
    const every = Number(rate[1]);
    const minutes = rate[2]?.startsWith('minute')
      ? every
      : rate[2]?.startsWith('hour')
        ? every * 60
        : every * 1440;
    return 1440 / minutes;
  }
  const cron = /^cron\((.+)\)$/.exec(schedule)?.[1]?.split(' ');
  if (cron?.length === 6) {
    const [minute = '', hour = '', ...rest] = cron;
    const everyDay = rest.every((field) => field === '*' || field === '?');
    if (everyDay && CRON_FIELD.test(minute) && CRON_FIELD.test(hour)) {
      const count = (field: string, all: number) => (field === '*' ? all : field.split(',').length);
      return count(minute, 60) * count(hour, 24);
    }
  }
  throw new RangeError(
    `Cannot count the runs a day of the schedule ${schedule}: give the monthly runs yourself.`,
  );
}

/** Periodic evaluations a day of a Config rule's MaximumExecutionFrequency. */
export function evaluationsPerDay(frequency: string): number {
  const hours = { One_Hour: 1, Three_Hours: 3, Six_Hours: 6, Twelve_Hours: 12, TwentyFour_Hours: 24 }[
    frequency
  ];
  if (hours === undefined) throw new RangeError(`Unknown Config rule frequency ${frequency}.`);
  return 24 / hours;
}

/** One function's invocations in a run: how many, and their summed duration. */
export interface FunctionUse {
  /** serverless.yml's function key (its memory is the deployment's). */
  readonly functionKey: string;
  readonly invocations: number;
  readonly durationMs: number;
  /** Invoked once a run whatever the organization's size (PlanScan, Summarize): never scaled. */
  readonly oncePerRun?: boolean;
}

/** What one run did, as the bench measured it. */
export interface MeasuredRun {
  readonly clusters: number;
  readonly functions: readonly FunctionUse[];
  /** States entered, retries included, over the execution and its children. */
  readonly stateTransitions: number;
  /** Child executions the Distributed Map started (each bills one transition more). */
  readonly childExecutions: number;
  /** Findings imported, for each (account, Region) that got any. */
  readonly findingsByTarget: readonly number[];
  readonly s3PutRequests: number;
  readonly s3GetRequests: number;
  /** Bytes the functions logged (Powertools logs and metrics), measured. */
  readonly functionLogBytes: number;
}

/** One periodic round of every Config rule, as the bench measured (or scaled) it. */
export interface MeasuredConfigRound {
  readonly clusters: number;
  readonly function: FunctionUse;
  readonly evaluations: number;
  readonly functionLogBytes: number;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly price: PriceId;
  readonly usd: number;
}

export interface CostOfRun {
  /** The factor the measured quantities were multiplied by: 1,000 / measured clusters. */
  readonly scale: number;
  readonly lines: readonly CostLine[];
  readonly usd: number;
}

export interface MonthlyCost {
  readonly runsPerMonth: number;
  readonly roundsPerMonth: number;
  readonly scan: CostOfRun;
  readonly config?: CostOfRun;
  /** Runs x scan + rounds x config, every price at its list price (no free tier). */
  readonly listUsd: number;
  /** Security Hub's ingestion as billed over a month: events beyond 10,000 per account and Region. */
  readonly securityHubBillableEvents: number;
  readonly securityHubUsd: number;
  /** listUsd with Security Hub's ingestion as billed after its free tier. */
  readonly usd: number;
}

const priced = (item: string, quantity: number, price: PriceId): CostLine => {
  const { usd, per, unit } = PRICES[price];
  return { item, quantity, unit, price, usd: (quantity * usd) / per };
};

const PER_CLUSTERS = 1000;
const GB = 1024 ** 3;

const scaleOf = (use: FunctionUse, scale: number) => (use.oncePerRun === true ? 1 : scale);

function lambdaLines(uses: readonly FunctionUse[], deployment: Deployment, scale: number): CostLine[] {
  const gbSecond = deployment.architecture === 'arm64' ? 'lambdaArmGbSecond' : 'lambdaX86GbSecond';
  const requests = uses.reduce((total, use) => total + use.invocations * scaleOf(use, scale), 0);
  return [
    priced('Lambda requests', requests, 'lambdaRequest'),
    ...uses.map((use) => {
      const memory = deployment.memoryMb[use.functionKey];
      if (memory === undefined) throw new Error(`serverless.yml has no function ${use.functionKey}.`);
      const factor = scaleOf(use, scale);
      return priced(
        `Lambda ${use.functionKey}: ${quantity(use.invocations * factor)} x ${memory} MB, ${((use.durationMs * factor) / 1000).toFixed(1)} s in all`,
        ((memory / 1024) * use.durationMs * factor) / 1000,
        gbSecond,
      );
    }),
  ];
}

const total = (lines: readonly CostLine[]) => lines.reduce((sum, line) => sum + line.usd, 0);

/** The cost of one scheduled run per 1,000 clusters, at list prices (no free tier). */
export function costOfRun(run: MeasuredRun, deployment: Deployment): CostOfRun {
  if (run.clusters <= 0) throw new RangeError('A run without clusters cannot be scaled to 1,000 clusters.');
  const scale = PER_CLUSTERS / run.clusters;
  const invocations = run.functions.reduce((sum, use) => sum + use.invocations * scaleOf(use, scale), 0);
  const findings = run.findingsByTarget.reduce((sum, count) => sum + count, 0);
  const lines = [
    priced('Scheduler invocation', 1, 'schedulerInvocation'),
    priced(
      'State transitions (incl. 1 per child execution)',
      (run.stateTransitions + run.childExecutions) * scale,
      'stateTransition',
    ),
    ...lambdaLines(run.functions, deployment, scale),
    priced('S3 PUT/LIST (items, results)', run.s3PutRequests * scale, 's3PutRequest'),
    priced('S3 GET (items, results)', run.s3GetRequests * scale, 's3GetRequest'),
    priced(
      'Function logs (measured + 300 B/invocation platform lines)',
      (run.functionLogBytes * scale + invocations * LAMBDA_PLATFORM_LOG_BYTES) / GB,
      'logIngestion',
    ),
    priced('Security Hub finding ingestion', findings * scale, 'securityHubIngestion'),
  ];
  return { scale, lines, usd: total(lines) };
}

/** One periodic round of every Config rule per 1,000 clusters, at list prices. */
export function costOfConfigRound(round: MeasuredConfigRound, deployment: Deployment): CostOfRun {
  if (round.clusters <= 0)
    throw new RangeError('A round without clusters cannot be scaled to 1,000 clusters.');
  const scale = PER_CLUSTERS / round.clusters;
  const lines = [
    ...lambdaLines([round.function], deployment, scale),
    priced(
      'Function logs (measured + 300 B/invocation platform lines)',
      ((round.functionLogBytes + round.function.invocations * LAMBDA_PLATFORM_LOG_BYTES) * scale) / GB,
      'logIngestion',
    ),
    priced('Config rule evaluations (PutEvaluations)', round.evaluations * scale, 'configRuleEvaluation'),
  ];
  return { scale, lines, usd: total(lines) };
}

/**
 * A month of scheduled runs (and of periodic Config rounds, when measured). Security Hub's ingestion is
 * billed per account and Region beyond its free 10,000 events a month: each target's findings times the
 * runs, less 10,000, scaled like the rest. Every other free tier is the central account's, shared with
 * whatever else runs there, and is not applied.
 */
export function monthlyCost(
  run: MeasuredRun,
  deployment: Deployment,
  round?: MeasuredConfigRound,
): MonthlyCost {
  const runsPerMonth = runsPerDay(deployment.scanSchedule) * DAYS_PER_MONTH;
  const roundsPerMonth = evaluationsPerDay(deployment.configRuleFrequency) * DAYS_PER_MONTH;
  const scan = costOfRun(run, deployment);
  const config = round === undefined ? undefined : costOfConfigRound(round, deployment);
  const listUsd = runsPerMonth * scan.usd + roundsPerMonth * (config?.usd ?? 0);
  const securityHubBillableEvents =
    scan.scale *
    run.findingsByTarget.reduce(
      (sum, findings) => sum + Math.max(0, findings * runsPerMonth - SECURITY_HUB_FREE_EVENTS),
      0,
    );
  const { usd, per } = PRICES.securityHubIngestion;
  const securityHubUsd = (securityHubBillableEvents * usd) / per;
  const securityHubListUsd =
    runsPerMonth * (scan.lines.find((line) => line.price === 'securityHubIngestion')?.usd ?? 0);
  return {
    runsPerMonth,
    roundsPerMonth,
    scan,
    ...(config === undefined ? {} : { config }),
    listUsd,
    securityHubBillableEvents,
    securityHubUsd,
    usd: listUsd - securityHubListUsd + securityHubUsd,
  };
}

const dollars = (usd: number) => (usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`);
const quantity = (value: number) =>
  Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
const unitPrice = (id: PriceId) => {
  const { usd, per, unit } = PRICES[id];
  return `$${usd} per ${per === 1 ? unit.replace(/(?<=[a-z])s$/, '') : `${per.toLocaleString('en-US')} ${unit}`}`;
};

function linesMarkdown(title: string, cost: CostOfRun): string[] {
  return [
    `| ${title} | Quantity | Unit price | Cost |`,
    '| --- | --- | --- | --- |',
    ...cost.lines.map(
      (line) =>
        `| ${line.item} | ${quantity(line.quantity)} ${line.unit} | ${unitPrice(line.price)} | ${dollars(line.usd)} |`,
    ),
    `| **Total** | | | **${dollars(cost.usd)}** |`,
  ];
}

/** The cost tables the bench prints. */
export function costMarkdown(month: MonthlyCost, deployment: Deployment): string {
  return [
    `### Cost per 1,000 clusters (us-east-1 on-demand prices read ${PRICES_READ}; ${deployment.architecture}; measured figures x ${quantity(month.scan.scale)})`,
    '',
    ...linesMarkdown('One scheduled run', month.scan),
    ...(month.config === undefined
      ? []
      : ['', ...linesMarkdown('One periodic round of the Config rules', month.config)]),
    '',
    '| A month (30 days) | Value |',
    '| --- | --- |',
    `| Scheduled runs (${deployment.scanSchedule}) | ${month.runsPerMonth} |`,
    ...(month.config === undefined
      ? []
      : [`| Config rounds (${deployment.configRuleFrequency}) | ${month.roundsPerMonth} |`]),
    `| At list prices | ${dollars(month.listUsd)} |`,
    `| Security Hub events beyond 10,000 per account and Region | ${quantity(month.securityHubBillableEvents)} (${dollars(month.securityHubUsd)}) |`,
    `| With Security Hub's free tier | **${dollars(month.usd)}** |`,
  ].join('\n');
}

/** The price table, as bench/README.md quotes it. */
export function priceTableMarkdown(): string {
  return [
    `Prices read ${PRICES_READ}, us-east-1, on demand, first tier. Unconfirmed: not read on an AWS pricing page.`,
    '',
    '| Service | Item | Price | Free tier | Source |',
    '| --- | --- | --- | --- | --- |',
    ...Object.keys(PRICES).map((id) => {
      const price: Price = PRICES[id as PriceId];
      const source = price.source
        .split(' ; ')
        .map((url) => `<${url}>`)
        .join(', ');
      const confirmed = price.confirmed ? '' : ` (unconfirmed: ${price.note})`;
      return `| ${price.service} | ${price.item} | ${unitPrice(id as PriceId)} | ${price.free ?? 'none'} | ${source}${confirmed} |`;
    }),
  ].join('\n');
}
