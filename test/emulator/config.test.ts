/** AWS Config in the emulator, driven by the real SDK client: evaluations written and read back, EKS history. */
import {
  ConfigServiceClient,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  InvalidParameterValueException,
  InvalidResultTokenException,
  NoAvailableConfigurationRecorderException,
  PutEvaluationsCommand,
  ResourceNotDiscoveredException,
  ValidationException,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseEstate } from '../../emulator/estate.js';
import { recordedClusterConfiguration, resultTokenFor, ruleNameOf } from '../../emulator/services/config.js';
import { type RunningTestEmulator, useEmulator } from '../support/emulator.js';

const HOME = '111111111111';
const MEMBER = '222222222222';
const REGION = 'eu-west-1';
const CONFIG_DISABLED_REGION = 'us-east-1';
const RULE = 'eks-compliance-scanner-eks_cluster_endpoint_not_public';
const T0 = new Date('2026-11-20T10:00:00.000Z');
const T1 = new Date('2026-11-21T10:00:00.000Z');

const ALPHA = {
  name: 'alpha',
  arn: `arn:aws:eks:${REGION}:${HOME}:cluster/alpha`,
  createdAt: '2026-01-15T08:30:00.000Z',
  version: '1.33',
  roleArn: `arn:aws:iam::${HOME}:role/eks-cluster`,
  endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
  status: 'ACTIVE',
  resourcesVpcConfig: {
    subnetIds: ['subnet-a', 'subnet-b'],
    securityGroupIds: ['sg-1'],
    clusterSecurityGroupId: 'sg-cluster',
    vpcId: 'vpc-1',
    endpointPublicAccess: true,
    endpointPrivateAccess: false,
    publicAccessCidrs: ['0.0.0.0/0'],
  },
  logging: {
    clusterLogging: [
      { types: ['api', 'audit'], enabled: true },
      { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
    ],
  },
  encryptionConfig: [
    { resources: ['secrets'], provider: { keyArn: `arn:aws:kms:${REGION}:${HOME}:key/1234` } },
  ],
  accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
  tags: { team: 'payments' },
};

/** Config records in eu-west-1 for both accounts, and is off in us-east-1. */
function estate() {
  const regions = {
    [REGION]: { clusters: [{ cluster: ALPHA }] },
    [CONFIG_DISABLED_REGION]: {
      clusters: [{ cluster: { ...ALPHA, arn: 'arn:aws:eks:us-east-1:111111111111:cluster/alpha' } }],
      config: { enabled: false },
    },
  };
  return parseEstate({
    estateVersion: 1,
    accounts: [
      { accountId: HOME, regions },
      {
        accountId: MEMBER,
        regions: {
          [REGION]: {
            clusters: [
              {
                cluster: {
                  ...ALPHA,
                  name: 'member-cluster',
                  arn: `arn:aws:eks:${REGION}:${MEMBER}:cluster/member-cluster`,
                },
              },
            ],
          },
        },
      },
    ],
  });
}

type Running = RunningTestEmulator;

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

function configClient(running: Running, region = REGION, credentials: Credentials = running.credentials) {
  return new ConfigServiceClient({ region, endpoint: running.endpoint, credentials, maxAttempts: 1 });
}

const anEvaluation = (resourceId: string, overrides: Partial<Evaluation> = {}): Evaluation => ({
  ComplianceResourceType: 'AWS::EKS::Cluster',
  ComplianceResourceId: resourceId,
  ComplianceType: 'NON_COMPLIANT',
  Annotation: `Cluster ${resourceId} has a public endpoint open to 0.0.0.0/0.`,
  OrderingTimestamp: T0,
  ...overrides,
});

async function resultsOf(client: ConfigServiceClient, ruleName = RULE) {
  const response = await client.send(
    new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: ruleName, Limit: 100 }),
  );
  return response.EvaluationResults ?? [];
}

