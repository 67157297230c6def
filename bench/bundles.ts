/**
 * The deployed functions' bundles (`serverless package` on a copy of the work tree, see
 * deploy/package-service.ts): each minified .cjs's size, and each bundle's cold init: in a fresh `node`,
 * the time to `require` it until `handler` exists.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageService } from '../deploy/package-service.js';

const run = promisify(execFile);

export interface ColdInit {
  /** Median over the runs of the time from `require` to a `handler` function. */
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  /** RSS right after the require (the last run). */
  readonly rssMb: number;
  readonly heapUsedMb: number;
}

export interface FunctionBundle {
  readonly function: string;
  readonly zipBytes: number;
  readonly file: string;
  /** Unzipped size of the function's .cjs (minified). */
  readonly cjsBytes: number;
  readonly coldInit: ColdInit;
}

export interface BundleFigures {
  readonly packageMs: number;
  readonly functions: readonly FunctionBundle[];
}

/** Runs in the fresh process: requires the bundle and reports how long until `handler` existed. */
const COLD_INIT_SCRIPT = `
const { performance } = require('node:perf_hooks');
const started = performance.now();
const loaded = require(process.argv[1]);
const ok = typeof loaded.handler === 'function';
const ms = performance.now() - started;
const memory = process.memoryUsage();
process.stdout.write(JSON.stringify({ ok, ms, rss: memory.rss, heapUsed: memory.heapUsed }));
`;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

async function coldInit(file: string, functionName: string, runs: number): Promise<ColdInit> {
  const runsMs: number[] = [];
  let last = { rss: 0, heapUsed: 0 };
  for (let attempt = 0; attempt < runs; attempt += 1) {
    const { stdout } = await run(process.execPath, ['-e', COLD_INIT_SCRIPT, file], {
      // What Lambda sets, plus the stage's settings (empty lists: every account and Region).
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'eu-west-1',
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
        POWERTOOLS_SERVICE_NAME: 'eks-compliance-scanner',
        POWERTOOLS_METRICS_NAMESPACE: 'EksComplianceScanner',
        MEMBER_ROLE_NAME: 'EksComplianceScannerRole',
        NODE_NO_WARNINGS: '1',
      },
      maxBuffer: 1_048_576,
    });
    const reported = JSON.parse(stdout) as { ok: boolean; ms: number; rss: number; heapUsed: number };
    if (!reported.ok) throw new Error(`${file} exports no handler function.`);
    runsMs.push(Number(reported.ms.toFixed(1)));
    last = reported;
  }
  return {
    medianMs: Number(median(runsMs).toFixed(1)),
    runsMs,
    rssMb: Number((last.rss / 1_048_576).toFixed(1)),
    heapUsedMb: Number((last.heapUsed / 1_048_576).toFixed(1)),
  };
}

/** Packages the service from a copy of the tree and measures every function's bundle. */
export async function measureBundles(options: { coldInitRuns?: number } = {}): Promise<BundleFigures> {
  const { bundles, packageMs } = await packageService();
  const extracted = await mkdtemp(join(tmpdir(), 'eks-scan-bench-bundles-'));
  try {
    const functions: FunctionBundle[] = [];
    for (const bundle of bundles) {
      const file = join(extracted, bundle.function, bundle.file);
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, bundle.code);
      functions.push({
        function: bundle.function,
        zipBytes: bundle.zipBytes,
        file: bundle.file,
        cjsBytes: bundle.code.length,
        coldInit: await coldInit(file, bundle.function, options.coldInitRuns ?? 3),
      });
    }
    return { packageMs, functions };
  } finally {
    await rm(extracted, { recursive: true, force: true });
  }
}
