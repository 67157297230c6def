/** The scan as a person reads it on a terminal: a summary per cluster, then failures by severity, then errors. */
import { SEVERITIES } from '../lib/checks/types.js';
import type { PublishOutcome } from '../lib/publish/security-hub.js';
import type { MarkedReport, MarkedResult } from '../lib/publish/suppressions.js';
import { renderTable } from './table.js';

const STATUS_COLUMNS = ['PASSED', 'FAILED', 'NOT_APPLICABLE', 'ERROR'] as const;

const severityRank = (result: MarkedResult) => SEVERITIES.indexOf(result.severity);

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function renderScanTable(
  report: MarkedReport,
  fullCatalogue: boolean,
  published?: readonly PublishOutcome[],
): string {
  const { results, errors } = report;
  const byCluster = new Map<string, MarkedResult[]>();
  for (const result of results) {
    const key = [result.accountId, result.region, result.cluster].join('\u0000');
    byCluster.set(key, [...(byCluster.get(key) ?? []), result]);
  }
  const accounts = new Set(results.map((result) => result.accountId));
  const regions = new Set(results.map((result) => result.region));
  const lines: string[] = [
    `Scan at ${report.scannedAt}: ${count(byCluster.size, 'cluster')} in ${count(accounts.size, 'account')} and ` +
      `${count(regions.size, 'Region')}` +
      `${fullCatalogue ? '' : ' (selected checks only)'}.`,
    '',
  ];

  const summaryRows = [...byCluster.values()].map((clusterResults) => {
    const first = clusterResults[0] as MarkedResult;
    const failed = clusterResults.filter((result) => result.status === 'FAILED');
    const worst = failed.sort((a, b) => severityRank(b) - severityRank(a))[0]?.severity ?? '-';
    return [
      first.accountId,
      first.region,
      first.cluster,
      ...STATUS_COLUMNS.map((status) =>
        String(clusterResults.filter((result) => result.status === status).length),
      ),
      worst,
    ];
  });
  if (summaryRows.length > 0) {
    lines.push(
      renderTable(['ACCOUNT', 'REGION', 'CLUSTER', 'PASSED', 'FAILED', 'N/A', 'ERROR', 'WORST'], summaryRows),
      '',
    );
  } else {
    lines.push('No clusters found.', '');
  }

  const failures = results
    .filter((result) => result.status === 'FAILED' || result.status === 'ERROR')
    .sort(
      (a, b) => severityRank(b) - severityRank(a) || (a.status < b.status ? 1 : a.status > b.status ? -1 : 0),
    );
  if (failures.length > 0) {
    lines.push('Findings (FAILED and ERROR, most severe first):');
    for (const result of failures) {
      const where = `${result.accountId} ${result.region} ${result.cluster}${result.nodeGroup ? ` / ${result.nodeGroup}` : ''}`;
      lines.push(`  ${result.status.padEnd(6)} ${result.severity.padEnd(13)} ${result.checkId}  ${where}`);
      lines.push(`         ${result.reason}`);
      if (result.suppression !== undefined) lines.push(`         ${result.suppression.reason}`);
    }
    lines.push('');
  }

  if (errors.length > 0) {
    lines.push('Errors (not scanned or not collected; nothing here counts as PASSED):');
    for (const error of errors) {
      lines.push(
        `  ${error.accountId ?? '-'} ${error.region ?? '-'}  ${error.operation}  ${error.code}: ${error.message}`,
      );
    }
    lines.push('');
  }

  if (published !== undefined) lines.push(...renderPublication(published), '');

  const totals = STATUS_COLUMNS.map(
    (status) => `${status} ${results.filter((result) => result.status === status).length}`,
  ).join(', ');
  const suppressed = results.filter((result) => result.suppression !== undefined).length;
  lines.push(
    `Totals: ${totals}${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}; ${count(errors.length, 'error')}.`,
  );
  return `${lines.join('\n')}\n`;
}

function renderPublication(published: readonly PublishOutcome[]): string[] {
  const sum = (count: (outcome: PublishOutcome) => number) =>
    published.reduce((total, outcome) => total + count(outcome), 0);
  const refused = published.filter((outcome) => outcome.error !== undefined);
  const lines = [
    `Security Hub: ${sum((outcome) => outcome.imported)} findings imported into ` +
      `${count(published.length - refused.length, 'account-Region')} ` +
      `(${sum((outcome) => outcome.archived)} archived, ${sum((outcome) => outcome.suppressed)} suppressed).`,
  ];
  for (const outcome of published) {
    if (outcome.error !== undefined) {
      lines.push(`  ${outcome.accountId} ${outcome.region}  not published: ${outcome.error.message}`);
    } else if (outcome.failed.count > 0) {
      const codes = Object.entries(outcome.failed.codes)
        .map(([code, n]) => `${code} x${n}`)
        .join(', ');
      lines.push(
        `  ${outcome.accountId} ${outcome.region}  ${count(outcome.failed.count, 'finding')} refused: ${codes}`,
      );
    }
  }
  return lines;
}
