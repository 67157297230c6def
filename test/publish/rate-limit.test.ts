import { describe, expect, it } from '@jest/globals';
import { type Clock, createThrottle } from '../../lib/publish/rate-limit.js';

/** A clock that advances only when a caller sleeps, so the test measures the schedule, not the machine. */
function fakeClock(): Clock & { readonly slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (milliseconds) => {
      slept.push(milliseconds);
      now += milliseconds;
    },
  };
}

describe('createThrottle', () => {
  it('lets a burst through at once, then spaces calls at the rate', async () => {
    // Prepare
    const clock = fakeClock();
    const throttle = createThrottle({ ratePerSecond: 10, burst: 30 }, clock);
    const startedAt: number[] = [];
    // Act
    await Promise.all(Array.from({ length: 40 }, () => throttle().then(() => startedAt.push(clock.now()))));
    // Assess
    expect(startedAt.slice(0, 30)).toEqual(Array(30).fill(0));
    expect(startedAt.slice(30)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('never exceeds the rate over any second once the burst is spent', async () => {
    // Prepare
    const clock = fakeClock();
    const throttle = createThrottle({ ratePerSecond: 10, burst: 30 }, clock);
    const startedAt: number[] = [];
    // Act
    for (let call = 0; call < 100; call += 1) {
      await throttle();
      startedAt.push(clock.now());
    }
    // Assess
    const afterBurst = startedAt.slice(30);
    const busiestSecond = Math.max(
      ...afterBurst.map((time) => afterBurst.filter((other) => other >= time && other < time + 1000).length),
    );
    expect(busiestSecond).toBe(10);
    expect(startedAt.at(-1)).toBe(7000);
  });

  it('refills while idle, up to the burst', async () => {
    // Prepare
    const clock = fakeClock();
    const throttle = createThrottle({ ratePerSecond: 10, burst: 3 }, clock);
    for (let call = 0; call < 3; call += 1) await throttle();
    await clock.sleep(60_000);
    clock.slept.length = 0;
    // Act
    for (let call = 0; call < 4; call += 1) await throttle();
    // Assess
    expect(clock.slept).toEqual([100]);
  });

  it.each([
    [{ ratePerSecond: 0, burst: 1 }],
    [{ ratePerSecond: 10, burst: 0 }],
    [{ ratePerSecond: 10, burst: 1.5 }],
  ])('refuses the nonsensical limit %j', (limit) => {
    // Act
    const create = () => createThrottle(limit);
    // Assess
    expect(create).toThrow(RangeError);
  });
});
