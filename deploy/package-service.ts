/**
 * `serverless package` on a copy of the work tree, for the tests and the benchmark: serverless-esbuild's
 * fixed `.esbuild` work folder would otherwise race with any other packaging of the same tree (each
 * deploy test file packages in its own jest worker). Returns the CloudFormation template and every
 * function's bundle, read from its zip in memory.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SKIPPED = new Set(['node_modules', '.git', '.esbuild', '.serverless', 'coverage', 'test-artifacts']);

interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** The entries of a zip file, from its central directory (no zip64: bundles are far below 4 GB). */
function zipEntries(zip: Buffer): ZipEntry[] {
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
function zipContent(zip: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  if (zip.readUInt32LE(header) !== 0x04034b50) throw new Error(`Bad local header for ${entry.name}.`);
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name}: unsupported compression method ${entry.method}.`);
}

export interface PackagedBundle {
  /** The function's name in serverless.yml (its zip's name). */
  readonly function: string;
  readonly zipBytes: number;
  /** The bundle's path inside the zip, e.g. `functions/scan-cluster.cjs`. */
  readonly file: string;
  /** The minified bundle. */
  readonly code: Buffer;
}

export interface PackagedService<Template> {
  readonly template: Template;
  readonly bundles: readonly PackagedBundle[];
  /** How long `serverless package` took. */
  readonly packageMs: number;
}

export async function packageService<Template = Record<string, unknown>>(): Promise<
  PackagedService<Template>
> {
  const work = await mkdtemp(join(tmpdir(), 'eks-scan-package-'));
  const service = join(work, 'service');
  const out = join(work, 'out');
  try {
    await cp(ROOT, service, { recursive: true, filter: (source) => !SKIPPED.has(relative(ROOT, source)) });
    await symlink(join(ROOT, 'node_modules'), join(service, 'node_modules'), 'dir');
    const started = performance.now();
    await promisify(execFile)(
      join(ROOT, 'node_modules', '.bin', 'serverless'),
      ['package', '--package', out],
      {
        cwd: service,
        maxBuffer: 16 * 1_048_576,
      },
    );
    const packageMs = Number((performance.now() - started).toFixed(0));
    const bundles: PackagedBundle[] = [];
    for (const zipName of (await readdir(out)).filter((name) => name.endsWith('.zip')).sort()) {
      const zip = await readFile(join(out, zipName));
      for (const entry of zipEntries(zip).filter((candidate) => candidate.name.endsWith('.cjs'))) {
        bundles.push({
          function: basename(zipName, '.zip'),
          zipBytes: zip.length,
          file: entry.name,
          code: zipContent(zip, entry),
        });
      }
    }
    const template = JSON.parse(
      await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as Template;
    return { template, bundles, packageMs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
