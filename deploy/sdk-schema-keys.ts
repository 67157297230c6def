/**
 * An esbuild plugin that lets the bundler drop the AWS SDK schemas a function never uses.
 *
 * Since v3.930 each SDK client describes its whole API in one generated module
 * (`dist-es/schemas/schemas_0.js`) whose trait objects use the module's string constants as computed
 * keys (`{ [_xN]: _sIn }`). esbuild cannot prove a computed key free of side effects, so it keeps every
 * schema: the EC2 client alone then weighs about 540 KB minified, whatever commands a function imports
 * (aws/aws-sdk-js-v3#7607). The generator's fix (smithy-lang/smithy-typescript#1889) writes literal keys;
 * this plugin makes the same rewrite while bundling, and becomes a no-op once the SDK ships it.
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The generated schema modules of the SDK clients, nested clients included. */
const SCHEMA_MODULE = /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/;

/** A top-level string constant of a schema module, e.g. `const _xN = "xmlName";`. */
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;

/** A computed object key naming one of those constants: `{ [_xN]:` or `, [_xN]:`. */
const COMPUTED_KEY = /([{,]\s*)\[(_\w+)\](\s*:)/g;

/**
 * The module with every computed key that names one of its string constants written as that string
 * literal, and how many keys were rewritten. Keys naming anything else are left as they are.
 */
export function withLiteralSchemaKeys(source: string): { contents: string; rewritten: number } {
  const constants = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) {
    if (name !== undefined && literal !== undefined) constants.set(name, literal);
  }
  let rewritten = 0;
  const contents = source.replace(
    COMPUTED_KEY,
    (key: string, before: string, name: string, colon: string) => {
      const literal = constants.get(name);
      if (literal === undefined) return key;
      rewritten += 1;
      return `${before}${literal}${colon}`;
    },
  );
  return { contents, rewritten };
}

export const sdkSchemaKeysPlugin: Plugin = {
  name: 'sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_MODULE }, async ({ path }) => ({
      contents: withLiteralSchemaKeys(await readFile(path, 'utf8')).contents,
      loader: 'js',
    }));
  },
};

/** Every esbuild plugin the deployed bundles (serverless-esbuild) and the benchmark's bundle use. */
export const bundlePlugins: Plugin[] = [sdkSchemaKeysPlugin];
