/**
 * The collector's building blocks: a call whose error becomes a recorded failure, paginators followed
 * to the end, and look-ups batched by key where each key remembers the failure of its own batch, so a
 * failed call marks exactly the snapshots that needed it.
 */
import { IncompleteResponseError, toCollectionFailure } from '../aws/errors.js';
import type { Limiter } from './concurrency.js';
import { type CollectionFailure, collected, failed, type Part, type SnapshotPartName } from './types.js';

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

/** The same value (or failure) transformed, e.g. the Region's instances narrowed to one cluster's. */
export const mapPart = <T, U>(part: Part<T>, transform: (value: T) => U): Part<U> =>
  part.status === 'collected' ? collected(transform(part.value)) : part;

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

/** Items fetched in batches of keys; a key whose batch failed maps to the failure of that batch. */
export interface KeyedFetch<T> {
  readonly items: readonly T[];
  readonly failures: ReadonlyMap<string, CollectionFailure>;
}

export const EMPTY_FETCH: KeyedFetch<never> = { items: [], failures: new Map() };

export interface KeyedFetchRequest<T> {
  /** Duplicates are fetched once. */
  readonly keys: Iterable<string>;
  readonly batchSize: number;
  /** The limiter of the service called. */
  readonly limit: Limiter;
  readonly operation: string;
  readonly fetchBatch: (batch: string[]) => Promise<readonly T[]>;
}

/** Fetches the keys in batches, each batch one call (or pagination) through the service's limiter. */
export async function fetchByKeys<T>(request: KeyedFetchRequest<T>): Promise<KeyedFetch<T>> {
  const batches = chunksOf([...new Set(request.keys)], request.batchSize);
  const outcomes = await Promise.all(
    batches.map((batch) => request.limit(() => attempt(request.operation, () => request.fetchBatch(batch)))),
  );
  const items: T[] = [];
  const failures = new Map<string, CollectionFailure>();
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'collected') items.push(...outcome.value);
    else for (const key of batches[index] ?? []) failures.set(key, outcome.failure);
  });
  return { items, failures };
}

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
