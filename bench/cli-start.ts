/**
 * The built `eks-scan` (`npm run build`) as a user meets it: how long `eks-scan --version` takes to
 * answer, and the wall time of a small scan (the demo organization, 11 clusters, through the embedded
 * emulator), each in a fresh `node`, beside a bare `node -e 0` for what Node itself costs here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../deploy/build-cli.js';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'demo-estate.json');

export interface Timings {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
}

export interface CliStartFigures {
  /** `node -e 0`: Node's own start on this machine, for comparison. */
  readonly nodeMs: Timings;
  /** `eks-scan --version`. */
  readonly versionMs: Timings;
  /** `eks-scan scan --estate examples/demo-estate.json --now ... --format json`. */
  readonly demoScanMs: Timings;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** Runs the command `runs` times; a run that fails (other than the demo's expected exit 1) throws. */
function time(args: readonly string[], runs: number, expectedStatus: number): Timings {
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    runsMs.push(performance.now() - started);
    if (result.status !== expectedStatus) {
      throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
    }
  }
  return { medianMs: median(runsMs), runsMs };
}

export async function measureCliStart(now: string): Promise<CliStartFigures> {
  const entry = await buildCli(await mkdtemp(join(tmpdir(), 'eks-scan-bench-cli-')));
  return {
    nodeMs: time(['-e', '0'], 5, 0),
    versionMs: time([entry, '--version'], 5, 0),
    // The demo has an account the scanner may not enter: exit status 1, by design.
    demoScanMs: time([entry, 'scan', '--estate', DEMO, '--now', now, '--format', 'json'], 3, 1),
  };
}
