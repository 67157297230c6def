import { describe, expect, it } from '@jest/globals';
import { cisEks, fsbp, parameterIs, relatedRequirement } from '../../lib/checks/frameworks.js';
import { booleanParameter, integerParameter } from '../../lib/checks/parameters.js';
import {
  CLUSTER_RESOURCE,
  FARGATE_PROFILE_RESOURCE,
  NODE_GROUP_RESOURCE,
} from '../../lib/checks/resources.js';
import { runChecks } from '../../lib/checks/runner.js';
import { type Check, defineCheck, type Outcome } from '../../lib/checks/types.js';
import { ParameterError } from '../../lib/errors.js';
import { MissingDataError, need } from '../../lib/snapshot/missing-data.js';
import { collected } from '../../lib/snapshot/types.js';
import {
  aFargateProfile,
  aLaunchTemplateVersion,
  aManagedNodegroup,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  CLUSTER_ARN,
  failedPart,
  NOW,
  nodegroupArn,
} from '../support/snapshot.js';

const common = {
  title: 'test check',
  asffTypes: ['Software and Configuration Checks/AWS Security Best Practices'] as [string],
  failsWhen: 'fails when it fails',
  risk: 'risk',
  remediation: { text: 'fix it', url: 'https://docs.aws.amazon.com/eks/' },
  frameworks: [],
};

const clusterCheck = (
  evaluate: () => Outcome,
  extra: Partial<Pick<Check, 'inputs' | 'severities'>> = {},
): Check =>
  defineCheck({
    ...common,
    id: 'eks_cluster_test',
    resource: CLUSTER_RESOURCE,
    severities: extra.severities ?? ['MEDIUM'],
    inputs: extra.inputs ?? [],
    parameters: {},
    evaluate,
  });

const passed: Outcome = { status: 'PASSED', reason: 'fine' };

