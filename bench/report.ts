/** The benchmark's figures as Markdown, and its verdict on each target (PASS / MISS; the bench never fails on them). */
import type { BundleFigures } from './bundles.js';
import type { CliStartFigures } from './cli-start.js';
import type { ApartFigures, EstateFigures, ScanFigures, SizeSpec, TargetFigures } from './worker.js';

export interface SizeResult {
  readonly size: SizeSpec;
  readonly estate?: EstateFigures;
  readonly cli?: ScanFigures;
  readonly stateMachine?: ScanFigures;
  /** The CLI scan with the scanner in a process of its own. */
  readonly apart?: ApartFigures;
  readonly target?: TargetFigures;
  /** Workers that failed, by mode. */
  readonly failures: Readonly<Record<string, string>>;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  /** Scan runs carried the CPU profiler (and its overhead). */
  readonly profiled: boolean;
  readonly latencyMs: number;
  readonly seed: number;
  readonly now: string;
  readonly machine: {
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryMb: number;
  };
  readonly stateMachineParams: Readonly<Record<string, string>>;
  readonly sizes: readonly SizeResult[];
  readonly bundles?: BundleFigures;
  readonly bundlesSkipped?: string;
  /** The built CLI's start and a small scan (bench/cli-start.ts); absent when it could not run. */
  readonly cliStart?: CliStartFigures;
  readonly verdicts: readonly Verdict[];
}

export interface Verdict {
  readonly target: string;
  readonly subject: string;
  readonly measured: string;
  readonly verdict: 'PASS' | 'MISS' | 'NOT MEASURED';
}

/** The issue's targets. */
export const TARGETS = {
  wallMs: 60_000,
  wallClusters: 1000,
  wallLatencyMs: 25,
  callRatio: 1.2,
  targetRssMb: 256,
  bundleBytes: 600 * 1024,
  cliStartMs: 300,
} as const;

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const fixed = (value: number, digits = 2) => value.toFixed(digits);
const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const peakOf = (run: { peakRssSampledMb: number; maxRssMb: number }) =>
  Math.max(run.peakRssSampledMb, run.maxRssMb);

const PATHS = [
  ['CLI', 'cli'],
  ['State machine', 'stateMachine'],
] as const;

