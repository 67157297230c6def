/** Bounded concurrency for the collector and the scan: never more than `limit` tasks in flight. */

/** Runs a task when a slot is free. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

function assertLimit(limit: number) {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`The concurrency limit must be a positive integer, got ${limit}.`);
  }
}

/**
 * A gate shared by independent callers (e.g. every call to one AWS service in a Region): at most
 * `limit` tasks run at once, the others start in arrival order as slots free up. A task must not wait
 * for another task of the same limiter, or both may wait forever.
 */
export function createLimiter(limit: number): Limiter {
  assertLimit(limit);
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (active < limit) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  // A freed slot passes straight to the next waiting task, so `active` only drops when nobody waits.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return async (task) => {
    await acquire();
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * Maps items with `fn`, running at most `limit` at a time; results keep the order of the items.
 * After a failure no new item starts; it rejects with the first error once the started ones settled.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  assertLimit(limit);
  const results = new Array<R>(items.length);
  let next = 0;
  let firstError: { readonly error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && firstError === undefined) {
      const index = next;
      next += 1;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        firstError ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (firstError !== undefined) throw firstError.error;
  return results;
}
