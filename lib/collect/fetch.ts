/**
 * The collector's building blocks: a call whose error becomes a recorded failure, paginators followed
 * to the end, and look-ups batched by key where each key remembers the failure of its own look-up, so
 * a failed call marks exactly the resources that needed it.
 */
import { IncompleteResponseError, toCollectionFailure } from '../aws/errors.js';
import {
  type CollectionFailure,
  collected,
  failed,
  type Part,
  type SnapshotPartName,
} from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';

/** The value, or an IncompleteResponseError naming what the response lacked. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new IncompleteResponseError(`The response has no ${what}.`);
  return value;
}

/** Runs a fetch (one call or a whole pagination); what it throws becomes the failure of `operation`. */
export async function attempt<T>(operation: string, fetch: () => Promise<T>): Promise<Part<T>> {
  try {
    return collected(await fetch());
  } catch (error) {
    return failed(toCollectionFailure(operation, error));
  }
}

/** Every item of every page: the paginator is followed until AWS returns no next token. */
export async function drain<P, T>(
  pages: AsyncIterable<P>,
  itemsOf: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...(itemsOf(page) ?? []));
  return items;
}

export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** A part per cluster of the Region, by cluster name. */
export type ByCluster<T> = ReadonlyMap<string, Part<T>>;

/** The part of one cluster; every cluster of the Region has one, so a gap is a bug. */
export function partOf<T>(parts: ByCluster<T>, clusterName: string): Part<T> {
  const part = parts.get(clusterName);
  if (part === undefined) throw new Error(`No part was produced for cluster ${clusterName}.`);
  return part;
}

/** Each cluster's part computed from its collected `source` value; a failed source passes its failure on. */
export function derive<T, U>(
  source: ByCluster<T>,
  compute: (value: T, clusterName: string) => Part<U>,
): ByCluster<U> {
  return new Map(
    [...source].map(([clusterName, part]) => [
      clusterName,
      part.status === 'collected' ? compute(part.value, clusterName) : part,
    ]),
  );
}

/** The values of the clusters whose part was collected. */
export const collectedValues = <T>(source: ByCluster<T>): T[] =>
  [...source.values()].flatMap((part) => (part.status === 'collected' ? [part.value] : []));

/** The first failure among parts, if any. */
export const firstFailure = (...parts: readonly Part<unknown>[]): CollectionFailure | undefined =>
  parts.find((part) => part.status === 'failed')?.failure;

/** A part the selected checks do not read: never collected, so never mistaken for data. */
export const notRequested = <T>(name: SnapshotPartName): Part<T> =>
  failed({
    operation: 'not-collected',
    code: 'NotRequested',
    message: `The snapshot part ${name} was not requested by the selected checks.`,
  });

/** Items fetched in batches of keys; a key whose look-up failed maps to the failure of its call. */
export interface KeyedFetch<T> {
  readonly items: readonly T[];
  readonly failures: ReadonlyMap<string, CollectionFailure>;
}

export const EMPTY_FETCH: KeyedFetch<never> = { items: [], failures: new Map() };

export interface KeyedFetchRequest<T> {
  /** Duplicates are fetched once. */
  readonly keys: Iterable<string>;
  readonly batchSize: number;
  /** Keys of different groups never share a call (e.g. the versions of one launch template); default: one group. */
  readonly groupOf?: (key: string) => string;
  /** The limiter of the service called. */
  readonly limit: Limiter;
  readonly operation: string;
  readonly fetchBatch: (batch: string[]) => Promise<readonly T[]>;
}

/**
 * Error codes that blame an id of the request rather than the call: EC2 fails a whole call when one
 * id it names does not exist or is malformed (`InvalidAMIID.NotFound`, `InvalidAMIID.Malformed`,
 * `InvalidLaunchTemplateId.NotFound`, `InvalidLaunchTemplateId.VersionNotFound`,
 * `InvalidLaunchTemplateName.NotFoundException`, `InvalidSubnetID.NotFound`, ...; EC2 API reference,
 * "Error codes for the Amazon EC2 API"), and `AuthFailure` when the caller may not see a resource it names.
 */
const KEY_ERROR_CODE = /(NotFound|NotFoundException|\.Malformed|\.Unavailable)$|^AuthFailure$/;

export const blamesAKey = (failure: CollectionFailure) => KEY_ERROR_CODE.test(failure.code);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The keys of the batch an error message names as whole words (`'[ami-1, ami-2]' do not exist`). */
const keysNamedIn = (message: string, batch: readonly string[]) =>
  batch.filter((key) => new RegExp(`(^|[^\\w-])${escapeRegExp(key)}($|[^\\w-])`).test(message));

/** Extra calls a batch may spend isolating the keys its failure blames: enough for a few bad keys. */
const retryBudget = (size: number) => 4 * Math.ceil(Math.log2(Math.max(size, 2)));

/**
 * Fetches the keys in batches, each batch one call (or pagination) through the service's limiter.
 * When a call fails because of ids it names (blamesAKey), the keys its message names fail alone and
 * the rest of the batch is fetched again without them; when the message names none, the batch is
 * split in halves down to the keys that fail. So one deleted or hidden resource makes only its own key
 * fail, for a few extra calls (bounded by retryBudget); a failure that blames no id (throttling, access
 * denied) fails every key of its batch at once, with no extra call.
 */
export async function fetchByKeys<T>(request: KeyedFetchRequest<T>): Promise<KeyedFetch<T>> {
  const failures = new Map<string, CollectionFailure>();
  /** The items of the batch, in the order of its keys' calls whatever order they complete in. */
  const fetchBatch = async (batch: string[], budget: { calls: number }): Promise<T[]> => {
    const outcome = await request.limit(() => attempt(request.operation, () => request.fetchBatch(batch)));
    if (outcome.status === 'collected') return [...outcome.value];
    const named = keysNamedIn(outcome.failure.message, batch);
    const retry = named.length > 0 ? [batch.filter((key) => !named.includes(key))] : halves(batch);
    const retries = retry.filter((keys) => keys.length > 0);
    if (batch.length === 1 || !blamesAKey(outcome.failure) || budget.calls < retries.length) {
      for (const key of batch) failures.set(key, outcome.failure);
      return [];
    }
    budget.calls -= retries.length;
    for (const key of named) failures.set(key, outcome.failure);
    return (await Promise.all(retries.map((keys) => fetchBatch(keys, budget)))).flat();
  };
  const byGroup = new Map<string, string[]>();
  for (const key of new Set(request.keys)) {
    const group = request.groupOf?.(key) ?? '';
    byGroup.set(group, [...(byGroup.get(group) ?? []), key]);
  }
  const batches = [...byGroup.values()].flatMap((keys) => chunksOf(keys, request.batchSize));
  const items = await Promise.all(
    batches.map((batch) => fetchBatch(batch, { calls: retryBudget(batch.length) })),
  );
  return { items: items.flat(), failures };
}

const halves = (batch: readonly string[]) => {
  const middle = Math.ceil(batch.length / 2);
  return [batch.slice(0, middle), batch.slice(middle)];
};

/** The failure that hides any of the keys, if one does. */
export function failureOfKeys(
  fetch: KeyedFetch<unknown>,
  keys: Iterable<string>,
): CollectionFailure | undefined {
  for (const key of keys) {
    const failure = fetch.failures.get(key);
    if (failure !== undefined) return failure;
  }
  return undefined;
}
