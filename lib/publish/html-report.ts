/**
 * The scan as one self-contained HTML page a person opens from disk or receives by mail: an overview,
 * a matrix of clusters x checks, the failures by severity with what to do, and what could not be
 * scanned. No script, no fetch (a Content-Security-Policy forbids both), inline CSS with a print
 * stylesheet. Everything that comes from AWS (names, reasons, evidence, error messages) is escaped.
 *
 * A pure function of the report and the checks: the CLI writes the file. The matrix is built in one
 * pass over the results (maps keyed by cluster and check), so 1,000 clusters cost 1,000 rows, not a
 * scan of every result per cell.
 *
 * @example
 *   const html = renderHtmlReport(report, CHECKS);
 *   await writeFile('report.html', html);
 */
import { hybridNodesOf } from '../checks/compute.js';
import {
  type Check,
  type CheckResult,
  SEVERITIES,
  type Severity,
  STATUSES,
  type Status,
} from '../checks/types.js';
import type { ScanError } from '../scan.js';
import { SCANNER_VERSION } from '../version.js';
import type { MarkedReport, MarkedResult } from './suppressions.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in element content and in double-quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

/** Only http(s) links are rendered as links; anything else stays text. */
const isWebUrl = (url: string) => /^https?:\/\/[^\s"'<>]+$/i.test(url);

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Highest severity first. */
const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITIES].reverse();
const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);

const STATUS_LABEL: Readonly<Record<Status, string>> = {
  PASSED: 'PASSED',
  FAILED: 'FAILED',
  NOT_APPLICABLE: 'N/A',
  ERROR: 'ERROR',
};

/** A matrix cell shows the status that most needs attention among the check's results on that cluster. */
const CELL_PRIORITY: readonly Status[] = ['FAILED', 'ERROR', 'PASSED', 'NOT_APPLICABLE'];

const LIST_LIMIT = 20;

interface Column {
  readonly id: string;
  readonly title: string;
  readonly check?: Check;
}

interface Cell {
  readonly counts: Record<Status, number>;
  worstFailed?: Severity;
  /** The first failure (or ERROR result) of this cell in the lists below, to link to. */
  anchor?: string;
}

interface ClusterRow {
  readonly key: string;
  readonly accountId: string;
  readonly region: string;
  readonly cluster: string;
  readonly cells: Map<string, Cell>;
  /** The remote node networks of a cluster that accepts hybrid nodes, which no host check judged. */
  hybridNodeNetworks?: readonly string[];
  failed: number;
  worstFailed?: Severity;
}

const clusterKey = (result: Pick<CheckResult, 'accountId' | 'region' | 'cluster'>) =>
  `${result.accountId}\u0000${result.region}\u0000${result.cluster}`;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Renders the whole report; `checks` are the checks the scan ran, in catalogue order (the matrix columns). */
