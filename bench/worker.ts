/**
 * One measured benchmark run, in a process of its own so that its CPU and memory figures are its own
 * (bench/run.ts starts one per size and mode). The emulator serves the generated estate in this
 * process, with the latency fault on every call, and the mode says what scans it:
 *
 * - `cli`: `eks-scan scan --endpoint URL --format json --publish securityhub --now ...` (cli/main.ts `run`);
 * - `state-machine`: statemachines/scan.asl.yaml run locally with the real Lambda handlers;
 * - `cli-apart`: the same CLI scan in a child process (bench/scan-process.ts, bundled and minified with
 *   esbuild as the functions are, run by plain `node`): the scanner's CPU and memory apart from the
 *   emulator's, which this process measures meanwhile;
 * - `target`: one (account, Region), the largest, scanned the same way: the memory of one scan target.
 *
 * Usage: node --import tsx bench/worker.ts --spec '<WorkerSpec JSON>' --out result.json
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { CommandIo } from '../cli/io.js';
import { bundlePlugins } from '../deploy/sdk-schema-keys.js';
import { type Estate, homeAccountId, homeRegion, parseEstate } from '../emulator/estate.js';
import { HOME_CREDENTIALS, startEmulator } from '../emulator/server.js';
import { analyzeCalls, type CallAnalysis } from './floor.js';
import { generateEstate, latencyFault } from './generate-estate.js';
import { type Measurement, measure } from './measure.js';
import { type ProfileSummary, summarizeProfile, withCpuProfile } from './profile.js';

export interface SizeSpec {
  /** How reports name the size, e.g. `1000 (50x4)`. */
  readonly name: string;
  readonly accounts: number;
  readonly regionsPerAccount: number;
  readonly clusters: number;
  readonly nodeGroupsPerCluster: number;
  readonly nodesPerGroup: number;
}

export type WorkerMode = 'cli' | 'state-machine' | 'cli-apart' | 'target';

export interface WorkerSpec {
  readonly mode: WorkerMode;
  readonly size: SizeSpec;
  readonly seed: number;
  readonly latencyMs: number;
  readonly now: string;
  /** `${param:...}` values of the state machine definition (serverless.yml's defaults). */
  readonly stateMachineParams?: Readonly<Record<string, string>>;
  /** Record a CPU profile of the run (cli and state-machine modes) into this folder. */
  readonly profileDir?: string;
}

export interface StatusCounts {
  readonly PASSED: number;
  readonly FAILED: number;
  readonly NOT_APPLICABLE: number;
  readonly ERROR: number;
}

export interface EstateFigures {
  readonly accounts: number;
  readonly targets: number;
  readonly clusters: number;
  readonly nodeGroups: number;
  readonly nodes: number;
  readonly fargateProfiles: number;
  readonly generateMs: number;
}

export interface ScanFigures {
  readonly mode: 'cli' | 'state-machine';
  /** Importing the code under test (the CLI, or the five function modules): not part of the run. */
  readonly loadMs: number;
  readonly run: Omit<Measurement<unknown>, 'value'>;
  readonly succeeded: boolean;
  /** Why the run failed (exit status or ExecutionFailedError), when it did. */
  readonly failure?: string;
  readonly results: StatusCounts;
  readonly imported: number;
  readonly errors: number;
  /** Bytes of the CLI's JSON output. */
  readonly outputBytes?: number;
  readonly calls: CallAnalysis;
  /** Where the run's CPU time went, when profiled (the profiler's overhead is then in the figures). */
  readonly profile?: ProfileSummary & { readonly file: string };
}

type ScanRunFigures = Omit<ScanFigures, 'calls'>;

export interface TargetFigures {
  readonly mode: 'target';
  readonly accountId: string;
  readonly region: string;
  readonly clusters: number;
  readonly child: ScanProcessFigures;
}

