/**
 * The SARIF log: valid against the SARIF 2.1.0 JSON schema, one rule per check, one result per FAILED
 * result located by its resource ARN, and failures to scan reported as notifications, never as results.
 *
 * The schema (test/fixtures/sarif-2.1.0-rtm.5.schema.json) is the SARIF 2.1.0 JSON schema as published
 * on SchemaStore (`sarif-2.1.0-rtm.5.json`, JSON Schema draft-04, the revision @types/sarif follows),
 * vendored from the npm package @microsoft/jest-sarif 1.0.0-beta.0 (MIT, lib/schemas/) because CI has no
 * network; it was reformatted by Biome only, which the digest below (of its parsed content) guards.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { run } from '../../cli/main.js';
import { cisEks, fsbp } from '../../lib/checks/frameworks.js';
import { CHECKS, permissionsOf } from '../../lib/checks/registry.js';
import type { CheckResult } from '../../lib/checks/types.js';
import { findingId } from '../../lib/publish/asff.js';
import { FINGERPRINT_KEY, sarifLog } from '../../lib/publish/sarif.js';
import type { ScanReport } from '../../lib/scan.js';
import { recordingIo } from '../support/io.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCHEMA_PATH = join(HERE, '..', 'fixtures', 'sarif-2.1.0-rtm.5.schema.json');
const DEMO = join(HERE, '..', '..', 'examples', 'demo-estate.json');
const SCHEMA_DIGEST = '326877fc547859119e11e1a831e75fa932c0e5a5b8fc8b04e544d613d6cfd9e6';

const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
// unicodeRegExp off: the schema's `language` pattern (`...{2}]?$`) is valid only without the u flag.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

/** The schema violations of a log, one line each (empty when valid). */
function schemaProblems(log: unknown): string[] {
  if (validateSarif(log)) return [];
  return (validateSarif.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}

function aResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    checkId: 'eks_cluster_endpoint_not_public',
    status: 'FAILED',
    severity: 'HIGH',
    partition: 'aws',
    accountId: '222222222222',
    region: 'eu-west-1',
    cluster: 'payments',
    resourceType: 'AwsEksCluster',
    resourceId: 'arn:aws:eks:eu-west-1:222222222222:cluster/payments',
    reason: 'Cluster payments has a public endpoint open to 0.0.0.0/0.',
    evidence: { publicAccessCidrs: ['0.0.0.0/0'] },
    frameworks: [],
    ...overrides,
  };
}

const SPARK_ASG =
  'arn:aws:autoscaling:eu-west-1:222222222222:autoScalingGroup:5e1b:autoScalingGroupName/spark executors';

const REPORT: ScanReport = {
  scannedAt: '2026-11-22T12:00:00.000Z',
  results: [
    aResult(),
    aResult({ checkId: 'eks_cluster_deletion_protection', status: 'PASSED', severity: 'LOW' }),
    aResult({
      checkId: 'eks_nodegroup_no_ssh_access',
      severity: 'MEDIUM',
      resourceType: 'AwsAutoScalingAutoScalingGroup',
      resourceId: SPARK_ASG,
      nodeGroup: 'spark executors',
      reason: 'Launch template version 3 of spark executors sets key pair analytics-ops.',
    }),
    aResult({
      checkId: 'eks_cluster_version_supported',
      status: 'ERROR',
      reason: 'eks:DescribeClusterVersions failed (ThrottlingException).',
    }),
    aResult({
      checkId: 'eks_fargate_inspector_coverage',
      status: 'NOT_APPLICABLE',
      severity: 'INFORMATIONAL',
    }),
  ],
  errors: [
    {
      accountId: '444444444444',
      region: null,
      operation: 'sts:AssumeRole',
      code: 'AccessDenied',
      message: 'not authorized to perform: sts:AssumeRole',
    },
  ],
};

