/**
 * A token bucket: at most `ratePerSecond` calls a second on average, with bursts of up to `burst`.
 * Security Hub allows BatchImportFindings 10 calls/s per account and Region with bursts of 30; staying
 * under the quota beats being throttled and retried.
 */
export interface RateLimit {
  readonly ratePerSecond: number;
  readonly burst: number;
}

export interface Clock {
  now(): number;
  sleep(milliseconds: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

/** Resolves when the caller may make one call. Callers are served in arrival order. */
export type Throttle = () => Promise<void>;

export function createThrottle({ ratePerSecond, burst }: RateLimit, clock: Clock = SYSTEM_CLOCK): Throttle {
  if (!(ratePerSecond > 0) || !Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`A rate limit needs ratePerSecond > 0 and an integer burst >= 1.`);
  }
  let tokens = burst;
  let refilledAt = clock.now();
  let queue: Promise<void> = Promise.resolve();

  const takeToken = async () => {
    for (;;) {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * ratePerSecond);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await clock.sleep(Math.ceil(((1 - tokens) / ratePerSecond) * 1000));
    }
  };
  return () => {
    const turn = queue.then(takeToken);
    queue = turn;
    return turn;
  };
}