export function renderHtmlReport(report: MarkedReport, checks: readonly Check[]): string {
  const columns = columnsOf(report.results, checks);
  const checkOrder = new Map(columns.map((column, index) => [column.id, index]));
  const titleOf = new Map(columns.map((column) => [column.id, column.title]));
  const checkById = new Map(columns.flatMap((column) => (column.check ? [[column.id, column.check]] : [])));

  // One pass: rows by cluster, cells by check, totals by status and severity.
  const rows = new Map<string, ClusterRow>();
  const statusCounts: Record<Status, number> = { PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0, ERROR: 0 };
  const failedBySeverity = new Map<Severity, number>();
  const failures: MarkedResult[] = [];
  const undetermined: CheckResult[] = [];
  for (const result of report.results) {
    const key = clusterKey(result);
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        key,
        accountId: result.accountId,
        region: result.region,
        cluster: result.cluster,
        cells: new Map(),
        failed: 0,
      };
      rows.set(key, row);
    }
    let cell = row.cells.get(result.checkId);
    if (cell === undefined) {
      cell = { counts: { PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0, ERROR: 0 } };
      row.cells.set(result.checkId, cell);
    }
    cell.counts[result.status] += 1;
    statusCounts[result.status] += 1;
    row.hybridNodeNetworks ??= hybridNodesOf(result.evidence)?.remoteNodeNetworks;
    if (result.status === 'FAILED') {
      failures.push(result);
      row.failed += 1;
      failedBySeverity.set(result.severity, (failedBySeverity.get(result.severity) ?? 0) + 1);
      if (cell.worstFailed === undefined || severityRank(result.severity) > severityRank(cell.worstFailed)) {
        cell.worstFailed = result.severity;
      }
      if (row.worstFailed === undefined || severityRank(result.severity) > severityRank(row.worstFailed)) {
        row.worstFailed = result.severity;
      }
    } else if (result.status === 'ERROR') {
      undetermined.push(result);
    }
  }

  const byPlace = (a: CheckResult, b: CheckResult) =>
    compare(a.accountId, b.accountId) ||
    compare(a.region, b.region) ||
    compare(a.cluster, b.cluster) ||
    (checkOrder.get(a.checkId) ?? 0) - (checkOrder.get(b.checkId) ?? 0) ||
    compare(a.resourceId, b.resourceId);
  failures.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || byPlace(a, b));
  undetermined.sort(byPlace);

  const sortedRows = [...rows.values()].sort(
    (a, b) =>
      compare(a.accountId, b.accountId) || compare(a.region, b.region) || compare(a.cluster, b.cluster),
  );
  const rowAnchor = new Map(sortedRows.map((row, index) => [row.key, `c-${index}`]));
  // Cells link to their first failure or ERROR result in the lists below.
  const linkCells = (list: readonly CheckResult[], prefix: string) => {
    list.forEach((result, index) => {
      const cell = rows.get(clusterKey(result))?.cells.get(result.checkId);
      if (cell !== undefined && cell.anchor === undefined) cell.anchor = `${prefix}-${index}`;
    });
  };
  linkCells(failures, 'f');
  linkCells(undetermined, 'r');

  const context: RenderContext = { titleOf, checkById, rowAnchor };
  const title = `EKS compliance report, ${displayTime(report.scannedAt)}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No script, no network: the report must open the same from disk, a mail attachment or an archive.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="color-scheme" content="light">',
    `<meta name="generator" content="eks-compliance-scanner ${escapeHtml(SCANNER_VERSION)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>EKS compliance report</h1>',
    `<p class="lede">Scan at <time datetime="${escapeHtml(report.scannedAt)}">${escapeHtml(displayTime(report.scannedAt))}</time>. ${escapeHtml(headline(sortedRows, statusCounts, report.errors))}</p>`,
    '<nav aria-label="Sections"><ul>',
    '<li><a href="#overview">Overview</a></li>',
    '<li><a href="#matrix">Clusters and checks</a></li>',
    `<li><a href="#failures">Failures (${statusCounts.FAILED})</a></li>`,
    `<li><a href="#errors">Errors (${report.errors.length + undetermined.length})</a></li>`,
    '</ul></nav>',
    '</header>',
    '<main id="main">',
    renderOverview(report, sortedRows, columns, statusCounts, failedBySeverity),
    renderMatrix(sortedRows, columns, context),
    renderFailures(failures, context),
    renderErrors(report.errors, undetermined, context),
    '</main>',
    `<footer><p>Generated by eks-compliance-scanner ${escapeHtml(SCANNER_VERSION)} from the scan at ${escapeHtml(report.scannedAt)}. Statuses: PASSED, FAILED, N/A (the check does not apply), ERROR (the data to judge could not be collected; never counted as PASSED).</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

interface RenderContext {
  readonly titleOf: ReadonlyMap<string, string>;
  readonly checkById: ReadonlyMap<string, Check>;
  readonly rowAnchor: ReadonlyMap<string, string>;
}

/** The scan's checks in catalogue order, then any check id the results name that the list lacks. */
function columnsOf(results: readonly CheckResult[], checks: readonly Check[]): Column[] {
  const columns: Column[] = checks.map((check) => ({ id: check.id, title: check.title, check }));
  const known = new Set(columns.map((column) => column.id));
  for (const result of results) {
    if (!known.has(result.checkId)) {
      known.add(result.checkId);
      columns.push({ id: result.checkId, title: result.checkId });
    }
  }
  return columns;
}

/** `2026-11-22T12:00:00.000Z` as `2026-11-22 12:00 UTC` (seconds only when not zero). */
function displayTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?(?:\.\d+)?Z$/.exec(iso);
  if (match === null) return iso;
  const seconds = match[3] !== undefined && match[3] !== '00' ? `:${match[3]}` : '';
  return `${match[1]} ${match[2]}${seconds} UTC`;
}

function headline(rows: readonly ClusterRow[], counts: Record<Status, number>, errors: readonly ScanError[]) {
  const failing = rows.filter((row) => row.failed > 0).length;
  const parts = [
    rows.length === 0
      ? 'No clusters were found.'
      : `${plural(counts.FAILED, 'failed result')} on ${failing} of ${plural(rows.length, 'cluster')}.`,
  ];
  if (counts.ERROR > 0) parts.push(`${plural(counts.ERROR, 'check result')} could not be determined.`);
  if (errors.length > 0) {
    parts.push(
      `${plural(errors.length, 'account, Region or call')} could not be scanned; see Errors. Nothing there counts as PASSED.`,
    );
  }
  return parts.join(' ');
}

const badge = (severity: Severity) =>
  `<span class="badge sev-${escapeHtml(severity.toLowerCase())}">${escapeHtml(severity)}</span>`;

function listed(items: readonly string[]): string {
  const shown = items.slice(0, LIST_LIMIT).map(escapeHtml).join(', ');
  return items.length > LIST_LIMIT ? `${shown} and ${items.length - LIST_LIMIT} more` : shown;
}

function renderOverview(
  report: MarkedReport,
  rows: readonly ClusterRow[],
  columns: readonly Column[],
  statusCounts: Record<Status, number>,
  failedBySeverity: ReadonlyMap<Severity, number>,
): string {
  const scanned = [...new Set(rows.map((row) => row.accountId))].sort();
  const scannedSet = new Set(scanned);
  const notScanned = [
    ...new Set(
      report.errors.flatMap((error) =>
        error.accountId !== null && error.region === null && !scannedSet.has(error.accountId)
          ? [error.accountId]
          : [],
      ),
    ),
  ].sort();
  const regions = [...new Set(rows.map((row) => row.region))].sort();
  const failing = rows.filter((row) => row.failed > 0).length;
  const accounts =
    `${scanned.length}${scanned.length > 0 ? ` (${listed(scanned)})` : ''}` +
    (notScanned.length > 0 ? `; not scanned: ${notScanned.length} (${listed(notScanned)})` : '');
  const facts: [string, string][] = [
    [
      'Scan time',
      `<time datetime="${escapeHtml(report.scannedAt)}">${escapeHtml(displayTime(report.scannedAt))}</time>`,
    ],
    ['Accounts', accounts],
    ['Regions', `${regions.length}${regions.length > 0 ? ` (${listed(regions)})` : ''}`],
    ['Clusters', `${rows.length}, of which ${failing} with failures`],
    ['Checks', String(columns.length)],
    ...suppressedFact(report.results),
    [
      'Errors',
      report.errors.length === 0
        ? 'none: every account and Region listed was scanned'
        : `<a href="#errors">${plural(report.errors.length, 'target or call')} could not be scanned</a>`,
    ],
  ];
  const statusRows = STATUSES.map(
    (status) =>
      `<tr class="st-${status.toLowerCase()}"><th scope="row">${STATUS_LABEL[status]}</th><td>${statusCounts[status]}</td></tr>`,
  ).join('\n');
  const severityRows = SEVERITIES_DESCENDING.map(
    (severity) =>
      `<tr><th scope="row">${badge(severity)}</th><td>${failedBySeverity.get(severity) ?? 0}</td></tr>`,
  ).join('\n');
  return [
    '<section id="overview" aria-labelledby="overview-h">',
    '<h2 id="overview-h">Overview</h2>',
    '<dl class="facts">',
    ...facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`),
    '</dl>',
    '<div class="counts">',
    '<table id="status-counts">',
    '<caption>Results by status</caption>',
    '<thead><tr><th scope="col">Status</th><th scope="col">Results</th></tr></thead>',
    `<tbody>\n${statusRows}\n</tbody>`,
    '</table>',
    '<table id="severity-counts">',
    '<caption>Failed results by severity</caption>',
    '<thead><tr><th scope="col">Severity</th><th scope="col">Failed</th></tr></thead>',
    `<tbody>\n${severityRows}\n</tbody>`,
    '</table>',
    '</div>',
    '</section>',
  ].join('\n');
}

