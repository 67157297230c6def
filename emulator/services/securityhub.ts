/**
 * Security Hub (REST-JSON): BatchImportFindings with AWS's validation and update rules, GetFindings with
 * string filters, BatchUpdateFindings for Workflow and Note. Findings live in the written state of the
 * caller's account and Region, keyed by `${ProductArn}|${Id}`.
 */

import { parseAwsTime, readTime } from '../../lib/time.js';
import { AwsError } from '../protocols.js';
import { type EmulatorContext, type Handler, page, regionOf } from './context.js';

type Finding = Record<string, unknown>;

const MAX_FINDINGS_PER_CALL = 100;
const MAX_FINDING_BYTES = 240 * 1024;
const SCHEMA_VERSION = '2018-10-08';
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** The Normalized score Security Hub derives from a Label when the provider sends only the Label. */
const NORMALIZED_OF_LABEL: Readonly<Record<string, number>> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 40,
  HIGH: 70,
  CRITICAL: 90,
};
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
const TYPE_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];
/** What only the customer (BatchUpdateFindings) may change once a finding exists. */
const CUSTOMER_OWNED = ['Workflow', 'WorkflowState', 'Note', 'UserDefinedFields', 'VerificationState'];
/** Provider fields Security Hub mirrors between the top level and FindingProviderFields. */
const PROVIDER_FIELDS = ['Confidence', 'Criticality', 'RelatedFindings', 'Severity', 'Types'];

const partitionOf = (context: EmulatorContext) => context.estate.partition ?? 'aws';

const findingKey = (productArn: unknown, id: unknown) => `${String(productArn)}|${String(id)}`;

/** Security Hub counts as enabled in a Region the estate lists, unless it says `enabled: false`. */
function hubEnabled(context: EmulatorContext): boolean {
  const region = regionOf(context);
  return region !== undefined && region.securityHub?.enabled !== false;
}

const notSubscribed = (context: EmulatorContext) =>
  `Account ${context.account} is not subscribed to AWS Security Hub`;

function requireHub(context: EmulatorContext) {
  if (!hubEnabled(context)) throw new AwsError('InvalidAccessException', notSubscribed(context), 401);
}

/** The product ARN with which an account imports its own findings. */
export function ownProductArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

// --- ASFF validation: the first violation, in the style of Security Hub's own messages ---

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class AsffViolation extends Error {}

const violation = (detail: string) =>
  new AsffViolation(`Finding does not adhere to Amazon Finding Format. ${detail}`);

function requireString(finding: Finding, member: string, maxLength?: number) {
  const value = finding[member];
  if (value === undefined || value === null)
    throw violation(`data should have required property '${member}'`);
  checkString(`data.${member}`, value, maxLength);
}

function checkString(path: string, value: unknown, maxLength?: number) {
  if (typeof value !== 'string') throw violation(`${path} should be string`);
  if (value.length < 1) throw violation(`${path} should NOT be shorter than 1 characters`);
  if (maxLength !== undefined && value.length > maxLength) {
    throw violation(`${path} should NOT be longer than ${maxLength} characters`);
  }
}

function checkEnum(path: string, value: unknown, allowed: readonly string[]) {
  if (value !== undefined && !allowed.includes(String(value))) {
    throw violation(`${path} should be equal to one of the allowed values: ${allowed.join(', ')}`);
  }
}

function checkTimestamp(finding: Finding, member: string) {
  requireString(finding, member);
  // ASFF timestamps state their zone (Z or an offset); one without could mean any time.
  if ('problem' in readTime(String(finding[member]), { unstatedZone: 'problem', dateOnly: false })) {
    throw violation(`data.${member} should match format "date-time"`);
  }
}

function checkSeverity(path: string, severity: unknown) {
  if (!isObject(severity)) throw violation(`${path} should be object`);
  const { Label, Normalized } = severity;
  if (Label === undefined && Normalized === undefined) {
    throw violation(`${path} should have required property 'Label'`);
  }
  checkEnum(`${path}.Label`, Label, SEVERITY_LABELS);
  if (Normalized !== undefined && (typeof Normalized !== 'number' || Normalized < 0 || Normalized > 100)) {
    throw violation(`${path}.Normalized should be <= 100 and >= 0`);
  }
}

