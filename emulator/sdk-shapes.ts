/**
 * Checks JSON data against an SDK v3 output shape, at every depth: the shape's smithy schema (the one
 * the wire protocols serialize with) gives each member's type, and the client's generated enums give
 * the allowed values of enum members. Problems carry the path of the member, relative to the value.
 * Members the shape does not model are kept unchecked, so data from a newer API still loads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NormalizedSchema } from '@smithy/core/schema';
import { parseAwsTime } from '../lib/time.js';
import { show } from '../lib/validation.js';

export interface ShapeProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * What is being checked: `estate` data (timestamps are ISO-8601 strings; enum values are checked), or
 * a `request` input, types only (timestamps as the wire or the decoder gives them; which values and
 * members a request needs is each service's own validation, with its own errors).
 */
export type ShapeMode = 'estate' | 'request';

/** A smithy static schema (e.g. the client's `Instance$` export). */
export type StaticSchema = unknown;

/** Enum members of one SDK client: shape name -> member name -> allowed values. */
type EnumTable = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

const requireFromHere = createRequire(import.meta.url);

/**
 * The enum members of a client's shapes. The smithy schemas type enum members as plain strings, so
 * the values come from the generated model types (`amiType?: AMITypes | undefined`, also as `X[]` or
 * `Record<string, X>`) and the client's exported enum objects (`AMITypes`).
 */
function readEnumTable(packageName: string, client: Readonly<Record<string, unknown>>): EnumTable {
  const modelsDirectory = join(dirname(requireFromHere.resolve(packageName)), '..', 'dist-types', 'models');
  const table = new Map<string, Map<string, readonly string[]>>();
  let shape: Map<string, readonly string[]> | undefined;
  for (const file of readdirSync(modelsDirectory).filter((name) => /^models_\d+\.d\.ts$/.test(name))) {
    for (const line of readFileSync(join(modelsDirectory, file), 'utf8').split('\n')) {
      const start = /^export interface (\w+) \{/.exec(line);
      if (start) {
        shape = new Map();
        table.set(start[1] as string, shape);
        continue;
      }
      if (line.startsWith('}')) shape = undefined;
      const member = /^ {4}(\w+)\??: (?:(\w+)(?:\[\])?|Record<string, (\w+)>) \| undefined;$/.exec(line);
      const enumName = member?.[2] ?? member?.[3];
      if (!shape || !member || enumName === undefined) continue;
      const values = enumValues(client[enumName]);
      if (values) shape.set(member[1] as string, values);
    }
  }
  return table;
}

/** The values of a generated enum object (`{ running: 'running', ... }`); undefined for anything else. */
function enumValues(candidate: unknown): readonly string[] | undefined {
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) return undefined;
  const values = Object.values(candidate);
  return values.length > 0 && values.every((value) => typeof value === 'string') ? values : undefined;
}

const enumTables = new Map<string, EnumTable>();

/** A client's shapes for `checkShape`: its module and package name (for the enum values). */
export interface SdkModels {
  readonly packageName: string;
  readonly client: Readonly<Record<string, unknown>>;
}

/** Enum tables as plain JSON: package name -> shape -> member -> allowed values. */
export type EnumTablesJson = Record<string, Record<string, Record<string, readonly string[]>>>;

/**
 * The enum tables of a bundle (deploy/build-cli.ts defines this identifier): a bundle ships without
 * the clients' type declarations that readEnumTable reads. Undefined when running from source.
 */
declare const EKS_SCAN_SDK_ENUM_TABLES: EnumTablesJson | undefined;

const bundledEnumTable = (packageName: string): EnumTable | undefined => {
  const json =
    typeof EKS_SCAN_SDK_ENUM_TABLES === 'undefined' ? undefined : EKS_SCAN_SDK_ENUM_TABLES[packageName];
  return (
    json && new Map(Object.entries(json).map(([shape, members]) => [shape, new Map(Object.entries(members))]))
  );
};

function enumsOf(models: SdkModels): EnumTable {
  let table = enumTables.get(models.packageName);
  if (!table) {
    table = bundledEnumTable(models.packageName) ?? readEnumTable(models.packageName, models.client);
    enumTables.set(models.packageName, table);
  }
  return table;
}

/** The enum tables of these clients as JSON, for a bundle to carry (see EKS_SCAN_SDK_ENUM_TABLES). */
export function enumTablesJson(models: readonly SdkModels[]): EnumTablesJson {
  return Object.fromEntries(
    models.map((model) => [
      model.packageName,
      Object.fromEntries([...enumsOf(model)].map(([shape, members]) => [shape, Object.fromEntries(members)])),
    ]),
  );
}

const MAX_LISTED_VALUES = 12;

const kindOf = (value: unknown) =>
  Array.isArray(value) ? 'a list' : value !== null && typeof value === 'object' ? 'an object' : show(value);

/** Checks one value; `path` is the shared stack of the current JSON path (copied only into a problem). */
type Checker = (value: unknown, path: PropertyKey[], problems: ShapeProblem[]) => void;

interface StructChecker {
  readonly members: readonly (readonly [string, Checker])[];
  readonly name: string;
}

/** Compiled struct checkers by models, mode and shape name, so a large estate walks no schema twice. */
const structCheckers = new WeakMap<SdkModels, Map<string, StructChecker>>();

