import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SKIPPED = new Set(['node_modules', '.git', '.esbuild', '.serverless', 'coverage', 'test-artifacts']);

/**
 * `serverless package` run on a copy of the work tree, returning the CloudFormation template:
 * serverless-esbuild's fixed `.esbuild` work folder would otherwise race with any other packaging of
 * the same tree (each deploy test file packages in its own jest worker).
 */
export async function packageService<Template = Record<string, unknown>>(): Promise<Template> {
  const work = await mkdtemp(join(tmpdir(), 'eks-scan-package-'));
  const service = join(work, 'service');
  try {
    await cp(ROOT, service, { recursive: true, filter: (source) => !SKIPPED.has(relative(ROOT, source)) });
    await symlink(join(ROOT, 'node_modules'), join(service, 'node_modules'), 'dir');
    await promisify(execFile)('npx', ['serverless', 'package', '--package', join(work, 'out')], {
      cwd: service,
    });
    return JSON.parse(await readFile(join(work, 'out', 'cloudformation-template-update-stack.json'), 'utf8'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