export function verdicts(results: Omit<BenchResults, 'verdicts' | 'finishedAt'>): Verdict[] {
  const list: Verdict[] = [];
  const wallTarget = `${TARGETS.wallClusters.toLocaleString('en')}-cluster run at ${TARGETS.wallLatencyMs} ms latency under ${seconds(TARGETS.wallMs)} s`;
  const large = results.sizes.filter((size) => size.size.clusters >= TARGETS.wallClusters);
  if (large.length === 0 || results.latencyMs < TARGETS.wallLatencyMs) {
    list.push({
      target: wallTarget,
      subject: 'all paths',
      measured: results.quick ? 'no 1,000-cluster size in --quick' : `latency ${results.latencyMs} ms`,
      verdict: 'NOT MEASURED',
    });
  }
  for (const size of large) {
    for (const [label, key] of PATHS) {
      const figures = size[key];
      if (figures === undefined || results.latencyMs < TARGETS.wallLatencyMs) continue;
      const ok = figures.succeeded && figures.run.wallMs < TARGETS.wallMs;
      list.push({
        target: wallTarget,
        subject: `${size.size.name}, ${label}`,
        measured: `${seconds(figures.run.wallMs)} s${figures.succeeded ? '' : ' (run failed)'}`,
        verdict: ok ? 'PASS' : 'MISS',
      });
    }
  }
  for (const size of large) {
    const apart = size.apart;
    if (apart === undefined || results.latencyMs < TARGETS.wallLatencyMs) continue;
    list.push({
      target: wallTarget,
      subject: `${size.size.name}, CLI with the emulator in another process`,
      measured: `${seconds(apart.scanner.run.wallMs)} s${apart.scanner.status === 0 ? '' : ` (exit status ${apart.scanner.status})`}`,
      verdict: apart.scanner.status === 0 && apart.scanner.run.wallMs < TARGETS.wallMs ? 'PASS' : 'MISS',
    });
  }
  for (const size of results.sizes) {
    for (const [label, key] of PATHS) {
      const figures = size[key];
      if (figures === undefined) continue;
      const { ratio, securityHub } = figures.calls;
      const ok = ratio <= TARGETS.callRatio && securityHub.batchImportRatio <= TARGETS.callRatio;
      list.push({
        target: `API calls within ${TARGETS.callRatio}x the floor`,
        subject: `${size.size.name}, ${label}`,
        measured: `${fixed(ratio)}x (${figures.calls.calls} / ${figures.calls.floor}); BatchImportFindings ${fixed(securityHub.batchImportRatio)}x (${securityHub.batchImportCalls} / ${securityHub.batchImportFloor})`,
        verdict: ok ? 'PASS' : 'MISS',
      });
    }
  }
  for (const size of results.sizes) {
    const target = size.target;
    if (target === undefined) continue;
    const peak = peakOf(target.child.run);
    list.push({
      target: `Peak RSS of one scan-target under ${TARGETS.targetRssMb} MB`,
      subject: `${size.size.name}: ${target.accountId} ${target.region} (${target.clusters} clusters)`,
      measured: `${fixed(peak, 1)} MB`,
      verdict: peak < TARGETS.targetRssMb ? 'PASS' : 'MISS',
    });
  }
  list.push({
    target: `CLI start (eks-scan --version, built) under ${TARGETS.cliStartMs} ms`,
    subject: 'dist/eks-scan.mjs',
    measured:
      results.cliStart === undefined
        ? 'the built CLI did not run'
        : `${fixed(results.cliStart.versionMs.medianMs, 0)} ms (node -e 0: ${fixed(results.cliStart.nodeMs.medianMs, 0)} ms)`,
    verdict:
      results.cliStart === undefined
        ? 'NOT MEASURED'
        : results.cliStart.versionMs.medianMs < TARGETS.cliStartMs
          ? 'PASS'
          : 'MISS',
  });
  const bundleTarget = `Every function bundle under ${kb(TARGETS.bundleBytes)} KB minified (.cjs, unzipped)`;
  if (results.bundles === undefined) {
    list.push({
      target: bundleTarget,
      subject: 'all functions',
      measured: results.bundlesSkipped ?? 'skipped',
      verdict: 'NOT MEASURED',
    });
  }
  for (const bundle of results.bundles?.functions ?? []) {
    list.push({
      target: bundleTarget,
      subject: bundle.function,
      measured: `${kb(bundle.cjsBytes)} KB`,
      verdict: bundle.cjsBytes < TARGETS.bundleBytes ? 'PASS' : 'MISS',
    });
  }
  return list;
}

const row = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

function runRows(results: BenchResults) {
  return results.sizes.flatMap((size) =>
    PATHS.flatMap(([label, key]) => {
      const figures = size[key];
      if (figures === undefined) {
        const failure = size.failures[key === 'cli' ? 'cli' : 'state-machine'];
        return failure === undefined
          ? []
          : [[size.size.name, label, `worker failed: ${failure.slice(0, 80)}`]];
      }
      const { run, calls, results: statuses } = figures;
      const clusters = calls.clusters;
      return [
        [
          size.size.name,
          label,
          clusters,
          seconds(run.wallMs),
          fixed(clusters / (run.wallMs / 1000), 1),
          seconds(run.cpuMs),
          fixed(run.eventLoopUtilization),
          `${fixed(run.peakRssSampledMb, 0)} / ${fixed(run.maxRssMb, 0)}`,
          fixed(calls.calls / Math.max(1, clusters)),
          fixed(calls.floor / Math.max(1, clusters)),
          `${fixed(calls.ratio)}x`,
          `${calls.securityHub.batchImportCalls} / ${calls.securityHub.batchImportFloor}`,
          `${statuses.PASSED}/${statuses.FAILED}/${statuses.NOT_APPLICABLE}/${statuses.ERROR}`,
          figures.succeeded ? 'ok' : `FAILED: ${(figures.failure ?? '').slice(0, 60)}`,
        ],
      ];
    }),
  );
}

