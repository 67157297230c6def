/**
 * A CLI scan in a process of its own, the emulator serving it from another: the CPU time and memory of
 * the scanner alone. bench/worker.ts bundles this file (as the functions are bundled) and runs it with
 * plain `node`, for the whole estate or for one (account, Region).
 *
 * Usage: node scan-process.mjs --endpoint URL --now ISO --out FILE [--account ID --region R]
 * (credentials and AWS_REGION from the environment).
 */
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { mb, measure } from './measure.js';
import type { ScanProcessFigures } from './worker.js';

async function main() {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      account: { type: 'string' },
      region: { type: 'string' },
      now: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const { endpoint, account, region, now, out } = values;
  if (endpoint === undefined || now === undefined || out === undefined) {
    throw new Error('Usage: scan-process --endpoint URL --now ISO --out FILE [--account ID --region R]');
  }
  const selection = [
    ...(account === undefined ? [] : ['--accounts', account]),
    ...(region === undefined ? [] : ['--regions', region]),
  ];
  const loading = performance.now();
  const { run } = await import('../cli/main.js');
  const loadMs = performance.now() - loading;
  const loadedRssMb = mb(process.memoryUsage().rss);
  const chunks: string[] = [];
  const measured = await measure(() =>
    run(
      [
        'scan',
        '--endpoint',
        endpoint,
        ...selection,
        '--format',
        'json',
        '--publish',
        'securityhub',
        '--now',
        now,
      ],
      {
        isTerminal: false,
        isErrorTerminal: false,
        stdout: (text) => {
          chunks.push(text);
        },
        stderr: (text) => {
          process.stderr.write(text);
        },
      },
    ),
  );
  const report = JSON.parse(chunks.join('')) as { results: unknown[] };
  const { value: status, ...figuresOfRun } = measured;
  const figures: ScanProcessFigures = {
    status,
    loadedRssMb,
    loadMs: Number(loadMs.toFixed(1)),
    run: figuresOfRun,
    results: report.results.length,
  };
  await writeFile(out, JSON.stringify(figures));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`scan-process: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
