import { describe, expect, it } from '@jest/globals';
import { createLimiter, mapWithConcurrency } from '../../lib/collect/concurrency.js';

/** A task gate the test opens by hand, to observe what runs at the same time. */
function deferred() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapWithConcurrency', () => {
  it('keeps the order of the items whatever order the calls finish in', async () => {
    // Prepare
    const delays = [30, 1, 15, 5];
    // Act
    const results = await mapWithConcurrency(delays, 2, async (delay, index) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return `${index}:${delay}`;
    });
    // Assess
    expect(results).toEqual(['0:30', '1:1', '2:15', '3:5']);
  });

  it('never runs more than the limit at once, and uses the whole limit', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 10 }, (_, index) => index);
    // Act
    await mapWithConcurrency(items, 3, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
    });
    // Assess
    expect(peak).toBe(3);
    expect(running).toBe(0);
  });

  it('returns an empty list for no items without calling the function', async () => {
    // Prepare
    let calls = 0;
    // Act
    const results = await mapWithConcurrency([], 4, async () => {
      calls += 1;
    });
    // Assess
    expect(results).toEqual([]);
    expect(calls).toBe(0);
  });

  it('rejects with the first error, starts no new item after it and waits for those started', async () => {
    // Prepare
    const started: number[] = [];
    const finished: number[] = [];
    // Act
    const outcome = mapWithConcurrency([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('item 1 failed');
      await tick();
      finished.push(item);
      return item;
    });
    // Assess
    await expect(outcome).rejects.toThrow('item 1 failed');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the limit %p', async (limit) => {
    // Act
    const outcome = mapWithConcurrency([1], limit, async (item) => item);
    // Assess
    await expect(outcome).rejects.toThrow(RangeError);
  });
});

describe('createLimiter', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in arrival order', async () => {
    // Prepare
    const limit = createLimiter(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    // Act
    const all = Promise.all(
      gates.map((gate, index) =>
        limit(async () => {
          started.push(index);
          await gate.opened;
          return index;
        }),
      ),
    );
    await tick();
    const startedFirst = [...started];
    gates[1]?.open();
    await tick();
    const startedSecond = [...started];
    for (const gate of gates) gate.open();
    // Assess
    expect(startedFirst).toEqual([0, 1]);
    expect(startedSecond).toEqual([0, 1, 2]);
    expect(await all).toEqual([0, 1, 2, 3]);
  });

  it('frees the slot of a task that failed and passes its error to the caller', async () => {
    // Prepare
    const limit = createLimiter(1);
    // Act
    const failedTask = limit(async () => {
      throw new Error('boom');
    });
    const nextTask = limit(async () => 'ran');
    // Assess
    await expect(failedTask).rejects.toThrow('boom');
    await expect(nextTask).resolves.toBe('ran');
  });

  it('refuses a limit below one', () => {
    // Act
    const creating = () => createLimiter(0);
    // Assess
    expect(creating).toThrow(RangeError);
  });
});
