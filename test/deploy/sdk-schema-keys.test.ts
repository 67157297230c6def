/** The bundling plugin that lets esbuild drop the SDK schemas a function never uses. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { sdkSchemaKeysPlugin, withLiteralSchemaKeys } from '../../deploy/sdk-schema-keys.js';

const ROOT = new URL('../../', import.meta.url);

/** The generated schema modules of the SDK clients the project depends on, and of their nested clients. */
const SCHEMA_MODULES = [
  ...Object.keys(
    (
      JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies,
  ).filter((name) => name.startsWith('@aws-sdk/client-')),
  ...(await readdir(new URL('node_modules/@aws-sdk/nested-clients/dist-es/submodules/', ROOT))).map(
    (submodule) => `@aws-sdk/nested-clients/dist-es/submodules/${submodule}`,
  ),
].map((module) => module.replace(/^(@aws-sdk\/client-[^/]+)$/, '$1/dist-es'));

/** A module (a file, or source resolved from the project root) as one ESM file, its exports kept. */
async function bundled(entry: string | { source: string }, withPlugin: boolean): Promise<string> {
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.source, resolveDir: fileURLToPath(ROOT) } }),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    plugins: withPlugin ? [sdkSchemaKeysPlugin] : [],
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Every schema a module exports (`...$`), functions as their source: comparable with toEqual. */
function exportedSchemas(module: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(module).filter(([name]) => name.endsWith('$'));
  return JSON.parse(
    JSON.stringify(Object.fromEntries(entries), (_key, value: unknown) =>
      typeof value === 'function' ? `function ${value.toString()}` : value,
    ),
  ) as Record<string, unknown>;
}

describe('withLiteralSchemaKeys', () => {
  it('writes computed keys naming a string constant as that string', () => {
    // Prepare
    const source = [
      'const _xN = "xmlName";',
      'const _eQN = "ec2QueryName";',
      'export var A$ = [3, n0, _A, 0, [_B], [[0, { [_eQN]: `SnapshotId`, [_xN]: _sIn }]]];',
    ].join('\n');
    // Act
    const { contents, rewritten } = withLiteralSchemaKeys(source);
    // Assess
    expect(contents).toContain('[[0, { "ec2QueryName": `SnapshotId`, "xmlName": _sIn }]]');
    expect(rewritten).toBe(2);
  });

  it('leaves alone keys naming no string constant, array elements and string escapes', () => {
    // Prepare
    const source = [
      'const _q = "with \\"quotes\\"";',
      'const _n = 404;',
      'export var A$ = [_q, { [_n]: 1, [_unknown]: 2 }, flag ? [_q] : [_q]];',
      'export var B$ = { [_q]: 3 };',
    ].join('\n');
    // Act
    const { contents, rewritten } = withLiteralSchemaKeys(source);
    // Assess
    expect(contents).toBe(source.replace('{ [_q]: 3 }', '{ "with \\"quotes\\"": 3 }'));
    expect(rewritten).toBe(1);
  });

  it('changes nothing in a module without computed keys', () => {
    // Prepare
    const source = 'const _a = "a";\nexport var A$ = [3, n0, _a, 0, [], []];\n';
    // Act
    const { contents, rewritten } = withLiteralSchemaKeys(source);
    // Assess
    expect(contents).toBe(source);
    expect(rewritten).toBe(0);
  });
});

describe('the schemas of every SDK client the project uses', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'eks-scan-schema-keys-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it.each(SCHEMA_MODULES)(
    '%s: are the same schemas after the rewrite, with no computed key left',
    async (module) => {
      // Prepare
      const schemaModule = fileURLToPath(new URL(`node_modules/${module}/schemas/schemas_0.js`, ROOT));
      const source = await readFile(schemaModule, 'utf8');
      const original = join(work, `${module.replaceAll('/', '_')}-original.mjs`);
      const rewritten = join(work, `${module.replaceAll('/', '_')}-rewritten.mjs`);
      await writeFile(original, await bundled(schemaModule, false));
      await writeFile(rewritten, await bundled(schemaModule, true));
      // Act
      const before = exportedSchemas(await import(original));
      const after = exportedSchemas(await import(rewritten));
      const { contents, rewritten: count } = withLiteralSchemaKeys(source);
      // Assess
      expect(Object.keys(after)).toHaveLength(source.match(/^export var \w+\$ =/gm)?.length ?? -1);
      expect(after).toEqual(before);
      expect(count).toBeGreaterThan(0);
      expect(contents).not.toMatch(/[{,]\s*\[_\w+\]\s*:/);
    },
  );
});

describe('a bundle of the EC2 client and one command', () => {
  const entry = {
    source: [
      "import { EC2Client, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';",
      'export const describeSubnets = () => new EC2Client({}).send(new DescribeSubnetsCommand({}));',
    ].join('\n'),
  };

  it('keeps the schemas of that command and drops the others', async () => {
    // Act
    const code = await bundled(entry, true);
    // Assess
    expect(code).toContain('"DescribeSubnetsResult"');
    expect(code).not.toContain('"UnlockSnapshotResult"');
  });

  it('keeps them all without the plugin: when this fails, the SDK tree-shakes by itself and the plugin can go', async () => {
    // Act
    const code = await bundled(entry, false);
    // Assess
    expect(code).toContain('"DescribeSubnetsResult"');
    expect(code).toContain('"UnlockSnapshotResult"');
  });
});