function checkTypes(path: string, types: unknown) {
  if (!Array.isArray(types)) throw violation(`${path} should be array`);
  if (types.length < 1) throw violation(`${path} should NOT have fewer than 1 items`);
  if (types.length > 50) throw violation(`${path} should NOT have more than 50 items`);
  for (const [index, type] of types.entries()) {
    checkString(`${path}[${index}]`, type);
    const namespace = String(type).split('/')[0] ?? '';
    if (!TYPE_NAMESPACES.includes(namespace)) {
      throw violation(
        `${path}[${index}] should start with one of the namespaces: ${TYPE_NAMESPACES.join(', ')}`,
      );
    }
  }
}

/** Throws an AsffViolation naming the first member that breaks the format, as BatchImportFindings reports it. */
function validateFinding(finding: Finding) {
  requireString(finding, 'SchemaVersion');
  if (finding.SchemaVersion !== SCHEMA_VERSION) {
    throw violation(`data.SchemaVersion should be equal to constant '${SCHEMA_VERSION}'`);
  }
  requireString(finding, 'Id', 512);
  requireString(finding, 'ProductArn');
  requireString(finding, 'GeneratorId', 512);
  requireString(finding, 'AwsAccountId');
  if (!/^\d{12}$/.test(String(finding.AwsAccountId))) {
    throw violation('data.AwsAccountId should match pattern "^[0-9]{12}$"');
  }
  checkTimestamp(finding, 'CreatedAt');
  checkTimestamp(finding, 'UpdatedAt');
  requireString(finding, 'Title', 256);
  requireString(finding, 'Description', 1024);

  const resources = finding.Resources;
  if (resources === undefined) throw violation("data should have required property 'Resources'");
  if (!Array.isArray(resources)) throw violation('data.Resources should be array');
  if (resources.length < 1) throw violation('data.Resources should NOT have fewer than 1 items');
  if (resources.length > 32) throw violation('data.Resources should NOT have more than 32 items');
  for (const [index, resource] of resources.entries()) {
    if (!isObject(resource)) throw violation(`data.Resources[${index}] should be object`);
    for (const member of ['Type', 'Id']) {
      if (resource[member] === undefined) {
        throw violation(`data.Resources[${index}] should have required property '${member}'`);
      }
      checkString(`data.Resources[${index}].${member}`, resource[member]);
    }
  }

  // The user guide requires Severity and Types; either the top level or FindingProviderFields may carry them.
  const providerFields = isObject(finding.FindingProviderFields) ? finding.FindingProviderFields : {};
  if (finding.Severity === undefined && providerFields.Severity === undefined) {
    throw violation("data should have required property 'Severity'");
  }
  if (finding.Severity !== undefined) checkSeverity('data.Severity', finding.Severity);
  if (providerFields.Severity !== undefined) {
    checkSeverity('data.FindingProviderFields.Severity', providerFields.Severity);
  }
  if (finding.Types === undefined && providerFields.Types === undefined) {
    throw violation("data should have required property 'Types'");
  }
  if (finding.Types !== undefined) checkTypes('data.Types', finding.Types);
  if (providerFields.Types !== undefined)
    checkTypes('data.FindingProviderFields.Types', providerFields.Types);

  const recommendation = isObject(finding.Remediation) ? finding.Remediation.Recommendation : undefined;
  if (isObject(recommendation) && recommendation.Text !== undefined) {
    checkString('data.Remediation.Recommendation.Text', recommendation.Text, 512);
  }
  if (isObject(finding.ProductFields)) {
    const entries = Object.entries(finding.ProductFields);
    if (entries.length > 50) throw violation('data.ProductFields should NOT have more than 50 properties');
    for (const [key, value] of entries) {
      if (key.length > 128)
        throw violation('data.ProductFields keys should NOT be longer than 128 characters');
      checkString(`data.ProductFields['${key}']`, value, 2048);
    }
  }
  checkEnum(
    'data.Compliance.Status',
    isObject(finding.Compliance) ? finding.Compliance.Status : undefined,
    COMPLIANCE_STATUSES,
  );
  checkEnum('data.RecordState', finding.RecordState, RECORD_STATES);
  checkEnum(
    'data.Workflow.Status',
    isObject(finding.Workflow) ? finding.Workflow.Status : undefined,
    WORKFLOW_STATUSES,
  );
  if (Buffer.byteLength(JSON.stringify(finding)) > MAX_FINDING_BYTES) {
    throw violation('the finding is larger than 240 KB');
  }
}

