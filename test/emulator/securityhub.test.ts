/** Security Hub in the emulator, driven by the real SDK client: import rules, filters, paging, updates, isolation. */
import {
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type GetFindingsCommandInput,
  InvalidAccessException,
  InvalidInputException,
  paginateGetFindings,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseEstate } from '../../emulator/estate.js';
import { startEmulator } from '../../emulator/server.js';
import { type RunningTestEmulator, useEmulator } from '../support/emulator.js';

const HOME = '111111111111';
const MEMBER = '222222222222';
const REGION = 'eu-west-1';
const OTHER_REGION = 'eu-west-2';
const HUB_DISABLED_REGION = 'us-east-1';
const UNLISTED_REGION = 'ap-south-1';
const T0 = '2026-11-20T10:00:00.000Z';
const T1 = '2026-11-21T10:00:00.000Z';
const T2 = '2026-11-22T10:00:00.000Z';

/** Two accounts: Security Hub on in eu-west-1 and eu-west-2, off in us-east-1; ap-south-1 not listed. */
function estate() {
  const regions = {
    [REGION]: {},
    [OTHER_REGION]: {},
    [HUB_DISABLED_REGION]: { securityHub: { enabled: false } },
  };
  return parseEstate({
    estateVersion: 1,
    accounts: [
      { accountId: HOME, name: 'security', regions },
      { accountId: MEMBER, name: 'payments-prod', regions },
    ],
  });
}

const productArn = (account = HOME, region = REGION) =>
  `arn:aws:securityhub:${region}:${account}:product/${account}/default`;

/** A valid finding of `account` in `region`, as the scanner would import it. */
function aFinding(
  id: string,
  overrides: Partial<AwsSecurityFinding> = {},
  account = HOME,
  region = REGION,
): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: productArn(account, region),
    GeneratorId: 'eks_cluster_endpoint_not_public',
    AwsAccountId: account,
    CreatedAt: T0,
    UpdatedAt: T0,
    Title: `Finding ${id}`,
    Description: 'The cluster endpoint is reachable from the internet.',
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    Severity: { Label: 'HIGH' },
    Compliance: { Status: 'FAILED' },
    Resources: [{ Type: 'AwsEksCluster', Id: `arn:aws:eks:${region}:${account}:cluster/${id}` }],
    ...overrides,
  };
}

type Running = RunningTestEmulator;

function hubClient(running: Running, region = REGION, credentials = running.credentials) {
  return new SecurityHubClient({ region, endpoint: running.endpoint, credentials, maxAttempts: 1 });
}

