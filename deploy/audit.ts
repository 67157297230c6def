/**
 * The dependency audit gate: `npm audit --omit=dev`, failing on any high or critical advisory of a
 * production dependency. Some registries do not serve npm's audit endpoint (it answers 405); then the
 * audit did not run, which this says loudly instead of passing it off as clean, and `--strict` (for a
 * release) fails on it.
 *
 * Usage: tsx deploy/audit.ts [--strict]
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const FAILING_SEVERITIES = ['high', 'critical'] as const;

export interface Advisory {
  readonly dependency: string;
  readonly severity: string;
  /** What the advisory says, or the dependency that carries it. */
  readonly via: readonly string[];
}

export type AuditVerdict =
  | { readonly kind: 'clean'; readonly counts: Record<string, number> }
  | {
      readonly kind: 'advisories';
      readonly advisories: readonly Advisory[];
      readonly counts: Record<string, number>;
    }
  | { readonly kind: 'not-run'; readonly reason: string };

interface AuditReport {
  readonly vulnerabilities?: Record<
    string,
    { severity?: string; via?: readonly (string | { title?: string; url?: string })[] }
  >;
  readonly metadata?: { vulnerabilities?: Record<string, number> };
  readonly statusCode?: number;
  readonly message?: string;
  readonly error?: { summary?: string; detail?: string };
}

/** What an `npm audit --json` output means for the gate. */
export function auditVerdict(output: string): AuditVerdict {
  let report: AuditReport;
  try {
    report = JSON.parse(output) as AuditReport;
  } catch {
    return {
      kind: 'not-run',
      reason: `npm audit printed no JSON report: ${output.slice(0, 200) || '(nothing)'}`,
    };
  }
  const counts = report.metadata?.vulnerabilities;
  if (counts === undefined) {
    const reason = report.message ?? report.error?.summary ?? 'npm audit returned no report';
    return { kind: 'not-run', reason };
  }
  const advisories = Object.entries(report.vulnerabilities ?? {})
    .filter(([, entry]) => (FAILING_SEVERITIES as readonly string[]).includes(entry.severity ?? ''))
    .map(([dependency, entry]) => ({
      dependency,
      severity: entry.severity ?? 'unknown',
      via: (entry.via ?? []).map((cause) =>
        typeof cause === 'string' ? `through ${cause}` : [cause.title, cause.url].filter(Boolean).join(' '),
      ),
    }))
    .sort((a, b) => a.dependency.localeCompare(b.dependency));
  return advisories.length === 0 ? { kind: 'clean', counts } : { kind: 'advisories', advisories, counts };
}

/** The lines to print and the exit status for a verdict. */
export function auditOutcome(verdict: AuditVerdict, strict: boolean): { lines: string[]; exitCode: number } {
  switch (verdict.kind) {
    case 'clean':
      return {
        lines: [`npm audit --omit=dev: no high or critical advisories (${JSON.stringify(verdict.counts)}).`],
        exitCode: 0,
      };
    case 'advisories':
      return {
        lines: [
          `npm audit --omit=dev: ${verdict.advisories.length} production dependencies with high or critical advisories:`,
          ...verdict.advisories.map(
            (advisory) => `  ${advisory.dependency} (${advisory.severity}): ${advisory.via.join('; ')}`,
          ),
        ],
        exitCode: 1,
      };
    case 'not-run':
      return {
        lines: [
          `npm audit --omit=dev DID NOT RUN: ${verdict.reason}`,
          strict
            ? 'Failing (--strict): run it against a registry that serves the audit endpoint.'
            : 'Not a pass: run `npm run audit -- --strict` against a registry that serves the audit endpoint before a release.',
        ],
        exitCode: strict ? 2 : 0,
      };
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { strict: { type: 'boolean', default: false } } });
  // npm audit exits 1 both when it finds advisories and when it cannot run: the JSON tells which.
  const output = await new Promise<string>((resolve) => {
    execFile('npm', ['audit', '--omit=dev', '--json'], { maxBuffer: 64 * 1_048_576 }, (_error, stdout) =>
      resolve(stdout),
    );
  });
  const { lines, exitCode } = auditOutcome(auditVerdict(output), values.strict === true);
  for (const line of lines) console.log(line);
  return exitCode;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