/** Suppressed results stay in every count; the overview says how many there are. */
function suppressedFact(results: readonly MarkedResult[]): [string, string][] {
  const suppressed = results.filter((result) => result.suppression !== undefined);
  if (suppressed.length === 0) return [];
  const failed = suppressed.filter((result) => result.status === 'FAILED').length;
  return [
    [
      'Suppressed',
      `${plural(suppressed.length, 'result')}, of which ${failed} failed (marked SUPPRESSED below, still counted)`,
    ],
  ];
}

function renderCell(cell: Cell | undefined): string {
  if (cell === undefined) return '<td class="st-none">&ndash;</td>';
  const status = CELL_PRIORITY.find((candidate) => cell.counts[candidate] > 0) ?? 'NOT_APPLICABLE';
  const total = cell.counts.PASSED + cell.counts.FAILED + cell.counts.NOT_APPLICABLE + cell.counts.ERROR;
  let text = STATUS_LABEL[status];
  if (status === 'FAILED' && cell.worstFailed !== undefined)
    text += ` <small>${escapeHtml(cell.worstFailed)}</small>`;
  if ((status === 'FAILED' || status === 'ERROR') && total > 1) {
    text += ` <small>${cell.counts[status]}/${total}</small>`;
  }
  if ((status === 'FAILED' || status === 'ERROR') && cell.anchor !== undefined) {
    text = `<a href="#${cell.anchor}">${text}</a>`;
  }
  return `<td class="st-${status.toLowerCase()}">${text}</td>`;
}

