import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from '@jest/globals';
import { asffProblems, expectValidFinding } from '../support/asff-model.js';

const ACCOUNT_ID = '111122223333';
const CLUSTER_ARN = `arn:aws:eks:eu-west-1:${ACCOUNT_ID}:cluster/payments`;
const FINDING_TYPES = [
  'Software and Configuration Checks/Industry and Regulatory Standards/CIS EKS Benchmark',
];

const otherResource = (id: string, other: Record<string, string>): Resource => ({
  Type: 'Other',
  Id: id,
  Partition: 'aws',
  Region: 'eu-west-1',
  Details: { Other: other },
});

/** A finding as the publisher would import it: typed by the SDK, so it also compiles against the model. */
const validFinding = (): AwsSecurityFinding => ({
  SchemaVersion: '2018-10-08',
  Id: `eks-compliance-scanner/EKS.2/${CLUSTER_ARN}`,
  ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`,
  ProductName: 'EKS Compliance Scanner',
  CompanyName: 'eks-compliance-scanner',
  GeneratorId: 'EKS.2',
  AwsAccountId: ACCOUNT_ID,
  Region: 'eu-west-1',
  Types: FINDING_TYPES,
  CreatedAt: '2026-11-20T08:00:00.000Z',
  FirstObservedAt: '2026-11-20T08:00:00.000Z',
  UpdatedAt: '2026-11-22T12:00:00.000Z',
  LastObservedAt: '2026-11-22T12:00:00.000Z',
  Severity: { Label: 'HIGH' },
  Title: 'EKS cluster endpoint should not be publicly accessible',
  Description: 'The cluster API endpoint accepts connections from the internet.',
  Remediation: {
    Recommendation: {
      Text: 'Disable public access to the cluster endpoint.',
      Url: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
    },
  },
  ProductFields: { 'eks-compliance-scanner/CheckId': 'EKS.2', 'eks-compliance-scanner/Cluster': 'payments' },
  Resources: [
    {
      Type: 'AwsEksCluster',
      Id: CLUSTER_ARN,
      Partition: 'aws',
      Region: 'eu-west-1',
      Tags: { team: 'payments' },
      Details: {
        AwsEksCluster: {
          Arn: CLUSTER_ARN,
          Name: 'payments',
          Version: '1.31',
          RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/payments-cluster`,
          Endpoint: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
          ClusterStatus: 'ACTIVE',
          ResourcesVpcConfig: {
            SecurityGroupIds: ['sg-0123456789abcdef0'],
            SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
            EndpointPublicAccess: true,
          },
          Logging: { ClusterLogging: [{ Enabled: true, Types: ['api', 'audit'] }] },
        },
      },
    },
    otherResource(`arn:aws:eks:eu-west-1:${ACCOUNT_ID}:nodegroup/payments/system/0a1b2c3d`, {
      NodeGroup: 'system',
      DesiredSize: '3',
    }),
  ],
  Compliance: { Status: 'FAILED', RelatedRequirements: ['CIS Amazon EKS Benchmark v1.5.0/5.4.2'] },
  FindingProviderFields: { Severity: { Label: 'HIGH' }, Types: FINDING_TYPES },
  RecordState: 'ACTIVE',
  Workflow: { Status: 'NEW' },
  Note: {
    Text: 'Public endpoint accepted until the VPN is in place.',
    UpdatedBy: 'eks-compliance-scanner',
    UpdatedAt: '2026-11-22T13:00:00+01:00',
  },
});

/**
 * The valid finding with the values at dotted paths replaced; undefined removes the member. Plain JSON,
 * so a change may break the SDK's types on purpose.
 */
function findingWith(changes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const finding = validFinding() as unknown as Record<string, unknown>;
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const parent = keys
      .slice(0, -1)
      .reduce((node, key) => (node as Record<string, unknown>)[key], finding as unknown) as Record<
      string,
      unknown
    >;
    const last = keys.at(-1) ?? '';
    if (value === undefined) Reflect.deleteProperty(parent, last);
    else parent[last] = value;
  }
  return finding;
}