/** The CLI scan run in a child process, the emulator in this one. */
export interface ApartFigures {
  readonly mode: 'cli-apart';
  /** The child: the scanner alone. */
  readonly scanner: ScanProcessFigures;
  /** This process during the child's scan: the emulator alone (its wall time includes the child's start). */
  readonly emulator: Omit<Measurement<unknown>, 'value'>;
  readonly calls: CallAnalysis;
}

/** What bench/scan-process.ts reports. */
export interface ScanProcessFigures {
  readonly status: number;
  /** RSS once the CLI is loaded, before the scan. */
  readonly loadedRssMb: number;
  readonly loadMs: number;
  readonly run: Omit<Measurement<unknown>, 'value'>;
  readonly results: number;
}

export interface WorkerResult {
  readonly spec: WorkerSpec;
  readonly estate: EstateFigures;
  readonly figures: ScanFigures | TargetFigures | ApartFigures;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));

function recordingIo(): CommandIo & { out(): string } {
  const out: string[] = [];
  return {
    isTerminal: false,
    isErrorTerminal: false,
    stdout: (text) => {
      out.push(text);
    },
    stderr: () => {},
    out: () => out.join(''),
  };
}

function countStatuses(statuses: Iterable<string>): StatusCounts {
  const counts: Record<string, number> = { PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0, ERROR: 0 };
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts as unknown as StatusCounts;
}

function figuresOf(estate: Estate, generateMs: number): EstateFigures {
  let targets = 0;
  let clusters = 0;
  let nodeGroups = 0;
  let nodes = 0;
  let fargateProfiles = 0;
  for (const account of estate.accounts) {
    for (const region of Object.values(account.regions)) {
      targets += 1;
      clusters += region.clusters.length;
      nodes += region.ec2.instances.length;
      fargateProfiles += region.clusters.reduce((sum, entry) => sum + entry.fargateProfiles.length, 0);
      const managed = region.clusters.reduce((sum, entry) => sum + entry.nodegroups.length, 0);
      const selfManaged = region.autoscaling.groups.filter(
        (group) => !(group.Tags ?? []).some((tag) => tag.Key === 'eks:nodegroup-name'),
      ).length;
      const pools = new Set(
        region.ec2.instances.flatMap((node) => {
          const tags = node.Tags ?? [];
          const pool = tags.find((tag) => tag.Key === 'karpenter.sh/nodepool')?.Value;
          const cluster = tags.find((tag) => tag.Key === 'eks:eks-cluster-name')?.Value;
          return pool === undefined ? [] : [`${cluster}/${pool}`];
        }),
      ).size;
      nodeGroups += managed + selfManaged + pools;
    }
  }
  return {
    accounts: estate.accounts.length,
    targets,
    clusters,
    nodeGroups,
    nodes,
    fargateProfiles,
    generateMs,
  };
}

/** What each account's Security Hub holds, per `account|region`. */
function findingsByTarget(state: { securityHub: Record<string, Record<string, unknown[]>> }) {
  const findings = new Map<string, number>();
  for (const [account, regions] of Object.entries(state.securityHub)) {
    for (const [region, list] of Object.entries(regions)) findings.set(`${account}|${region}`, list.length);
  }
  return findings;
}

const withoutValue = <T>({ value: _value, ...rest }: Measurement<T>) => rest;