function operationTable(size: SizeResult): string | undefined {
  const cli = size.cli?.calls;
  const machine = size.stateMachine?.calls;
  const base = cli ?? machine;
  if (base === undefined) return undefined;
  const names = [
    ...new Set([...(cli?.operations ?? []), ...(machine?.operations ?? [])].map((entry) => entry.operation)),
  ].sort();
  const cell = (analysis: typeof cli, name: string) => {
    const entry = analysis?.operations.find((operation) => operation.operation === name);
    if (analysis === undefined || entry === undefined) return '-';
    const ratio =
      entry.floor === 0
        ? entry.calls === 0
          ? ''
          : ' (no floor)'
        : ` (${fixed(entry.calls / entry.floor, 1)}x)`;
    return `${fixed(entry.perCluster, 3)}${ratio}`;
  };
  const label = (name: string) => (name.startsWith('securityhub:') ? `${name} (judged apart)` : name);
  const floorCell = (name: string) => {
    const entry = [...(cli?.operations ?? []), ...(machine?.operations ?? [])].find(
      (operation) => operation.operation === name,
    );
    return fixed(entry?.floorPerCluster ?? 0, 3);
  };
  return table(
    ['Operation', 'Floor / cluster', 'CLI / cluster', 'State machine / cluster'],
    names.map((name) => [label(name), floorCell(name), cell(cli, name), cell(machine, name)]),
  );
}

