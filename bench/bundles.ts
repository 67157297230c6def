/**
 * The deployed functions' bundles: `serverless package` on a copy of the work tree (serverless-esbuild's
 * fixed `.esbuild` folder would race with any other packaging of the tree, see
 * test/support/package-service.ts), each zip's .cjs size (read from the zip's central directory), and
 * each bundle's cold init: in a fresh `node`, the time to `require` it until `handler` exists.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SKIPPED = new Set(['node_modules', '.git', '.esbuild', '.serverless', 'coverage', 'test-artifacts']);
const run = promisify(execFile);

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** The entries of a zip file, from its central directory (no zip64: bundles are far below 4 GB). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  const END = 0x06054b50;
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 65_535); offset -= 1) {
    if (zip.readUInt32LE(offset) === END) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error('Not a zip file: no end of central directory record.');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`Bad central directory entry ${index}.`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      name: zip.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One entry's content, inflated in memory. */
export function zipContent(zip: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  if (zip.readUInt32LE(header) !== 0x04034b50) throw new Error(`Bad local header for ${entry.name}.`);
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name}: unsupported compression method ${entry.method}.`);
}

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
  const work = await mkdtemp(join(tmpdir(), 'eks-scan-bench-package-'));
  const service = join(work, 'service');
  const out = join(work, 'out');
  try {
    await cp(ROOT, service, { recursive: true, filter: (source) => !SKIPPED.has(relative(ROOT, source)) });
    await symlink(join(ROOT, 'node_modules'), join(service, 'node_modules'), 'dir');
    const started = performance.now();
    await run(join(ROOT, 'node_modules', '.bin', 'serverless'), ['package', '--package', out], {
      cwd: service,
      maxBuffer: 16 * 1_048_576,
    });
    const packageMs = Number((performance.now() - started).toFixed(0));
    const extracted = join(work, 'bundles');
    await mkdir(extracted);
    const functions: FunctionBundle[] = [];
    for (const zipName of (await readdir(out)).filter((name) => name.endsWith('.zip')).sort()) {
      const zip = await readFile(join(out, zipName));
      const functionName = basename(zipName, '.zip');
      const bundles = zipEntries(zip).filter((entry) => entry.name.endsWith('.cjs'));
      for (const entry of bundles) {
        const file = join(extracted, functionName, entry.name);
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, zipContent(zip, entry));
        functions.push({
          function: functionName,
          zipBytes: zip.length,
          file: entry.name,
          cjsBytes: entry.size,
          coldInit: await coldInit(file, functionName, options.coldInitRuns ?? 3),
        });
      }
    }
    return { packageMs, functions };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