function renderMatrix(
  rows: readonly ClusterRow[],
  columns: readonly Column[],
  context: RenderContext,
): string {
  const header = columns
    .map(
      (column) =>
        `<th scope="col" class="check" title="${escapeHtml(column.title)}"><span>${escapeHtml(column.id.replace(/^eks_/, ''))}</span></th>`,
    )
    .join('');
  const body = rows
    .map((row) => {
      const cells = columns.map((column) => renderCell(row.cells.get(column.id))).join('');
      const worst = row.worstFailed === undefined ? '&ndash;' : badge(row.worstFailed);
      const hybrid =
        row.hybridNodeNetworks === undefined ? '' : ' <small class="note">+ hybrid nodes, not judged</small>';
      return (
        `<tr id="${context.rowAnchor.get(row.key)}"><th scope="row">${escapeHtml(row.cluster)}${hybrid}</th>` +
        `<td>${escapeHtml(row.accountId)}</td><td>${escapeHtml(row.region)}</td>` +
        `<td class="num">${row.failed}</td><td>${worst}</td>${cells}</tr>`
      );
    })
    .join('\n');
  const key = columns
    .map(
      (column) =>
        `<dt><code>${escapeHtml(column.id)}</code></dt><dd>${escapeHtml(column.title)}${
          column.check ? ` (${column.check.severities.join(' or ')})` : ''
        }</dd>`,
    )
    .join('\n');
  return [
    '<section id="matrix" aria-labelledby="matrix-h">',
    '<h2 id="matrix-h">Clusters and checks</h2>',
    rows.length === 0
      ? '<p>No clusters were found.</p>'
      : [
          '<p class="legend">Each cell is the status that most needs attention among the check&rsquo;s results on the ' +
            'cluster&rsquo;s resources: <span class="st-failed">FAILED</span> (with the worst severity, and how many of ' +
            'the resources failed when there are several), <span class="st-error">ERROR</span>, ' +
            '<span class="st-passed">PASSED</span>, <span class="st-not_applicable">N/A</span>, or ' +
            '<span class="st-none">&ndash;</span> when the cluster has no resource the check judges. Failed and ERROR ' +
            'cells link to the details.</p>',
          '<div class="matrix-wrap">',
          '<table class="matrix">',
          `<caption>${rows.length} clusters &times; ${columns.length} checks</caption>`,
          '<thead><tr><th scope="col">Cluster</th><th scope="col">Account</th><th scope="col">Region</th>' +
            `<th scope="col">Failed</th><th scope="col">Worst</th>${header}</tr></thead>`,
          `<tbody>\n${body}\n</tbody>`,
          '</table>',
          '</div>',
          renderHybridNodes(rows, context),
        ].join('\n'),
    '<details class="key"><summary>What the check columns are</summary>',
    `<dl>\n${key}\n</dl>`,
    '</details>',
    '</section>',
  ].join('\n');
}

