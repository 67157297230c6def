/**
 * `npm run bench` (`npm run bench:quick` = `--quick`): scans generated estates of several sizes through
 * the emulator with latency injected on every call, by the CLI and by the local state machine run, then
 * measures the function bundles; writes bench/results/<timestamp>.json and bench/results/latest.md and
 * prints the Markdown. Targets are reported PASS or MISS; the bench itself only fails when it cannot
 * measure. What the figures mean: bench/README.md.
 *
 * Each (size, mode) runs in a worker process of its own (bench/worker.ts), so its CPU time and peak
 * memory are its own.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { type BundleFigures, measureBundles } from './bundles.js';
import { type CliStartFigures, measureCliStart } from './cli-start.js';
import { DEFAULT_NOW } from './generate-estate.js';
import { type BenchResults, markdown, type SizeResult, verdicts } from './report.js';
import type {
  ApartFigures,
  ScanFigures,
  SizeSpec,
  TargetFigures,
  WorkerMode,
  WorkerResult,
  WorkerSpec,
} from './worker.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');
const WORKER_TIMEOUT_MS = 15 * 60_000;

const shape = { nodeGroupsPerCluster: 3, nodesPerGroup: 3 } as const;

/** EKS allows 100 clusters per Region by default: the dense 1,000 fills ten (account, Region) pairs. */
export const FULL_SIZES: readonly SizeSpec[] = [
  { name: '10 (1x1)', accounts: 1, regionsPerAccount: 1, clusters: 10, ...shape },
  { name: '100 (2x2)', accounts: 2, regionsPerAccount: 2, clusters: 100, ...shape },
  { name: '1000 (5x2)', accounts: 5, regionsPerAccount: 2, clusters: 1000, ...shape },
  { name: '1000 (50x4)', accounts: 50, regionsPerAccount: 4, clusters: 1000, ...shape },
];
export const QUICK_SIZES: readonly SizeSpec[] = FULL_SIZES.slice(0, 2);

const MODES: readonly WorkerMode[] = ['cli', 'cli-apart', 'state-machine', 'target'];

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);

/** The state machine's `${param:...}` defaults, as serverless.yml deploys them. */
async function deployedParams(): Promise<Record<string, string>> {
  const fallback = {
    childConcurrency: '40',
    accountsPerChild: '10',
    regionConcurrency: '4',
    clusterConcurrency: '4',
    toleratedFailurePercentage: '100',
  };
  try {
    const service = parse(await readFile(join(ROOT, 'serverless.yml'), 'utf8')) as {
      params?: { default?: Record<string, unknown> };
    };
    const defaults = service.params?.default ?? {};
    return Object.fromEntries(
      Object.entries(fallback).map(([name, value]) => [name, String(defaults[name] ?? value)]),
    );
  } catch {
    return fallback;
  }
}

async function runWorker(spec: WorkerSpec, work: string): Promise<WorkerResult> {
  const out = join(work, `${spec.mode}-${spec.size.clusters}-${spec.size.accounts}.json`);
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', WORKER, '--spec', JSON.stringify(spec), '--out', out],
    {
      cwd: ROOT,
      // The worker sets the endpoint and credentials it needs; a profile or endpoint of the shell must not leak in.
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            ([name]) => !name.startsWith('AWS_') && !name.startsWith('POWERTOOLS_'),
          ),
        ),
        NODE_NO_WARNINGS: '1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`worker exited with ${code}: ${stderr.trim()}`);
    return JSON.parse(await readFile(out, 'utf8')) as WorkerResult;
  } finally {
    clearTimeout(timer);
  }
}

