/** The layering the architecture promises, checked on the sources. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function sourcesUnder(directory: string): string[] {
  const absolute = join(root, directory);
  return readdirSync(absolute).flatMap((entry) => {
    const path = join(absolute, entry);
    if (statSync(path).isDirectory()) return sourcesUnder(relative(root, path));
    return path.endsWith('.ts') ? [relative(root, path)] : [];
  });
}

/** Every module specifier a file imports, type-only imports included. */
function allImports(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)';/gms)].map(
    (match) => match[1] as string,
  );
}

/** The module specifiers a file imports at run time (type-only imports are erased). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)';/gms)].map(
    (match) => match[1] as string,
  );
}

describe('the architecture', () => {
  it('keeps the emulator and the CLI out of product code', () => {
    // Prepare
    const product = [
      ...sourcesUnder('lib'),
      ...(existsSync(join(root, 'functions')) ? sourcesUnder('functions') : []),
    ];
    // Act
    const offending = product.filter((file) =>
      runtimeImports(file).some((specifier) => /(^|\/)(emulator|cli)\//.test(specifier)),
    );
    // Assess
    expect(product.length).toBeGreaterThan(0);
    expect(offending).toEqual([]);
  });

  it('keeps SDK calls in the AWS-facing layers: lib/aws, lib/collect, discovery and the publishers', () => {
    // Prepare
    const awsFacing = /^lib\/(aws\/|collect\/|publish\/|discover\.ts$)/;
    const product = sourcesUnder('lib').filter((file) => !awsFacing.test(file));
    // Act
    const offending = product.filter((file) =>
      runtimeImports(file).some((specifier) => specifier.startsWith('@aws-sdk/client-')),
    );
    // Assess
    expect(offending).toEqual([]);
  });

  it('keeps the checks pure: no collector, AWS or publishing code at run time', () => {
    // Prepare
    const checks = sourcesUnder('lib/checks');
    // Act
    const offending = checks.filter((file) =>
      runtimeImports(file).some((specifier) =>
        /\/(aws|publish)\/|collect\/collector|^@aws-sdk\/|^node:/.test(specifier),
      ),
    );
    // Assess
    expect(offending).toEqual([]);
  });

  it('keeps the snapshot between collector and checks: each side reads it, neither reads the other', () => {
    // Prepare
    const layers = ['snapshot', 'collect', 'checks'].map((layer) => ({
      layer,
      files: sourcesUnder(`lib/${layer}`),
    }));
    const forbidden: Record<string, RegExp> = {
      snapshot: /(^|\/)(collect|checks|aws|publish)\/|^@aws-sdk\/(?!client-[\w-]+$)|^node:/,
      collect: /(^|\/)checks\//,
      checks: /(^|\/)collect\//,
    };
    // Act
    const offending = layers.flatMap(({ layer, files }) =>
      files.flatMap((file) =>
        allImports(file)
          .filter((specifier) => (forbidden[layer] as RegExp).test(specifier))
          .map((specifier) => `${file} imports ${specifier}`),
      ),
    );
    const snapshotRuntimeSdk = layers[0]?.files.filter((file) =>
      runtimeImports(file).some((specifier) => specifier.startsWith('@aws-sdk/')),
    );
    // Assess
    expect(layers.every(({ files }) => files.length > 0)).toBe(true);
    expect(offending).toEqual([]);
    expect(snapshotRuntimeSdk).toEqual([]);
  });

  it('names every error class in its own body: minified bundles rename classes, and Lambda reports the name', () => {
    // Prepare
    const sources = ['lib', 'functions', 'cli', 'emulator'].flatMap(sourcesUnder);
    const declarations = sources.flatMap((file) =>
      [
        ...readFileSync(join(root, file), 'utf8').matchAll(
          /^(?:export )?class (\w+) extends (\w+) \{([\s\S]*?)^\}/gm,
        ),
      ].map(([, name, base, body]) => ({
        file,
        name: name as string,
        base: base as string,
        body: body as string,
      })),
    );
    const errorClasses = new Set(['ScannerError']);
    for (let grown = true; grown; ) {
      const before = errorClasses.size;
      for (const { name, base } of declarations) if (errorClasses.has(base)) errorClasses.add(name);
      grown = errorClasses.size > before;
    }
    // Act
    const unnamed = declarations
      .filter(({ name }) => errorClasses.has(name))
      .filter(({ name, body }) => !body.includes(`override name = '${name}';`))
      .map(({ file, name }) => `${file}: ${name}`);
    // Assess
    expect(errorClasses.size).toBeGreaterThan(5);
    expect(unnamed).toEqual([]);
  });
});