describe('runChecks', () => {
  it('returns no results when there are no clusters', () => {
    // Act
    const results = runChecks([clusterCheck(() => passed)], [], { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('shapes a result with the scope, the resource and the default severity', () => {
    // Prepare
    const check = clusterCheck(() => ({ status: 'PASSED', reason: 'fine', evidence: { a: 1 } }));
    // Act
    const results = runChecks([check], [aSnapshot()], { now: NOW });
    // Assess
    expect(results).toEqual([
      {
        checkId: 'eks_cluster_test',
        status: 'PASSED',
        severity: 'MEDIUM',
        partition: 'aws',
        accountId: '222222222222',
        region: 'eu-west-1',
        cluster: 'payments',
        resourceType: 'AwsEksCluster',
        resourceId: CLUSTER_ARN,
        reason: 'fine',
        evidence: { a: 1 },
        frameworks: [],
      },
    ]);
  });

  it('cites on every result, ERROR included, the mappings that hold with the parameters in force', () => {
    // Prepare
    const strict = parameterIs('strict', true);
    const check = defineCheck({
      ...common,
      id: 'eks_cluster_test',
      resource: CLUSTER_RESOURCE,
      severities: ['MEDIUM'],
      inputs: [],
      frameworks: [fsbp('EKS.1', strict), cisEks('5.4.1', parameterIs('strict', false)), cisEks('9.9')],
      parameters: { strict: booleanParameter({ description: 'strict', default: true }) },
      evaluate: () => passed,
    });
    // Act
    const [byDefault] = runChecks([check], [aSnapshot()], { now: NOW });
    const [lenient] = runChecks([check], [aSnapshot()], { now: NOW, parameters: { strict: 'false' } });
    const [error] = runChecks([check], [aSnapshot({ cluster: failedPart() })], { now: NOW });
    // Assess
    expect(byDefault?.frameworks.map(relatedRequirement)).toEqual([
      'AWS Foundational Security Best Practices v1.0.0/EKS.1',
      'CIS Amazon EKS Benchmark v1.1.0/9.9',
    ]);
    expect(lenient?.frameworks.map(relatedRequirement)).toEqual([
      'CIS Amazon EKS Benchmark v1.1.0/5.4.1',
      'CIS Amazon EKS Benchmark v1.1.0/9.9',
    ]);
    expect(error?.status).toBe('ERROR');
    expect(error?.frameworks).toEqual(byDefault?.frameworks);
  });

  it('turns a MissingDataError into ERROR with its reason', () => {
    // Prepare
    const check = clusterCheck(() => {
      throw new MissingDataError('Cluster payments reports no logging.');
    });
    // Act
    const [result] = runChecks([check], [aSnapshot()], { now: NOW });
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', reason: 'Cluster payments reports no logging.' });
  });

  it('turns a check that throws into ERROR for that resource only', () => {
    // Prepare
    const check = defineCheck({
      ...common,
      id: 'eks_nodegroup_test',
      resource: NODE_GROUP_RESOURCE,
      severities: ['LOW'],
      inputs: [],
      parameters: {},
      evaluate: ({ group }) => {
        if (group.name === 'broken') throw new TypeError("Cannot read properties of undefined (reading 'x')");
        return passed;
      },
    });
    const snapshot = aSnapshot({
      nodegroups: [
        aManagedNodegroup({ nodegroupName: 'broken' }),
        aManagedNodegroup({ nodegroupName: 'fine' }),
      ],
    });
    // Act
    const results = runChecks([check], [snapshot], { now: NOW });
    // Assess
    expect(results.map((result) => [result.nodeGroup, result.status])).toEqual([
      ['broken', 'ERROR'],
      ['fine', 'PASSED'],
    ]);
    expect(results[0]?.reason).toContain(`failed on ${nodegroupArn('broken')}`);
  });

  it('lets a check read only the parts it declares: any other reads as not collected, so ERROR', () => {
    // Prepare
    const readingImages = (inputs: Check['inputs']) =>
      defineCheck({
        ...common,
        id: 'eks_cluster_reads_images',
        resource: CLUSTER_RESOURCE,
        severities: ['LOW'],
        inputs,
        parameters: {},
        evaluate: ({ snapshot }) => ({
          status: 'PASSED',
          reason: `${Object.keys(need(snapshot.images, 'AMIs')).length} AMIs`,
        }),
      });
    // Act
    const results = runChecks([readingImages([]), readingImages(['images'])], [aSnapshot({ images: {} })], {
      now: NOW,
    });
    // Assess
    expect(results.map((result) => result.status)).toEqual(['ERROR', 'PASSED']);
    expect(results[0]?.reason).toContain('does not declare the input images');
  });

  it.each([
    [
      'a severity it does not declare',
      { status: 'FAILED', severity: 'CRITICAL', reason: 'x' },
      ['HIGH', 'MEDIUM'],
    ],
    ['no severity on FAILED with several declared', { status: 'FAILED', reason: 'x' }, ['HIGH', 'MEDIUM']],
    ['an empty reason', { status: 'PASSED', reason: ' ' }, ['HIGH']],
    ['ERROR as an outcome', { status: 'ERROR', reason: 'x' }, ['HIGH']],
  ])('rejects an outcome with %s as ERROR', (_, outcome, severities) => {
    // Prepare
    const check = clusterCheck(() => outcome as Outcome, {
      severities: severities as unknown as Check['severities'],
    });
    // Act
    const [result] = runChecks([check], [aSnapshot()], { now: NOW });
    // Assess
    expect(result?.status).toBe('ERROR');
  });

  it('reports the severity a FAILED outcome chose', () => {
    // Prepare
    const check = clusterCheck(() => ({ status: 'FAILED', severity: 'MEDIUM', reason: 'x' }), {
      severities: ['HIGH', 'MEDIUM'],
    });
    // Act
    const [result] = runChecks([check], [aSnapshot()], { now: NOW });
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
  });

  it('yields one ERROR on the cluster ARN, never PASSED, when DescribeCluster failed', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: failedPart({ operation: 'eks:DescribeCluster', code: 'AccessDeniedException' }),
    });
    // Act
    const results = runChecks([clusterCheck(() => passed)], [snapshot], { now: NOW });
    // Assess
    expect(results).toEqual([
      expect.objectContaining({ status: 'ERROR', resourceId: CLUSTER_ARN, resourceType: 'AwsEksCluster' }),
    ]);
    expect(results[0]?.reason).toContain('eks:DescribeCluster failed (AccessDeniedException');
  });

  it('yields one ERROR on the cluster when node groups cannot be discovered', () => {
    // Prepare
    const check = defineCheck({
      ...common,
      id: 'eks_nodegroup_test',
      resource: NODE_GROUP_RESOURCE,
      severities: ['LOW'],
      inputs: [],
      parameters: {},
      evaluate: () => passed,
    });
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: failedPart({ operation: 'ec2:DescribeInstances', code: 'RequestLimitExceeded' }),
    });
    // Act
    const results = runChecks([check], [snapshot], { now: NOW });
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
    expect(results[0]?.reason).toContain('ec2:DescribeInstances failed (RequestLimitExceeded');
  });

  it('runs Fargate profile checks once per profile', () => {
    // Prepare
    const check = defineCheck({
      ...common,
      id: 'eks_fargate_test',
      resource: FARGATE_PROFILE_RESOURCE,
      severities: ['INFORMATIONAL'],
      inputs: [],
      parameters: {},
      evaluate: ({ profile }) => ({ status: 'NOT_APPLICABLE', reason: String(profile.fargateProfileName) }),
    });
    const snapshot = aSnapshot({ fargateProfiles: [aFargateProfile('batch'), aFargateProfile('jobs')] });
    // Act
    const results = runChecks([check], [snapshot], { now: NOW });
    // Assess
    expect(results.map((result) => [result.reason, result.resourceType])).toEqual([
      ['batch', 'Other'],
      ['jobs', 'Other'],
    ]);
  });

  it('passes the scan time and resolved parameters to the check', () => {
    // Prepare
    const seen: unknown[] = [];
    const check = defineCheck({
      ...common,
      id: 'eks_cluster_params',
      resource: CLUSTER_RESOURCE,
      severities: ['LOW'],
      inputs: [],
      parameters: { maxDays: integerParameter({ description: 'd', default: 30, min: 1, max: 90 }) },
      evaluate: (_, context) => {
        seen.push(context.now.toISOString(), context.parameters.maxDays);
        return passed;
      },
    });
    // Act
    runChecks([check], [aSnapshot()], { now: NOW, parameters: { maxDays: '45' } });
    runChecks([check], [aSnapshot()], { now: NOW });
    // Assess
    expect(seen).toEqual([NOW.toISOString(), 45, NOW.toISOString(), 30]);
  });

  it.each([
    [{ maxDays: '0' }, 'Parameter maxDays: expected 1..90, got 0'],
    [{ maxDays: 'soon' }, 'Parameter maxDays: expected an integer, got "soon"'],
    [{ maxDayz: '3' }, 'Parameter maxDayz: no selected check takes it'],
  ])('rejects parameters %j before any check runs', (parameters, message) => {
    // Prepare
    let ran = false;
    const check = defineCheck({
      ...common,
      id: 'eks_cluster_params',
      resource: CLUSTER_RESOURCE,
      severities: ['LOW'],
      inputs: [],
      parameters: { maxDays: integerParameter({ description: 'd', default: 30, min: 1, max: 90 }) },
      evaluate: () => {
        ran = true;
        return passed;
      },
    });
    // Act
    const act = () => runChecks([check], [aSnapshot()], { now: NOW, parameters });
    // Assess
    expect(act).toThrow(ParameterError);
    expect(act).toThrow(message);
    expect(ran).toBe(false);
  });
});

