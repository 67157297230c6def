/**
 * What the scan state machine's role must allow, derived from the packaged state machine (its definition,
 * logging and tracing) as AWS documents each need, and what a role's inline policies allow; both as
 * (action, resource) grants, so that a test can compare them both ways.
 *
 * - Task states invoking a function: lambda:InvokeFunction on exactly that function.
 * - A Distributed Map: states:StartExecution on the state machine itself, DescribeExecution and
 *   StopExecution on its executions (`execution:<name>/*`); its ItemReader: s3:GetObject where the
 *   items are written; its ResultWriter: the multipart upload's s3:PutObject, GetObject,
 *   ListMultipartUploadParts and AbortMultipartUpload under its prefix. "IAM policies for using
 *   Distributed Map states", https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
 * - Execution logging: the log delivery actions, which take no resource.
 *   https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy
 * - Tracing: the X-Ray actions, which take no resource.
 *   https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html
 */
import { itemsKey } from '../../functions/plan-scan.js';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** One action on one resource (a CloudFormation expression, as JSON). */
export type Grant = `${string} on ${string}`;

const grant = (action: string, resource: unknown): Grant => `${action} on ${JSON.stringify(resource)}`;
const toArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
];
export const TRACING_ACTIONS = [
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];
const RESULT_WRITER_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:GetObject',
  's3:ListMultipartUploadParts',
  's3:PutObject',
];

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly States?: Record<string, State>;
  readonly ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States: Record<string, State> };
  readonly Iterator?: { States: Record<string, State> };
  readonly Branches?: { States: Record<string, State> }[];
  readonly ItemReader?: { Resource: string; Parameters: Record<string, unknown> };
  readonly ResultWriter?: { Resource: string; Parameters: Record<string, unknown> };
}

/** Every state of a definition, nested ones (Map item processors, Parallel branches) included. */
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...allStates(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
  ]);
}

/** A `${placeholder}` of the definition's Fn::Sub, as the CloudFormation expression it stands for. */
function substituted(value: unknown, variables: Record<string, unknown>, where: string): unknown {
  const placeholder = typeof value === 'string' ? /^\$\{([^}]+)\}$/.exec(value)?.[1] : undefined;
  if (placeholder === undefined) return value;
  if (!(placeholder in variables)) throw new Error(`${where}: \${${placeholder}} is not substituted`);
  return variables[placeholder];
}

/** The logical id a `{Ref: X}` names. */
function refOf(value: unknown, where: string): string {
  const ref = (value as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref !== 'string')
    throw new Error(`${where}: expected {"Ref": <bucket>}, got ${JSON.stringify(value)}`);
  return ref;
}

/**
 * The grants the state machine needs. `itemsBucket` is the bucket the planner writes the items to (its
 * environment's SCAN_RESULTS_BUCKET): the ItemReader reads the bucket and key the planner returns.
 */
export function neededGrants(machine: CfnResource, itemsBucket: unknown): Grant[] {
  const properties = machine.Properties ?? {};
  const name = properties.StateMachineName;
  if (typeof name !== 'string') throw new Error('The state machine has no literal StateMachineName.');
  const [text, variables = {}] = (
    properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] }
  )['Fn::Sub'];
  const definition = JSON.parse(text) as { States: Record<string, State> };
  const arn = (kind: string, suffix: string) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:${kind}:${name}${suffix}`,
  });
  const underPrefix = (bucket: string, prefix: string) => ({ 'Fn::Sub': `\${${bucket}.Arn}/${prefix}*` });
  const grants = allStates(definition.States).flatMap(([stateName, state]): Grant[] => {
    const where = `state ${stateName}`;
    if (state.Type === 'Task') {
      const target = substituted(state.Resource, variables, where) as { 'Fn::GetAtt'?: [string, string] };
      if (target?.['Fn::GetAtt']?.[1] !== 'Arn')
        throw new Error(
          `${where}: no Lambda function, ${JSON.stringify(state.Resource)}: derive its needs here`,
        );
      return [grant('lambda:InvokeFunction', target)];
    }
    if (state.Type !== 'Map' || state.ItemProcessor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') return [];
    const children = [
      grant('states:StartExecution', arn('stateMachine', '')),
      grant('states:DescribeExecution', arn('execution', '/*')),
      grant('states:StopExecution', arn('execution', '/*')),
    ];
    const reader = state.ItemReader;
    if (reader !== undefined && reader.Resource !== 'arn:aws:states:::s3:getObject')
      throw new Error(`${where}: ItemReader ${reader.Resource}: derive its needs here`);
    // The planner returns the key it wrote (`Key.$`): its prefix is the planner's.
    const itemsPrefix = itemsKey('run', 'request').replace(/[^/]*$/, '');
    const reading =
      reader === undefined
        ? []
        : [grant('s3:GetObject', underPrefix(refOf(itemsBucket, 'planScan'), itemsPrefix))];
    const writer = state.ResultWriter;
    if (writer !== undefined && writer.Resource !== 'arn:aws:states:::s3:putObject')
      throw new Error(`${where}: ResultWriter ${writer.Resource}: derive its needs here`);
    const writing =
      writer === undefined
        ? []
        : RESULT_WRITER_ACTIONS.map((action) =>
            grant(
              action,
              underPrefix(
                refOf(substituted(writer.Parameters.Bucket, variables, where), where),
                `${String(writer.Parameters.Prefix)}/`,
              ),
            ),
          );
    return [...children, ...reading, ...writing];
  });
  const logging = properties.LoggingConfiguration as { Level?: string } | undefined;
  const logs =
    logging !== undefined && logging.Level !== 'OFF' ? LOG_DELIVERY_ACTIONS.map((a) => grant(a, '*')) : [];
  const tracing = (properties.TracingConfiguration as { Enabled?: boolean } | undefined)?.Enabled === true;
  return [
    ...new Set([...grants, ...logs, ...(tracing ? TRACING_ACTIONS.map((a) => grant(a, '*')) : [])]),
  ].sort();
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** What a role's inline policies allow, action by resource (a conditional grant counts as a grant). */
export function grantedGrants(role: CfnResource): Grant[] {
  const policies = toArray(
    role.Properties?.Policies as { PolicyDocument: { Statement: Statement | Statement[] } }[] | undefined,
  );
  return [
    ...new Set(
      policies
        .flatMap((policy) => toArray(policy.PolicyDocument.Statement))
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) =>
          toArray(statement.Action).flatMap((action) =>
            toArray(statement.Resource as unknown[]).map((resource) => grant(action, resource)),
          ),
        ),
    ),
  ].sort();
}