/**
 * Clusters that accept hybrid nodes: those nodes are not EC2 instances, so the node-group checks did
 * not judge them, and a cluster with hybrid nodes alone shows no node-group result at all.
 */
function renderHybridNodes(rows: readonly ClusterRow[], context: RenderContext): string {
  const hybrid = rows.filter((row) => row.hybridNodeNetworks !== undefined);
  if (hybrid.length === 0) return '';
  const items = hybrid
    .map(
      (row) =>
        `<li><a href="#${context.rowAnchor.get(row.key)}">${escapeHtml(row.cluster)}</a> ` +
        `(account ${escapeHtml(row.accountId)}, ${escapeHtml(row.region)}): remote node networks ` +
        `${listed(row.hybridNodeNetworks ?? [])}</li>`,
    )
    .join('\n');
  return [
    '<section id="hybrid-nodes" aria-labelledby="hybrid-nodes-h">',
    '<h3 id="hybrid-nodes-h">Hybrid nodes: not judged</h3>',
    `<p>${plural(hybrid.length, 'cluster')} accept${hybrid.length === 1 ? 's' : ''} hybrid nodes (on-premises or edge ` +
      'machines outside EC2). No AWS API lists them, so the node-group checks did not judge them: their OS, ' +
      'patching, access and network are for the team that runs them to verify.</p>',
    `<ul>\n${items}\n</ul>`,
    '</section>',
  ].join('\n');
}

/** Nested evidence shows this deep as key/value lines; deeper values are written out in one line. */
const EVIDENCE_DEPTH = 6;

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Evidence as a person reads it: key/value lines, lists comma-separated, never raw JSON above the depth limit. */
function evidenceValue(value: unknown, depth: number): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (isScalar(value)) return String(value);
  if (value === undefined) return 'not given';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every(isScalar)) return escapeHtml(value.map(String).join(', '));
    if (depth < EVIDENCE_DEPTH) {
      return `<ol class="evidence-list">${value.map((item) => `<li>${evidenceValue(item, depth + 1)}</li>`).join('')}</ol>`;
    }
  } else if (typeof value === 'object' && depth < EVIDENCE_DEPTH) {
    return evidenceList(value as Readonly<Record<string, unknown>>, depth + 1);
  }
  return `<code>${escapeHtml(JSON.stringify(value) ?? String(value))}</code>`;
}