// --- Import ---

/** Label from Normalized and Normalized from Label, as Security Hub fills in whichever is missing. */
function completeSeverity(severity: unknown): unknown {
  if (!isObject(severity)) return severity;
  const completed = { ...severity };
  if (completed.Label === undefined && typeof completed.Normalized === 'number') {
    const score = completed.Normalized;
    completed.Label =
      score === 0
        ? 'INFORMATIONAL'
        : score < 40
          ? 'LOW'
          : score < 70
            ? 'MEDIUM'
            : score < 90
              ? 'HIGH'
              : 'CRITICAL';
  }
  if (completed.Normalized === undefined && typeof completed.Label === 'string') {
    completed.Normalized = NORMALIZED_OF_LABEL[completed.Label];
  }
  return completed;
}

/** Security Hub mirrors provider fields: a side the provider left out is filled from the other. */
function mirrorProviderFields(finding: Finding) {
  const providerFields: Record<string, unknown> = isObject(finding.FindingProviderFields)
    ? { ...finding.FindingProviderFields }
    : {};
  for (const member of PROVIDER_FIELDS) {
    if (finding[member] === undefined && providerFields[member] !== undefined) {
      finding[member] = providerFields[member];
    }
    if (providerFields[member] === undefined && finding[member] !== undefined) {
      providerFields[member] =
        member === 'Severity' && isObject(finding.Severity)
          ? { Label: finding.Severity.Label, Original: finding.Severity.Original }
          : finding[member];
    }
  }
  finding.FindingProviderFields = providerFields;
  finding.Severity = completeSeverity(finding.Severity);
}

const workflowStatusOf = (finding: Finding | undefined) =>
  isObject(finding?.Workflow) ? finding.Workflow.Status : undefined;
const complianceStatusOf = (finding: Finding) =>
  isObject(finding.Compliance) ? finding.Compliance.Status : undefined;

/**
 * Security Hub resets NOTIFIED or RESOLVED to NEW when a finding comes back: ARCHIVED -> ACTIVE, or
 * Compliance PASSED -> WARNING / FAILED / NOT_AVAILABLE. SUPPRESSED stays suppressed.
 */
