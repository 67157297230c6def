/**
 * The scan as a SARIF 2.1.0 log, for code-scanning style consumers (GitHub code scanning, SARIF viewers,
 * defect trackers): one rule per check with its metadata, one result per FAILED result, located by the
 * resource ARN. Results that could not be determined (ERROR) and targets or calls that failed are tool
 * execution notifications, never results, so a consumer never reads them as passing.
 *
 * A pure function of the report and the checks; the CLI serializes and writes it.
 *
 * @example
 *   const log = sarifLog(report, CHECKS);
 *   process.stdout.write(`${JSON.stringify(log, null, 2)}\n`);
 */
import type {
  Location,
  Log,
  Notification,
  ReportingDescriptor,
  ReportingDescriptorRelationship,
  Result,
  Run,
  ToolComponent,
} from 'sarif';
import { describeMapping } from '../checks/frameworks.js';
import { permissionsOf } from '../checks/registry.js';
import type { Check, CheckResult, FrameworkCitation, Severity } from '../checks/types.js';
import type { ScanError, ScanReport } from '../scan.js';
import { SCANNER_VERSION } from '../version.js';
import { COMPANY_NAME, findingId, PRODUCT_NAME } from './asff.js';
import type { MarkedResult } from './suppressions.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The partial fingerprint carrying the finding identity, so consumers track a finding across scans. */
export const FINGERPRINT_KEY = 'eksComplianceScannerFindingId/v1';

const LEVEL: Readonly<Record<Severity, Result.level>> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFORMATIONAL: 'note',
};

/**
 * GitHub code scanning's `security-severity` (0.1-10: critical from 9.0, high from 7.0, medium from 4.0,
 * low below). Informational checks carry none, so they are never ranked as a vulnerability.
 */
const SECURITY_SEVERITY: Readonly<Record<Severity, string | undefined>> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '3.0',
  INFORMATIONAL: undefined,
};

/** `eks_cluster_endpoint_not_public` as `EksClusterEndpointNotPublic`: SARIF's readable rule name. */
const ruleName = (id: string) =>
  id
    .split(/[_-]+/)
    .map((word) => (word === '' ? '' : `${word[0]?.toUpperCase()}${word.slice(1)}`))
    .join('');

/**
 * A URI for an ARN: ARNs are URIs of the scheme `arn` once characters a URI cannot hold (spaces in an
 * Auto Scaling group name, say) are percent-encoded.
 */
const arnUri = (arn: string) =>
  encodeURI(arn).replace(/[[\]]/g, (char) => `%${char.charCodeAt(0).toString(16)}`);

function resourceLocation(result: CheckResult): Location {
  return {
    physicalLocation: { artifactLocation: { uri: arnUri(result.resourceId) } },
    logicalLocations: [
      {
        name: result.nodeGroup ?? result.cluster,
        fullyQualifiedName: result.resourceId,
        kind: 'resource',
      },
    ],
  };
}

/**
 * One taxonomy per framework (FSBP, CIS EKS, the EKS Best Practices Guide), with every control the checks
 * map to under any parameter setting and any a result cites; each result's taxa are those it cites.
 */
function taxonomiesOf(checks: readonly Check[], results: readonly CheckResult[]): ToolComponent[] {
  const controls = new Map<string, Set<string>>();
  const citations = [
    ...checks.flatMap((check) => check.frameworks),
    ...results.flatMap((result) => result.frameworks),
  ];
  for (const citation of citations) {
    const set = controls.get(citation.framework) ?? new Set<string>();
    set.add(citation.control);
    controls.set(citation.framework, set);
  }
  return [...controls.entries()].map(([framework, set]) => ({
    name: framework,
    taxa: [...set].map((control) => ({ id: control })),
  }));
}

/** A reference to a control in the run's taxonomies. */
function taxonReference(citation: FrameworkCitation, taxonomies: readonly ToolComponent[]) {
  const index = taxonomies.findIndex((taxonomy) => taxonomy.name === citation.framework);
  return { id: citation.control, toolComponent: { name: citation.framework, index } };
}

