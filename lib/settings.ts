/**
 * Deployment settings, read once from the function's environment and validated: a typo in a stage
 * parameter fails the cold start with the variable's name, instead of misbehaving later.
 */
import * as z from 'zod/mini';
import { CHECKS } from './checks/registry.js';
import { assertKnownParameters, resolveParameters } from './checks/runner.js';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './orchestration/plan.js';
import { parseSuppressions, type SuppressionRule } from './publish/suppressions.js';
import { parseInput } from './validation.js';

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Clusters per scan task unless CLUSTER_BATCH_SIZE says otherwise. */
export const DEFAULT_CLUSTER_BATCH_SIZE = 50;
const ACCOUNT_ID = /^\d{12}$/;
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** An optional comma-separated list; empty means unset. */
const list = (pattern: RegExp, what: string) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, context) => {
      const items = (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      for (const item of items) {
        if (!pattern.test(item))
          context.issues.push({
            code: 'custom',
            message: `${JSON.stringify(item)} is not ${what}`,
            input: value,
          });
      }
      return items.length === 0 ? undefined : items;
    }),
  );

const json = (what: string) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, context): unknown => {
      if (value === undefined || value.trim() === '') return undefined;
      try {
        return JSON.parse(value);
      } catch (error) {
        context.issues.push({
          code: 'custom',
          message: `${what} is not valid JSON: ${(error as Error).message}`,
          input: value,
        });
        return z.NEVER;
      }
    }),
  );

/** A request limit: a whole number from 1 to 10,000, or empty for the default. */
const requestLimit = z.optional(
  z
    .string()
    .check(
      z.refine(
        (value) => value === '' || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10_000),
        { error: 'expected a whole number from 1 to 10000' },
      ),
    ),
);

const SETTINGS = z.looseObject({
  /** Role assumed in member accounts. */
  MEMBER_ROLE_NAME: z
    .pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined) => (value === '' ? undefined : value)),
    )
    .check(
      z.refine((value) => value === undefined || ROLE_NAME.test(value), {
        error: 'expected an IAM role name',
      }),
    ),
  /** Accounts to scan instead of every ACTIVE account of the organization. */
  ACCOUNTS: list(ACCOUNT_ID, 'a 12-digit account id'),
  /** Regions to scan instead of the enabled Regions. */
  REGIONS: list(REGION_NAME, 'a Region name'),
  /** 'true': import FAILED findings only (plus updates of findings Security Hub already holds). */
  PUBLISH_ONLY_FAILED: z.optional(z.enum(['true', 'false', ''])),
  /** Clusters one scan task covers (1..100). */
  CLUSTER_BATCH_SIZE: z.optional(
    z.string().check(
      z.refine(
        (value) => value === '' || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 100),
        {
          error: 'expected a whole number from 1 to 100',
        },
      ),
    ),
  ),
  /** Accounts, Regions and clusters one scan request may name (defaults: DEFAULT_REQUEST_LIMITS). */
  MAX_REQUEST_ACCOUNTS: requestLimit,
  MAX_REQUEST_REGIONS: requestLimit,
  MAX_REQUEST_CLUSTERS: requestLimit,
  /** The bucket where a run's accounts (the Distributed Map's items) and results are written. */
  SCAN_RESULTS_BUCKET: z.optional(z.string()),
  /** The suppression list (JSON array), as `--suppressions` takes it. */
  SUPPRESSIONS: json('SUPPRESSIONS'),
  /** Check parameters (JSON object), e.g. {"maxAmiAgeDays": "14"}. */
  CHECK_PARAMETERS: json('CHECK_PARAMETERS'),
});

export interface Settings {
  readonly memberRoleName?: string;
  readonly accounts?: readonly string[];
  readonly regions?: readonly string[];
  readonly onlyFailed: boolean;
  readonly clusterBatchSize: number;
  readonly requestLimits: RequestLimits;
  readonly scanResultsBucket?: string;
  readonly suppressions: readonly SuppressionRule[];
  readonly checkParameters: Readonly<Record<string, unknown>>;
}

const SOURCE = 'function settings (environment variables)';

export function readSettings(environment: Readonly<Record<string, string | undefined>>): Settings {
  const parsed = parseInput(SETTINGS, environment, SOURCE);
  const suppressions =
    parsed.SUPPRESSIONS === undefined
      ? []
      : parseSuppressions(
          parsed.SUPPRESSIONS,
          CHECKS.map((check) => check.id),
          `${SOURCE}: SUPPRESSIONS`,
        );
  const checkParameters = parseInput(
    z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
    parsed.CHECK_PARAMETERS ?? {},
    `${SOURCE}: CHECK_PARAMETERS`,
  );
  // Every parameter must belong to some check and validate now, not on the first scan.
  assertKnownParameters(CHECKS, checkParameters);
  for (const check of CHECKS) resolveParameters(check, pick(checkParameters, Object.keys(check.parameters)));
  return {
    ...(parsed.MEMBER_ROLE_NAME === undefined ? {} : { memberRoleName: parsed.MEMBER_ROLE_NAME }),
    ...(parsed.ACCOUNTS === undefined ? {} : { accounts: parsed.ACCOUNTS }),
    ...(parsed.REGIONS === undefined ? {} : { regions: parsed.REGIONS }),
    onlyFailed: parsed.PUBLISH_ONLY_FAILED === 'true',
    clusterBatchSize:
      parsed.CLUSTER_BATCH_SIZE === undefined || parsed.CLUSTER_BATCH_SIZE === ''
        ? DEFAULT_CLUSTER_BATCH_SIZE
        : Number(parsed.CLUSTER_BATCH_SIZE),
    requestLimits: {
      accounts: limit(parsed.MAX_REQUEST_ACCOUNTS, DEFAULT_REQUEST_LIMITS.accounts),
      regions: limit(parsed.MAX_REQUEST_REGIONS, DEFAULT_REQUEST_LIMITS.regions),
      clusters: limit(parsed.MAX_REQUEST_CLUSTERS, DEFAULT_REQUEST_LIMITS.clusters),
    },
    ...(parsed.SCAN_RESULTS_BUCKET === undefined || parsed.SCAN_RESULTS_BUCKET === ''
      ? {}
      : { scanResultsBucket: parsed.SCAN_RESULTS_BUCKET }),
    suppressions,
    checkParameters,
  };
}

const limit = (value: string | undefined, fallback: number) =>
  value === undefined || value === '' ? fallback : Number(value);

const pick = (record: Readonly<Record<string, unknown>>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(record).filter(([key]) => keys.includes(key)));