function describeRun(result: WorkerResult): string {
  const figures = result.figures;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  switch (figures.mode) {
    case 'target': {
      const run = figures.child.run;
      return `${figures.clusters} clusters, ${s(run.wallMs)}, peak RSS ${Math.max(run.maxRssMb, run.peakRssSampledMb)} MB`;
    }
    case 'cli-apart': {
      const { scanner, emulator } = figures;
      return (
        `scanner ${s(scanner.run.wallMs)}, CPU ${s(scanner.run.cpuMs)}, peak RSS ${scanner.run.maxRssMb} MB; ` +
        `emulator CPU ${s(emulator.cpuMs)}; calls ${figures.calls.calls} (${figures.calls.ratio}x floor)`
      );
    }
    default:
      return (
        `${s(figures.run.wallMs)}, CPU ${s(figures.run.cpuMs)}, calls ${figures.calls.calls} ` +
        `(${figures.calls.ratio}x floor), ${figures.succeeded ? 'ok' : 'FAILED'}, ${figures.results.FAILED} FAILED results`
      );
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      bundles: { type: 'boolean' },
      'no-bundles': { type: 'boolean' },
      latency: { type: 'string' },
      seed: { type: 'string' },
      sizes: { type: 'string' },
      profile: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(
      'Usage: tsx bench/run.ts [--quick] [--bundles | --no-bundles] [--latency MS] [--seed N] [--sizes 1,2]\n' +
        '  --quick       sizes 10 and 100 clusters, 5 ms latency, no packaging unless --bundles\n' +
        '  --sizes       1-based indexes into the size list (full: 10, 100, 1000 (5x2), 1000 (50x4))\n' +
        '  --profile     record a CPU profile of each scan run (bench/results/profiles/) and summarize it\n',
    );
    return 0;
  }
  const quick = values.quick === true;
  const latencyMs = values.latency === undefined ? (quick ? 5 : 25) : Number(values.latency);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`--latency: not a number of ms.`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed: not a whole number.`);
  const all = quick ? QUICK_SIZES : FULL_SIZES;
  const sizes =
    values.sizes === undefined
      ? all
      : values.sizes.split(',').map((index) => {
          const size = all[Number(index) - 1];
          if (size === undefined) throw new Error(`--sizes: no size ${index} (1 to ${all.length}).`);
          return size;
        });
  const withBundles = values['no-bundles'] === true ? false : quick ? values.bundles === true : true;

  const started = performance.now();
  const startedAt = new Date().toISOString();
  const stateMachineParams = await deployedParams();
  const stamp = startedAt.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const profileDir = values.profile === true ? join(RESULTS, 'profiles', stamp) : undefined;
  const work = await mkdtemp(join(tmpdir(), 'eks-scan-bench-'));
  const sizeResults: SizeResult[] = [];
  try {
    for (const size of sizes) {
      const failures: Record<string, string> = {};
      const found: {
        estate?: WorkerResult['estate'];
        cli?: ScanFigures;
        stateMachine?: ScanFigures;
        apart?: ApartFigures;
        target?: TargetFigures;
      } = {};
      for (const mode of MODES) {
        const spec: WorkerSpec = {
          mode,
          size,
          seed,
          latencyMs,
          now: DEFAULT_NOW,
          stateMachineParams,
          ...(profileDir === undefined || mode === 'target' ? {} : { profileDir }),
        };
        const began = performance.now();
        try {
          const result = await runWorker(spec, work);
          found.estate ??= result.estate;
          const figures = result.figures;
          if (figures.mode === 'target') found.target = figures;
          else if (figures.mode === 'cli-apart') found.apart = figures;
          else if (figures.mode === 'cli') found.cli = figures;
          else found.stateMachine = figures;
          log(
            `${size.name} ${mode}: ${describeRun(result)} (worker ${((performance.now() - began) / 1000).toFixed(1)} s)`,
          );
        } catch (error) {
          failures[mode] = (error as Error).message;
          log(`${size.name} ${mode}: worker failed: ${(error as Error).message.slice(0, 2000)}`);
        }
      }
      sizeResults.push({ size, ...found, failures });
    }

    let cliStart: CliStartFigures | undefined;
    log('the built eks-scan: --version and the demo scan...');
    try {
      cliStart = await measureCliStart(DEFAULT_NOW);
      log(
        `eks-scan --version ${cliStart.versionMs.medianMs.toFixed(0)} ms (node -e 0: ${cliStart.nodeMs.medianMs.toFixed(0)} ms)`,
      );
    } catch (error) {
      log(`the built eks-scan failed: ${(error as Error).message}`);
    }

    let bundles: BundleFigures | undefined;
    let bundlesSkipped: string | undefined;
    if (withBundles) {
      log('serverless package and cold init of each bundle...');
      try {
        bundles = await measureBundles();
        log(`packaged in ${(bundles.packageMs / 1000).toFixed(1)} s, ${bundles.functions.length} functions`);
      } catch (error) {
        bundlesSkipped = `Packaging failed: ${(error as Error).message.slice(0, 500)}`;
        log(bundlesSkipped);
      }
    } else {
      bundlesSkipped = quick ? 'Skipped in --quick (add --bundles).' : 'Skipped (--no-bundles).';
    }

    const partial = {
      startedAt,
      quick,
      profiled: profileDir !== undefined,
      latencyMs,
      seed,
      now: DEFAULT_NOW,
      machine: {
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memoryMb: Math.round(totalmem() / 1_048_576),
      },
      stateMachineParams,
      sizes: sizeResults,
      ...(cliStart === undefined ? {} : { cliStart }),
      ...(bundles === undefined ? {} : { bundles }),
      ...(bundlesSkipped === undefined ? {} : { bundlesSkipped }),
    };
    const results: BenchResults = {
      ...partial,
      finishedAt: new Date().toISOString(),
      verdicts: verdicts(partial),
    };
    const text = markdown(results);
    await mkdir(RESULTS, { recursive: true });
    const file = join(RESULTS, `${stamp}.json`);
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(join(RESULTS, 'latest.md'), text);
    process.stdout.write(text);
    log(
      `wrote ${file} and bench/results/latest.md in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const failed = sizeResults.some((size) => Object.keys(size.failures).length > 0);
    return failed ? 1 : 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
