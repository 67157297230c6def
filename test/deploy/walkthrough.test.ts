/**
 * docs/deploy.md names only what exists: every stage parameter in serverless.yml `params.default`,
 * every stack output in the template (serverless.yml `resources` Outputs, plus the state machine ARN
 * output serverless-step-functions adds), every member role parameter in resources/member-role.yml;
 * and its scan request is one the planner accepts, on the bus the stack creates.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import { ON_DEMAND_DETAIL_TYPE, ON_DEMAND_SOURCE, planScan } from '../../lib/orchestration/plan.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STAGE = 'prod';

interface ServerlessConfig {
  readonly service: string;
  readonly params: { readonly default: Record<string, unknown> };
  readonly stepFunctions: {
    readonly noOutput?: boolean;
    readonly stateMachines: Record<string, { readonly id?: string }>;
  };
  readonly resources: readonly (
    | string
    | {
        readonly Resources?: Record<string, { readonly Type?: string; readonly Properties?: unknown }>;
        readonly Outputs?: Record<string, { readonly Value?: unknown }>;
      }
  )[];
}
interface MemberRoleTemplate {
  readonly Parameters: Record<string, { readonly Default?: unknown }>;
}

/** What the walkthrough may name, from the templates. */
interface Known {
  readonly params: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
  readonly parameterKeys: ReadonlySet<string>;
}

const matches = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match[1] ?? '');
const shellBlocks = (doc: string) => matches(doc, /```sh\n([\s\S]*?)```/g).join('\n');