describe('runChecks: failed look-ups and shared resources', () => {
  const templateCheck = defineCheck({
    ...common,
    id: 'eks_nodegroup_template_test',
    resource: NODE_GROUP_RESOURCE,
    severities: ['MEDIUM'],
    inputs: ['launchTemplateVersions'],
    parameters: {},
    evaluate: ({ snapshot }) => {
      need(snapshot.launchTemplateVersions, 'Launch template versions');
      return passed;
    },
  });
  const failure = {
    operation: 'ec2:DescribeLaunchTemplateVersions',
    code: 'InvalidLaunchTemplateId.NotFound',
    message: 'The specified launch template, with template ID lt-gone, does not exist.',
  };

  it('fails only the groups that need a resource whose look-up failed; their siblings are judged', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [
        aManagedNodegroup({ nodegroupName: 'kept', launchTemplate: { id: 'lt-0abc', version: '1' } }),
        aManagedNodegroup({ nodegroupName: 'broken', launchTemplate: { id: 'lt-gone', version: '3' } }),
        aManagedNodegroup({ nodegroupName: 'plain', launchTemplate: undefined }),
      ],
      launchTemplateVersions: collected([aLaunchTemplateVersion()], { 'id:lt-gone#3': failure }),
    });
    // Act
    const results = runChecks([templateCheck], [snapshot], { now: NOW });
    // Assess
    expect(Object.fromEntries(results.map((result) => [result.nodeGroup, result.status]))).toEqual({
      kept: 'PASSED',
      broken: 'ERROR',
      plain: 'PASSED',
    });
    const broken = results.find((result) => result.nodeGroup === 'broken');
    expect(broken?.reason).toContain('InvalidLaunchTemplateId.NotFound');
    expect(broken?.evidence).toEqual({ failure });
  });

  it('names the owner and every claimant of a resource several clusters claim, on every result', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [
        aSelfManagedInstance({
          Tags: [
            { Key: 'kubernetes.io/cluster/payments', Value: 'owned' },
            { Key: 'kubernetes.io/cluster/ledger', Value: 'shared' },
          ],
        }),
        aSelfManagedInstance({ InstanceId: 'i-0bbb0000000000002' }),
      ],
    });
    const check = defineCheck({
      ...common,
      id: 'eks_nodegroup_test',
      resource: NODE_GROUP_RESOURCE,
      severities: ['MEDIUM'],
      inputs: [],
      parameters: {},
      evaluate: () => ({ ...passed, evidence: { seen: true } }),
    });
    // Act
    const results = runChecks([check], [snapshot], { now: NOW });
    // Assess
    expect(Object.fromEntries(results.map((result) => [result.nodeGroup, result.evidence]))).toEqual({
      'i-0bbb0000000000001': {
        seen: true,
        ownership: { owner: 'payments', claimants: ['ledger', 'payments'] },
      },
      'i-0bbb0000000000002': { seen: true },
    });
  });
});

describe('need', () => {
  it('returns the value of a collected part and names the failed call otherwise', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [anInstance()],
      images: failedPart({ operation: 'ec2:DescribeImages' }),
    });
    // Act
    const instances = need(snapshot.instances, 'nodes');
    const act = () => need(snapshot.images, 'AMIs of cluster payments');
    // Assess
    expect(instances).toHaveLength(1);
    expect(act).toThrow(
      'AMIs of cluster payments could not be collected: ec2:DescribeImages failed (ThrottlingException: Rate exceeded).',
    );
  });
});