export function markdown(results: BenchResults): string {
  const { machine } = results;
  const lines: string[] = [
    `# Benchmark ${results.quick ? '(quick) ' : ''}${results.startedAt}`,
    '',
    `Latency ${results.latencyMs} ms on every call; seed ${results.seed}; scan time ${results.now}; ` +
      `state machine ${Object.entries(results.stateMachineParams)
        .map(([name, value]) => `${name} ${value}`)
        .join(', ')}; Node ${machine.node} on ${machine.cpus} x ${machine.cpuModel}, ` +
      `${machine.memoryMb} MB. See bench/README.md for what each figure means.`,
    '',
    '## Scans (emulator in the same process)',
    '',
    table(
      [
        'Size',
        'Path',
        'Clusters',
        'Wall s',
        'Clusters/s',
        'CPU s',
        'ELU',
        'RSS MB peak / maxRSS',
        'Calls/cluster',
        'Floor/cluster',
        'Ratio',
        'BatchImport calls / floor',
        'Passed/Failed/N-A/Error',
        'Run',
      ],
      runRows(results),
    ),
    '',
    '## The CLI scan with the emulator in another process (scanner: bundled CLI, plain node)',
    '',
    table(
      [
        'Size',
        'Clusters',
        'Scanner wall s',
        'Clusters/s',
        'Scanner CPU s',
        'Scanner ELU',
        'Scanner RSS MB loaded / peak / maxRSS',
        'Emulator CPU s',
        'Emulator ELU',
        'Calls ratio',
      ],
      results.sizes.flatMap((size) => {
        const apart = size.apart;
        if (apart === undefined) {
          const failure = size.failures['cli-apart'];
          return failure === undefined ? [] : [[size.size.name, `worker failed: ${failure.slice(0, 80)}`]];
        }
        const { scanner, emulator, calls } = apart;
        return [
          [
            size.size.name,
            calls.clusters,
            seconds(scanner.run.wallMs),
            fixed(calls.clusters / (scanner.run.wallMs / 1000), 1),
            seconds(scanner.run.cpuMs),
            fixed(scanner.run.eventLoopUtilization),
            `${fixed(scanner.loadedRssMb, 0)} / ${fixed(scanner.run.peakRssSampledMb, 0)} / ${fixed(scanner.run.maxRssMb, 0)}`,
            seconds(emulator.cpuMs),
            fixed(emulator.eventLoopUtilization),
            `${fixed(calls.ratio)}x`,
          ],
        ];
      }),
    ),
    '',
    '## One scan-target (the scanner alone: bundled CLI, plain node, one account and Region)',
    '',
    table(
      ['Size', 'Target', 'Clusters', 'RSS MB loaded', 'RSS MB peak / maxRSS', 'Wall s', 'CPU s'],
      results.sizes.flatMap((size) => {
        const target = size.target;
        if (target === undefined)
          return size.failures.target === undefined
            ? []
            : [[size.size.name, `worker failed: ${size.failures.target.slice(0, 80)}`]];
        const { run } = target.child;
        return [
          [
            size.size.name,
            `${target.accountId} ${target.region}`,
            target.clusters,
            fixed(target.child.loadedRssMb, 0),
            `${fixed(run.peakRssSampledMb, 0)} / ${fixed(run.maxRssMb, 0)}`,
            seconds(run.wallMs),
            seconds(run.cpuMs),
          ],
        ];
      }),
    ),
    '',
  ];
  if (results.bundles !== undefined) {
    lines.push(
      `## Function bundles (serverless package: ${seconds(results.bundles.packageMs)} s)`,
      '',
      table(
        [
          'Function',
          '.cjs KB (minified)',
          'zip KB',
          'Cold init ms (median)',
          'Cold init runs ms',
          'RSS MB after init',
        ],
        results.bundles.functions.map((bundle) => [
          bundle.function,
          kb(bundle.cjsBytes),
          kb(bundle.zipBytes),
          fixed(bundle.coldInit.medianMs, 0),
          bundle.coldInit.runsMs.map((ms) => fixed(ms, 0)).join(', '),
          fixed(bundle.coldInit.rssMb, 0),
        ]),
      ),
      '',
    );
  } else {
    lines.push(`## Function bundles`, '', results.bundlesSkipped ?? 'Skipped.', '');
  }
  if (results.cliStart !== undefined) {
    const { nodeMs, versionMs, demoScanMs } = results.cliStart;
    const row = (label: string, timings: CliStartFigures['nodeMs']) => [
      label,
      fixed(timings.medianMs, 0),
      timings.runsMs.map((ms) => fixed(ms, 0)).join(', '),
    ];
    lines.push(
      '## The built CLI (dist/eks-scan.mjs, a fresh node each run)',
      '',
      table(
        ['Command', 'Median ms', 'Runs ms'],
        [
          row('node -e 0 (Node alone)', nodeMs),
          row('eks-scan --version', versionMs),
          row('eks-scan scan --estate examples/demo-estate.json (11 clusters)', demoScanMs),
        ],
      ),
      '',
    );
  }
  const profiles = results.sizes.flatMap((size) =>
    PATHS.flatMap(([label, key]) => {
      const profile = size[key]?.profile;
      if (profile === undefined) return [];
      const percent = (share: number) => `${(share * 100).toFixed(0)}%`;
      return [
        `- ${size.size.name}, ${label} (${seconds(profile.busyMs)} s busy): ` +
          profile.byOwner.map((entry) => `${entry.owner} ${percent(entry.share)}`).join(', ') +
          `. Hottest code: ${profile.byCode
            .slice(0, 6)
            .map((entry) => `${entry.code} ${percent(entry.share)}`)
            .join(', ')}.`,
      ];
    }),
  );
  if (profiles.length > 0) {
    lines.push(
      '## Where the CPU time went (profiled runs; the profiler slows them a little)',
      '',
      'By owner: the nearest repository frame on the stack. By code: where the sampled function lives.',
      '',
      ...profiles,
      '',
    );
  }
  lines.push(
    '## Targets',
    '',
    table(
      ['Target', 'Subject', 'Measured', 'Verdict'],
      results.verdicts.map((verdict) => [
        verdict.target,
        verdict.subject,
        verdict.measured,
        `**${verdict.verdict}**`,
      ]),
    ),
    '',
    '## Calls per cluster by operation (ratio to the floor)',
    '',
  );
  for (const size of results.sizes) {
    const operations = operationTable(size);
    if (operations === undefined) continue;
    const hub = [size.cli, size.stateMachine].flatMap((figures, index) =>
      figures === undefined
        ? []
        : [
            `${index === 0 ? 'CLI' : 'state machine'}: ${figures.calls.securityHub.findings} findings in ${figures.calls.securityHub.targets} accounts/Regions, ` +
              `BatchImportFindings ${figures.calls.securityHub.batchImportCalls} (floor ${figures.calls.securityHub.batchImportFloor}, ` +
              `${figures.calls.securityHub.targetsOverFloor} accounts/Regions over it), GetFindings ${figures.calls.securityHub.getFindingsCalls}`,
          ],
    );
    lines.push(`### ${size.size.name}`, '', operations, '', ...hub.map((text) => `- ${text}`), '');
  }
  return `${lines.join('\n')}\n`;
}