function reopens(previous: Finding, next: Finding): boolean {
  const status = workflowStatusOf(previous);
  if (status !== 'NOTIFIED' && status !== 'RESOLVED') return false;
  const unarchived = previous.RecordState === 'ARCHIVED' && next.RecordState === 'ACTIVE';
  const failedAgain =
    complianceStatusOf(previous) === 'PASSED' &&
    ['WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(String(complianceStatusOf(next)));
  return unarchived || failedAgain;
}

/** The finding as Security Hub stores it: defaults added, customer-owned fields kept from `previous`. */
function storedFinding(finding: Finding, previous: Finding | undefined, context: EmulatorContext): Finding {
  const stored: Finding = {
    ...finding,
    ProductName: finding.ProductName ?? 'Default',
    CompanyName: finding.CompanyName ?? 'Personal',
    Region: finding.Region ?? context.region,
    RecordState: finding.RecordState ?? 'ACTIVE',
    ProcessedAt: new Date().toISOString(),
  };
  mirrorProviderFields(stored);
  if (previous === undefined) {
    stored.Workflow = isObject(finding.Workflow) ? finding.Workflow : { Status: 'NEW' };
    stored.WorkflowState ??= 'NEW';
    return stored;
  }
  for (const member of CUSTOMER_OWNED) {
    if (previous[member] === undefined) delete stored[member];
    else stored[member] = previous[member];
  }
  if (reopens(previous, stored)) {
    stored.Workflow = { Status: 'NEW' };
    stored.WorkflowState = 'NEW';
  }
  return stored;
}

interface ImportFailure {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
}

function importOne(finding: Finding, context: EmulatorContext): ImportFailure | undefined {
  const id = typeof finding.Id === 'string' ? finding.Id : '';
  try {
    validateFinding(finding);
  } catch (error) {
    if (error instanceof AsffViolation)
      return { Id: id, ErrorCode: 'InvalidInput', ErrorMessage: error.message };
    throw error;
  }
  const expectedArn = ownProductArn(partitionOf(context), context.region, context.account);
  if (finding.ProductArn !== expectedArn || finding.AwsAccountId !== context.account) {
    return {
      Id: id,
      ErrorCode: 'AccessDeniedException',
      ErrorMessage: `Account ${context.account} is not authorized to import findings for product ${String(finding.ProductArn)} and account ${String(finding.AwsAccountId)}; use ${expectedArn} with AwsAccountId ${context.account}.`,
    };
  }
  const findings = context.written.findingsOf(context.account, context.region);
  const key = findingKey(finding.ProductArn, finding.Id);
  const previous = findings.get(key);
  // An equal or earlier UpdatedAt is an out-of-date copy: accepted, and ignored.
  const instant = (value: unknown) => parseAwsTime(String(value))?.getTime() ?? Number.NaN;
  if (previous && instant(finding.UpdatedAt) <= instant(previous.UpdatedAt)) {
    return undefined;
  }
  findings.set(key, storedFinding(finding, previous, context));
  return undefined;
}

// --- GetFindings filters ---

interface StringFilter {
  /** Map filters (ProductFields) name the key whose value is compared. */
  Key?: string;
  Value?: string;
  Comparison?: string;
}

const resourceValues = (finding: Finding, member: 'Id' | 'Type') =>
  Array.isArray(finding.Resources)
    ? finding.Resources.map((resource) => (isObject(resource) ? resource[member] : undefined))
    : [];

/** The values each supported filter tests; several values (resources) match when any does. */
const FILTER_FIELDS: Readonly<Record<string, (finding: Finding) => unknown[]>> = {
  ProductArn: (finding) => [finding.ProductArn],
  GeneratorId: (finding) => [finding.GeneratorId],
  AwsAccountId: (finding) => [finding.AwsAccountId],
  Id: (finding) => [finding.Id],
  Title: (finding) => [finding.Title],
  RecordState: (finding) => [finding.RecordState],
  ComplianceStatus: (finding) => [complianceStatusOf(finding)],
  WorkflowStatus: (finding) => [workflowStatusOf(finding)],
  SeverityLabel: (finding) => [isObject(finding.Severity) ? finding.Severity.Label : undefined],
  ResourceId: (finding) => resourceValues(finding, 'Id'),
  ResourceType: (finding) => resourceValues(finding, 'Type'),
};

const POSITIVE: Readonly<Record<string, (value: string, wanted: string) => boolean>> = {
  EQUALS: (value, wanted) => value === wanted,
  PREFIX: (value, wanted) => value.startsWith(wanted),
  CONTAINS: (value, wanted) => value.includes(wanted),
};
const NEGATIVE: Readonly<Record<string, (value: string, unwanted: string) => boolean>> = {
  NOT_EQUALS: (value, unwanted) => value === unwanted,
  PREFIX_NOT_EQUALS: (value, unwanted) => value.startsWith(unwanted),
  NOT_CONTAINS: (value, unwanted) => value.includes(unwanted),
};

/** Rejects the combinations Security Hub rejects for one field. */
function checkCombination(field: string, filters: readonly StringFilter[]) {
  const comparisons = new Set(filters.map((filter) => String(filter.Comparison)));
  const negatives = [...comparisons].filter((comparison) => comparison in NEGATIVE);
  if (comparisons.has('EQUALS') && negatives.length > 0) {
    throw new AwsError(
      'InvalidInputException',
      `Filter ${field} cannot combine EQUALS with ${negatives.join(', ')}.`,
    );
  }
  for (const exclusive of ['CONTAINS', 'NOT_CONTAINS']) {
    if (comparisons.has(exclusive) && comparisons.size > 1) {
      throw new AwsError(
        'InvalidInputException',
        `Filter ${field} cannot combine ${exclusive} with other comparisons.`,
      );
    }
  }
}

/** ProductFields is a map filter: each filter compares the value of its Key. */
function productFieldMatches(finding: Finding, filters: readonly StringFilter[]): boolean {
  const fields = isObject(finding.ProductFields) ? finding.ProductFields : {};
  const keys = [...new Set(filters.map((filter) => String(filter.Key)))];
  return keys.every((key) =>
    fieldMatches(
      [fields[key]],
      filters.filter((filter) => String(filter.Key) === key),
    ),
  );
}

/** EQUALS / PREFIX / CONTAINS values of one field are ORed; NOT_ values are ANDed. */
function fieldMatches(values: readonly unknown[], filters: readonly StringFilter[]): boolean {
  const present = values.filter((value): value is string => typeof value === 'string');
  const positives = filters.filter((filter) => String(filter.Comparison) in POSITIVE);
  const negatives = filters.filter((filter) => String(filter.Comparison) in NEGATIVE);
  const anyPositive =
    positives.length === 0 ||
    positives.some((filter) =>
      present.some((value) => POSITIVE[String(filter.Comparison)]?.(value, String(filter.Value))),
    );
  const noNegative = negatives.every(
    (filter) => !present.some((value) => NEGATIVE[String(filter.Comparison)]?.(value, String(filter.Value))),
  );
  return anyPositive && noNegative;
}

/** One predicate for the whole Filters object; unsupported filters are refused rather than ignored. */
function findingPredicate(filters: Record<string, unknown> | undefined): (finding: Finding) => boolean {
  const active: [string, StringFilter[]][] = [];
  for (const [field, value] of Object.entries(filters ?? {})) {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    if (!FILTER_FIELDS[field] && field !== 'ProductFields') {
      throw new AwsError(
        'InvalidInputException',
        `The emulator does not support the ${field} filter; supported: ${[...Object.keys(FILTER_FIELDS), 'ProductFields'].join(', ')}.`,
      );
    }
    const list = value as StringFilter[];
    for (const filter of list) {
      if (field === 'ProductFields' && typeof filter.Key !== 'string') {
        throw new AwsError('InvalidInputException', 'Filter ProductFields needs a Key.');
      }
      if (typeof filter.Value !== 'string' || !(String(filter.Comparison) in { ...POSITIVE, ...NEGATIVE })) {
        throw new AwsError(
          'InvalidInputException',
          `Filter ${field} needs a Value and a Comparison of ${[...Object.keys(POSITIVE), ...Object.keys(NEGATIVE)].join(', ')}.`,
        );
      }
    }
    checkCombination(field, list);
    active.push([field, list]);
  }
  return (finding) =>
    active.every(([field, list]) =>
      field === 'ProductFields'
        ? productFieldMatches(finding, list)
        : fieldMatches(FILTER_FIELDS[field]?.(finding) ?? [], list),
    );
}

// --- Handlers ---

interface FindingIdentifier {
  Id?: string;
  ProductArn?: string;
}

export const securityHubHandlers: Readonly<Record<string, Handler>> = {
  BatchImportFindings: (input: { Findings?: Finding[] }, context) => {
    const findings = input.Findings ?? [];
    if (findings.length < 1 || findings.length > MAX_FINDINGS_PER_CALL) {
      throw new AwsError(
        'InvalidInputException',
        `Findings must contain between 1 and ${MAX_FINDINGS_PER_CALL} findings; got ${findings.length}.`,
      );
    }
    // Not enabled is not an error of the call: every finding comes back failed, with HTTP 200.
    const failures: ImportFailure[] = hubEnabled(context)
      ? findings.flatMap((finding) =>
          context.failsFinding()
            ? [
                {
                  Id: typeof finding.Id === 'string' ? finding.Id : '',
                  ErrorCode: 'InternalException',
                  ErrorMessage: 'Injected fault: the finding was not imported.',
                },
              ]
            : (importOne(finding, context) ?? []),
        )
      : findings.map((finding) => ({
          Id: typeof finding.Id === 'string' ? finding.Id : '',
          ErrorCode: 'InvalidAccess',
          ErrorMessage: notSubscribed(context),
        }));
    return {
      FailedCount: failures.length,
      SuccessCount: findings.length - failures.length,
      FailedFindings: failures,
    };
  },

  GetFindings: (
    input: { Filters?: Record<string, unknown>; MaxResults?: number; NextToken?: string },
    context,
  ) => {
    requireHub(context);
    const matches = findingPredicate(input.Filters);
    // Insertion order (first import) is stable across updates; SortCriteria is not emulated.
    const selected = [...context.written.findingsOf(context.account, context.region).values()].filter(
      matches,
    );
    const { items, nextToken } = page(
      selected,
      {
        maxResults: input.MaxResults,
        nextToken: input.NextToken,
        cap: 100,
        validationCode: 'InvalidInputException',
        invalidTokenCode: 'InvalidInputException',
      },
      context,
    );
    return { Findings: items, NextToken: nextToken };
  },

  BatchUpdateFindings: (
    input: {
      FindingIdentifiers?: FindingIdentifier[];
      Workflow?: { Status?: string };
      Note?: { Text?: string; UpdatedBy?: string };
    },
    context,
  ) => {
    requireHub(context);
    const identifiers = input.FindingIdentifiers ?? [];
    if (identifiers.length < 1 || identifiers.length > MAX_FINDINGS_PER_CALL) {
      throw new AwsError(
        'InvalidInputException',
        `FindingIdentifiers must contain between 1 and ${MAX_FINDINGS_PER_CALL} identifiers.`,
      );
    }
    if (input.Workflow === undefined && input.Note === undefined) {
      throw new AwsError('InvalidInputException', 'At least one of Workflow or Note must be provided.');
    }
    if (input.Workflow !== undefined && !WORKFLOW_STATUSES.includes(String(input.Workflow.Status))) {
      throw new AwsError(
        'InvalidInputException',
        `Workflow.Status must be one of ${WORKFLOW_STATUSES.join(', ')}.`,
      );
    }
    const note = input.Note;
    if (note !== undefined) {
      for (const member of ['Text', 'UpdatedBy'] as const) {
        const value = note[member];
        if (typeof value !== 'string' || value.length < 1 || value.length > 512) {
          throw new AwsError('InvalidInputException', `Note.${member} must be 1 to 512 characters.`);
        }
      }
    }
    const findings = context.written.findingsOf(context.account, context.region);
    const processed: FindingIdentifier[] = [];
    const unprocessed: { FindingIdentifier: FindingIdentifier; ErrorCode: string; ErrorMessage: string }[] =
      [];
    for (const identifier of identifiers) {
      const stored = findings.get(findingKey(identifier.ProductArn, identifier.Id));
      if (!stored) {
        unprocessed.push({
          FindingIdentifier: identifier,
          ErrorCode: 'FindingNotFound',
          ErrorMessage: 'Finding Not Found',
        });
        continue;
      }
      // UpdatedAt belongs to the provider: a customer update leaves it as it was.
      if (input.Workflow !== undefined) stored.Workflow = { Status: input.Workflow.Status };
      if (note !== undefined) {
        stored.Note = { Text: note.Text, UpdatedBy: note.UpdatedBy, UpdatedAt: new Date().toISOString() };
      }
      processed.push({ Id: identifier.Id, ProductArn: identifier.ProductArn });
    }
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  },
};
