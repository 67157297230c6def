/**
 * AWS Config (JSON 1.1): PutEvaluations and GetComplianceDetailsByConfigRule over the written state of the
 * caller's account and Region (keyed by `${ConfigRuleName}|${ComplianceResourceType}|${ComplianceResourceId}`),
 * and GetResourceConfigHistory for the estate's EKS clusters, recorded as AWS Config records them.
 *
 * Validation follows the service: model constraints (list sizes, required members, enums, lengths) fail
 * the whole call with ValidationException and the "1 validation error detected" message Config's front end
 * gives, whatever the operation's documented error list says; INSUFFICIENT_DATA, which the model allows but
 * PutEvaluations refuses, is InvalidParameterValueException.
 */
import type { Cluster } from '@aws-sdk/client-eks';
import { awsTimeValue, parseAwsTime } from '../../lib/time.js';
import type { AsJson } from '../estate.js';
import { AwsError } from '../protocols.js';
import { type EmulatorContext, type Handler, page, regionOf } from './context.js';

const MAX_EVALUATIONS_PER_CALL = 100;
const COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];
const PUTTABLE_COMPLIANCE_TYPES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];
const EKS_CLUSTER = 'AWS::EKS::Cluster';

// --- ResultToken convention ---
//
// In AWS a ResultToken is an opaque, encrypted token Config hands to the rule's Lambda with each
// invocation; it names the rule the evaluations belong to. The emulator's tokens are base64url JSON
// {"configRuleName": NAME, ...} (other members are allowed and ignored). Any other non-empty token is
// accepted too, its evaluations stored under the rule name 'unknown-rule'; an empty or missing token is
// InvalidResultTokenException.

/** The rule name evaluations sent with an unrecognised (but non-empty) token are stored under. */
export const UNKNOWN_RULE = 'unknown-rule';

/** A ResultToken as the emulator issues it for an invocation of `ruleName`. */
export function resultTokenFor(ruleName: string): string {
  return Buffer.from(JSON.stringify({ configRuleName: ruleName })).toString('base64url');
}

/** The rule a ResultToken names, or 'unknown-rule' when it is not one of the emulator's tokens. */
export function ruleNameOf(token: string): string {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof decoded === 'object' && decoded !== null && 'configRuleName' in decoded) {
      const name = decoded.configRuleName;
      if (typeof name === 'string' && name !== '') return name;
    }
  } catch {
    // Not JSON: a token from elsewhere, which AWS would also accept without the emulator knowing its rule.
  }
  return UNKNOWN_RULE;
}

// --- Errors ---