function structCheckerOf(node: NormalizedSchema, models: SdkModels, mode: ShapeMode): StructChecker {
  let byName = structCheckers.get(models);
  if (!byName) {
    byName = new Map();
    structCheckers.set(models, byName);
  }
  const key = `${mode}:${node.getName(true) ?? ''}`;
  const known = byName.get(key);
  if (known) return known;
  const members: [string, Checker][] = [];
  const checker: StructChecker = { members, name: node.getName() ?? '' };
  // Registered before its members compile: shapes may be recursive.
  byName.set(key, checker);
  const shapeEnums = mode === 'estate' ? enumsOf(models).get(checker.name) : undefined;
  for (const [member, memberSchema] of node.structIterator()) {
    members.push([member, compile(memberSchema, models, shapeEnums?.get(member), mode)]);
  }
  return checker;
}

function checkStruct(
  struct: StructChecker,
  item: Record<string, unknown>,
  path: PropertyKey[],
  problems: ShapeProblem[],
  skipped: readonly string[] = [],
) {
  for (const [member, check] of struct.members) {
    const memberValue = item[member];
    // Undefined: absent, as JSON would have it (data built in code may carry such keys).
    if (memberValue === undefined || !Object.hasOwn(item, member) || skipped.includes(member)) continue;
    path.push(member);
    check(memberValue, path, problems);
    path.pop();
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const ISO_EXAMPLE = 'an ISO-8601 timestamp like "2026-01-31T12:00:00Z"';

/** Whether a timestamp arrived as the mode expects it: ISO text in an estate; also epoch seconds or a Date in a request. */
function isTimestamp(value: unknown, mode: ShapeMode): boolean {
  if (typeof value === 'string') return parseAwsTime(value) !== undefined || mode === 'request';
  if (mode === 'estate') return false;
  return (typeof value === 'number' && Number.isFinite(value)) || value instanceof Date;
}

function compile(
  node: NormalizedSchema,
  models: SdkModels,
  allowed: readonly string[] | undefined,
  mode: ShapeMode,
): Checker {
  const fail = (path: PropertyKey[], problems: ShapeProblem[], message: string) =>
    problems.push({ path: [...path], message });
  if (node.isStructSchema()) {
    let struct: StructChecker | undefined;
    return (value, path, problems) => {
      struct ??= structCheckerOf(node, models, mode);
      if (!isPlainObject(value)) {
        return fail(path, problems, `expected an object (${struct.name}), got ${kindOf(value)}`);
      }
      checkStruct(struct, value, path, problems);
    };
  }
  if (node.isListSchema()) {
    const checkItem = compile(node.getValueSchema(), models, allowed, mode);
    return (value, path, problems) => {
      if (!Array.isArray(value)) return fail(path, problems, `expected a list, got ${kindOf(value)}`);
      value.forEach((item, index) => {
        path.push(index);
        checkItem(item, path, problems);
        path.pop();
      });
    };
  }
  if (node.isMapSchema()) {
    const checkEntry = compile(node.getValueSchema(), models, allowed, mode);
    return (value, path, problems) => {
      if (!isPlainObject(value)) {
        return fail(path, problems, `expected an object of key/value pairs, got ${kindOf(value)}`);
      }
      for (const [key, entry] of Object.entries(value)) {
        path.push(key);
        checkEntry(entry, path, problems);
        path.pop();
      }
    };
  }
  if (node.isTimestampSchema()) {
    const expected = mode === 'estate' ? ISO_EXAMPLE : 'a timestamp';
    return (value, path, problems) => {
      if (!isTimestamp(value, mode)) fail(path, problems, `expected ${expected}, got ${kindOf(value)}`);
    };
  }
  if (node.isBooleanSchema()) {
    return (value, path, problems) => {
      if (typeof value !== 'boolean') fail(path, problems, `expected boolean, got ${kindOf(value)}`);
    };
  }
  if (node.isNumericSchema() || node.isBigIntegerSchema() || node.isBigDecimalSchema()) {
    return (value, path, problems) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(path, problems, `expected number, got ${kindOf(value)}`);
      }
    };
  }
  if (node.isStringSchema() || node.isBlobSchema()) {
    const listed = allowed?.slice(0, MAX_LISTED_VALUES).map(show).join(' | ');
    const more =
      allowed !== undefined && allowed.length > MAX_LISTED_VALUES ? ` | ... (${allowed.length} values)` : '';
    return (value, path, problems) => {
      if (typeof value !== 'string') return fail(path, problems, `expected string, got ${kindOf(value)}`);
      if (allowed && !allowed.includes(value)) {
        fail(path, problems, `expected ${listed}${more}, got ${show(value)}`);
      }
    };
  }
  // Documents hold any JSON.
  return () => undefined;
}

/**
 * Every problem of `value`, an object of the structure shape `schema`. `skip` names its members
 * another check already covers (so each problem is reported once).
 */
export function checkShape(
  schema: StaticSchema,
  models: SdkModels,
  value: Record<string, unknown>,
  options: { readonly skip?: readonly string[]; readonly mode?: ShapeMode } = {},
): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const struct = structCheckerOf(NormalizedSchema.of(schema as never), models, options.mode ?? 'estate');
  checkStruct(struct, value, [], problems, options.skip);
  return problems;
}