/** The run, under the CPU profiler when the spec asks for a profile (saved as <size>-<mode>.cpuprofile). */
async function profiled<T>(
  spec: WorkerSpec,
  run: () => Promise<T>,
): Promise<{ measured: T; profile?: ProfileSummary & { file: string } }> {
  if (spec.profileDir === undefined) return { measured: await run() };
  const { value, profile } = await withCpuProfile(run);
  await mkdir(spec.profileDir, { recursive: true });
  const slug = spec.size.name.replace(/[^\w]+/g, '-').replace(/-+$/, '');
  const file = join(spec.profileDir, `${slug}-${spec.mode}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  return { measured: value, profile: { ...summarizeProfile(profile), file } };
}

const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

async function scanWithCli(spec: WorkerSpec, estate: Estate, endpoint: string): Promise<ScanRunFigures> {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: HOME_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: HOME_CREDENTIALS.secretAccessKey,
    AWS_REGION: homeRegion(estate),
  });
  const loading = performance.now();
  const { run } = await import('../cli/main.js');
  const loadMs = performance.now() - loading;
  const io = recordingIo();
  collectGarbage();
  const { measured, profile } = await profiled(spec, () =>
    measure(() =>
      run(
        ['scan', '--endpoint', endpoint, '--format', 'json', '--publish', 'securityhub', '--now', spec.now],
        io,
      ),
    ),
  );
  const output = io.out();
  const report = JSON.parse(output) as {
    results: { status: string }[];
    errors: unknown[];
    published?: { imported: number }[];
  };
  return {
    mode: 'cli',
    loadMs: Number(loadMs.toFixed(1)),
    run: withoutValue(measured),
    succeeded: measured.value === 0,
    ...(measured.value === 0 ? {} : { failure: `exit status ${measured.value}` }),
    results: countStatuses(report.results.map((result) => result.status)),
    imported: (report.published ?? []).reduce((sum, outcome) => sum + outcome.imported, 0),
    errors: report.errors.length,
    outputBytes: Buffer.byteLength(output),
    ...(profile === undefined ? {} : { profile }),
  };
}

async function scanWithStateMachine(
  spec: WorkerSpec,
  estate: Estate,
  endpoint: string,
): Promise<ScanRunFigures> {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: HOME_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: HOME_CREDENTIALS.secretAccessKey,
    AWS_REGION: homeRegion(estate),
    MEMBER_ROLE_NAME: 'EksComplianceScannerRole',
    SCAN_RESULTS_BUCKET: 'local-scan-results-bucket',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const loading = performance.now();
  const { ExecutionFailedError, lambdaHandlers, loadDefinition, runScanStateMachine } = await import(
    '../local/state-machine.js'
  );
  const { s3ObjectStore } = await import('../local/object-store.js');
  const { createS3Client } = await import('../lib/aws/s3.js');
  const store = s3ObjectStore(createS3Client({ region: homeRegion(estate) }));
  const handlers = await lambdaHandlers({ accountId: homeAccountId(estate) });
  const definition = loadDefinition(spec.stateMachineParams ?? {});
  const loadMs = performance.now() - loading;
  collectGarbage();
  const { measured, profile } = await profiled(spec, () =>
    measure(async () => {
      try {
        const summary = await runScanStateMachine(
          { source: 'eks-compliance-scanner.local', time: spec.now },
          { handlers, definition, store },
        );
        return { summary: summary as Summary };
      } catch (error) {
        if (!(error instanceof ExecutionFailedError)) throw error;
        let summary: Summary | undefined;
        try {
          summary = JSON.parse((JSON.parse(error.Cause) as { errorMessage: string }).errorMessage) as Summary;
        } catch {
          summary = undefined;
        }
        return { summary, failure: `${error.Error}: ${error.Cause.slice(0, 500)}` };
      }
    }),
  );
  const { summary, failure } = measured.value as { summary?: Summary; failure?: string };
  return {
    mode: 'state-machine',
    loadMs: Number(loadMs.toFixed(1)),
    run: withoutValue(measured),
    succeeded: failure === undefined,
    ...(failure === undefined ? {} : { failure }),
    results: summary?.results ?? countStatuses([]),
    imported: summary?.published.imported ?? 0,
    errors: (summary?.failures ?? 0) + (summary?.targetsFailed ?? 0) + (summary?.accountsFailed ?? 0),
    ...(profile === undefined ? {} : { profile }),
  };
}

interface Summary {
  readonly results: StatusCounts;
  readonly published: { readonly imported: number };
  readonly failures: number;
  readonly targetsFailed: number;
  readonly accountsFailed: number;
}

/** The (account, Region) with the most clusters (the first such). */
function largestTarget(estate: Estate) {
  let best = { accountId: '', region: '', clusters: -1 };
  for (const account of estate.accounts) {
    for (const [region, data] of Object.entries(account.regions)) {
      if (data.clusters.length > best.clusters)
        best = { accountId: account.accountId, region, clusters: data.clusters.length };
    }
  }
  return best;
}

/** bench/scan-process.ts as one minified ESM file, the way serverless-esbuild bundles the functions. */
async function bundleScanProcess(directory: string): Promise<string> {
  const outfile = join(directory, 'scan-process.mjs');
  await build({
    entryPoints: [join(HERE, 'scan-process.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: bundlePlugins,
    // CommonJS dependencies call require; an ESM bundle has none of its own.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}

/** A CLI scan in a child process (the whole estate, or one account and Region); this process serves it. */
async function scanInChild(
  spec: WorkerSpec,
  estate: Estate,
  endpoint: string,
  selection?: { readonly accountId: string; readonly region: string },
): Promise<ScanProcessFigures> {
  const work = await mkdtemp(join(tmpdir(), 'eks-scan-bench-process-'));
  const out = join(work, 'figures.json');
  try {
    const script = await bundleScanProcess(work);
    const args = [script, '--endpoint', endpoint, '--now', spec.now, '--out', out];
    if (selection !== undefined) args.push('--account', selection.accountId, '--region', selection.region);
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: HOME_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: HOME_CREDENTIALS.secretAccessKey,
        AWS_REGION: homeRegion(estate),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`scan-process exited with ${code}: ${stderr}`);
    return JSON.parse(await readFile(out, 'utf8')) as ScanProcessFigures;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function scanOneTarget(spec: WorkerSpec, estate: Estate, endpoint: string): Promise<TargetFigures> {
  const target = largestTarget(estate);
  return { mode: 'target', ...target, child: await scanInChild(spec, estate, endpoint, target) };
}

/** The whole CLI scan in a child process: the scanner's CPU and memory, and the emulator's CPU here. */
async function scanApart(
  spec: WorkerSpec,
  estate: Estate,
  endpoint: string,
): Promise<Omit<ApartFigures, 'calls'>> {
  collectGarbage();
  const measured = await measure(() => scanInChild(spec, estate, endpoint));
  const { value: scanner, ...emulator } = measured;
  return { mode: 'cli-apart', scanner, emulator };
}

export async function runWorker(spec: WorkerSpec): Promise<WorkerResult> {
  const generating = performance.now();
  const estate = parseEstate(
    generateEstate({
      seed: spec.seed,
      accounts: spec.size.accounts,
      regionsPerAccount: spec.size.regionsPerAccount,
      clusters: spec.size.clusters,
      nodeGroupsPerCluster: spec.size.nodeGroupsPerCluster,
      nodesPerGroup: spec.size.nodesPerGroup,
      now: spec.now,
      faults: [latencyFault(spec.latencyMs)],
    }),
  );
  const estateFigures = figuresOf(estate, Number((performance.now() - generating).toFixed(1)));
  const running = await startEmulator({ estate });
  try {
    if (spec.mode === 'target') {
      return { spec, estate: estateFigures, figures: await scanOneTarget(spec, estate, running.endpoint) };
    }
    const scanned =
      spec.mode === 'cli'
        ? await scanWithCli(spec, estate, running.endpoint)
        : spec.mode === 'cli-apart'
          ? await scanApart(spec, estate, running.endpoint)
          : await scanWithStateMachine(spec, estate, running.endpoint);
    const calls = analyzeCalls(
      estate,
      running.emulator.calls(),
      findingsByTarget(
        running.emulator.state() as { securityHub: Record<string, Record<string, unknown[]>> },
      ),
    );
    return { spec, estate: estateFigures, figures: { ...scanned, calls } };
  } finally {
    await running.stop();
  }
}

async function main() {
  const { values } = parseArgs({
    options: { spec: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (values.spec === undefined || values.out === undefined) {
    throw new Error("Usage: node --import tsx bench/worker.ts --spec '<json>' --out FILE");
  }
  const result = await runWorker(JSON.parse(values.spec) as WorkerSpec);
  await writeFile(values.out, JSON.stringify(result));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench worker: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
