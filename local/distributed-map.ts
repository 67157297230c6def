/**
 * A Distributed Map run locally, as Step Functions runs it: items from the ItemReader's S3 object
 * (InputType JSON) or from ItemsPath, each through the ItemSelector, grouped by the ItemBatcher into
 * `{"Items": [...], "BatchInput": ...}`, each group a child execution of its own (own quotas, own
 * history) at most MaxConcurrency at a time; more failed items than ToleratedFailurePercentage or
 * ToleratedFailureCount allow fail the Map with States.ExceedToleratedFailureThreshold; with a
 * ResultWriter the children's executions are written as Step Functions writes them (a manifest.json
 * naming SUCCEEDED_n.json / FAILED_n.json files of execution records, Input and Output as JSON strings)
 * and the Map's output is `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`. Docs: "ItemReader (Map)",
 * "ItemBatcher (Map)", "ResultWriter (Map)", "Setting failure thresholds for Distributed Map states".
 */
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from './object-store.js';

export interface AslState {
  readonly Type: string;
  readonly [field: string]: unknown;
}

export const EXCEED_TOLERATED_FAILURE_THRESHOLD = 'States.ExceedToleratedFailureThreshold';

/** A child execution's end: its output, or its error. */
export type ChildEnd =
  | { readonly status: 'SUCCEEDED'; readonly output: unknown }
  | { readonly status: 'FAILED'; readonly error: string; readonly cause: string };

export interface DistributedMapRuntime {
  readonly store: ObjectStore;
  /** Evaluates a payload template (`Parameters`, `ItemSelector`) against an input and context object. */
  evaluate(template: unknown, input: unknown, context?: Record<string, unknown>): Promise<unknown>;
  /** Runs the ItemProcessor as a child execution with this input. */
  runChild(input: unknown): Promise<ChildEnd>;
}