/** Credentials of `account`, issued by the emulator's STS. */
async function assumeInto(running: Running, account: string) {
  const sts = new STSClient({
    region: REGION,
    endpoint: running.endpoint,
    credentials: running.credentials,
    maxAttempts: 1,
  });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/eks-scan`, RoleSessionName: 'test' }),
  );
  return {
    accessKeyId: Credentials?.AccessKeyId ?? '',
    secretAccessKey: Credentials?.SecretAccessKey ?? '',
    sessionToken: Credentials?.SessionToken ?? '',
  };
}

async function findingsOf(client: SecurityHubClient, Filters?: AwsSecurityFindingFilters) {
  const findings: AwsSecurityFinding[] = [];
  for await (const page of paginateGetFindings({ client }, { Filters }))
    findings.push(...(page.Findings ?? []));
  return findings;
}

const equals = (...values: string[]) => values.map((Value) => ({ Value, Comparison: 'EQUALS' as const }));

describe('Security Hub BatchImportFindings', () => {
  const running = useEmulator(() => ({ estate: estate() }));
  let hub: SecurityHubClient;

  beforeAll(() => {
    hub = hubClient(running());
  });

  it('stores a first import with the defaults Security Hub adds', async () => {
    // Prepare
    const finding = aFinding('f-1');

    // Act
    const response = await hub.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    const [stored] = await findingsOf(hub);

    // Assess
    expect(response).toMatchObject({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    expect(stored).toMatchObject({
      Id: 'f-1',
      Title: 'Finding f-1',
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
      WorkflowState: 'NEW',
      ProductName: 'Default',
      CompanyName: 'Personal',
      Region: REGION,
      Severity: { Label: 'HIGH', Normalized: 70 },
      FindingProviderFields: {
        Severity: { Label: 'HIGH' },
        Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      },
    });
  });

  it('keeps ProductName and CompanyName the provider sets, and honours Workflow on creation', async () => {
    // Prepare
    const finding = aFinding('f-1', {
      ProductName: 'eks-compliance-scanner',
      CompanyName: 'Example',
      Workflow: { Status: 'SUPPRESSED' },
    });

    // Act
    await hub.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    const [stored] = await findingsOf(hub);

    // Assess
    expect(stored).toMatchObject({
      ProductName: 'eks-compliance-scanner',
      CompanyName: 'Example',
      Workflow: { Status: 'SUPPRESSED' },
    });
  });

  it('replaces a finding re-imported with a later UpdatedAt but keeps Workflow and Note', async () => {
    // Prepare
    await hub.send(new BatchImportFindingsCommand({ Findings: [aFinding('f-1')] }));
    await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'f-1', ProductArn: productArn() }],
        Workflow: { Status: 'SUPPRESSED' },
        Note: { Text: 'Accepted risk', UpdatedBy: 'security-team' },
      }),
    );
    const update = aFinding('f-1', {
      UpdatedAt: T1,
      Title: 'Updated title',
      Workflow: { Status: 'NEW' },
      Note: { Text: 'from the provider', UpdatedBy: 'scanner', UpdatedAt: T1 },
    });

    // Act
    const response = await hub.send(new BatchImportFindingsCommand({ Findings: [update] }));
    const findings = await findingsOf(hub);

    // Assess
    expect(response.SuccessCount).toBe(1);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      Title: 'Updated title',
      UpdatedAt: T1,
      Workflow: { Status: 'SUPPRESSED' },
      Note: { Text: 'Accepted risk', UpdatedBy: 'security-team' },
    });
  });

  it.each([
    ['an equal', T1],
    ['an earlier', T0],
  ])('counts a re-import with %s UpdatedAt as a success and ignores it', async (_, updatedAt) => {
    // Prepare
    await hub.send(new BatchImportFindingsCommand({ Findings: [aFinding('f-1', { UpdatedAt: T1 })] }));
    const stale = aFinding('f-1', { UpdatedAt: updatedAt, Title: 'Stale title' });

    // Act
    const response = await hub.send(new BatchImportFindingsCommand({ Findings: [stale] }));
    const [stored] = await findingsOf(hub);

    // Assess
    expect(response).toMatchObject({ FailedCount: 0, SuccessCount: 1 });
    expect(stored).toMatchObject({ Title: 'Finding f-1', UpdatedAt: T1 });
  });

  it.each([
    [
      'Compliance PASSED -> FAILED',
      { Compliance: { Status: 'PASSED' } },
      { Compliance: { Status: 'FAILED' } },
    ],
    [
      'Compliance PASSED -> WARNING',
      { Compliance: { Status: 'PASSED' } },
      { Compliance: { Status: 'WARNING' } },
    ],
    ['RecordState ARCHIVED -> ACTIVE', { RecordState: 'ARCHIVED' }, { RecordState: 'ACTIVE' }],
  ] as const)('resets a RESOLVED Workflow to NEW on %s', async (_, before, after) => {
    // Prepare
    await hub.send(new BatchImportFindingsCommand({ Findings: [aFinding('f-1', before)] }));
    await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'f-1', ProductArn: productArn() }],
        Workflow: { Status: 'RESOLVED' },
      }),
    );

    // Act
    await hub.send(
      new BatchImportFindingsCommand({ Findings: [aFinding('f-1', { ...after, UpdatedAt: T1 })] }),
    );
    const [stored] = await findingsOf(hub);

    // Assess
    expect(stored?.Workflow).toEqual({ Status: 'NEW' });
    expect(stored?.WorkflowState).toBe('NEW');
  });

  it('resets NOTIFIED to NEW when an archived finding becomes active again', async () => {
    // Prepare
    await hub.send(
      new BatchImportFindingsCommand({ Findings: [aFinding('f-1', { RecordState: 'ARCHIVED' })] }),
    );
    await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'f-1', ProductArn: productArn() }],
        Workflow: { Status: 'NOTIFIED' },
      }),
    );

    // Act
    await hub.send(
      new BatchImportFindingsCommand({
        Findings: [aFinding('f-1', { RecordState: 'ACTIVE', UpdatedAt: T1 })],
      }),
    );
    const [stored] = await findingsOf(hub);

    // Assess
    expect(stored?.Workflow).toEqual({ Status: 'NEW' });
  });

  it('leaves a SUPPRESSED finding suppressed when it fails again, and RESOLVED when nothing reopened it', async () => {
    // Prepare
    await hub.send(
      new BatchImportFindingsCommand({
        Findings: [
          aFinding('suppressed', { Compliance: { Status: 'PASSED' } }),
          aFinding('resolved', { Compliance: { Status: 'FAILED' } }),
        ],
      }),
    );
    for (const [id, status] of [
      ['suppressed', 'SUPPRESSED'],
      ['resolved', 'RESOLVED'],
    ] as const) {
      await hub.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [{ Id: id, ProductArn: productArn() }],
          Workflow: { Status: status },
        }),
      );
    }

    // Act
    await hub.send(
      new BatchImportFindingsCommand({
        Findings: [
          aFinding('suppressed', { Compliance: { Status: 'FAILED' }, UpdatedAt: T1 }),
          aFinding('resolved', { Compliance: { Status: 'FAILED' }, UpdatedAt: T1 }),
        ],
      }),
    );
    const findings = await findingsOf(hub);

    // Assess
    expect(findings.map((finding) => [finding.Id, finding.Workflow?.Status])).toEqual([
      ['suppressed', 'SUPPRESSED'],
      ['resolved', 'RESOLVED'],
    ]);
  });

  const long = (length: number) => 'x'.repeat(length);
  const manyTypes = Array.from(
    { length: 51 },
    (_, index) => `Software and Configuration Checks/Type ${index}`,
  );
  const manyResources = Array.from({ length: 33 }, (_, index) => ({ Type: 'Other', Id: `r-${index}` }));
  const manyProductFields = Object.fromEntries(
    Array.from({ length: 51 }, (_, index) => [`key${index}`, 'v']),
  );

  it.each([
    ['a missing Title', { Title: undefined }, "required property 'Title'"],
    ['a missing SchemaVersion', { SchemaVersion: undefined }, "required property 'SchemaVersion'"],
    ['a missing GeneratorId', { GeneratorId: undefined }, "required property 'GeneratorId'"],
    ['a missing CreatedAt', { CreatedAt: undefined }, "required property 'CreatedAt'"],
    ['a missing Description', { Description: undefined }, "required property 'Description'"],
    ['missing Resources', { Resources: undefined }, "required property 'Resources'"],
    ['a missing Severity', { Severity: undefined }, "required property 'Severity'"],
    ['missing Types', { Types: undefined }, "required property 'Types'"],
    ['an Id of 513 characters', { Id: long(513) }, 'data.Id should NOT be longer than 512'],
    [
      'a GeneratorId of 513 characters',
      { GeneratorId: long(513) },
      'data.GeneratorId should NOT be longer than 512',
    ],
    ['a Title of 257 characters', { Title: long(257) }, 'data.Title should NOT be longer than 256'],
    [
      'a Description of 1025 characters',
      { Description: long(1025) },
      'data.Description should NOT be longer than 1024',
    ],
    [
      'a recommendation of 513 characters',
      { Remediation: { Recommendation: { Text: long(513) } } },
      'data.Remediation.Recommendation.Text should NOT be longer than 512',
    ],
    ['51 Types', { Types: manyTypes }, 'data.Types should NOT have more than 50 items'],
    ['no Resources', { Resources: [] }, 'data.Resources should NOT have fewer than 1 items'],
    ['33 Resources', { Resources: manyResources }, 'data.Resources should NOT have more than 32 items'],
    [
      '51 ProductFields',
      { ProductFields: manyProductFields },
      'data.ProductFields should NOT have more than 50',
    ],
    ['an unknown Severity.Label', { Severity: { Label: 'SEVERE' } }, 'data.Severity.Label'],
    ['an unknown Compliance.Status', { Compliance: { Status: 'BROKEN' } }, 'data.Compliance.Status'],
    ['an unknown RecordState', { RecordState: 'DELETED' }, 'data.RecordState'],
    ['an unknown Workflow.Status', { Workflow: { Status: 'CLOSED' } }, 'data.Workflow.Status'],
    ['a Type outside the taxonomy', { Types: ['Compliance/EKS'] }, 'data.Types[0]'],
    ['a SchemaVersion other than 2018-10-08', { SchemaVersion: '2020-01-01' }, 'data.SchemaVersion'],
    ['an UpdatedAt that is not a date', { UpdatedAt: 'yesterday' }, 'data.UpdatedAt should match format'],
    // JSON Schema's date-time is RFC 3339's: the zone is part of it, and the date must exist.
    [
      'an UpdatedAt without a zone',
      { UpdatedAt: '2026-11-22T12:00:00' },
      'data.UpdatedAt should match format',
    ],
    ['an impossible CreatedAt', { CreatedAt: '2026-02-30T12:00:00Z' }, 'data.CreatedAt should match format'],
  ] as [string, Partial<AwsSecurityFinding>, string][])(
    'fails a finding with %s as InvalidInput naming the member',
    async (_, change, named) => {
      // Prepare
      const invalid = aFinding('bad', change);

      // Act
      const response = await hub.send(
        new BatchImportFindingsCommand({ Findings: [aFinding('good'), invalid] }),
      );
      const findings = await findingsOf(hub);

      // Assess
      expect(response.FailedCount).toBe(1);
      expect(response.SuccessCount).toBe(1);
      expect(response.FailedFindings).toEqual([
        { Id: invalid.Id, ErrorCode: 'InvalidInput', ErrorMessage: expect.stringContaining(named) },
      ]);
      expect(findings.map((finding) => finding.Id)).toEqual(['good']);
    },
  );

  it('accepts a Severity given only as Normalized and derives its Label', async () => {
    // Prepare
    const finding = aFinding('f-1', { Severity: { Normalized: 40 } });

    // Act
    const response = await hub.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    const [stored] = await findingsOf(hub);

    // Assess
    expect(response.SuccessCount).toBe(1);
    expect(stored?.Severity).toEqual({ Label: 'MEDIUM', Normalized: 40 });
  });

  it.each([
    ['a product ARN of another Region', { ProductArn: productArn(HOME, OTHER_REGION) }],
    ['a product ARN of another account', { ProductArn: productArn(MEMBER) }],
    [
      'a product ARN that is not the default product',
      { ProductArn: `arn:aws:securityhub:${REGION}::product/aws/guardduty` },
    ],
    ['an AwsAccountId of another account', { AwsAccountId: MEMBER }],
    [
      'a member account finding under its own product ARN',
      { AwsAccountId: MEMBER, ProductArn: productArn(MEMBER) },
    ],
  ])('fails a finding with %s as AccessDeniedException', async (_, change) => {
    // Prepare
    const foreign = aFinding('foreign', change);

    // Act
    const response = await hub.send(new BatchImportFindingsCommand({ Findings: [foreign] }));
    const findings = await findingsOf(hub);

    // Assess
    expect(response).toMatchObject({ FailedCount: 1, SuccessCount: 0 });
    expect(response.FailedFindings?.[0]).toMatchObject({
      Id: 'foreign',
      ErrorCode: 'AccessDeniedException',
      ErrorMessage: expect.stringContaining(productArn()),
    });
    expect(findings).toEqual([]);
  });

  it.each([
    ['Security Hub is disabled', HUB_DISABLED_REGION],
    ['the Region is not in the estate', UNLISTED_REGION],
  ])('fails every finding with InvalidAccess (HTTP 200) when %s', async (_, region) => {
    // Prepare
    const client = hubClient(running(), region);
    const findings = [aFinding('f-1', {}, HOME, region), aFinding('f-2', {}, HOME, region)];

    // Act
    const response = await client.send(new BatchImportFindingsCommand({ Findings: findings }));

    // Assess
    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(response).toMatchObject({ FailedCount: 2, SuccessCount: 0 });
    expect(response.FailedFindings?.map((failure) => [failure.Id, failure.ErrorCode])).toEqual([
      ['f-1', 'InvalidAccess'],
      ['f-2', 'InvalidAccess'],
    ]);
    expect(response.FailedFindings?.[0]?.ErrorMessage).toContain(`Account ${HOME} is not subscribed`);
  });

  it('rejects GetFindings and BatchUpdateFindings with InvalidAccessException (HTTP 401) where Security Hub is disabled', async () => {
    // Prepare
    const client = hubClient(running(), HUB_DISABLED_REGION);

    // Act
    const getFindings = client.send(new GetFindingsCommand({}));
    const update = client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'f-1', ProductArn: productArn(HOME, HUB_DISABLED_REGION) }],
        Workflow: { Status: 'SUPPRESSED' },
      }),
    );

    // Assess
    await expect(getFindings).rejects.toBeInstanceOf(InvalidAccessException);
    await expect(getFindings).rejects.toMatchObject({ $metadata: { httpStatusCode: 401 } });
    await expect(update).rejects.toBeInstanceOf(InvalidAccessException);
  });

  it('rejects a call of 101 findings with InvalidInputException and stores none of them', async () => {
    // Prepare
    const findings = Array.from({ length: 101 }, (_, index) => aFinding(`f-${index}`));

    // Act
    const call = hub.send(new BatchImportFindingsCommand({ Findings: findings }));

    // Assess
    await expect(call).rejects.toBeInstanceOf(InvalidInputException);
    await expect(call).rejects.toMatchObject({ message: expect.stringContaining('101') });
    expect(await findingsOf(hub)).toEqual([]);
  });

  it('accepts exactly 100 findings in one call', async () => {
    // Prepare
    const findings = Array.from({ length: 100 }, (_, index) => aFinding(`f-${index}`));

    // Act
    const response = await hub.send(new BatchImportFindingsCommand({ Findings: findings }));

    // Assess
    expect(response).toMatchObject({ FailedCount: 0, SuccessCount: 100 });
    expect(await findingsOf(hub)).toHaveLength(100);
  });
});

describe('Security Hub GetFindings', () => {
  let running: Running;
  let hub: SecurityHubClient;

  beforeAll(async () => {
    running = await startEmulator({ estate: estate(), maxPageSize: 2 });
    hub = hubClient(running);
    await hub.send(
      new BatchImportFindingsCommand({
        Findings: [
          aFinding('alpha-endpoint', {
            Severity: { Label: 'HIGH' },
            Compliance: { Status: 'FAILED' },
            ProductFields: { 'eks-compliance-scanner/Cluster': 'alpha' },
          }),
          aFinding('alpha-logging', {
            GeneratorId: 'eks_cluster_control_plane_logging',
            Severity: { Label: 'MEDIUM' },
            Compliance: { Status: 'PASSED' },
          }),
          aFinding('beta-endpoint', { Severity: { Label: 'HIGH' }, RecordState: 'ARCHIVED' }),
          aFinding('beta-ssh', {
            GeneratorId: 'eks_nodegroup_no_ssh_access',
            Resources: [
              {
                Type: 'AwsAutoScalingAutoScalingGroup',
                Id: 'arn:aws:autoscaling:eu-west-1:111111111111:asg/beta-ssh',
              },
            ],
          }),
          aFinding('gamma-logging', {
            GeneratorId: 'eks_cluster_control_plane_logging',
            Severity: { Label: 'LOW' },
            Compliance: { Status: 'NOT_AVAILABLE' },
          }),
        ],
      }),
    );
    await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'gamma-logging', ProductArn: productArn() }],
        Workflow: { Status: 'SUPPRESSED' },
      }),
    );
  });
  afterAll(async () => {
    await running.stop();
  });

  const ids = async (Filters?: AwsSecurityFindingFilters) =>
    (await findingsOf(hub, Filters)).map((finding) => finding.Id);

  it('returns every finding in import order across pages capped by maxPageSize', async () => {
    // Prepare
    const pageSizes: number[] = [];

    // Act
    for await (const page of paginateGetFindings({ client: hub }, {}))
      pageSizes.push(page.Findings?.length ?? 0);
    const all = await ids();

    // Assess
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(all).toEqual(['alpha-endpoint', 'alpha-logging', 'beta-endpoint', 'beta-ssh', 'gamma-logging']);
  });

  it.each([
    [
      'a ProductFields map filter',
      {
        ProductFields: [
          { Key: 'eks-compliance-scanner/Cluster', Value: 'alpha', Comparison: 'EQUALS' as const },
        ],
      },
      ['alpha-endpoint'],
    ],
    ['EQUALS values ORed', { Id: equals('alpha-endpoint', 'beta-ssh') }, ['alpha-endpoint', 'beta-ssh']],
    ['PREFIX', { Id: [{ Value: 'beta-', Comparison: 'PREFIX' }] }, ['beta-endpoint', 'beta-ssh']],
    [
      'NOT_EQUALS values ANDed',
      {
        Id: [
          { Value: 'alpha-endpoint', Comparison: 'NOT_EQUALS' },
          { Value: 'beta-ssh', Comparison: 'NOT_EQUALS' },
        ],
      },
      ['alpha-logging', 'beta-endpoint', 'gamma-logging'],
    ],
    [
      'PREFIX_NOT_EQUALS values ANDed',
      {
        Id: [
          { Value: 'alpha', Comparison: 'PREFIX_NOT_EQUALS' },
          { Value: 'gamma', Comparison: 'PREFIX_NOT_EQUALS' },
        ],
      },
      ['beta-endpoint', 'beta-ssh'],
    ],
    [
      'PREFIX then NOT_EQUALS on one field',
      {
        Id: [
          { Value: 'alpha', Comparison: 'PREFIX' },
          { Value: 'alpha-logging', Comparison: 'NOT_EQUALS' },
        ],
      },
      ['alpha-endpoint'],
    ],
    [
      'GeneratorId',
      { GeneratorId: equals('eks_cluster_control_plane_logging') },
      ['alpha-logging', 'gamma-logging'],
    ],
    [
      'ProductArn',
      { ProductArn: equals(productArn()) },
      ['alpha-endpoint', 'alpha-logging', 'beta-endpoint', 'beta-ssh', 'gamma-logging'],
    ],
    ['AwsAccountId of another account', { AwsAccountId: equals(MEMBER) }, []],
    ['RecordState', { RecordState: equals('ARCHIVED') }, ['beta-endpoint']],
    [
      'ComplianceStatus',
      { ComplianceStatus: equals('PASSED', 'NOT_AVAILABLE') },
      ['alpha-logging', 'gamma-logging'],
    ],
    ['WorkflowStatus', { WorkflowStatus: equals('SUPPRESSED') }, ['gamma-logging']],
    ['SeverityLabel', { SeverityLabel: equals('MEDIUM', 'LOW') }, ['alpha-logging', 'gamma-logging']],
    ['ResourceType', { ResourceType: equals('AwsAutoScalingAutoScalingGroup') }, ['beta-ssh']],
    [
      'ResourceId',
      { ResourceId: [{ Value: 'arn:aws:eks:eu-west-1:111111111111:cluster/alpha', Comparison: 'PREFIX' }] },
      ['alpha-endpoint', 'alpha-logging'],
    ],
    ['Title', { Title: equals('Finding beta-ssh') }, ['beta-ssh']],
    [
      'several filters ANDed',
      { RecordState: equals('ACTIVE'), SeverityLabel: equals('HIGH'), WorkflowStatus: equals('NEW') },
      ['alpha-endpoint', 'beta-ssh'],
    ],
  ] as [string, AwsSecurityFindingFilters, string[]][])('filters by %s', async (_, filters, expected) => {
    // Prepare
    const Filters = filters;

    // Act
    const selected = await ids(Filters);

    // Assess
    expect(selected).toEqual(expected);
  });

  it('pages filtered results with MaxResults and NextToken', async () => {
    // Prepare
    const Filters: AwsSecurityFindingFilters = { RecordState: equals('ACTIVE') };

    // Act
    const first = await hub.send(new GetFindingsCommand({ Filters, MaxResults: 1 }));
    const second = await hub.send(
      new GetFindingsCommand({ Filters, MaxResults: 1, NextToken: first.NextToken }),
    );

    // Assess
    expect(first.Findings?.map((finding) => finding.Id)).toEqual(['alpha-endpoint']);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.Findings?.map((finding) => finding.Id)).toEqual(['alpha-logging']);
  });

  it.each([
    ['MaxResults of 101', { MaxResults: 101 }],
    ['MaxResults of 0', { MaxResults: 0 }],
    ['a NextToken it did not issue', { NextToken: 'not-a-token' }],
    [
      'EQUALS combined with NOT_EQUALS',
      {
        Filters: {
          Id: [
            { Value: 'a', Comparison: 'EQUALS' },
            { Value: 'b', Comparison: 'NOT_EQUALS' },
          ],
        },
      },
    ],
    ['a filter without a Comparison', { Filters: { Id: [{ Value: 'a' }] } }],
    ['a filter the emulator does not support', { Filters: { Region: equals(REGION) } }],
  ] as [string, GetFindingsCommandInput][])('rejects %s with InvalidInputException', async (_, input) => {
    // Prepare
    const command = new GetFindingsCommand(input);

    // Act
    const call = hub.send(command);

    // Assess
    await expect(call).rejects.toBeInstanceOf(InvalidInputException);
  });
});

describe('Security Hub BatchUpdateFindings', () => {
  const running = useEmulator(() => ({ estate: estate() }));
  let hub: SecurityHubClient;

  beforeAll(() => {
    hub = hubClient(running());
  });

  it('sets Workflow and Note of stored findings without touching UpdatedAt, and reports unknown ones', async () => {
    // Prepare
    await hub.send(new BatchImportFindingsCommand({ Findings: [aFinding('f-1', { UpdatedAt: T2 })] }));
    const unknown = { Id: 'missing', ProductArn: productArn() };

    // Act
    const response = await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'f-1', ProductArn: productArn() }, unknown],
        Workflow: { Status: 'SUPPRESSED' },
        Note: { Text: 'Suppressed by eks-scan: accepted risk', UpdatedBy: 'eks-scan' },
      }),
    );
    const [stored] = await findingsOf(hub);

    // Assess
    expect(response.ProcessedFindings).toEqual([{ Id: 'f-1', ProductArn: productArn() }]);
    expect(response.UnprocessedFindings).toEqual([
      { FindingIdentifier: unknown, ErrorCode: 'FindingNotFound', ErrorMessage: expect.any(String) },
    ]);
    expect(stored).toMatchObject({
      UpdatedAt: T2,
      Workflow: { Status: 'SUPPRESSED' },
      Note: {
        Text: 'Suppressed by eks-scan: accepted risk',
        UpdatedBy: 'eks-scan',
        UpdatedAt: expect.any(String),
      },
    });
  });

  it('unsuppresses a finding by setting Workflow back to NEW', async () => {
    // Prepare
    await hub.send(
      new BatchImportFindingsCommand({ Findings: [aFinding('f-1', { Workflow: { Status: 'SUPPRESSED' } })] }),
    );

    // Act
    await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'f-1', ProductArn: productArn() }],
        Workflow: { Status: 'NEW' },
      }),
    );
    const [stored] = await findingsOf(hub);

    // Assess
    expect(stored?.Workflow).toEqual({ Status: 'NEW' });
  });

  it.each([
    ['no update', {}],
    ['an unknown Workflow.Status', { Workflow: { Status: 'CLOSED' } }],
    ['a Note without UpdatedBy', { Note: { Text: 'why' } }],
  ] as [string, Record<string, unknown>][])('rejects %s with InvalidInputException', async (_, update) => {
    // Prepare
    const command = new BatchUpdateFindingsCommand({
      FindingIdentifiers: [{ Id: 'f-1', ProductArn: productArn() }],
      ...update,
    } as ConstructorParameters<typeof BatchUpdateFindingsCommand>[0]);

    // Act
    const call = hub.send(command);

    // Assess
    await expect(call).rejects.toBeInstanceOf(InvalidInputException);
  });
});

describe('Security Hub findings per account and Region', () => {
  const running = useEmulator(() => ({ estate: estate() }));

  it('keeps each account and Region to its own findings, and shows them all in /_emulator/state', async () => {
    // Prepare
    const member = await assumeInto(running(), MEMBER);
    const homeHub = hubClient(running());
    const homeOtherRegion = hubClient(running(), OTHER_REGION);
    const memberHub = hubClient(running(), REGION, member);

    // Act
    const imports = await Promise.all([
      homeHub.send(new BatchImportFindingsCommand({ Findings: [aFinding('home-west-1')] })),
      homeOtherRegion.send(
        new BatchImportFindingsCommand({ Findings: [aFinding('home-west-2', {}, HOME, OTHER_REGION)] }),
      ),
      memberHub.send(new BatchImportFindingsCommand({ Findings: [aFinding('member-west-1', {}, MEMBER)] })),
    ]);
    const seen = await Promise.all(
      [homeHub, homeOtherRegion, memberHub].map(async (client) =>
        (await findingsOf(client)).map((finding) => finding.Id),
      ),
    );
    const state = (await (await fetch(`${running().endpoint}/_emulator/state`)).json()) as {
      securityHub: Record<string, Record<string, { Id: string; AwsAccountId: string }[]>>;
    };

    // Assess
    expect(imports.map((response) => response.SuccessCount)).toEqual([1, 1, 1]);
    expect(seen).toEqual([['home-west-1'], ['home-west-2'], ['member-west-1']]);
    expect(state.securityHub[HOME]?.[REGION]?.map((finding) => finding.Id)).toEqual(['home-west-1']);
    expect(state.securityHub[HOME]?.[OTHER_REGION]?.map((finding) => finding.Id)).toEqual(['home-west-2']);
    expect(state.securityHub[MEMBER]?.[REGION]).toEqual([
      expect.objectContaining({ Id: 'member-west-1', AwsAccountId: MEMBER }),
    ]);
  });

  it('does not let the home account import or update a member account finding', async () => {
    // Prepare
    const homeHub = hubClient(running());
    const memberHub = hubClient(running(), REGION, await assumeInto(running(), MEMBER));
    await memberHub.send(new BatchImportFindingsCommand({ Findings: [aFinding('member-only', {}, MEMBER)] }));

    // Act
    const imported = await homeHub.send(
      new BatchImportFindingsCommand({ Findings: [aFinding('member-only', { UpdatedAt: T1 }, MEMBER)] }),
    );
    const updated = await homeHub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: 'member-only', ProductArn: productArn(MEMBER) }],
        Workflow: { Status: 'SUPPRESSED' },
      }),
    );
    const [memberFinding] = await findingsOf(memberHub, { Id: equals('member-only') });

    // Assess
    expect(imported.FailedFindings?.[0]?.ErrorCode).toBe('AccessDeniedException');
    expect(updated.UnprocessedFindings?.[0]?.ErrorCode).toBe('FindingNotFound');
    expect(memberFinding).toMatchObject({ UpdatedAt: T0, Workflow: { Status: 'NEW' } });
  });
});