/** Config's front-end message for a broken model constraint. */
const constraintError = (value: string, at: string, constraint: string) =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value ${value} at '${at}' failed to satisfy constraint: ${constraint}`,
  );

/** Config is recording in a Region the estate lists, unless it says `enabled: false`. */
function configEnabled(context: EmulatorContext): boolean {
  const region = regionOf(context);
  return region !== undefined && region.config.enabled !== false;
}

function requireRecorder(context: EmulatorContext) {
  if (!configEnabled(context)) {
    throw new AwsError(
      'NoAvailableConfigurationRecorderException',
      `There are no configuration recorders available in account ${context.account}, Region ${context.region}.`,
    );
  }
}

/** A 0..100 page size where 0 or nothing means the default, as Config's Limit/limit members work. */
function pageSize(limit: number | undefined, member: string): number | undefined {
  if (limit === undefined || limit === 0) return undefined;
  if (!Number.isInteger(limit) || limit < 0 || limit > 100) {
    throw constraintError(`'${limit}'`, member, 'Member must have value less than or equal to 100');
  }
  return limit;
}

// --- PutEvaluations ---

interface Evaluation {
  ComplianceResourceType?: string;
  ComplianceResourceId?: string;
  ComplianceType?: string;
  Annotation?: string;
  OrderingTimestamp?: Date;
}

/** What a stored evaluation holds; times are ISO strings so the written state reads well as JSON. */
interface StoredEvaluation extends Record<string, unknown> {
  ConfigRuleName: string;
  ComplianceResourceType: string;
  ComplianceResourceId: string;
  ComplianceType: string;
  Annotation?: string;
  OrderingTimestamp: string;
  ResultRecordedTime: string;
  ConfigRuleInvokedTime: string;
}

function checkModelConstraints(evaluations: readonly Evaluation[]) {
  if (evaluations.length > MAX_EVALUATIONS_PER_CALL) {
    throw constraintError(
      `'[${evaluations.length} evaluations]'`,
      'evaluations',
      `Member must have length less than or equal to ${MAX_EVALUATIONS_PER_CALL}`,
    );
  }
  for (const [index, evaluation] of evaluations.entries()) {
    const at = (member: string) => `evaluations.${index + 1}.member.${member}`;
    const lengths = [
      ['complianceResourceType', evaluation.ComplianceResourceType, 256],
      ['complianceResourceId', evaluation.ComplianceResourceId, 768],
    ] as const;
    for (const [member, value, max] of lengths) {
      if (value === undefined) throw constraintError('null', at(member), 'Member must not be null');
      if (value.length < 1 || value.length > max) {
        throw constraintError(
          `'${value}'`,
          at(member),
          `Member must have length less than or equal to ${max} and greater than or equal to 1`,
        );
      }
    }
    if (evaluation.ComplianceType === undefined) {
      throw constraintError('null', at('complianceType'), 'Member must not be null');
    }
    if (!COMPLIANCE_TYPES.includes(evaluation.ComplianceType)) {
      throw constraintError(
        `'${evaluation.ComplianceType}'`,
        at('complianceType'),
        `Member must satisfy enum value set: [${COMPLIANCE_TYPES.join(', ')}]`,
      );
    }
    if (evaluation.OrderingTimestamp === undefined) {
      throw constraintError('null', at('orderingTimestamp'), 'Member must not be null');
    }
    const annotation = evaluation.Annotation;
    if (annotation !== undefined && (annotation.length < 1 || annotation.length > 256)) {
      throw constraintError(
        `'${annotation}'`,
        at('annotation'),
        'Member must have length less than or equal to 256 and greater than or equal to 1',
      );
    }
  }
}

const timeOf = (value: unknown) =>
  (value instanceof Date ? value : parseAwsTime(String(value))) ?? new Date(Number.NaN);

// --- GetResourceConfigHistory ---

/** The members of an EKS cluster that AWS Config records (none of them dates, so SDK and estate shapes fit). */
export type RecordableCluster = Pick<
  AsJson<Cluster>,
  | 'name'
  | 'arn'
  | 'version'
  | 'roleArn'
  | 'endpoint'
  | 'resourcesVpcConfig'
  | 'logging'
  | 'encryptionConfig'
  | 'accessConfig'
>;

/**
 * An EKS cluster as AWS Config records it in a configuration item's `configuration`: the CloudFormation
 * AWS::EKS::Cluster property names (PascalCase), with logging flattened to the enabled log types.
 * Members the cluster does not have are left out, not defaulted.
 */
export function recordedClusterConfiguration(cluster: RecordableCluster): Record<string, unknown> {
  const vpc = cluster.resourcesVpcConfig;
  const enabledTypes = cluster.logging?.clusterLogging
    ?.filter((setup) => setup.enabled === true)
    .flatMap((setup) => setup.types ?? [])
    .map((type) => ({ Type: type }));
  return {
    Name: cluster.name,
    Arn: cluster.arn,
    Version: cluster.version,
    RoleArn: cluster.roleArn,
    Endpoint: cluster.endpoint,
    ResourcesVpcConfig: vpc && {
      SubnetIds: vpc.subnetIds,
      SecurityGroupIds: vpc.securityGroupIds,
      EndpointPublicAccess: vpc.endpointPublicAccess,
      EndpointPrivateAccess: vpc.endpointPrivateAccess,
      PublicAccessCidrs: vpc.publicAccessCidrs,
    },
    Logging: enabledTypes && { ClusterLogging: { EnabledTypes: enabledTypes } },
    EncryptionConfig: cluster.encryptionConfig?.map((encryption) => ({
      Resources: encryption.resources,
      Provider: encryption.provider && { KeyArn: encryption.provider.keyArn },
    })),
    AccessConfig: cluster.accessConfig && { AuthenticationMode: cluster.accessConfig.authenticationMode },
  };
}

type EstateCluster = RecordableCluster & { name: string; createdAt?: string; tags?: Record<string, string> };

function configurationItem(cluster: EstateCluster, context: EmulatorContext) {
  // The item was captured when the cluster last changed; the estate knows only its creation time.
  const captured = (awsTimeValue(cluster.createdAt) ?? new Date(0)).toISOString();
  return {
    version: '1.3',
    accountId: context.account,
    configurationItemCaptureTime: captured,
    configurationItemStatus: 'OK',
    configurationStateId: String(Date.parse(captured)),
    configurationItemMD5Hash: '',
    arn: cluster.arn,
    resourceType: EKS_CLUSTER,
    resourceId: cluster.name,
    resourceName: cluster.name,
    awsRegion: context.region,
    availabilityZone: 'Regional',
    tags: cluster.tags ?? {},
    configuration: JSON.stringify(recordedClusterConfiguration(cluster)),
    supplementaryConfiguration: {},
  };
}

// --- Handlers ---

export const configHandlers: Readonly<Record<string, Handler>> = {
  PutEvaluations: (
    input: { Evaluations?: Evaluation[]; ResultToken?: string; TestMode?: boolean },
    context,
  ) => {
    const evaluations = input.Evaluations ?? [];
    checkModelConstraints(evaluations);
    if (input.ResultToken === undefined || input.ResultToken === '') {
      throw new AwsError('InvalidResultTokenException', 'The ResultToken is missing or empty.');
    }
    const refused = evaluations.find(
      (evaluation) => !PUTTABLE_COMPLIANCE_TYPES.includes(String(evaluation.ComplianceType)),
    );
    if (refused) {
      throw new AwsError(
        'InvalidParameterValueException',
        `The ComplianceType ${refused.ComplianceType} is not valid for PutEvaluations; use ${PUTTABLE_COMPLIANCE_TYPES.join(', ')}.`,
      );
    }
    requireRecorder(context);
    // TestMode checks that the Lambda can deliver its results; nothing is recorded.
    if (input.TestMode === true) return { FailedEvaluations: [] };

    const ruleName = ruleNameOf(input.ResultToken);
    const stored = context.written.evaluationsOf(context.account, context.region);
    const now = new Date().toISOString();
    // A `failed-findings` fault on PutEvaluations: Config answers, listing these in FailedEvaluations.
    const failed: Evaluation[] = [];
    for (const evaluation of evaluations) {
      if (context.failsFinding()) {
        failed.push(evaluation);
        continue;
      }
      const record: StoredEvaluation = {
        ConfigRuleName: ruleName,
        ComplianceResourceType: String(evaluation.ComplianceResourceType),
        ComplianceResourceId: String(evaluation.ComplianceResourceId),
        ComplianceType: String(evaluation.ComplianceType),
        ...(evaluation.Annotation === undefined ? {} : { Annotation: evaluation.Annotation }),
        OrderingTimestamp: timeOf(evaluation.OrderingTimestamp).toISOString(),
        ResultRecordedTime: now,
        ConfigRuleInvokedTime: now,
      };
      const key = `${ruleName}|${record.ComplianceResourceType}|${record.ComplianceResourceId}`;
      const previous = stored.get(key);
      // Config keeps the newest evaluation by OrderingTimestamp; an older one arriving late changes nothing.
      if (previous && Date.parse(record.OrderingTimestamp) < Date.parse(String(previous.OrderingTimestamp))) {
        continue;
      }
      stored.set(key, record);
    }
    return { FailedEvaluations: failed };
  },

  GetComplianceDetailsByConfigRule: (
    input: { ConfigRuleName?: string; ComplianceTypes?: string[]; Limit?: number; NextToken?: string },
    context,
  ) => {
    const ruleName = input.ConfigRuleName;
    if (ruleName === undefined) throw constraintError('null', 'configRuleName', 'Member must not be null');
    const wanted = input.ComplianceTypes ?? [];
    if (wanted.length > 3) {
      throw constraintError(
        `'[${wanted.join(', ')}]'`,
        'complianceTypes',
        'Member must have length less than or equal to 3',
      );
    }
    for (const type of wanted) {
      if (!COMPLIANCE_TYPES.includes(type)) {
        throw constraintError(
          `'[${wanted.join(', ')}]'`,
          'complianceTypes',
          `Member must satisfy constraint: [Member must satisfy enum value set: [${COMPLIANCE_TYPES.join(', ')}]]`,
        );
      }
      if (!PUTTABLE_COMPLIANCE_TYPES.includes(type)) {
        throw new AwsError(
          'InvalidParameterValueException',
          `ComplianceTypes can filter by ${PUTTABLE_COMPLIANCE_TYPES.join(', ')}; got ${type}.`,
        );
      }
    }
    const limit = pageSize(input.Limit, 'limit');
    // The estate declares no rules: a rule with no stored evaluations reads as one with no results.
    const results = [...context.written.evaluationsOf(context.account, context.region).values()]
      .filter(
        (evaluation) =>
          evaluation.ConfigRuleName === ruleName &&
          (wanted.length === 0 || wanted.includes(String(evaluation.ComplianceType))),
      )
      .map((evaluation) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: {
            ConfigRuleName: evaluation.ConfigRuleName,
            ResourceType: evaluation.ComplianceResourceType,
            ResourceId: evaluation.ComplianceResourceId,
          },
          OrderingTimestamp: evaluation.OrderingTimestamp,
        },
        ComplianceType: evaluation.ComplianceType,
        ResultRecordedTime: evaluation.ResultRecordedTime,
        ConfigRuleInvokedTime: evaluation.ConfigRuleInvokedTime,
        Annotation: evaluation.Annotation,
      }));
    const { items, nextToken } = page(
      results,
      { maxResults: limit, nextToken: input.NextToken, cap: 100, defaultSize: 10 },
      context,
    );
    return { EvaluationResults: items, NextToken: nextToken };
  },

  GetResourceConfigHistory: (
    input: {
      resourceType?: string;
      resourceId?: string;
      laterTime?: Date;
      earlierTime?: Date;
      limit?: number;
      nextToken?: string;
    },
    context,
  ) => {
    if (input.resourceType === undefined)
      throw constraintError('null', 'resourceType', 'Member must not be null');
    if (input.resourceId === undefined)
      throw constraintError('null', 'resourceId', 'Member must not be null');
    const limit = pageSize(input.limit, 'limit');
    if (input.earlierTime && input.laterTime && input.earlierTime.getTime() > input.laterTime.getTime()) {
      throw new AwsError('InvalidTimeRangeException', 'The earlierTime is later than the laterTime.');
    }
    requireRecorder(context);
    // Of the estate's resources, only EKS clusters are recorded (node groups are not a Config type).
    const entry =
      input.resourceType === EKS_CLUSTER
        ? regionOf(context)?.clusters.find((candidate) => candidate.cluster.name === input.resourceId)
        : undefined;
    if (!entry) {
      throw new AwsError(
        'ResourceNotDiscoveredException',
        `Resource ${input.resourceId} of resourceType:${input.resourceType} is unknown or has not been discovered`,
      );
    }
    const item = configurationItem(entry.cluster, context);
    const captured = Date.parse(item.configurationItemCaptureTime);
    const inRange =
      (input.earlierTime === undefined || captured >= input.earlierTime.getTime()) &&
      (input.laterTime === undefined || captured <= input.laterTime.getTime());
    const { items, nextToken } = page(
      inRange ? [item] : [],
      {
        maxResults: limit,
        nextToken: input.nextToken,
        cap: 100,
        defaultSize: 10,
        invalidTokenCode: 'InvalidNextTokenException',
      },
      context,
    );
    return { configurationItems: items, nextToken };
  },
};
