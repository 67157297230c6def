/**
 * Granted = used, per role: the state machine (twice, the second run suppressing a cluster's findings
 * that the first published) and the Config rule in every mode run against the emulator, which records
 * each call with the credentials that made it; the actions each role made are compared with what the
 * deployed policies grant, both ways. Mapping and exceptions: test/iam/role-calls.ts.
 */

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { inputParameters } from '../../deploy/config-rules.js';
import { memberRoleTemplate } from '../../deploy/member-role.js';
import { packageService } from '../../deploy/package-service.js';
import { type Estate, homeAccountId, parseEstate } from '../../emulator/estate.js';
import { HOME_CREDENTIALS, startEmulator } from '../../emulator/server.js';
import { resultTokenFor } from '../../emulator/services/config.js';
import { createS3Client } from '../../lib/aws/s3.js';
import { CHECKS } from '../../lib/checks/registry.js';
import { DEFAULT_ROLE_NAME } from '../../lib/discover.js';
import { configRuleName, hasConfigRule } from '../../lib/publish/config-evaluations.js';
import { s3ObjectStore } from '../../local/object-store.js';
import { LOCAL_RESULTS_BUCKET } from '../../local/start.js';
import {
  ExecutionFailedError,
  type FunctionModule,
  lambdaHandlers,
  runScanStateMachine,
  TASKS,
  type TaskHandlers,
  type TaskStateName,
} from '../../local/state-machine.js';
import { scanEndpoint } from '../support/cli.js';
import {
  actionOf,
  compareGrantedWithUsed,
  isMemberRole,
  MEMBER_ROLE,
  type PrincipalCall,
  UNAUTHORIZED_CALLS,
} from './role-calls.js';

/** The person running `eks-scan`: their own credentials are no deployed role. */
const OPERATOR = 'operator';

const ROOT = new URL('../../', import.meta.url);
const REGION = 'eu-west-1';
const NOW = '2026-11-22T12:00:00.000Z';

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
}
interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
type Template = { Resources: Record<string, Resource> };

const toArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** A statement, or the statement a `Fn::If` holds when its condition is true (AWS::NoValue: none). */
function statementOf(value: unknown): Statement | undefined {
  const conditional = (value as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
  return (conditional === undefined ? value : conditional[1]) as Statement | undefined;
}

/** The actions a role's inline policies allow. */
function allowedActions(role: Resource): Set<string> {
  const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[];
  return new Set(
    policies
      .flatMap((policy) => policy.PolicyDocument.Statement.map(statementOf))
      .filter((statement): statement is Statement => statement?.Effect === 'Allow')
      .flatMap((statement) => toArray(statement.Action)),
  );
}

/** The role (logical id) the packaged template gives a function of serverless.yml. */
function roleOfFunction(template: Template, functionKey: string): string {
  const logicalId = `${functionKey.charAt(0).toUpperCase()}${functionKey.slice(1)}LambdaFunction`;
  const role = template.Resources[logicalId]?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] };
  const name = role?.['Fn::GetAtt']?.[0];
  if (name === undefined) throw new Error(`${logicalId} has no role of this template.`);
  return name;
}

/** The demo estate with the tag that suppresses every finding of one cluster. */
function withSuppressedCluster(estate: Estate): Estate {
  const copy = structuredClone(estate) as Estate & {
    accounts: { regions: Record<string, { clusters: { cluster: { tags?: Record<string, string> } }[] }> }[];
  };
  const cluster = copy.accounts[1]?.regions[REGION]?.clusters[0]?.cluster;
  if (cluster === undefined) throw new Error('The demo estate has no cluster to suppress.');
  cluster.tags = { ...cluster.tags, 'eks-scan:suppress': 'all' };
  return copy as Estate;
}