function evidenceList(evidence: Readonly<Record<string, unknown>>, depth: number): string {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return 'none';
  return `<dl class="evidence">${entries
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${evidenceValue(value, depth)}</dd>`)
    .join('')}</dl>`;
}

function renderEvidence(evidence: Readonly<Record<string, unknown>>): string {
  if (Object.keys(evidence).length === 0) return '';
  return `<dt>Evidence</dt><dd>${evidenceList(evidence, 1)}</dd>`;
}

function renderRemediation(check: Check | undefined): string {
  if (check === undefined) return '';
  const { text, url } = check.remediation;
  const link = isWebUrl(url)
    ? ` <a href="${escapeHtml(url)}">${escapeHtml(url.replace(/^https?:\/\//, ''))}</a>`
    : ` ${escapeHtml(url)}`;
  return `<dt>Remediation</dt><dd>${escapeHtml(text)}${link}</dd>`;
}

function where(result: CheckResult, context: RenderContext): string {
  const anchor = context.rowAnchor.get(clusterKey(result));
  const cluster = escapeHtml(result.cluster);
  return (
    `account ${escapeHtml(result.accountId)}, ${escapeHtml(result.region)}, cluster ` +
    (anchor === undefined ? cluster : `<a href="#${anchor}">${cluster}</a>`) +
    (result.nodeGroup === undefined ? '' : `, node group ${escapeHtml(result.nodeGroup)}`)
  );
}

function renderFailure(result: MarkedResult, id: string, context: RenderContext): string {
  const subject = result.nodeGroup === undefined ? result.cluster : `${result.cluster} / ${result.nodeGroup}`;
  const suppressed = result.suppression === undefined ? '' : ' <span class="suppressed">SUPPRESSED</span>';
  return [
    `<article class="finding" id="${id}" aria-labelledby="${id}-h">`,
    `<h4 id="${id}-h">${badge(result.severity)} <code>${escapeHtml(result.checkId)}</code> on ${escapeHtml(subject)}${suppressed}</h4>`,
    '<dl>',
    `<dt>Expected</dt><dd>${escapeHtml(context.titleOf.get(result.checkId) ?? result.checkId)}</dd>`,
    `<dt>Found</dt><dd>${escapeHtml(result.reason)}</dd>`,
    `<dt>Where</dt><dd>${where(result, context)}</dd>`,
    `<dt>Resource</dt><dd><code class="arn">${escapeHtml(result.resourceId)}</code></dd>`,
    result.suppression === undefined
      ? ''
      : `<dt>Suppressed</dt><dd>${escapeHtml(result.suppression.reason)}</dd>`,
    renderEvidence(result.evidence),
    renderRemediation(context.checkById.get(result.checkId)),
    '</dl>',
    '</article>',
  ].join('');
}

function renderFailures(failures: readonly MarkedResult[], context: RenderContext): string {
  const parts = [
    '<section id="failures" aria-labelledby="failures-h">',
    '<h2 id="failures-h">Failures, most severe first</h2>',
  ];
  if (failures.length === 0) parts.push('<p>No check failed.</p>');
  let index = 0;
  for (const severity of SEVERITIES_DESCENDING) {
    const start = index;
    while (index < failures.length && failures[index]?.severity === severity) index += 1;
    if (index === start) continue;
    const headingId = `failures-${severity.toLowerCase()}`;
    parts.push(
      `<section aria-labelledby="${headingId}">`,
      `<h3 id="${headingId}">${badge(severity)} ${plural(index - start, 'failure')}</h3>`,
    );
    for (let position = start; position < index; position += 1) {
      parts.push(renderFailure(failures[position] as MarkedResult, `f-${position}`, context));
    }
    parts.push('</section>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

function renderErrors(
  errors: readonly ScanError[],
  undetermined: readonly CheckResult[],
  context: RenderContext,
) {
  const parts = [
    '<section id="errors" aria-labelledby="errors-h">',
    '<h2 id="errors-h">Errors: what could not be scanned</h2>',
    '<p>Nothing listed here counts as PASSED: a target that could not be reached contributes no result, and a ' +
      'check that could not read its data reports ERROR.</p>',
  ];
  if (errors.length === 0) {
    parts.push('<p>Every account and Region listed was scanned, and every call succeeded.</p>');
  } else {
    const rows = errors
      .map(
        (error) =>
          `<tr><td>${escapeHtml(error.accountId ?? 'every account')}</td><td>${escapeHtml(error.region ?? 'every Region')}</td>` +
          `<td class="operation"><code>${escapeHtml(error.operation)}</code></td><td>${escapeHtml(error.code)}</td><td class="message">${escapeHtml(error.message)}</td></tr>`,
      )
      .join('\n');
    parts.push(
      '<table id="scan-errors">',
      `<caption>${plural(errors.length, 'target or call')} that failed</caption>`,
      '<thead><tr><th scope="col">Account</th><th scope="col">Region</th><th scope="col">Operation</th>' +
        '<th scope="col">Code</th><th scope="col">Message</th></tr></thead>',
      `<tbody>\n${rows}\n</tbody>`,
      '</table>',
    );
  }
  if (undetermined.length > 0) {
    const rows = undetermined
      .map(
        (result, index) =>
          `<tr id="r-${index}"><td>${where(result, context)}</td><td><code>${escapeHtml(result.checkId)}</code></td>` +
          `<td><code class="arn">${escapeHtml(result.resourceId)}</code></td><td>${escapeHtml(result.reason)}</td></tr>`,
      )
      .join('\n');
    parts.push(
      '<table id="undetermined">',
      `<caption>${plural(undetermined.length, 'check result')} that could not be determined (ERROR)</caption>`,
      '<thead><tr><th scope="col">Where</th><th scope="col">Check</th><th scope="col">Resource</th>' +
        '<th scope="col">Why</th></tr></thead>',
      `<tbody>\n${rows}\n</tbody>`,
      '</table>',
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * Colours pass WCAG AA (4.5:1) for their text; status and severity are always spelled out too, so the
 * page reads the same in grey scale, in print, and to a screen reader.
 */
const STYLE = `
:root{--text:#1a1a1a;--muted:#4a5560;--line:#c9ced3;--link:#0b57d0}
*{box-sizing:border-box}
body{margin:0 auto;padding:1.5rem;max-width:110rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--text);background:#fff}
a{color:var(--link)}
h1{margin:0 0 .25rem;font-size:1.7rem}
h2{margin:2rem 0 .75rem;font-size:1.35rem;border-bottom:2px solid var(--line);padding-bottom:.25rem}
h3{margin:1.5rem 0 .5rem;font-size:1.1rem}
h4{margin:0 0 .4rem;font-size:1rem}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:break-word}
code.arn,td.message{overflow-wrap:anywhere}
.operation{white-space:nowrap}
.suppressed{display:inline-block;margin-left:.4rem;padding:0 .4rem;border:1px solid #3c4650;border-radius:.25rem;font-size:12px;color:#3c4650}
.lede{margin:.25rem 0 1rem;font-size:1.05rem}
nav ul{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;margin:0;padding:0;list-style:none}
table{border-collapse:collapse}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f4}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0 0 1rem}
.facts dt{font-weight:600}
.facts dd{margin:0}
.counts{display:flex;flex-wrap:wrap;gap:2rem}
.counts td{text-align:right;min-width:5rem}
.num{text-align:right}
.badge{display:inline-block;padding:0 .4rem;border-radius:.25rem;font-size:12px;font-weight:700;letter-spacing:.02em;line-height:1.6}
.sev-critical{background:#6d0019;color:#fff}
.sev-high{background:#b3261e;color:#fff}
.sev-medium{background:#f6c343;color:#1a1a1a}
.sev-low{background:#1d5fa8;color:#fff}
.sev-informational{background:#5f6b73;color:#fff}
.st-passed{background:#dff3e4;color:#0f5132}
.st-failed{background:#fbe0e0;color:#8a1111;font-weight:700}
.st-error{background:#fff0c2;color:#6b4500;font-weight:700}
.st-not_applicable{background:#eef0f2;color:#3c4650}
.st-none{background:#fff;color:#5f6b73}
.st-failed a,.st-error a{color:inherit}
.legend span{padding:0 .3rem;border-radius:.2rem}
.matrix-wrap{overflow:auto;max-height:85vh;border:1px solid var(--line)}
.matrix{font-size:12px}
.matrix td,.matrix th{white-space:nowrap}
.matrix thead th{position:sticky;top:0;z-index:2;vertical-align:bottom}
.matrix tbody th{position:sticky;left:0;z-index:1;background:#fff}
.matrix thead th:first-child{left:0;z-index:3}
.matrix th.check{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:600;padding:.5rem .25rem}
.matrix small{display:block;font-size:11px;font-weight:600}
.matrix th small.note{font-weight:400;color:var(--muted)}
.matrix td{padding:.2rem .25rem}
.key dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
.key dd{margin:0}
.finding{border:1px solid var(--line);border-radius:.4rem;padding:.75rem 1rem;margin:0 0 .75rem}
.finding>dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
.finding dt{font-weight:600;color:var(--muted)}
.finding dd{margin:0;min-width:0;overflow-wrap:break-word}
.evidence{display:grid;grid-template-columns:max-content 1fr;gap:0 .75rem;margin:0;font-size:13px}
.evidence dt{font-weight:400;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.evidence dd{margin:0}
.evidence-list{margin:0;padding-left:1.25rem}
.evidence-list>li+li{margin-top:.25rem}
footer{margin-top:2rem;color:var(--muted);font-size:13px}
@media print{
@page{size:A4 landscape;margin:12mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{padding:0;max-width:none;font-size:10pt}
nav,.key{display:none}
.matrix-wrap{overflow:visible;max-height:none;border:0}
.matrix thead th,.matrix tbody th{position:static}
thead{display:table-header-group}
tr,.finding{break-inside:avoid}
h2,h3{break-after:avoid}
#failures,#errors{break-before:page}
a{color:inherit;text-decoration:none}
}
`
  .trim()
  .replace(/\n/g, '');
