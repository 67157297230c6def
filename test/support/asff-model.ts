/**
 * Validates an ASFF finding (as sent to BatchImportFindings) against the Security Hub API model: the
 * SDK's own schema gives the members, which are required and the JSON type of each; the documented
 * limits the schema does not carry (lengths, counts, enums, formats) are in the RULES table below.
 */
import {
  ActorSessionMfaStatus,
  AwsIamAccessKeyStatus,
  AwsS3BucketNotificationConfigurationS3KeyFilterRuleName,
  AwsSecurityFinding$,
  CloudProviderName,
  ComplianceStatus,
  ConnectionDirection,
  MalwareState,
  MalwareType,
  NetworkDirection,
  Partition,
  RecordState,
  SeverityLabel,
  ThreatIntelIndicatorCategory,
  ThreatIntelIndicatorType,
  VerificationState,
  VulnerabilityExploitAvailable,
  VulnerabilityFixAvailable,
  WorkflowState,
  WorkflowStatus,
} from '@aws-sdk/client-securityhub';
import { NormalizedSchema } from '@smithy/core/schema';

/** A documented limit, checked once the value has the model's JSON type; returns its problems. */
type Rule = (value: unknown, path: string) => string[];

const FINDING_MODEL = NormalizedSchema.of(AwsSecurityFinding$);
const MAX_FINDING_BYTES = 240 * 1024;
const FINDING_TYPE_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];
const PRODUCT_ARN =
  /^arn:aws(?:-[a-z]+)*:securityhub:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:product\/(?:\d{12}|aws)\/[\w.-]+$/;
// RFC 3339, as the Security Hub user guide requires: a 'T', seconds, up to 9 fraction digits, a zone.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

// Security Hub counts characters, not UTF-16 code units.
const characterCount = (text: string) => [...text].length;

const maxLength =
  (max: number): Rule =>
  (value, path) => {
    const count = characterCount(value as string);
    return count > max ? [`${path}: expected at most ${max} characters, got ${count}`] : [];
  };

const itemCount =
  (min: number, max: number): Rule =>
  (value, path) => {
    const count = (value as unknown[]).length;
    return count < min || count > max ? [`${path}: expected ${min}-${max} items, got ${count}`] : [];
  };

const numberBetween =
  (min: number, max: number): Rule =>
  (value, path) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? []
      : [`${path}: expected an integer ${min}-${max}, got ${value}`];

const oneOf =
  (enumeration: Readonly<Record<string, string>>): Rule =>
  (value, path) => {
    const allowed = Object.values(enumeration);
    return allowed.includes(value as string)
      ? []
      : [`${path}: expected one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`];
  };

const matches =
  (pattern: RegExp, description: string): Rule =>
  (value, path) =>
    pattern.test(value as string) ? [] : [`${path}: expected ${description}, got ${JSON.stringify(value)}`];

/** Limits of a string map: entry count, key length, value length. */
const fieldMap =
  (limits: { entries: number; keyLength: number; valueLength: number }): Rule =>
  (value, path) => {
    const entries = Object.entries(value as Record<string, unknown>);
    const problems =
      entries.length > limits.entries
        ? [`${path}: expected at most ${limits.entries} entries, got ${entries.length}`]
        : [];
    for (const [key, entryValue] of entries) {
      const entryPath = mapEntryPath(path, key);
      if (characterCount(key) > limits.keyLength) {
        problems.push(`${entryPath}: key has ${characterCount(key)} characters, at most ${limits.keyLength}`);
      }
      if (typeof entryValue === 'string')
        problems.push(...maxLength(limits.valueLength)(entryValue, entryPath));
    }
    return problems;
  };

const dateTime: Rule = (value, path) => {
  const text = value as string;
  // The regex checks the shape; the round trip rejects impossible dates such as 2024-02-30 or 25:00.
  const localDateTime = text.slice(0, 19);
  const parsed = new Date(`${localDateTime}Z`);
  const valid =
    DATE_TIME.test(text) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(localDateTime);
  return valid ? [] : [`${path}: expected an ISO-8601 date-time, got ${JSON.stringify(text)}`];
};

/** namespace[/category[/classifier]] (the taxonomy has types such as 'Effects/Data Exposure'), namespace known. */
const findingType: Rule = (value, path) => {
  const [namespace = '', ...rest] = (value as string).split('/');
  if (!FINDING_TYPE_NAMESPACES.includes(namespace)) {
    return [
      `${path}: namespace ${JSON.stringify(namespace)} is not one of ${FINDING_TYPE_NAMESPACES.join(', ')}`,
    ];
  }
  return rest.length > 2 || rest.includes('')
    ? [`${path}: expected namespace/category/classifier, got ${JSON.stringify(value)}`]
    : [];
};