describe('granted = used, for every role', () => {
  let template: Template;
  let granted: Record<string, Set<string>>;
  const used: Record<string, Set<string>> = {};
  let running: Awaited<ReturnType<typeof startEmulator>>;
  const saved = { ...process.env };

  /** Records the actions of calls made since the last recording, as `role`'s or the member role's. */
  function attribute(role: string, before: Map<string, number>) {
    for (const call of running.emulator.callsByPrincipal()) {
      const key = `${call.principal}|${call.account}|${call.region}|${call.service}|${call.operation}`;
      if (call.count === (before.get(key) ?? 0)) continue;
      const action = actionOf(call as PrincipalCall);
      if (UNAUTHORIZED_CALLS.has(action)) continue;
      const owner = isMemberRole(call.principal ?? '', DEFAULT_ROLE_NAME) ? MEMBER_ROLE : role;
      if (owner === role && call.principal !== HOME_CREDENTIALS.accessKeyId)
        throw new Error(`A call by ${call.principal} that is neither the function's nor the member role's.`);
      const actions = used[owner] ?? new Set<string>();
      used[owner] = actions.add(action);
    }
  }
  const snapshot = () =>
    new Map(
      running.emulator
        .callsByPrincipal()
        .map((call) => [
          `${call.principal}|${call.account}|${call.region}|${call.service}|${call.operation}`,
          call.count,
        ]),
    );

  /** One invocation at a time, so each call is attributed to the function that made it. */
  let queue: Promise<unknown> = Promise.resolve();
  function serialized<T>(role: string, invoke: () => Promise<T>): Promise<T> {
    const next = queue.then(async () => {
      const before = snapshot();
      try {
        return await invoke();
      } finally {
        attribute(role, before);
      }
    });
    queue = next.catch(() => undefined);
    return next;
  }

  beforeAll(async () => {
    ({ template } = await packageService<Template>());
    granted = {
      ...Object.fromEntries(
        Object.entries(template.Resources)
          .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
          .filter(([name]) =>
            [...Object.values(TASKS).map(({ functionKey }): string => functionKey), 'configRule'].some(
              (functionKey) => roleOfFunction(template, functionKey) === name,
            ),
          )
          .map(([name, resource]) => [name, allowedActions(resource)]),
      ),
      [MEMBER_ROLE]: allowedActions(memberRoleTemplate().Resources.ScannerRole as unknown as Resource),
    };

    const demo = parseEstate(JSON.parse(await readFile(new URL('examples/demo-estate.json', ROOT), 'utf8')));
    running = await startEmulator({ estate: demo });
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: running.endpoint,
      AWS_ACCESS_KEY_ID: HOME_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: HOME_CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
      MEMBER_ROLE_NAME: DEFAULT_ROLE_NAME,
      SCAN_RESULTS_BUCKET: LOCAL_RESULTS_BUCKET,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;

    // The state machine, as deployed, twice: the second run suppresses findings the first published.
    const functions = await lambdaHandlers({ accountId: homeAccountId(demo) });
    const handlers = Object.fromEntries(
      (Object.keys(TASKS) as TaskStateName[]).map((state) => [
        state,
        (event: unknown) =>
          serialized(roleOfFunction(template, TASKS[state].functionKey), () => functions[state](event)),
      ]),
    ) as unknown as TaskHandlers;
    const s3 = createS3Client({ region: REGION });
    for (const estate of [demo, withSuppressedCluster(demo)]) {
      running.emulator.replaceEstate(estate);
      // The demo's denied account fails the run, after everything else ran.
      await runScanStateMachine(
        { source: 'eks-compliance-scanner.local', time: NOW },
        { handlers, store: s3ObjectStore(s3) },
      ).catch((error: unknown) => {
        if (!(error instanceof ExecutionFailedError)) throw error;
      });
    }
    s3.destroy();

    // The Config rule: every sample (organization mode: another account's rule, through the member
    // role), and each again as a rule of the function's own account (its own credentials).
    const { handler } = (await import('../../functions/config-rule.js')) as FunctionModule;
    const configRole = roleOfFunction(template, 'configRule');
    const context = {
      functionName: 'eks-compliance-scanner-local-configRule',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${homeAccountId(demo)}:function:configRule`,
      awsRequestId: 'granted-vs-used',
      getRemainingTimeInMillis: () => 60_000,
    } as unknown as Context;
    for (const name of [
      'config-change.json',
      'config-change-oversized.json',
      'config-change-deleted.json',
      'config-change-left-scope.json',
      'config-periodic.json',
    ]) {
      const sample = JSON.parse(await readFile(new URL(`events/${name}`, ROOT), 'utf8')) as Record<
        string,
        unknown
      >;
      const home = homeAccountId(demo);
      const own = JSON.parse(
        JSON.stringify(sample).replaceAll(String(sample.accountId), home),
      ) as typeof sample;
      for (const event of [sample, { ...own, resultToken: resultTokenFor(String(own.configRuleName)) }]) {
        await serialized(configRole, () => handler(event, context)).catch(() => undefined);
      }
    }
    // Every rule, periodically, in the function's own account: each check's reads.
    const periodic = JSON.parse(
      await readFile(new URL('events/config-periodic.json', ROOT), 'utf8'),
    ) as Record<string, unknown>;
    for (const check of CHECKS.filter(hasConfigRule)) {
      const invoking = { ...JSON.parse(String(periodic.invokingEvent)), awsAccountId: homeAccountId(demo) };
      const event = {
        ...periodic,
        accountId: homeAccountId(demo),
        invokingEvent: JSON.stringify(invoking),
        ruleParameters: JSON.stringify(inputParameters(check)),
        configRuleName: configRuleName(check),
        resultToken: resultTokenFor(configRuleName(check)),
        executionRoleArn: `arn:aws:iam::${homeAccountId(demo)}:role/${DEFAULT_ROLE_NAME}`,
      };
      await serialized(configRole, () => handler(event, context)).catch(() => undefined);
    }

    // The scan command, publishing with a suppression list: its calls in member accounts.
    const suppressions = join(await mkdtemp(join(tmpdir(), 'granted-vs-used-')), 'suppressions.json');
    await writeFile(suppressions, JSON.stringify([{ checkId: '*', resource: '*', reason: 'test' }]));
    await serialized(OPERATOR, () =>
      scanEndpoint(running.endpoint, NOW, '--publish', 'securityhub', '--suppressions', suppressions),
    );
    delete used[OPERATOR];
  }, 300_000);

  afterAll(async () => {
    process.env = saved;
    await running?.stop();
  });

  it('records calls for every function role and the member role', () => {
    // Assess
    // Summarize reads only S3 (the Distributed Map's results), which the emulator serves and records.
    expect(Object.keys(used).sort()).toEqual(Object.keys(granted).sort());
    expect([...(used[MEMBER_ROLE] ?? [])]).toEqual(
      expect.arrayContaining([
        'eks:ListClusters',
        'securityhub:BatchImportFindings',
        'securityhub:BatchUpdateFindings',
        'config:PutEvaluations',
      ]),
    );
  });

  it('grants each role exactly the actions it calls: nothing missing, nothing unused', () => {
    // Act
    const comparison = compareGrantedWithUsed(granted, used);
    // Assess
    expect(comparison).toEqual(
      Object.fromEntries(Object.keys(comparison).map((role) => [role, { missing: [], unused: [] }])),
    );
  });

  it('would fail if any policy gained or lost an action', () => {
    // Arrange
    const [role, actions] = Object.entries(granted)[0] ?? ['none', new Set<string>()];
    const [dropped] = [...actions].filter((action) => used[role]?.has(action));
    const gained = { ...granted, [role]: new Set([...actions, 'iam:PassRole']) };
    const lost = { ...granted, [role]: new Set([...actions].filter((action) => action !== dropped)) };
    // Act
    const afterGain = compareGrantedWithUsed(gained, used)[role];
    const afterLoss = compareGrantedWithUsed(lost, used)[role];
    // Assess
    expect(dropped).toBeDefined();
    expect(afterGain).toEqual({ missing: [], unused: ['iam:PassRole'] });
    expect(afterLoss).toEqual({ missing: [dropped], unused: [] });
  });
});
