/**
 * `npm run build`: the `eks-scan` command as dist/eks-scan.mjs, which plain Node 20+ runs with nothing
 * else installed: the AWS SDK, zod and the local emulator are bundled, TypeScript is compiled away.
 *
 * Not one file but an entry and the chunks it imports on demand (dist/chunks/): the commands weigh
 * about 3 MB (the emulator speaks every service's protocol through the SDK clients' schemas), and
 * compiling that much takes Node 20 about half a second, which `eks-scan --version` and `--help`
 * need not pay. The SDK schemas of commands nothing uses are dropped (deploy/sdk-schema-keys.ts).
 */
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ESTATE_SDK_MODELS } from '../emulator/estate.js';
import { enumTablesJson } from '../emulator/sdk-shapes.js';
import { bundlePlugins } from './sdk-schema-keys.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The built command's entry in `outDir`: what package.json's `bin` names. */
export const cliEntry = (outDir = join(ROOT, 'dist')) => join(outDir, 'eks-scan.mjs');

/** Builds the command into `outDir` (default dist/), replacing what was there; returns the entry. */
export async function buildCli(outDir = join(ROOT, 'dist')): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  await build({
    entryPoints: { 'eks-scan': join(ROOT, 'cli', 'bin.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    minify: true,
    // The few CommonJS modules bundled call require() for Node's built-in modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: bundlePlugins,
    // The estate checker reads enum values from the SDK clients' type declarations, which a bundle
    // does not ship: it carries them, computed now.
    define: { EKS_SCAN_SDK_ENUM_TABLES: JSON.stringify(enumTablesJson(ESTATE_SDK_MODELS)) },
    logLevel: 'warning',
  });
  // The shebang goes on the entry only; a banner would put it on every chunk too.
  const entry = cliEntry(outDir);
  await writeFile(entry, `#!/usr/bin/env node\n${await readFile(entry, 'utf8')}`);
  await chmod(entry, 0o755);
  return entry;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