describe('ResultToken convention', () => {
  it('round-trips a rule name through resultTokenFor and ruleNameOf', () => {
    // Prepare
    const token = resultTokenFor(RULE);

    // Act
    const ruleName = ruleNameOf(token);

    // Assess
    expect(ruleName).toBe(RULE);
    expect(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toEqual({ configRuleName: RULE });
  });

  it.each([
    ['an opaque AWS-like token', 'eyJlbmNyeXB0ZWQiOnRydWV9Cg==x'],
    ['JSON without configRuleName', Buffer.from('{"other":1}').toString('base64url')],
    ['plain text', 'token-from-elsewhere'],
  ])('names %s unknown-rule', (_, token) => {
    // Prepare
    const foreignToken = token;

    // Act
    const ruleName = ruleNameOf(foreignToken);

    // Assess
    expect(ruleName).toBe('unknown-rule');
  });
});

describe('Config PutEvaluations and GetComplianceDetailsByConfigRule', () => {
  const running = useEmulator(() => ({ estate: estate() }));
  let config: ConfigServiceClient;

  beforeAll(() => {
    config = configClient(running());
  });

  it('stores evaluations under the rule the token names, readable by API and in /_emulator/state', async () => {
    // Prepare
    const evaluations = [
      anEvaluation('alpha'),
      anEvaluation('beta', { ComplianceType: 'COMPLIANT', Annotation: undefined }),
    ];

    // Act
    const response = await config.send(
      new PutEvaluationsCommand({ Evaluations: evaluations, ResultToken: resultTokenFor(RULE) }),
    );
    const results = await resultsOf(config);
    const state = (await (await fetch(`${running().endpoint}/_emulator/state`)).json()) as {
      config: Record<string, Record<string, Record<string, unknown>[]>>;
    };

    // Assess
    expect(response.FailedEvaluations).toEqual([]);
    expect(results).toEqual([
      {
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: {
            ConfigRuleName: RULE,
            ResourceType: 'AWS::EKS::Cluster',
            ResourceId: 'alpha',
          },
          OrderingTimestamp: T0,
        },
        ComplianceType: 'NON_COMPLIANT',
        ResultRecordedTime: expect.any(Date),
        ConfigRuleInvokedTime: expect.any(Date),
        Annotation: 'Cluster alpha has a public endpoint open to 0.0.0.0/0.',
      },
      expect.objectContaining({ ComplianceType: 'COMPLIANT' }),
    ]);
    expect(results[1]?.Annotation).toBeUndefined();
    expect(state.config[HOME]?.[REGION]).toEqual([
      expect.objectContaining({
        ConfigRuleName: RULE,
        ComplianceResourceType: 'AWS::EKS::Cluster',
        ComplianceResourceId: 'alpha',
        ComplianceType: 'NON_COMPLIANT',
        OrderingTimestamp: T0.toISOString(),
      }),
      expect.objectContaining({ ComplianceResourceId: 'beta', ComplianceType: 'COMPLIANT' }),
    ]);
  });

  it('filters results by ComplianceTypes and by rule, and pages them with Limit', async () => {
    // Prepare
    await config.send(
      new PutEvaluationsCommand({
        Evaluations: [
          anEvaluation('a'),
          anEvaluation('b', { ComplianceType: 'COMPLIANT' }),
          anEvaluation('c'),
          anEvaluation('d', { ComplianceType: 'NOT_APPLICABLE' }),
        ],
        ResultToken: resultTokenFor(RULE),
      }),
    );
    await config.send(
      new PutEvaluationsCommand({
        Evaluations: [anEvaluation('a')],
        ResultToken: resultTokenFor('other-rule'),
      }),
    );

    // Act
    const nonCompliant = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: RULE,
        ComplianceTypes: ['NON_COMPLIANT'],
      }),
    );
    const first = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: RULE, Limit: 3 }),
    );
    const second = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: RULE,
        Limit: 3,
        NextToken: first.NextToken,
      }),
    );
    const otherRule = await resultsOf(config, 'other-rule');
    const unknownRule = await resultsOf(config, 'never-evaluated');

    // Assess
    const resourceIds = (results: typeof otherRule | undefined) =>
      (results ?? []).map(
        (result) => result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId,
      );
    expect(resourceIds(nonCompliant.EvaluationResults)).toEqual(['a', 'c']);
    expect(resourceIds(first.EvaluationResults)).toEqual(['a', 'b', 'c']);
    expect(resourceIds(second.EvaluationResults)).toEqual(['d']);
    expect(second.NextToken).toBeUndefined();
    expect(resourceIds(otherRule)).toEqual(['a']);
    expect(unknownRule).toEqual([]);
  });

  it('rejects 101 evaluations with ValidationException and stores none', async () => {
    // Prepare
    const evaluations = Array.from({ length: 101 }, (_, index) => anEvaluation(`cluster-${index}`));

    // Act
    const call = config.send(
      new PutEvaluationsCommand({ Evaluations: evaluations, ResultToken: resultTokenFor(RULE) }),
    );

    // Assess
    await expect(call).rejects.toBeInstanceOf(ValidationException);
    await expect(call).rejects.toMatchObject({
      message: expect.stringContaining("at 'evaluations' failed to satisfy constraint"),
    });
    expect(await resultsOf(config)).toEqual([]);
  });

  it('accepts exactly 100 evaluations', async () => {
    // Prepare
    const evaluations = Array.from({ length: 100 }, (_, index) => anEvaluation(`cluster-${index}`));

    // Act
    await config.send(
      new PutEvaluationsCommand({ Evaluations: evaluations, ResultToken: resultTokenFor(RULE) }),
    );

    // Assess
    expect(await resultsOf(config)).toHaveLength(100);
  });

  it('rejects INSUFFICIENT_DATA with InvalidParameterValueException and stores none of the call', async () => {
    // Prepare
    const evaluations = [
      anEvaluation('alpha'),
      anEvaluation('beta', { ComplianceType: 'INSUFFICIENT_DATA' }),
    ];

    // Act
    const call = config.send(
      new PutEvaluationsCommand({ Evaluations: evaluations, ResultToken: resultTokenFor(RULE) }),
    );

    // Assess
    await expect(call).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(call).rejects.toMatchObject({ message: expect.stringContaining('INSUFFICIENT_DATA') });
    expect(await resultsOf(config)).toEqual([]);
  });

  it.each([
    ['an Annotation of 257 characters', { Annotation: 'x'.repeat(257) }, 'evaluations.1.member.annotation'],
    ['an empty Annotation', { Annotation: '' }, 'evaluations.1.member.annotation'],
    ['no OrderingTimestamp', { OrderingTimestamp: undefined }, 'evaluations.1.member.orderingTimestamp'],
    [
      'no ComplianceResourceId',
      { ComplianceResourceId: undefined },
      'evaluations.1.member.complianceResourceId',
    ],
    ['an unknown ComplianceType', { ComplianceType: 'BROKEN' }, 'evaluations.1.member.complianceType'],
  ] as [string, Partial<Evaluation>, string][])(
    'rejects %s with ValidationException naming the member',
    async (_, change, member) => {
      // Prepare
      const evaluation = anEvaluation('alpha', change);

      // Act
      const call = config.send(
        new PutEvaluationsCommand({ Evaluations: [evaluation], ResultToken: resultTokenFor(RULE) }),
      );

      // Assess
      await expect(call).rejects.toBeInstanceOf(ValidationException);
      await expect(call).rejects.toMatchObject({ message: expect.stringContaining(member) });
    },
  );

  it('accepts an Annotation of exactly 256 characters', async () => {
    // Prepare
    const evaluation = anEvaluation('alpha', { Annotation: 'x'.repeat(256) });

    // Act
    await config.send(
      new PutEvaluationsCommand({ Evaluations: [evaluation], ResultToken: resultTokenFor(RULE) }),
    );

    // Assess
    expect((await resultsOf(config))[0]?.Annotation).toHaveLength(256);
  });

  it('validates in TestMode but stores nothing', async () => {
    // Prepare
    const evaluations = [anEvaluation('alpha')];

    // Act
    const response = await config.send(
      new PutEvaluationsCommand({
        Evaluations: evaluations,
        ResultToken: resultTokenFor(RULE),
        TestMode: true,
      }),
    );
    const invalid = config.send(
      new PutEvaluationsCommand({
        Evaluations: [anEvaluation('alpha', { ComplianceType: 'INSUFFICIENT_DATA' })],
        ResultToken: resultTokenFor(RULE),
        TestMode: true,
      }),
    );

    // Assess
    expect(response.FailedEvaluations).toEqual([]);
    await expect(invalid).rejects.toBeInstanceOf(InvalidParameterValueException);
    expect(await resultsOf(config)).toEqual([]);
  });

  it('keeps a stored evaluation when an older one arrives, and replaces it with an equal or later one', async () => {
    // Prepare
    const token = resultTokenFor(RULE);
    await config.send(
      new PutEvaluationsCommand({
        Evaluations: [anEvaluation('alpha', { OrderingTimestamp: T1 })],
        ResultToken: token,
      }),
    );

    // Act
    await config.send(
      new PutEvaluationsCommand({
        Evaluations: [anEvaluation('alpha', { OrderingTimestamp: T0, ComplianceType: 'COMPLIANT' })],
        ResultToken: token,
      }),
    );
    const afterOlder = await resultsOf(config);
    await config.send(
      new PutEvaluationsCommand({
        Evaluations: [
          anEvaluation('alpha', {
            OrderingTimestamp: T1,
            ComplianceType: 'NOT_APPLICABLE',
            Annotation: 'Cluster deleted.',
          }),
        ],
        ResultToken: token,
      }),
    );
    const afterEqual = await resultsOf(config);

    // Assess
    expect(afterOlder).toEqual([expect.objectContaining({ ComplianceType: 'NON_COMPLIANT' })]);
    expect(afterOlder[0]?.EvaluationResultIdentifier?.OrderingTimestamp).toEqual(T1);
    expect(afterEqual).toEqual([
      expect.objectContaining({ ComplianceType: 'NOT_APPLICABLE', Annotation: 'Cluster deleted.' }),
    ]);
  });

  it.each([
    ['a missing', undefined],
    ['an empty', ''],
  ])('rejects %s ResultToken with InvalidResultTokenException', async (_, token) => {
    // Prepare
    const command = new PutEvaluationsCommand({
      Evaluations: [anEvaluation('alpha')],
      ResultToken: token as string,
    });

    // Act
    const call = config.send(command);

    // Assess
    await expect(call).rejects.toBeInstanceOf(InvalidResultTokenException);
    expect(await resultsOf(config, 'unknown-rule')).toEqual([]);
  });

  it('stores evaluations sent with a token it did not issue under unknown-rule', async () => {
    // Prepare
    const token = 'opaque-token-from-a-real-invocation';

    // Act
    await config.send(
      new PutEvaluationsCommand({ Evaluations: [anEvaluation('alpha')], ResultToken: token }),
    );

    // Assess
    expect(await resultsOf(config, 'unknown-rule')).toHaveLength(1);
    expect(await resultsOf(config)).toEqual([]);
  });

  it('rejects evaluations where Config is not recording with NoAvailableConfigurationRecorderException', async () => {
    // Prepare
    const disabled = configClient(running(), CONFIG_DISABLED_REGION);
    const unlisted = configClient(running(), 'ap-south-1');

    // Act
    const calls = [disabled, unlisted].map((client) =>
      client.send(
        new PutEvaluationsCommand({
          Evaluations: [anEvaluation('alpha')],
          ResultToken: resultTokenFor(RULE),
        }),
      ),
    );

    // Assess
    for (const call of calls)
      await expect(call).rejects.toBeInstanceOf(NoAvailableConfigurationRecorderException);
    expect(await resultsOf(disabled)).toEqual([]);
  });

  it.each([
    ['a Limit of 101', { Limit: 101 }, ValidationException],
    [
      'an INSUFFICIENT_DATA filter',
      { ComplianceTypes: ['INSUFFICIENT_DATA'] },
      InvalidParameterValueException,
    ],
    ['an unknown ComplianceType filter', { ComplianceTypes: ['BROKEN'] }, ValidationException],
  ] as const)('rejects GetComplianceDetailsByConfigRule with %s', async (_, change, exception) => {
    // Prepare
    const command = new GetComplianceDetailsByConfigRuleCommand({
      ConfigRuleName: RULE,
      ...(change as Record<string, unknown>),
    });

    // Act
    const call = config.send(command);

    // Assess
    await expect(call).rejects.toBeInstanceOf(exception);
  });

  it('keeps evaluations of each account apart', async () => {
    // Prepare
    const sts = new STSClient({
      region: REGION,
      endpoint: running().endpoint,
      credentials: running().credentials,
    });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/eks-scan`, RoleSessionName: 'test' }),
    );
    const member = configClient(running(), REGION, {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    });

    // Act
    await member.send(
      new PutEvaluationsCommand({
        Evaluations: [anEvaluation('member-cluster')],
        ResultToken: resultTokenFor(RULE),
      }),
    );
    const seenByMember = await resultsOf(member);
    const seenByHome = await resultsOf(config);

    // Assess
    expect(
      seenByMember.map((result) => result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId),
    ).toEqual(['member-cluster']);
    expect(seenByHome).toEqual([]);
  });
});

describe('Config GetResourceConfigHistory', () => {
  const running = useEmulator(() => ({ estate: estate() }));
  let config: ConfigServiceClient;

  beforeAll(() => {
    config = configClient(running());
  });

  it('returns the cluster as one configuration item with its configuration in CloudFormation PascalCase', async () => {
    // Prepare
    const input = { resourceType: 'AWS::EKS::Cluster' as const, resourceId: 'alpha', limit: 1 };

    // Act
    const response = await config.send(new GetResourceConfigHistoryCommand(input));
    const [item] = response.configurationItems ?? [];

    // Assess
    expect(response.configurationItems).toHaveLength(1);
    expect(item).toMatchObject({
      version: '1.3',
      accountId: HOME,
      configurationItemCaptureTime: new Date(ALPHA.createdAt),
      configurationItemStatus: 'OK',
      configurationStateId: expect.any(String),
      configurationItemMD5Hash: '',
      arn: ALPHA.arn,
      resourceType: 'AWS::EKS::Cluster',
      resourceId: 'alpha',
      resourceName: 'alpha',
      awsRegion: REGION,
      availabilityZone: 'Regional',
      tags: { team: 'payments' },
      supplementaryConfiguration: {},
    });
    expect(JSON.parse(item?.configuration ?? '{}')).toEqual({
      Name: 'alpha',
      Arn: ALPHA.arn,
      Version: '1.33',
      RoleArn: ALPHA.roleArn,
      Endpoint: ALPHA.endpoint,
      ResourcesVpcConfig: {
        SubnetIds: ['subnet-a', 'subnet-b'],
        SecurityGroupIds: ['sg-1'],
        EndpointPublicAccess: true,
        EndpointPrivateAccess: false,
        PublicAccessCidrs: ['0.0.0.0/0'],
      },
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }] } },
      EncryptionConfig: [
        { Resources: ['secrets'], Provider: { KeyArn: `arn:aws:kms:${REGION}:${HOME}:key/1234` } },
      ],
      AccessConfig: { AuthenticationMode: 'API_AND_CONFIG_MAP' },
    });
  });

  it('leaves out what the cluster does not have instead of defaulting it', () => {
    // Prepare
    const bare = { name: 'bare', version: '1.32' };

    // Act
    const recorded = JSON.parse(JSON.stringify(recordedClusterConfiguration(bare)));

    // Assess
    expect(recorded).toEqual({ Name: 'bare', Version: '1.32' });
  });

  it('records no enabled log types when every log type is disabled', () => {
    // Prepare
    const cluster = {
      name: 'quiet',
      logging: { clusterLogging: [{ types: ['api' as const], enabled: false }] },
    };

    // Act
    const recorded = recordedClusterConfiguration(cluster);

    // Assess
    expect(recorded.Logging).toEqual({ ClusterLogging: { EnabledTypes: [] } });
  });

  it.each([
    ['an unknown cluster', { resourceType: 'AWS::EKS::Cluster', resourceId: 'missing' }],
    ['a cluster of another account', { resourceType: 'AWS::EKS::Cluster', resourceId: 'member-cluster' }],
    [
      'a node group, which Config does not record',
      { resourceType: 'AWS::EKS::Nodegroup', resourceId: 'alpha/workers' },
    ],
  ] as const)('rejects %s with ResourceNotDiscoveredException', async (_, input) => {
    // Prepare
    const command = new GetResourceConfigHistoryCommand(
      input as ConstructorParameters<typeof GetResourceConfigHistoryCommand>[0],
    );

    // Act
    const call = config.send(command);

    // Assess
    await expect(call).rejects.toBeInstanceOf(ResourceNotDiscoveredException);
    await expect(call).rejects.toMatchObject({ message: expect.stringContaining(input.resourceId) });
  });

  it('rejects a history request where Config is not recording with NoAvailableConfigurationRecorderException', async () => {
    // Prepare
    const disabled = configClient(running(), CONFIG_DISABLED_REGION);

    // Act
    const call = disabled.send(
      new GetResourceConfigHistoryCommand({ resourceType: 'AWS::EKS::Cluster', resourceId: 'alpha' }),
    );

    // Assess
    await expect(call).rejects.toBeInstanceOf(NoAvailableConfigurationRecorderException);
  });

  it('returns no item when the time window excludes the capture time', async () => {
    // Prepare
    const before = new Date('2026-01-01T00:00:00.000Z');

    // Act
    const response = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::EKS::Cluster',
        resourceId: 'alpha',
        laterTime: before,
      }),
    );

    // Assess
    expect(response.configurationItems).toEqual([]);
  });
});