const FINDING_TYPES_RULES = { list: [itemCount(1, 50)], item: [findingType] };
const PERCENTAGE = [numberBetween(0, 100)];

/** Keyed by model path, list items written []. Every path must exist in the model (checked below). */
const RULES: Readonly<Record<string, readonly Rule[]>> = {
  SchemaVersion: [matches(/^2018-10-08$/, '2018-10-08')],
  Id: [maxLength(512)],
  ProductArn: [
    matches(PRODUCT_ARN, 'arn:<partition>:securityhub:<region>:<account>:product/<account|aws>/<name>'),
  ],
  GeneratorId: [maxLength(512)],
  AwsAccountId: [matches(/^\d{12}$/, 'a 12-digit account id')],
  CreatedAt: [dateTime],
  UpdatedAt: [dateTime],
  FirstObservedAt: [dateTime],
  LastObservedAt: [dateTime],
  ProcessedAt: [dateTime],
  Title: [maxLength(256)],
  Description: [maxLength(1024)],
  Types: FINDING_TYPES_RULES.list,
  'Types[]': FINDING_TYPES_RULES.item,
  Resources: [itemCount(1, 32)],
  'Resources[].Partition': [oneOf(Partition)],
  'Resources[].Provider': [oneOf(CloudProviderName)],
  'Resources[].Details.Other': [fieldMap({ entries: 50, keyLength: 128, valueLength: 1024 })],
  'Resources[].Details.AwsIamAccessKey.Status': [oneOf(AwsIamAccessKeyStatus)],
  'Resources[].Details.AwsS3Bucket.BucketNotificationConfiguration.Configurations[].Filter.S3KeyFilter.FilterRules[].Name':
    [oneOf(AwsS3BucketNotificationConfigurationS3KeyFilterRuleName)],
  ProductFields: [fieldMap({ entries: 50, keyLength: 128, valueLength: 2048 })],
  'Severity.Label': [oneOf(SeverityLabel)],
  'Severity.Normalized': PERCENTAGE,
  Confidence: PERCENTAGE,
  Criticality: PERCENTAGE,
  'FindingProviderFields.Severity.Label': [oneOf(SeverityLabel)],
  'FindingProviderFields.Types': FINDING_TYPES_RULES.list,
  'FindingProviderFields.Types[]': FINDING_TYPES_RULES.item,
  'FindingProviderFields.Confidence': PERCENTAGE,
  'FindingProviderFields.Criticality': PERCENTAGE,
  'Remediation.Recommendation.Text': [maxLength(512)],
  'Compliance.Status': [oneOf(ComplianceStatus)],
  'Compliance.RelatedRequirements': [itemCount(0, 32)],
  'Compliance.RelatedRequirements[]': [maxLength(128)],
  RecordState: [oneOf(RecordState)],
  'Workflow.Status': [oneOf(WorkflowStatus)],
  WorkflowState: [oneOf(WorkflowState)],
  VerificationState: [oneOf(VerificationState)],
  'Note.Text': [maxLength(512)],
  'Note.UpdatedBy': [maxLength(512)],
  'Note.UpdatedAt': [dateTime],
  'Malware[].Type': [oneOf(MalwareType)],
  'Malware[].State': [oneOf(MalwareState)],
  'Network.Direction': [oneOf(NetworkDirection)],
  'ThreatIntelIndicators[].Type': [oneOf(ThreatIntelIndicatorType)],
  'ThreatIntelIndicators[].Category': [oneOf(ThreatIntelIndicatorCategory)],
  'Vulnerabilities[].FixAvailable': [oneOf(VulnerabilityFixAvailable)],
  'Vulnerabilities[].ExploitAvailable': [oneOf(VulnerabilityExploitAvailable)],
  'Detection.Sequence.Actors[].Session.MfaStatus': [oneOf(ActorSessionMfaStatus)],
  'Detection.Sequence.Endpoints[].Connection.Direction': [oneOf(ConnectionDirection)],
};

/** Throws when the SDK model has no member at a rule path, so a typo (or a model change) cannot hide a rule. */
function assertInModel(rulePath: string): void {
  let schema = FINDING_MODEL;
  for (const segment of rulePath.match(/\[\]|[^.[\]]+/g) ?? []) {
    schema = segment === '[]' ? schema.getValueSchema() : schema.getMemberSchema(segment);
  }
}
for (const rulePath of Object.keys(RULES)) assertInModel(rulePath);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const memberPath = (path: string, member: string) => (path === '' ? member : `${path}.${member}`);
const mapEntryPath = (path: string, key: string) => `${path}[${JSON.stringify(key)}]`;
const shown = (path: string) => (path === '' ? '(finding)' : path);