describe('asffProblems', () => {
  it('finds nothing wrong with a complete finding on an EKS cluster and an Other resource', () => {
    // Prepare
    const finding = validFinding();
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([]);
  });

  it('accepts Severity and Types given only under FindingProviderFields', () => {
    // Prepare
    const finding = findingWith({ Severity: undefined, Types: undefined });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([]);
  });

  it('reports a missing required member', () => {
    // Prepare
    const finding = findingWith({ Title: undefined });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['Title: required member missing']);
  });

  it('reports a missing required member of a resource', () => {
    // Prepare
    const finding = findingWith({ 'Resources.1.Id': undefined });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['Resources[1].Id: required member missing']);
  });

  it('reports an unknown member at the top level', () => {
    // Prepare
    const finding = findingWith({ Titel: 'misspelt' });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['Titel: unknown member']);
  });

  it.each([
    ['Resources.0.Details.AwsEksCluster.ClusterName', 'Resources[0].Details.AwsEksCluster.ClusterName'],
    ['Resources.0.Details.AwsEKSCluster', 'Resources[0].Details.AwsEKSCluster'],
  ])('reports an unknown member nested in Details: %s', (change, path) => {
    // Prepare
    const finding = findingWith({ [change]: 'payments' });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([`${path}: unknown member`]);
  });

  it.each([
    [
      'Resources.0.Details.AwsEksCluster.Name',
      42,
      'Resources[0].Details.AwsEksCluster.Name: expected string',
    ],
    [
      'Resources.0.Details.AwsEksCluster.ResourcesVpcConfig.EndpointPublicAccess',
      'true',
      'Resources[0].Details.AwsEksCluster.ResourcesVpcConfig.EndpointPublicAccess: expected boolean',
    ],
    [
      'Resources.0.Details.AwsEksCluster.ResourcesVpcConfig.SubnetIds',
      'subnet-0123456789abcdef0',
      'Resources[0].Details.AwsEksCluster.ResourcesVpcConfig.SubnetIds: expected array',
    ],
    [
      'Resources.1.Details.Other.DesiredSize',
      3,
      'Resources[1].Details.Other["DesiredSize"]: expected string',
    ],
    ['Confidence', '80', 'Confidence: expected number'],
    ['Remediation', 'Disable it.', 'Remediation: expected object'],
    ['Region', '', 'Region: expected a non-empty string'],
  ])('reports a wrong JSON type at %s', (change, value, expected) => {
    // Prepare
    const finding = findingWith({ [change]: value });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([expected]);
  });

  it('reports a value outside its enum with the allowed values', () => {
    // Prepare
    const finding = findingWith({ 'Severity.Label': 'SEVERE' });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([
      'Severity.Label: expected one of CRITICAL, HIGH, INFORMATIONAL, LOW, MEDIUM; got "SEVERE"',
    ]);
  });

  it.each([
    'FindingProviderFields.Severity.Label',
    'Compliance.Status',
    'RecordState',
    'Workflow.Status',
    'WorkflowState',
    'VerificationState',
  ])('checks the enum at %s', (path) => {
    // Prepare
    const finding = findingWith({ [path]: 'NOT_A_VALUE' });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${path}: expected one of .+; got "NOT_A_VALUE"$`)),
    ]);
  });

  it.each([
    ['Title', 256],
    ['Description', 1024],
    ['Id', 512],
    ['GeneratorId', 512],
    ['Remediation.Recommendation.Text', 512],
    ['Note.Text', 512],
  ])('reports %s longer than %i characters', (path, max) => {
    // Prepare
    const finding = findingWith({ [path]: 'x'.repeat(max + 1) });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([`${path}: expected at most ${max} characters, got ${max + 1}`]);
  });

  it('accepts a Title of exactly 256 characters, counted as characters rather than UTF-16 units', () => {
    // Prepare
    const finding = findingWith({ Title: '🔒'.repeat(256) });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([]);
  });

  it('reports more than 32 resources', () => {
    // Prepare
    const resources = Array.from({ length: 33 }, (_, index) => otherResource(`resource-${index}`, {}));
    const finding = findingWith({ Resources: resources });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['Resources: expected 1-32 items, got 33']);
  });

  it('reports a finding type outside the ASFF namespaces, at the top level and for the provider', () => {
    // Prepare
    const badTypes = ['Software and Configuration Checks/Vulnerabilities/CVE', 'Compliance/EKS/Endpoint'];
    const finding = findingWith({ Types: badTypes, 'FindingProviderFields.Types': badTypes });
    // Act
    const problems = asffProblems(finding);
    // Assess
    const namespaces =
      'Software and Configuration Checks, TTPs, Effects, Unusual Behaviors, Sensitive Data Identifications';
    expect(problems).toEqual([
      `Types[1]: namespace "Compliance" is not one of ${namespaces}`,
      `FindingProviderFields.Types[1]: namespace "Compliance" is not one of ${namespaces}`,
    ]);
  });

  it('reports a ProductFields value longer than 2048 characters', () => {
    // Prepare
    const finding = findingWith({ 'ProductFields.eks-compliance-scanner/Cluster': 'x'.repeat(2049) });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([
      'ProductFields["eks-compliance-scanner/Cluster"]: expected at most 2048 characters, got 2049',
    ]);
  });

  it('holds Details.Other to 1024-character values and 128-character keys', () => {
    // Prepare
    const finding = findingWith({
      'Resources.1.Details.Other': { NodeGroup: 'x'.repeat(1025), ['k'.repeat(129)]: 'system' },
    });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([
      'Resources[1].Details.Other["NodeGroup"]: expected at most 1024 characters, got 1025',
      `Resources[1].Details.Other["${'k'.repeat(129)}"]: key has 129 characters, at most 128`,
    ]);
  });

  it.each([
    ['CreatedAt', '2026-11-20 08:00:00Z'],
    ['UpdatedAt', '2026-02-30T12:00:00Z'],
    ['LastObservedAt', 'yesterday'],
    ['Note.UpdatedAt', '2026-11-22T13:00:00'],
  ])('reports %s that is not an ISO-8601 date-time: %s', (path, value) => {
    // Prepare
    const finding = findingWith({ [path]: value });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([`${path}: expected an ISO-8601 date-time, got "${value}"`]);
  });

  it('reports an account id that is not 12 digits', () => {
    // Prepare
    const finding = findingWith({ AwsAccountId: '11112222333' });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['AwsAccountId: expected a 12-digit account id, got "11112222333"']);
  });

  it('reports a ProductArn that is not a Security Hub product ARN', () => {
    // Prepare
    const productArn = `arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:product-subscription/aws/guardduty`;
    const finding = findingWith({ ProductArn: productArn });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([
      `ProductArn: expected arn:<partition>:securityhub:<region>:<account>:product/<account|aws>/<name>, got "${productArn}"`,
    ]);
  });

  it('reports a SchemaVersion other than 2018-10-08', () => {
    // Prepare
    const finding = findingWith({ SchemaVersion: '2018-10-26' });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['SchemaVersion: expected 2018-10-08, got "2018-10-26"']);
  });

  it('reports a Severity.Normalized outside 0-100', () => {
    // Prepare
    const finding = findingWith({ 'Severity.Normalized': 101 });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['Severity.Normalized: expected an integer 0-100, got 101']);
  });

  it('reports a finding without a severity label anywhere', () => {
    // Prepare
    const finding = findingWith({ Severity: undefined, 'FindingProviderFields.Severity': undefined });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual([
      'Severity.Label: required unless FindingProviderFields.Severity.Label is given',
    ]);
  });

  it('reports a finding without types anywhere', () => {
    // Prepare
    const finding = findingWith({ Types: undefined, 'FindingProviderFields.Types': undefined });
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['Types: required unless FindingProviderFields.Types is given']);
  });

  it('reports a finding whose JSON passes 240 KB, though each field is within its limits', () => {
    // Prepare
    const fullOther = Object.fromEntries(
      Array.from({ length: 50 }, (_, index) => [`Field${index}`, 'x'.repeat(1024)]),
    );
    const bulkyResources = Array.from({ length: 5 }, (_, index) =>
      otherResource(`bulky-${index}`, fullOther),
    );
    const finding = findingWith({ Resources: [...(validFinding().Resources ?? []), ...bulkyResources] });
    const bytes = Buffer.byteLength(JSON.stringify(finding));
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(bytes).toBeGreaterThan(240 * 1024);
    expect(problems).toEqual([`(finding): JSON is ${bytes} bytes, at most 245760`]);
  });

  it('reports a finding that is not an object', () => {
    // Prepare
    const finding = [validFinding()];
    // Act
    const problems = asffProblems(finding);
    // Assess
    expect(problems).toEqual(['(finding): expected object']);
  });
});

describe('expectValidFinding', () => {
  it('passes a valid finding', () => {
    // Prepare
    const finding = validFinding();
    // Act
    const validate = () => expectValidFinding(finding);
    // Assess
    expect(validate).not.toThrow();
  });

  it('throws an error that lists every problem', () => {
    // Prepare
    const finding = findingWith({ Title: undefined, AwsAccountId: 'none' });
    // Act
    const validate = () => expectValidFinding(finding);
    // Assess
    expect(validate).toThrow(
      'The finding does not match the Security Hub API model:\n' +
        '  Title: required member missing\n' +
        '  AwsAccountId: expected a 12-digit account id, got "none"',
    );
  });
});