function ruleOf(check: Check, taxonomies: readonly ToolComponent[]): ReportingDescriptor {
  const parameters = Object.entries(check.parameters).map(([name, parameter]) => ({
    name,
    default: parameter.format(parameter.default),
    description: parameter.description,
  }));
  const permissions = permissionsOf(check);
  const frameworks = check.frameworks.map(describeMapping);
  const relationships: ReportingDescriptorRelationship[] = check.frameworks.map((mapping) => ({
    target: taxonReference(mapping, taxonomies),
    kinds: ['relevant'],
    ...(mapping.onlyWhen === undefined
      ? {}
      : { description: { text: `Only with ${mapping.onlyWhen.description}.` } }),
  }));
  const markdown = [
    `**Risk.** ${check.risk}`,
    `**Remediation.** ${check.remediation.text} [AWS documentation](${check.remediation.url})`,
    `**Severity.** ${check.severities.join(' or ')}${check.severities.length > 1 ? ' (each result carries the one that applies)' : ''}.`,
    parameters.length === 0
      ? ''
      : `**Parameters.** ${parameters.map((parameter) => `\`${parameter.name}\` (default \`${parameter.default}\`): ${parameter.description}`).join(' ')}`,
    frameworks.length === 0 ? '' : `**Frameworks.** ${frameworks.join('; ')}.`,
    `**IAM permissions.** ${permissions.map((permission) => `\`${permission}\``).join(', ')}.`,
  ].filter((paragraph) => paragraph !== '');
  const highest = check.severities[0];
  const securitySeverity = SECURITY_SEVERITY[highest];
  return {
    id: check.id,
    name: ruleName(check.id),
    shortDescription: { text: check.title },
    fullDescription: { text: check.risk },
    help: {
      text: `${check.remediation.text} See ${check.remediation.url}`,
      markdown: markdown.join('\n\n'),
    },
    helpUri: check.remediation.url,
    defaultConfiguration: { level: LEVEL[highest] },
    relationships,
    properties: {
      tags: ['security', 'eks', check.resource.scope],
      ...(securitySeverity === undefined ? {} : { 'security-severity': securitySeverity }),
      severities: [...check.severities],
      resource: check.resource.description,
      asffTypes: [...check.asffTypes],
      frameworks,
      permissions,
      parameters,
    },
  };
}

/** A rule for a check id the catalogue lacks (a report from another version): identity only. */
const unknownRule = (id: string): ReportingDescriptor => ({
  id,
  name: ruleName(id),
  shortDescription: { text: id },
});

function resultOf(result: MarkedResult, ruleIndex: number, taxonomies: readonly ToolComponent[]): Result {
  return {
    ruleId: result.checkId,
    ruleIndex,
    kind: 'fail',
    level: LEVEL[result.severity],
    message: { text: result.reason },
    locations: [resourceLocation(result)],
    partialFingerprints: { [FINGERPRINT_KEY]: findingId(result) },
    ...(result.frameworks.length === 0
      ? {}
      : { taxa: result.frameworks.map((citation) => taxonReference(citation, taxonomies)) }),
    properties: {
      severity: result.severity,
      partition: result.partition,
      accountId: result.accountId,
      region: result.region,
      cluster: result.cluster,
      ...(result.nodeGroup === undefined ? {} : { nodeGroup: result.nodeGroup }),
      resourceType: result.resourceType,
      evidence: result.evidence,
    },
    ...(result.suppression === undefined
      ? {}
      : {
          suppressions: [{ kind: 'external', status: 'accepted', justification: result.suppression.reason }],
        }),
  };
}

const errorNotification = (error: ScanError): Notification => ({
  level: 'error',
  message: {
    text:
      `${error.accountId ?? 'every account'} ${error.region ?? 'every Region'}: ${error.operation} failed ` +
      `with ${error.code}: ${error.message}`,
  },
  descriptor: { id: error.operation },
  properties: {
    accountId: error.accountId,
    region: error.region,
    operation: error.operation,
    code: error.code,
  },
});

const undeterminedNotification = (result: CheckResult, ruleIndex: number): Notification => ({
  level: 'warning',
  message: { text: `Could not determine ${result.checkId} on ${result.resourceId}: ${result.reason}` },
  associatedRule: { id: result.checkId, index: ruleIndex },
  locations: [resourceLocation(result)],
  properties: { accountId: result.accountId, region: result.region, cluster: result.cluster },
});

/** The SARIF log of a scan: one run, `checks` as its rules (the scan's checks, in catalogue order). */
export function sarifLog(report: ScanReport, checks: readonly Check[]): Log {
  const taxonomies = taxonomiesOf(checks, report.results);
  const rules = checks.map((check) => ruleOf(check, taxonomies));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const indexOf = (id: string): number => {
    const known = ruleIndex.get(id);
    if (known !== undefined) return known;
    rules.push(unknownRule(id));
    ruleIndex.set(id, rules.length - 1);
    return rules.length - 1;
  };

  const results: Result[] = [];
  const notifications: Notification[] = report.errors.map(errorNotification);
  const counts = { PASSED: 0, FAILED: 0, NOT_APPLICABLE: 0, ERROR: 0 };
  for (const result of report.results) {
    counts[result.status] += 1;
    if (result.status === 'FAILED') results.push(resultOf(result, indexOf(result.checkId), taxonomies));
    else if (result.status === 'ERROR') {
      notifications.push(undeterminedNotification(result, indexOf(result.checkId)));
    }
  }

  const run: Run = {
    tool: {
      driver: {
        name: COMPANY_NAME,
        fullName: PRODUCT_NAME,
        version: SCANNER_VERSION,
        semanticVersion: SCANNER_VERSION,
        rules,
      },
    },
    automationDetails: { id: `${COMPANY_NAME}/${report.scannedAt}` },
    invocations: [
      {
        executionSuccessful: report.errors.length === 0,
        startTimeUtc: report.scannedAt,
        toolExecutionNotifications: notifications,
      },
    ],
    ...(taxonomies.length === 0 ? {} : { taxonomies }),
    results,
    properties: { scannedAt: report.scannedAt, resultsByStatus: counts },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}
