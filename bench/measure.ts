/** Measuring one run in this process: wall time, CPU time, event-loop utilization and resident memory. */
import { performance } from 'node:perf_hooks';

export interface Measurement<T> {
  readonly value: T;
  readonly wallMs: number;
  /** User + system CPU time of the process during the run. */
  readonly cpuMs: number;
  readonly cpuUserMs: number;
  readonly cpuSystemMs: number;
  /** Share of the run the event loop was busy (1: CPU-bound, near 0: waiting on I/O). */
  readonly eventLoopUtilization: number;
  /** RSS when the run started. */
  readonly rssBeforeMb: number;
  /** Highest RSS sampled every `sampleMs` during the run (a blocked event loop can hide a peak). */
  readonly peakRssSampledMb: number;
  /** The kernel's high-water mark of the process (process.resourceUsage().maxRSS), since it started. */
  readonly maxRssMb: number;
  readonly peakHeapUsedMb: number;
}

export const mb = (bytes: number) => Number((bytes / 1_048_576).toFixed(1));
const ms = (value: number) => Number(value.toFixed(1));

/** Runs `run`, sampling memory every `sampleMs`. */
export async function measure<T>(run: () => Promise<T>, sampleMs = 50): Promise<Measurement<T>> {
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, sampleMs);
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  try {
    const value = await run();
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const utilization = performance.eventLoopUtilization(loop);
    sample();
    return {
      value,
      wallMs: ms(wallMs),
      cpuMs: ms((used.user + used.system) / 1000),
      cpuUserMs: ms(used.user / 1000),
      cpuSystemMs: ms(used.system / 1000),
      eventLoopUtilization: Number(utilization.utilization.toFixed(2)),
      rssBeforeMb: mb(before.rss),
      peakRssSampledMb: mb(peakRss),
      maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
      peakHeapUsedMb: mb(peakHeap),
    };
  } finally {
    clearInterval(timer);
  }
}