/** The names the walkthrough's commands use, by kind. */
function namesIn(doc: string) {
  const shell = shellBlocks(doc);
  return {
    params: matches(shell, /--param[= ]"?([A-Za-z]\w*)=/g),
    outputs: [
      ...matches(shell, /(?<!-)\boutput ([A-Za-z]\w*)/g),
      ...matches(shell, /OutputKey==\\?'([A-Za-z]\w*)'/g),
    ].filter((name) => name !== '$1'),
    parameterKeys: [
      ...matches(shell, /"ParameterKey":\s*"(\w+)"/g),
      ...matches(shell, /ParameterKey=(\w+)/g),
    ],
  };
}

/** The names the walkthrough uses that the templates do not define. */
function unknownNames(doc: string, known: Known) {
  const names = namesIn(doc);
  return {
    params: names.params.filter((name) => !known.params.has(name)),
    outputs: names.outputs.filter((name) => !known.outputs.has(name)),
    parameterKeys: names.parameterKeys.filter((name) => !known.parameterKeys.has(name)),
  };
}

const resourceBlocks = (config: ServerlessConfig) =>
  config.resources.filter((block): block is Exclude<typeof block, string> => typeof block !== 'string');

/** serverless-step-functions outputs `<id>Arn` for each state machine with an id (its naming.js). */
function stateMachineOutputs(config: ServerlessConfig): string[] {
  if (config.stepFunctions.noOutput === true) return [];
  return Object.values(config.stepFunctions.stateMachines).flatMap((machine) =>
    machine.id === undefined ? [] : [`${machine.id}Arn`],
  );
}

/** `${self:service}` and `${sls:stage}` resolved, as serverless does for this stage. */
const resolveNames = (text: string, config: ServerlessConfig) =>
  text.replaceAll('${self:service}', config.service).replaceAll('${sls:stage}', STAGE);

describe('the deploy walkthrough (docs/deploy.md)', () => {
  let doc: string;
  let config: ServerlessConfig;
  let known: Known;
  let memberRole: MemberRoleTemplate;

  beforeAll(async () => {
    const [docText, serverlessText, memberRoleText] = await Promise.all([
      readFile(join(ROOT, 'docs/deploy.md'), 'utf8'),
      readFile(join(ROOT, 'serverless.yml'), 'utf8'),
      readFile(join(ROOT, 'resources/member-role.yml'), 'utf8'),
    ]);
    doc = docText;
    config = load(serverlessText) as ServerlessConfig;
    memberRole = load(memberRoleText) as MemberRoleTemplate;
    known = {
      params: new Set(Object.keys(config.params.default)),
      outputs: new Set([
        ...resourceBlocks(config).flatMap((block) => Object.keys(block.Outputs ?? {})),
        ...stateMachineOutputs(config),
      ]),
      parameterKeys: new Set(Object.keys(memberRole.Parameters)),
    };
  });

  it('names only stage parameters, stack outputs and member role parameters that exist', () => {
    // Act
    const names = namesIn(doc);
    const unknown = unknownNames(doc, known);

    // Assess
    expect(unknown).toEqual({ params: [], outputs: [], parameterKeys: [] });
    expect(names.params).toEqual(
      expect.arrayContaining(['organizationId', 'scanRequesters', 'memberRoleName', 'regions']),
    );
    expect(names.outputs).toEqual(
      expect.arrayContaining([
        'MemberRoleTrustedArns',
        'MemberRoleName',
        'ScanRequestBusName',
        'ScanStateMachineArn',
        'ScanAlarmTopicArn',
        'ScanResultsBucketName',
      ]),
    );
  });

  it('passes every member role parameter, the required ones above all', () => {
    // Prepare
    const required = Object.entries(memberRole.Parameters)
      .filter(([, parameter]) => parameter.Default === undefined)
      .map(([name]) => name);

    // Act
    const passed = new Set(namesIn(doc).parameterKeys);

    // Assess
    expect(required).toEqual(expect.arrayContaining(['ScannerRoleArn', 'OrganizationId']));
    expect([...passed].sort()).toEqual(Object.keys(memberRole.Parameters).sort());
  });

  it('reports every name that does not exist, by kind', () => {
    // Prepare: misspellings of real names
    const fragment = [
      '```sh',
      'npx serverless deploy --param="organisationId=o-exampleorgid" --param="accounts=111122223333"',
      'output ScanRequestBus',
      'aws cloudformation describe-stacks --query "Stacks[0].Outputs[?OutputKey==\'ScanAlarmTopic\'].OutputValue"',
      '  { "ParameterKey": "ScannerRoleArns", "ParameterValue": "arn:aws:iam::111122223333:role/x" },',
      '  --parameter-overrides ParameterKey=RoleName,ParameterValue=x ParameterKey=Suppression,ParameterValue=x',
      '```',
    ].join('\n');

    // Act
    const unknown = unknownNames(fragment, known);

    // Assess
    expect(unknown).toEqual({
      params: ['organisationId'],
      outputs: ['ScanRequestBus', 'ScanAlarmTopic'],
      parameterKeys: ['ScannerRoleArns', 'Suppression'],
    });
  });

  it('has the member role trust exactly the roles that assume it', () => {
    // Prepare: the roles whose policy carries the member-role AssumeRole statement
    const resources = Object.assign({}, ...resourceBlocks(config).map((block) => block.Resources ?? {}));
    const assumers = Object.entries(resources as Record<string, { Type?: string; Properties?: unknown }>)
      .filter(
        ([, resource]) =>
          resource.Type === 'AWS::IAM::Role' &&
          JSON.stringify(resource.Properties).includes('stage-params.cjs):assumeMemberRole'),
      )
      .map(([name]) => name);
    const trusted = resourceBlocks(config).find((block) => block.Outputs?.MemberRoleTrustedArns)?.Outputs
      ?.MemberRoleTrustedArns?.Value as { 'Fn::Join': [string, { 'Fn::GetAtt': [string, string] }[]] };

    // Act
    const [separator, parts] = trusted['Fn::Join'];
    const trustedRoles = parts.map((part) => part['Fn::GetAtt']);

    // Assess
    expect(separator).toBe(',');
    expect(assumers.length).toBeGreaterThan(0);
    expect(trustedRoles.map(([name]) => name).sort()).toEqual([...assumers].sort());
    expect(trustedRoles.every(([, attribute]) => attribute === 'Arn')).toBe(true);
  });

  it('sends a scan request the planner accepts, with the source and detail-type it reads, on the bus the stack creates', async () => {
    // Prepare
    const requestFile = /cat > scan-request\.json <<'EOF'\n([\s\S]*?)\nEOF/.exec(doc)?.[1];
    expect(requestFile).toBeDefined();
    const [entry] = JSON.parse(requestFile ?? '[]') as {
      EventBusName: string;
      Source: string;
      DetailType: string;
      Detail: string;
    }[];
    const bus = resourceBlocks(config).find((block) => block.Resources?.ScanRequestBus)?.Resources
      ?.ScanRequestBus?.Properties as { Name: string };
    // The organization: the account the request names is a member.
    const discovery = { accounts: async () => ['111122223333', '444455556666'] };

    // Act
    const plan = await planScan(
      { source: entry?.Source, 'detail-type': entry?.DetailType, detail: JSON.parse(entry?.Detail ?? '{}') },
      discovery,
      new Date('2025-01-01T00:00:00Z'),
    );

    // Assess
    expect(entry?.Source).toBe(ON_DEMAND_SOURCE);
    expect(entry?.DetailType).toBe(ON_DEMAND_DETAIL_TYPE);
    expect(entry?.EventBusName).toBe(resolveNames(bus.Name, config));
    expect(plan.run).toEqual(
      expect.objectContaining({ trigger: 'on-demand', checks: ['eks_nodegroup_private_subnets'] }),
    );
    expect(plan.accounts).toEqual([
      { accountId: '444455556666', regions: ['eu-west-1'], clusters: ['payments'] },
    ]);
    expect(plan.refused).toEqual([]);
    expect(doc).toContain(`source \`${ON_DEMAND_SOURCE}\` and detail-type \`${ON_DEMAND_DETAIL_TYPE}\``);
  });

  it('names the stack serverless deploys for the stage', () => {
    // Act
    const stack = /^STACK=(\S+)$/m.exec(shellBlocks(doc))?.[1];

    // Assess
    expect(stack).toBe(`${config.service}-${STAGE}`);
  });
});
