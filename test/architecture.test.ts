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
});
