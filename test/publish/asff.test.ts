import { describe, expect, it } from '@jest/globals';
import endpointNotPublic from '../../lib/checks/eks_cluster_endpoint_not_public.js';
import hopLimit from '../../lib/checks/eks_nodegroup_imdsv2_hop_limit.js';
import privateSubnets from '../../lib/checks/eks_nodegroup_private_subnets.js';
import type { CheckResult } from '../../lib/checks/types.js';
import { archivedFinding, FIELD, findingId, fitText, productArn, toFinding } from '../../lib/publish/asff.js';
import { SCANNER_VERSION } from '../../lib/version.js';
import { expectValidFinding } from '../support/asff-model.js';
import {
  ACCOUNT,
  aCluster,
  aClusterResult,
  aManagedNodegroup,
  anAutoScalingGroup,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  autoScalingGroupResourceId,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  NOW,
  nodegroupArn,
  REGION,
  resultFor,
} from '../support/snapshot.js';

describe('findingId', () => {
  it('is the same for the same check and resource, whatever the time or text', () => {
    // Act
    const first = findingId(aClusterResult());
    const again = findingId(aClusterResult({ reason: 'different words', status: 'PASSED' }));
    // Assess
    expect(first).toBe(`eks-compliance-scanner/eks_cluster_endpoint_not_public/${CLUSTER_ARN}`);
    expect(again).toBe(first);
  });

  it('differs across checks, accounts, Regions and partitions', () => {
    // Prepare
    const variants = [
      aClusterResult(),
      aClusterResult({ checkId: 'eks_cluster_secrets_encrypted' }),
      aClusterResult({ resourceId: CLUSTER_ARN.replace(ACCOUNT, '333333333333') }),
      aClusterResult({ resourceId: CLUSTER_ARN.replace(REGION, 'us-east-1') }),
      aClusterResult({ resourceId: CLUSTER_ARN.replace('arn:aws:', 'arn:aws-us-gov:') }),
    ];
    // Act
    const ids = variants.map(findingId);
    // Assess
    expect(new Set(ids).size).toBe(variants.length);
  });

  it('stays within 512 characters and unique when the resource ARN is very long', () => {
    // Prepare
    const long = (suffix: string) =>
      aClusterResult({ resourceId: `${CLUSTER_ARN}/nodepool/${'p'.repeat(600)}${suffix}` });
    // Act
    const [a, b] = [findingId(long('a')), findingId(long('b'))];
    // Assess
    expect(a.length).toBe(512);
    expect(b.length).toBe(512);
    expect(a).not.toBe(b);
    expect(findingId(long('a'))).toBe(a);
  });
});

describe('fitText', () => {
  it.each([
    ['short text', 20, 'short text'],
    ['one two three four five', 12, 'one two…'],
    ['x'.repeat(30), 10, `${'x'.repeat(9)}…`],
  ])('fits %j into %i characters as %j', (text, max, expected) => {
    // Act
    const fitted = fitText(text, max);
    // Assess
    expect(fitted).toBe(expected);
    expect(fitted.length).toBeLessThanOrEqual(max);
  });
});

