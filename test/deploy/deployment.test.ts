/** The deployment generated from the check declarations: up to date, complete, and packaged by serverless. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { configRuleResources, inputParameters } from '../../deploy/config-rules.js';
import { generatedDeployment } from '../../deploy/generated.js';
import { type PackagedBundle, packageService } from '../../deploy/package-service.js';
import { CHECKS, permissionsOf } from '../../lib/checks/registry.js';
import { type Discovery, EKS_CHANGE_EVENTS, planScan } from '../../lib/orchestration/plan.js';
import { configRuleName, hasConfigRule } from '../../lib/publish/config-evaluations.js';
import { matchesPattern, sqsRecord, transformInput, transformPipeInput } from './event-transform.js';

const ROOT = new URL('../../', import.meta.url);

type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };

describe('deploy/generated.json', () => {
  it('is what `npm run generate` writes from the current check declarations', async () => {
    // Act
    const committed = JSON.parse(await readFile(new URL('deploy/generated.json', ROOT), 'utf8')) as unknown;
    // Assess
    expect(committed).toEqual(JSON.parse(JSON.stringify(generatedDeployment())));
  });

  it('grants every permission every check declares, and ListClusters, and nothing that writes', () => {
    // Act
    const { readPermissions } = generatedDeployment();
    // Assess
    for (const check of CHECKS) expect(readPermissions).toEqual(expect.arrayContaining(permissionsOf(check)));
    expect(readPermissions).toContain('eks:ListClusters');
    expect(readPermissions.filter((action) => !/:(Describe|List|Get|BatchGet)/.test(action))).toEqual([]);
  });
});

describe('configRuleResources', () => {
  const { Resources } = configRuleResources() as unknown as { Resources: Record<string, Resource> };
  const ofType = (type: string) => Object.values(Resources).filter((resource) => resource.Type === type);

  it('declares one account rule and one organization rule per check that reports on clusters', () => {
    // Act
    const accountRules = ofType('AWS::Config::ConfigRule');
    const organizationRules = ofType('AWS::Config::OrganizationConfigRule');
    // Assess
    const expected = CHECKS.filter(hasConfigRule).map(configRuleName).sort();
    expect(accountRules.map((rule) => rule.Properties.ConfigRuleName).sort()).toEqual(expected);
    expect(organizationRules.map((rule) => rule.Properties.OrganizationConfigRuleName).sort()).toEqual(
      expected,
    );
    expect(new Set(accountRules.map((rule) => rule.Condition))).toEqual(new Set(['AccountConfigRules']));
    expect(new Set(organizationRules.map((rule) => rule.Condition))).toEqual(
      new Set(['OrganizationConfigRules']),
    );
  });

  it('triggers each rule on changes, oversized changes and a schedule, scoped to EKS clusters', () => {
    // Act
    const [rule] = ofType('AWS::Config::ConfigRule');
    // Assess
    expect(rule?.Properties).toMatchObject({
      Scope: { ComplianceResourceTypes: ['AWS::EKS::Cluster'] },
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceDetails: [
          { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
          { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
          {
            EventSource: 'aws.config',
            MessageType: 'ScheduledNotification',
            MaximumExecutionFrequency: '${param:configRuleFrequency}',
          },
        ],
      },
    });
  });

  it('passes each check its parameters as strings its own parser accepts', () => {
    // Act
    const parameters = CHECKS.filter(hasConfigRule).map((check) => [check, inputParameters(check)] as const);
    // Assess
    for (const [check, given] of parameters) {
      const { checkId, ...rest } = given;
      expect(checkId).toBe(check.id);
      for (const [name, value] of Object.entries(rest)) {
        expect(check.parameters[name]?.parse(name, value)).toEqual(check.parameters[name]?.default);
      }
    }
  });

  it('lets only Config of this account (or of the organization, in organization mode) invoke the function', () => {
    // Act
    const permissions = ofType('AWS::Lambda::Permission');
    // Assess
    expect(permissions.map((permission) => [permission.Condition, permission.Properties])).toEqual([
      [
        'AccountConfigRules',
        expect.objectContaining({
          Principal: 'config.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
        }),
      ],
      [
        'OrganizationConfigRules',
        expect.objectContaining({
          Principal: 'config.amazonaws.com',
          SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:config:*:*:config-rule/*' },
        }),
      ],
    ]);
  });
});

describe('serverless package', () => {
  let template: { Resources: Record<string, Resource>; Conditions: Record<string, unknown> };
  let bundles: readonly PackagedBundle[];

  beforeAll(async () => {
    ({ template, bundles } = await packageService<typeof template>());
  }, 120_000);

  it('bundles every function as one .cjs holding the SDK schemas of the commands it sends, not the rest', () => {
    // Prepare: a schema each client's functions never use (see deploy/sdk-schema-keys.ts)
    const unused = [
      'UnlockSnapshotResult',
      'SendCommandRequest',
      'CreateClusterRequest',
      'CreateAutomationRuleV2Request',
      'PutConfigRuleRequest',
      'CreateFilterRequest',
      'CreateAutoScalingGroupType',
      'CreateAccountRequest',
    ];
    const scanCluster = bundles.find((bundle) => bundle.function === 'scanCluster');
    // Assess
    expect(bundles.map((bundle) => [bundle.function, bundle.file]).sort()).toEqual([
      ['configRule', 'functions/config-rule.cjs'],
      ['listClusters', 'functions/list-clusters.cjs'],
      ['listRegions', 'functions/list-regions.cjs'],
      ['planScan', 'functions/plan-scan.cjs'],
      ['reconcileTarget', 'functions/reconcile-target.cjs'],
      ['scanCluster', 'functions/scan-cluster.cjs'],
      ['summarize', 'functions/summarize.cjs'],
    ]);
    expect(scanCluster?.code.toString()).toContain('"DescribeSubnetsResult"');
    for (const bundle of bundles) {
      const code = bundle.code.toString();
      expect([bundle.function, unused.filter((name) => code.includes(`"${name}"`))]).toEqual([
        bundle.function,
        [],
      ]);
    }
  });

  it('reports errors by their class names from the minified bundles, as Step Functions will show them', async () => {
    // Prepare
    const summarize = bundles.find((bundle) => bundle.function === 'summarize');
    const work = await mkdtemp(join(tmpdir(), 'eks-scan-bundle-'));
    const file = join(work, 'summarize.cjs');
    await writeFile(file, summarize?.code ?? '');
    const invoke = [
      'const { handler } = require(process.argv[1]);',
      "const context = { functionName: 'summarize', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 60000 };",
      'handler({}, context).then(',
      "  () => process.stdout.write('\\nRESOLVED {}'),",
      "  (error) => process.stdout.write('\\nREJECTED ' + JSON.stringify({ name: error.name, message: error.message })),",
      ');',
    ].join('\n');
    // Act
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', invoke, file], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', NODE_NO_WARNINGS: '1' },
    }).finally(() => rm(work, { recursive: true, force: true }));
    // Assess
    const failure = JSON.parse(stdout.split('\nREJECTED ')[1] ?? '{}') as { name?: string; message?: string };
    expect(failure.name).toBe('InputError');
    expect(failure.message).toMatch(/^Invalid Summarize input/);
  });

  it('builds the Config rules and the rule function on nodejs22.x arm64, with its own role', () => {
    // Act
    const functions = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    // Assess
    expect(
      functions.map((fn) => [fn.Properties.Handler, fn.Properties.Runtime, fn.Properties.Architectures]),
    ).toContainEqual(['functions/config-rule.handler', 'nodejs22.x', ['arm64']]);
    expect(template.Conditions.OrganizationConfigRules).toEqual({ 'Fn::Equals': ['false', 'true'] });
    const rules = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Config::ConfigRule',
    );
    expect(rules).toHaveLength(CHECKS.filter(hasConfigRule).length);
    expect(rules[0]?.Properties.MaximumExecutionFrequency).toBe('TwentyFour_Hours');
    const ruleFunction = functions.find((fn) => fn.Properties.Handler === 'functions/config-rule.handler');
    expect(ruleFunction?.Properties.Role).toEqual({ 'Fn::GetAtt': ['ConfigRuleRole', 'Arn'] });
  });

  it('holds the state machine, its schedule, the on-demand, EKS-change and custom-action rules, and its alarms', () => {
    // Act
    const ofType = (type: string) =>
      Object.values(template.Resources).filter((resource) => resource.Type === type);
    const [machine] = ofType('AWS::StepFunctions::StateMachine');
    const definition = JSON.stringify(machine?.Properties.DefinitionString);
    const patterns = ofType('AWS::Events::Rule').map(
      (rule) => rule.Properties.EventPattern as Record<string, unknown> & { source?: string[] },
    );
    const [schedule] = ofType('AWS::Scheduler::Schedule');
    // Assess
    expect(definition).toContain('DISTRIBUTED');
    expect(definition).toContain('ResultWriter');
    expect(schedule?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
    const patternOf = (source: string) => patterns.find((pattern) => pattern.source?.[0] === source);
    expect(patterns.map((pattern) => pattern.source?.[0]).sort()).toEqual([
      'aws.eks',
      'aws.eks',
      'aws.securityhub',
      'eks-compliance-scanner',
    ]);
    expect(patternOf('eks-compliance-scanner')?.['detail-type']).toEqual(['Scan Requested']);
    // Only successful EKS calls, and through the debouncing queue, not straight to the state machine.
    for (const rule of ['EksChangeByNameRule', 'EksChangeByClusterNameRule']) {
      const { EventPattern, Targets } = (template.Resources[rule]?.Properties ?? {}) as {
        EventPattern: { detail: { eventName?: string[]; errorCode?: unknown } };
        Targets: unknown[];
      };
      expect(EventPattern.detail.eventName).toEqual([...EKS_CHANGE_EVENTS]);
      expect(EventPattern.detail.errorCode).toEqual([{ exists: false }]);
      expect(Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': ['EksChangeQueue', 'Arn'] } }),
      ]);
    }
    expect(template.Resources.EksChangeQueue?.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: true,
      DeduplicationScope: 'queue',
      DelaySeconds: 300,
    });
    expect(patternOf('aws.securityhub')?.resources).toEqual([
      { 'Fn::GetAtt': ['RescanClusterActionTarget', 'ActionTargetArn'] },
    ]);
    expect(
      ofType('AWS::CloudWatch::Alarm')
        .map((alarm) => alarm.Properties.MetricName)
        .sort(),
    ).toEqual([
      // The Config rule's failure queue (invocations that failed for good) and its function's errors.
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    expect(ofType('AWS::SecurityHub::Insight')).toHaveLength(3);
    const handlers = ofType('AWS::Lambda::Function').map((fn) => fn.Properties.Handler);
    expect(handlers.sort()).toEqual([
      'functions/config-rule.handler',
      'functions/list-clusters.handler',
      'functions/list-regions.handler',
      'functions/plan-scan.handler',
      'functions/reconcile-target.handler',
      'functions/scan-cluster.handler',
      'functions/summarize.handler',
    ]);
  });

  describe('the EKS change trigger, run on sample CloudTrail events', () => {
    type Target = {
      Arn: unknown;
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
    };
    const eksChangeRules = () =>
      Object.values(template.Resources)
        .filter((resource) => resource.Type === 'AWS::Events::Rule')
        .map((rule) => rule.Properties as { EventPattern: Record<string, unknown>; Targets: Target[] })
        .filter((rule) => (rule.EventPattern.source as string[] | undefined)?.includes('aws.eks'));
    /** The queue message bodies the rules send for a CloudTrail event: one per matching rule. */
    const messagesFor = (event: unknown) =>
      eksChangeRules()
        .filter((rule) => matchesPattern(rule.EventPattern, event))
        .flatMap((rule) => rule.Targets.map((target) => transformInput(target.InputTransformer, event)));
    const cloudTrail = async (name: string) =>
      JSON.parse(await readFile(new URL(`events/${name}`, ROOT), 'utf8')) as {
        detail: Record<string, unknown> & { requestParameters: Record<string, unknown> };
      };
    const withDetail = (event: { detail: Record<string, unknown> }, detail: Record<string, unknown>) => ({
      ...event,
      detail: { ...event.detail, ...detail },
    });

    it('gives two different changes to one cluster byte-identical messages, which the queue deduplicates', async () => {
      // Prepare
      const clusterConfig = await cloudTrail('cloudtrail-eks-update-cluster-config.json');
      const nodegroupConfig = await cloudTrail('cloudtrail-eks-update-nodegroup-config.json');
      // Act
      const messages = [...messagesFor(clusterConfig), ...messagesFor(nodegroupConfig)];
      // Assess
      expect(messages).toEqual([
        '{"account":"222222222222","region":"eu-west-1","cluster":"payments-ledger"}',
        '{"account":"222222222222","region":"eu-west-1","cluster":"payments-ledger"}',
      ]);
    });

    it.each(
      EKS_CHANGE_EVENTS.flatMap((eventName) =>
        ['name', 'clusterName'].map((field) => [eventName, field] as const),
      ),
    )('sends one message naming the cluster for %s with requestParameters.%s', async (eventName, field) => {
      // Prepare
      const event = withDetail(await cloudTrail('cloudtrail-eks-update-nodegroup-config.json'), {
        eventName,
        requestParameters: { [field]: 'analytics-spark', nodegroupName: 'spark-workers' },
      });
      // Act
      const messages = messagesFor(event);
      // Assess
      expect(messages).toEqual([
        '{"account":"222222222222","region":"eu-west-1","cluster":"analytics-spark"}',
      ]);
    });

    it('sends nothing for a failed call, an operation it does not watch, or an event naming no cluster', async () => {
      // Prepare
      const sample = await cloudTrail('cloudtrail-eks-update-nodegroup-config.json');
      const failed = withDetail(sample, { errorCode: 'InvalidParameterException' });
      const unwatched = withDetail(sample, { eventName: 'CreateAddon' });
      const nameless = withDetail(sample, { requestParameters: { nodegroupName: 'ledger-workers' } });
      // Act
      const messages = [failed, unwatched, nameless].map(messagesFor);
      // Assess
      expect(messages).toEqual([[], [], []]);
    });

    it('starts the state machine with the message as an object, which plans a scan of that cluster', async () => {
      // Prepare
      const pipe = template.Resources.EksChangePipe?.Properties as {
        Target: unknown;
        TargetParameters: { InputTemplate: string };
      };
      const [message = ''] = messagesFor(await cloudTrail('cloudtrail-eks-update-cluster-config.json'));
      const discovery: Discovery = { accounts: async () => ['222222222222'] };
      // Act
      const input = JSON.parse(transformPipeInput(pipe.TargetParameters.InputTemplate, sqsRecord(message)));
      const plan = await planScan(input, discovery, new Date('2026-11-22T12:05:00Z'));
      // Assess
      expect(pipe.Target).toEqual({ Ref: 'ScanStateMachine' });
      expect(input).toEqual(JSON.parse(await readFile(new URL('events/scan-eks-change.json', ROOT), 'utf8')));
      expect(plan).toEqual({
        run: { scannedAt: '2026-11-22T12:05:00.000Z', trigger: 'eks-change' },
        accounts: [{ accountId: '222222222222', regions: ['eu-west-1'], clusters: ['payments-ledger'] }],
        refused: [],
      });
    });

    it('would have delivered a bare <$.body> to Step Functions without its quotes', () => {
      // Act
      const bare = () => transformPipeInput('<$.body>', sqsRecord('{"cluster":"payments-ledger"}'));
      // Assess
      expect(bare).toThrow('quotes removed');
    });
  });

  it('gives the function the generated read permissions plus only the Config writes', () => {
    // Act
    const role = template.Resources.ConfigRuleRole as unknown as {
      Properties: { Policies: { PolicyDocument: { Statement: { Action: string | string[] }[] } }[] };
    };
    const actions = role.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement).flatMap(
      (statement) => statement.Action,
    );
    // Assess
    expect(actions).toEqual(expect.arrayContaining(generatedDeployment().configRuleReadPermissions));
    const writes = actions.filter((action) => !/:(Describe|List|Get|BatchGet)/.test(action));
    // Besides its own logs, the function writes only Config evaluations (and its failure destination).
    expect(writes.filter((action) => !action.startsWith('logs:')).sort()).toEqual([
      'config:PutEvaluations',
      'sqs:SendMessage',
      'sts:AssumeRole',
    ]);
  });
});