/** The Map failed (its error as Step Functions names it); Catch fields see it as a state error. */
export class MapRunError extends Error {
  override readonly name: string;
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const field = (
  state: Readonly<Record<string, unknown>>,
  name: string,
): Record<string, unknown> | undefined => {
  const value = state[name];
  return isObject(value) ? value : undefined;
};

async function readItems(
  state: AslState,
  input: unknown,
  runtime: DistributedMapRuntime,
): Promise<unknown[]> {
  const reader = field(state, 'ItemReader');
  if (reader === undefined) {
    const items = await runtime.evaluate({ 'items.$': state.ItemsPath ?? '$' }, input);
    const list = (items as { items: unknown }).items;
    if (!Array.isArray(list)) throw new MapRunError('States.Runtime', 'The Map items are not an array.');
    return list;
  }
  const config = field(reader, 'ReaderConfig') ?? {};
  if (reader.Resource !== 'arn:aws:states:::s3:getObject' || config.InputType !== 'JSON')
    throw new Error(
      `The local run reads only JSON arrays from S3 (s3:getObject, InputType JSON), not ${JSON.stringify(reader)}.`,
    );
  const { Bucket, Key } = (await runtime.evaluate(reader.Parameters ?? {}, input)) as {
    Bucket?: unknown;
    Key?: unknown;
  };
  if (typeof Bucket !== 'string' || typeof Key !== 'string')
    throw new MapRunError('States.ItemReaderFailed', 'The ItemReader names no Bucket and Key.');
  let items: unknown;
  try {
    items = JSON.parse(await runtime.store.get(Bucket, Key));
  } catch (error) {
    throw new MapRunError(
      'States.ItemReaderFailed',
      `Cannot read s3://${Bucket}/${Key}: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(items))
    throw new MapRunError('States.ItemReaderFailed', `s3://${Bucket}/${Key} is not a JSON array.`);
  const maxItems = config.MaxItems;
  return typeof maxItems === 'number' && maxItems > 0 ? items.slice(0, maxItems) : items;
}

/** The children's inputs: each item through the ItemSelector, then grouped by the ItemBatcher. */
async function childInputs(
  state: AslState,
  input: unknown,
  items: readonly unknown[],
  runtime: DistributedMapRuntime,
) {
  const selector = state.ItemSelector ?? state.Parameters;
  const selected: unknown[] = [];
  for (const [index, item] of items.entries()) {
    selected.push(
      selector === undefined
        ? item
        : await runtime.evaluate(selector, input, { Map: { Item: { Index: index, Value: item } } }),
    );
  }
  const batcher = field(state, 'ItemBatcher');
  if (batcher === undefined) return selected.map((item) => ({ items: 1, input: item }));
  const size = typeof batcher.MaxItemsPerBatch === 'number' ? batcher.MaxItemsPerBatch : selected.length || 1;
  const batchInput =
    batcher.BatchInput === undefined ? {} : { BatchInput: await runtime.evaluate(batcher.BatchInput, input) };
  const batches = [];
  for (let start = 0; start < selected.length; start += size) {
    const batch = selected.slice(start, start + size);
    batches.push({ items: batch.length, input: { Items: batch, ...batchInput } });
  }
  return batches;
}

/** Failed items the Map tolerates: ToleratedFailureCount and ToleratedFailurePercentage; none by default. */
function toleratedFailures(state: AslState, itemCount: number): number {
  const counts: number[] = [];
  if (typeof state.ToleratedFailureCount === 'number') counts.push(state.ToleratedFailureCount);
  if (typeof state.ToleratedFailurePercentage === 'number')
    counts.push((state.ToleratedFailurePercentage / 100) * itemCount);
  return counts.length === 0 ? 0 : Math.max(...counts);
}

interface ChildRecord {
  readonly input: unknown;
  readonly end: ChildEnd;
  readonly startDate: string;
  readonly stopDate: string;
  readonly name: string;
}

/** Writes the children's executions as ResultWriter does; returns the Map's output. */
async function writeResults(
  writer: Record<string, unknown>,
  input: unknown,
  records: readonly ChildRecord[],
  runtime: DistributedMapRuntime,
  mapRunArn: string,
) {
  const { Bucket, Prefix } = (await runtime.evaluate(writer.Parameters ?? {}, input)) as {
    Bucket?: unknown;
    Prefix?: unknown;
  };
  if (typeof Bucket !== 'string')
    throw new MapRunError('States.ResultWriterFailed', 'The ResultWriter names no Bucket.');
  const folder = `${typeof Prefix === 'string' && Prefix !== '' ? `${Prefix}/` : ''}${mapRunArn.split(':').at(-1)}`;
  const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const executions = records
      .filter((record) => record.end.status === status)
      .map((record) => ({
        ExecutionArn: `${mapRunArn.replace(':mapRun:', ':execution:')}:${record.name}`,
        Input: JSON.stringify(record.input),
        InputDetails: { Included: true },
        Name: record.name,
        ...(record.end.status === 'SUCCEEDED'
          ? { Output: JSON.stringify(record.end.output), OutputDetails: { Included: true } }
          : { Error: record.end.error, Cause: record.end.cause }),
        StartDate: record.startDate,
        StateMachineArn: mapRunArn,
        Status: status,
        StopDate: record.stopDate,
      }));
    if (executions.length === 0) continue;
    const key = `${folder}/${status}_0.json`;
    const body = JSON.stringify(executions);
    await runtime.store.put(Bucket, key, body);
    files[status].push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${folder}/manifest.json`;
  await runtime.store.put(
    Bucket,
    manifestKey,
    JSON.stringify({ DestinationBucket: Bucket, MapRunArn: mapRunArn, ResultFiles: files }),
  );
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket, Key: manifestKey } };
}

/** Runs the Distributed Map `name` on its (effective) input; resolves to the Map's result. */
export async function runDistributedMap(
  name: string,
  state: AslState,
  input: unknown,
  runtime: DistributedMapRuntime,
): Promise<unknown> {
  const items = await readItems(state, input, runtime);
  const children = await childInputs(state, input, items, runtime);
  const tolerated = toleratedFailures(state, items.length);
  const maxConcurrency =
    typeof state.MaxConcurrency === 'number' && state.MaxConcurrency > 0 ? state.MaxConcurrency : 10_000;
  const mapRunArn = `arn:aws:states:us-east-1:123456789012:mapRun:local/${name}:${randomUUID()}`;

  const records: (ChildRecord | undefined)[] = new Array(children.length);
  let failedItems = 0;
  let next = 0;
  const worker = async () => {
    while (next < children.length && failedItems <= tolerated) {
      const index = next++;
      const child = children[index] as { items: number; input: unknown };
      const startDate = new Date().toISOString();
      const end = await runtime.runChild(child.input);
      if (end.status === 'FAILED') failedItems += child.items;
      records[index] = {
        input: child.input,
        end,
        startDate,
        stopDate: new Date().toISOString(),
        name: `${index}`,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxConcurrency, children.length) }, worker));
  if (failedItems > tolerated)
    throw new MapRunError(
      EXCEED_TOLERATED_FAILURE_THRESHOLD,
      `The Map failed: ${failedItems} of ${items.length} items failed, more than the ${tolerated} tolerated.`,
    );
  const done = records.filter((record): record is ChildRecord => record !== undefined);
  const writer = field(state, 'ResultWriter');
  if (writer !== undefined) return writeResults(writer, input, done, runtime, mapRunArn);
  return done.map((record) => (record.end.status === 'SUCCEEDED' ? record.end.output : record.end));
}