describe('toFinding', () => {
  it('shapes a cluster finding with identity, severity, compliance, remediation and cluster details', () => {
    // Prepare
    const snapshot = aSnapshot({ cluster: aCluster({ tags: { team: 'payments' } }) });
    const [result] = evaluate(
      endpointNotPublic,
      aSnapshot({
        cluster: aCluster({
          resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
        }),
      }),
    );
    // Act
    const finding = toFinding(result as CheckResult, { check: endpointNotPublic, snapshot, scannedAt: NOW });
    // Assess
    expectValidFinding(finding);
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `eks-compliance-scanner/eks_cluster_endpoint_not_public/${CLUSTER_ARN}`,
      ProductArn: productArn('aws', REGION, ACCOUNT),
      GeneratorId: 'eks_cluster_endpoint_not_public',
      AwsAccountId: ACCOUNT,
      Region: REGION,
      CreatedAt: NOW.toISOString(),
      FirstObservedAt: NOW.toISOString(),
      UpdatedAt: NOW.toISOString(),
      LastObservedAt: NOW.toISOString(),
      Severity: { Label: 'HIGH' },
      FindingProviderFields: { Severity: { Label: 'HIGH' }, Types: [...endpointNotPublic.asffTypes] },
      Types: [...endpointNotPublic.asffTypes],
      Title: endpointNotPublic.title,
      Remediation: {
        Recommendation: { Text: endpointNotPublic.remediation.text, Url: endpointNotPublic.remediation.url },
      },
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      ProductFields: {
        [FIELD.checkId]: 'eks_cluster_endpoint_not_public',
        [FIELD.cluster]: 'payments',
        [FIELD.resultStatus]: 'FAILED',
        [FIELD.scannerVersion]: SCANNER_VERSION,
      },
    });
    expect(finding.Description).toBe(`${result?.reason} ${endpointNotPublic.risk}`);
    expect(finding.Compliance?.RelatedRequirements).toContain(
      'AWS Foundational Security Best Practices v1.0.0/EKS.1',
    );
    expect(finding.Resources).toEqual([
      expect.objectContaining({
        Type: 'AwsEksCluster',
        Id: CLUSTER_ARN,
        Partition: 'aws',
        Region: REGION,
        Tags: { team: 'payments' },
        Details: {
          AwsEksCluster: expect.objectContaining({ Arn: CLUSTER_ARN, Name: 'payments', Version: '1.33' }),
        },
      }),
    ]);
    expect(finding.Workflow).toBeUndefined();
  });

  it.each([
    [
      'by default',
      {},
      [
        'AWS Foundational Security Best Practices v1.0.0/EKS.1',
        'CIS Amazon EKS Benchmark v1.1.0/5.4.2',
        'EKS Best Practices Guide/IAM / Make the EKS cluster endpoint private',
      ],
    ],
    [
      'with allowRestrictedPublicEndpoint=true',
      { allowRestrictedPublicEndpoint: 'true' },
      ['CIS Amazon EKS Benchmark v1.1.0/5.4.1'],
    ],
  ])(
    'relates a restricted public endpoint %s only to the controls whose verdict it gives',
    (_, parameters, related) => {
      // Prepare
      const snapshot = aSnapshot({
        cluster: aCluster({
          resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] },
        }),
      });
      const [result] = evaluate(endpointNotPublic, snapshot, { parameters });
      // Act
      const finding = toFinding(result as CheckResult, {
        check: endpointNotPublic,
        snapshot,
        scannedAt: NOW,
      });
      // Assess
      expect(finding.Compliance?.RelatedRequirements).toEqual(related);
    },
  );

  it('reports a PASSED result as INFORMATIONAL and an ERROR as NOT_AVAILABLE', () => {
    // Act
    const passed = toFinding(aClusterResult({ status: 'PASSED' }), {
      check: endpointNotPublic,
      scannedAt: NOW,
    });
    const errored = toFinding(
      aClusterResult({ status: 'ERROR', reason: 'DescribeCluster failed: AccessDenied.' }),
      {
        check: endpointNotPublic,
        scannedAt: NOW,
      },
    );
    // Assess
    expect([passed.Compliance?.Status, passed.Severity?.Label]).toEqual(['PASSED', 'INFORMATIONAL']);
    expect([errored.Compliance?.Status, errored.Severity?.Label]).toEqual(['NOT_AVAILABLE', 'HIGH']);
    expect(errored.ProductFields?.[FIELD.resultStatus]).toBe('ERROR');
    expectValidFinding(passed);
    expectValidFinding(errored);
  });

  it('keeps the first-seen dates it is given', () => {
    // Act
    const finding = toFinding(aClusterResult(), {
      check: endpointNotPublic,
      scannedAt: NOW,
      firstSeen: { createdAt: '2026-01-01T00:00:00.000Z', firstObservedAt: '2026-01-02T00:00:00.000Z' },
    });
    // Assess
    expect([finding.CreatedAt, finding.FirstObservedAt, finding.UpdatedAt]).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      NOW.toISOString(),
    ]);
  });

  it('describes a managed node group as Other, and adds the affected subnets and nodes as resources', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup({ nodegroupName: 'ng-1', subnets: ['subnet-public-a'] })],
      instances: [anInstance({ SubnetId: 'subnet-public-a', PublicIpAddress: '54.1.2.3' })],
      subnets: [{ SubnetId: 'subnet-public-a', VpcId: 'vpc-0a1b2c3d', MapPublicIpOnLaunch: true }],
      routeTables: [
        {
          RouteTableId: 'rtb-main',
          VpcId: 'vpc-0a1b2c3d',
          Associations: [{ Main: true }],
          Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }],
        },
      ],
    });
    const result = resultFor(evaluate(privateSubnets, snapshot), nodegroupArn('ng-1'));
    // Act
    const finding = toFinding(result, { check: privateSubnets, snapshot, scannedAt: NOW });
    // Assess
    expectValidFinding(finding);
    expect(result.status).toBe('FAILED');
    expect(finding.ProductFields?.[FIELD.nodeGroup]).toBe('ng-1');
    expect(finding.Resources?.map((resource) => [resource.Type, resource.Id])).toEqual([
      ['Other', nodegroupArn('ng-1')],
      ['AwsEc2Instance', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0aaa0000000000001`],
      ['AwsEc2Subnet', `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-public-a`],
    ]);
    expect(finding.Resources?.[0]?.Details?.Other).toMatchObject({
      kind: 'managed-node-group',
      cluster: 'payments',
      nodegroupName: 'ng-1',
      amiType: 'AL2023_x86_64_STANDARD',
      runningNodes: '1',
    });
  });

  it('describes a self-managed Auto Scaling group with its own resource type', () => {
    // Prepare
    const snapshot = aSnapshot({
      autoScalingGroups: [anAutoScalingGroup('workers')],
      instances: [
        aSelfManagedInstance({
          asg: 'workers',
          MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 },
        }),
      ],
    });
    const result = resultFor(evaluate(hopLimit, snapshot), autoScalingGroupResourceId('workers'));
    // Act
    const finding = toFinding(result, { check: hopLimit, snapshot, scannedAt: NOW });
    // Assess
    expectValidFinding(finding);
    expect(finding.Resources?.[0]).toMatchObject({
      Type: 'AwsAutoScalingAutoScalingGroup',
      Id: autoScalingGroupResourceId('workers'),
      Details: { AwsAutoScalingAutoScalingGroup: expect.any(Object) },
    });
  });

  it('caps Resources at 32 and cuts an over-long description at a word', () => {
    // Prepare
    const instanceIds = Array.from({ length: 40 }, (_, index) => `i-${String(index).padStart(17, '0')}`);
    const result = aClusterResult({
      reason: `${'word '.repeat(300)}end`,
      evidence: { exposedNodes: instanceIds.map((instanceId) => ({ instanceId })) },
    });
    // Act
    const finding = toFinding(result, { check: endpointNotPublic, scannedAt: NOW });
    // Assess
    expectValidFinding(finding);
    expect(finding.Resources).toHaveLength(32);
    expect(finding.Description?.length).toBeLessThanOrEqual(1024);
    expect(finding.Description?.endsWith('word…')).toBe(true);
  });

  it('gives bare resources when the cluster was not collected', () => {
    // Prepare
    const snapshot = aSnapshot({ cluster: failedPart() });
    // Act
    const finding = toFinding(aClusterResult({ status: 'ERROR' }), {
      check: endpointNotPublic,
      snapshot,
      scannedAt: NOW,
    });
    // Assess
    expectValidFinding(finding);
    expect(finding.Resources).toEqual([
      { Type: 'AwsEksCluster', Id: CLUSTER_ARN, Partition: 'aws', Region: REGION },
    ]);
  });

  it('carries a suppression as Workflow SUPPRESSED with a Note from the scanner', () => {
    // Act
    const finding = toFinding(aClusterResult(), {
      check: endpointNotPublic,
      scannedAt: NOW,
      suppression: { reason: 'Suppressed: accepted risk.' },
    });
    // Assess
    expectValidFinding(finding);
    expect(finding.Workflow).toEqual({ Status: 'SUPPRESSED' });
    expect(finding.Note).toEqual({
      Text: 'Suppressed: accepted risk.',
      UpdatedBy: 'eks-compliance-scanner',
      UpdatedAt: NOW.toISOString(),
    });
  });

  it('refuses a NOT_APPLICABLE result, which has no finding', () => {
    // Act
    const shape = () =>
      toFinding(aClusterResult({ status: 'NOT_APPLICABLE' }), { check: endpointNotPublic, scannedAt: NOW });
    // Assess
    expect(shape).toThrow(RangeError);
  });
});

describe('archivedFinding', () => {
  it('re-imports what Security Hub holds as ARCHIVED at the scan time, without the customer-owned members', () => {
    // Prepare
    const stored = {
      ...toFinding(aClusterResult(), {
        check: endpointNotPublic,
        scannedAt: new Date('2026-11-01T00:00:00Z'),
      }),
      Workflow: { Status: 'NOTIFIED' },
      WorkflowState: 'NEW',
      Note: { Text: 'seen', UpdatedBy: 'alice', UpdatedAt: '2026-11-02T00:00:00Z' },
      ProcessedAt: '2026-11-01T00:00:01Z',
    } as const;
    // Act
    const archived = archivedFinding(stored as never, NOW);
    // Assess
    expectValidFinding(archived);
    expect(archived.RecordState).toBe('ARCHIVED');
    expect(archived.UpdatedAt).toBe(NOW.toISOString());
    expect(archived.CreatedAt).toBe('2026-11-01T00:00:00.000Z');
    for (const member of ['Workflow', 'WorkflowState', 'Note', 'ProcessedAt']) {
      expect(archived).not.toHaveProperty(member);
    }
  });
});