/** The leading members a structure's static schema marks as required: [3, ns, name, traits, names, schemas, count]. */
function requiredMembers(structure: NormalizedSchema): readonly string[] {
  const [, , , , memberNames, , requiredCount = 0] = structure.getSchema() as typeof AwsSecurityFinding$;
  return memberNames.slice(0, requiredCount);
}

/** Checks `value` against `schema` at `path`; `rulePath` is `path` with list indices written [] (map keys {}). */
function checkValue(
  value: unknown,
  schema: NormalizedSchema,
  path: string,
  rulePath: string,
  problems: string[],
): void {
  const typeProblem = checkShape(value, schema, path, rulePath, problems);
  if (typeProblem !== undefined) {
    problems.push(`${shown(path)}: ${typeProblem}`);
    return;
  }
  for (const rule of RULES[rulePath] ?? []) problems.push(...rule(value, path));
}

/** Returns what is wrong with the value's own JSON type, after checking its members or items. */
function checkShape(
  value: unknown,
  schema: NormalizedSchema,
  path: string,
  rulePath: string,
  problems: string[],
): string | undefined {
  if (schema.isStructSchema()) {
    if (!isPlainObject(value)) return 'expected object';
    const members = new Map(schema.structIterator());
    for (const required of requiredMembers(schema)) {
      if (value[required] === undefined)
        problems.push(`${memberPath(path, required)}: required member missing`);
    }
    for (const [member, memberValue] of Object.entries(value)) {
      // JSON drops undefined members, and so does the SDK's serializer.
      if (memberValue === undefined) continue;
      const memberSchema = members.get(member);
      if (memberSchema === undefined) problems.push(`${memberPath(path, member)}: unknown member`);
      else
        checkValue(
          memberValue,
          memberSchema,
          memberPath(path, member),
          memberPath(rulePath, member),
          problems,
        );
    }
    return undefined;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return 'expected array';
    value.forEach((item, index) => {
      checkValue(item, schema.getValueSchema(), `${path}[${index}]`, `${rulePath}[]`, problems);
    });
    return undefined;
  }
  if (schema.isMapSchema()) {
    if (!isPlainObject(value)) return 'expected object';
    for (const [key, entryValue] of Object.entries(value)) {
      if (key === '') problems.push(`${mapEntryPath(path, key)}: expected a non-empty key`);
      checkValue(entryValue, schema.getValueSchema(), mapEntryPath(path, key), `${rulePath}{}`, problems);
    }
    return undefined;
  }
  if (schema.isStringSchema()) {
    // The SDK model keeps no string shape names; ASFF strings are NonEmptyString, so empty is wrong.
    if (typeof value !== 'string') return 'expected string';
    return value === '' ? 'expected a non-empty string' : undefined;
  }
  if (schema.isNumericSchema())
    return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected number';
  if (schema.isBooleanSchema()) return typeof value === 'boolean' ? undefined : 'expected boolean';
  // A document (such as Details.AzureResource) holds any JSON.
  if (schema.isDocumentSchema()) return undefined;
  throw new Error(`asff-model: no check for the model type of ${shown(path)} (${schema.getName(true)})`);
}

/** The user guide requires these, though the API model lets FindingProviderFields carry them instead. */
function checkSeverityAndTypes(finding: Record<string, unknown>): string[] {
  const providerFields = isPlainObject(finding.FindingProviderFields) ? finding.FindingProviderFields : {};
  const labelOf = (severity: unknown) => (isPlainObject(severity) ? severity.Label : undefined);
  const problems: string[] = [];
  if (labelOf(finding.Severity) === undefined && labelOf(providerFields.Severity) === undefined) {
    problems.push('Severity.Label: required unless FindingProviderFields.Severity.Label is given');
  }
  if (finding.Types === undefined && providerFields.Types === undefined) {
    problems.push('Types: required unless FindingProviderFields.Types is given');
  }
  return problems;
}

/** Every way `finding` breaks the Security Hub API model; empty when it is valid. */
export function asffProblems(finding: unknown): string[] {
  const problems: string[] = [];
  checkValue(finding, FINDING_MODEL, '', '', problems);
  if (!isPlainObject(finding)) return problems;
  problems.push(...checkSeverityAndTypes(finding));
  const bytes = Buffer.byteLength(JSON.stringify(finding));
  if (bytes > MAX_FINDING_BYTES) {
    problems.push(`(finding): JSON is ${bytes} bytes, at most ${MAX_FINDING_BYTES}`);
  }
  return problems;
}

/** For tests: throws an Error listing every problem of `finding`. */
export function expectValidFinding(finding: unknown): void {
  const problems = asffProblems(finding);
  if (problems.length > 0) {
    throw new Error(`The finding does not match the Security Hub API model:\n  ${problems.join('\n  ')}`);
  }
}