describe('sarifLog', () => {
  it('checks against the vendored SARIF 2.1.0 schema, which is unchanged and refuses a broken log', () => {
    // Prepare
    const digest = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
    // Act
    const log = sarifLog(REPORT, CHECKS);
    // Assess
    expect(digest).toBe(SCHEMA_DIGEST);
    expect(schemaProblems(log)).toEqual([]);
    expect(schemaProblems({ ...log, version: '2.0.0' })).not.toEqual([]);
    const broken = structuredClone(log);
    const firstResult = broken.runs[0]?.results?.[0] as { message?: unknown } | undefined;
    delete firstResult?.message;
    expect(schemaProblems(broken)).toEqual([expect.stringContaining('/runs/0/results/0')]);
    const badTime = structuredClone(log);
    const invocation = badTime.runs[0]?.invocations?.[0];
    if (invocation !== undefined) invocation.startTimeUtc = 'yesterday';
    expect(schemaProblems(badTime)).toEqual([
      '/runs/0/invocations/0/startTimeUtc must match format "date-time"',
    ]);
  });

  it('declares one rule per check with its title, risk, remediation, severity, frameworks and IAM', () => {
    // Act
    const run = sarifLog(REPORT, CHECKS).runs[0];
    // Assess
    const rules = run?.tool.driver.rules ?? [];
    expect(run?.tool.driver.name).toBe('eks-compliance-scanner');
    expect(rules.map((rule) => rule.id)).toEqual(CHECKS.map((check) => check.id));
    const endpoint = rules[0];
    const check = CHECKS[0];
    expect(endpoint).toMatchObject({
      id: 'eks_cluster_endpoint_not_public',
      name: 'EksClusterEndpointNotPublic',
      shortDescription: { text: check?.title },
      fullDescription: { text: check?.risk },
      helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
      defaultConfiguration: { level: 'error' },
      properties: {
        'security-severity': '8.0',
        severities: ['HIGH'],
        permissions: ['eks:DescribeCluster'],
        frameworks: expect.arrayContaining([
          'AWS Foundational Security Best Practices v1.0.0/EKS.1 (only with allowRestrictedPublicEndpoint=false)',
          'CIS Amazon EKS Benchmark v1.1.0/5.4.1 (only with allowRestrictedPublicEndpoint=true)',
        ]),
        parameters: [expect.objectContaining({ name: 'allowRestrictedPublicEndpoint', default: 'false' })],
      },
    });
    expect(endpoint?.help?.markdown).toContain(check?.remediation.text);
    expect(endpoint?.relationships).toContainEqual(
      expect.objectContaining({
        target: expect.objectContaining({ id: 'EKS.1' }),
        description: { text: 'Only with allowRestrictedPublicEndpoint=false.' },
      }),
    );
    for (const [index, rule] of rules.entries()) {
      expect(rule.properties?.permissions).toEqual(permissionsOf(CHECKS[index] as (typeof CHECKS)[number]));
    }
    const fargate = rules.find((rule) => rule.id === 'eks_fargate_inspector_coverage');
    expect(fargate?.defaultConfiguration?.level).toBe('warning');
    expect(fargate?.properties?.['security-severity']).toBe('5.5');
  });

  it('relates each rule to its framework controls through taxonomies that resolve', () => {
    // Act
    const run = sarifLog(REPORT, CHECKS).runs[0];
    // Assess
    const taxonomies = run?.taxonomies ?? [];
    expect(taxonomies.map((taxonomy) => taxonomy.name)).toEqual(
      expect.arrayContaining([
        'AWS Foundational Security Best Practices v1.0.0',
        'CIS Amazon EKS Benchmark v1.1.0',
      ]),
    );
    const unresolved = (run?.tool.driver.rules ?? []).flatMap((rule) =>
      (rule.relationships ?? []).flatMap((relationship) => {
        const taxonomy = taxonomies[relationship.target.toolComponent?.index ?? -1];
        const found =
          taxonomy?.name === relationship.target.toolComponent?.name &&
          taxonomy?.taxa?.some((taxon) => taxon.id === relationship.target.id);
        return found ? [] : [`${rule.id} -> ${relationship.target.id}`];
      }),
    );
    expect(unresolved).toEqual([]);
    const fsbp = taxonomies.find((taxonomy) => taxonomy.name.startsWith('AWS Foundational'));
    expect(fsbp?.taxa?.map((taxon) => taxon.id).sort()).toEqual(['EKS.1', 'EKS.2', 'EKS.3', 'EKS.8']);
  });

  it('gives each result, as taxa that resolve, the controls that result cites', () => {
    // Prepare
    const report = {
      ...REPORT,
      results: [
        aResult({ frameworks: [fsbp('EKS.1'), cisEks('5.4.2')] }),
        aResult({ resourceId: `${aResult().resourceId}-restricted`, frameworks: [cisEks('5.4.1')] }),
        aResult({ resourceId: `${aResult().resourceId}-bare` }),
      ],
    };
    // Act
    const run = sarifLog(report, CHECKS).runs[0];
    // Assess
    const taxonomies = run?.taxonomies ?? [];
    const cited = (run?.results ?? []).map((result) =>
      (result.taxa ?? []).map((taxon) => {
        const taxonomy = taxonomies[taxon.toolComponent?.index ?? -1];
        expect(taxonomy?.name).toBe(taxon.toolComponent?.name);
        expect(taxonomy?.taxa?.map((entry) => entry.id)).toContain(taxon.id);
        return `${taxonomy?.name}/${taxon.id}`;
      }),
    );
    expect(cited).toEqual([
      ['AWS Foundational Security Best Practices v1.0.0/EKS.1', 'CIS Amazon EKS Benchmark v1.1.0/5.4.2'],
      ['CIS Amazon EKS Benchmark v1.1.0/5.4.1'],
      [],
    ]);
  });

  it('has one result per FAILED result, at its severity, located by the resource ARN', () => {
    // Act
    const run = sarifLog(REPORT, CHECKS).runs[0];
    // Assess
    const results = run?.results ?? [];
    expect(results.map((result) => [result.ruleId, result.kind, result.level])).toEqual([
      ['eks_cluster_endpoint_not_public', 'fail', 'error'],
      ['eks_nodegroup_no_ssh_access', 'fail', 'warning'],
    ]);
    for (const result of results) {
      expect(run?.tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
    }
    const ssh = results[1];
    expect(ssh?.message.text).toBe(
      'Launch template version 3 of spark executors sets key pair analytics-ops.',
    );
    expect(ssh?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: {
            uri: 'arn:aws:autoscaling:eu-west-1:222222222222:autoScalingGroup:5e1b:autoScalingGroupName/spark%20executors',
          },
        },
        logicalLocations: [{ name: 'spark executors', fullyQualifiedName: SPARK_ASG, kind: 'resource' }],
      },
    ]);
    expect(ssh?.partialFingerprints).toEqual({
      [FINGERPRINT_KEY]: findingId({ checkId: 'eks_nodegroup_no_ssh_access', resourceId: SPARK_ASG }),
    });
    expect(ssh?.properties).toMatchObject({
      severity: 'MEDIUM',
      accountId: '222222222222',
      cluster: 'payments',
      nodeGroup: 'spark executors',
    });
  });

  it('reports targets it could not scan and results it could not determine as notifications', () => {
    // Act
    const invocation = sarifLog(REPORT, CHECKS).runs[0]?.invocations?.[0];
    // Assess
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.startTimeUtc).toBe('2026-11-22T12:00:00.000Z');
    expect(invocation?.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        level: 'error',
        message: {
          text: '444444444444 every Region: sts:AssumeRole failed with AccessDenied: not authorized to perform: sts:AssumeRole',
        },
      }),
      expect.objectContaining({
        level: 'warning',
        associatedRule: { id: 'eks_cluster_version_supported', index: 4 },
      }),
    ]);
    const clean = sarifLog({ ...REPORT, errors: [], results: [] }, CHECKS);
    expect(clean.runs[0]?.invocations?.[0]?.executionSuccessful).toBe(true);
    expect(clean.runs[0]?.results).toEqual([]);
    expect(schemaProblems(clean)).toEqual([]);
  });

  it('writes the demo estate as a valid log with the 67 failures, through eks-scan scan --format sarif', async () => {
    // Prepare
    const io = recordingIo(false);
    // Act
    const status = await run(
      ['scan', '--estate', DEMO, '--format', 'sarif', '--now', '2026-11-22T12:00:00Z'],
      io,
    );
    // Assess
    const log = JSON.parse(io.out()) as Log;
    expect(status).toBe(1);
    expect(schemaProblems(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(67);
    expect(results.filter((result) => result.level === 'error').length).toBeGreaterThan(0);
    const spark = results.find(
      (result) =>
        result.ruleId === 'eks_cluster_endpoint_not_public' &&
        result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ===
          'arn:aws:eks:eu-west-1:333333333333:cluster/analytics-spark',
    );
    expect(spark?.level).toBe('error');
    expect(spark?.message.text).toContain('0.0.0.0/0');
    const legacy = results.find(
      (result) =>
        result.ruleId === 'eks_cluster_endpoint_not_public' &&
        result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ===
          'arn:aws:eks:us-east-1:333333333333:cluster/analytics-legacy',
    );
    expect(legacy?.message.text).toContain('0.0.0.0/1, 128.0.0.0/1 together cover it');
    expect(log.runs[0]?.invocations?.[0]?.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        properties: expect.objectContaining({ accountId: '444444444444', code: 'AccessDenied' }),
      }),
    ]);
  }, 60_000);
});
