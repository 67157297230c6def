/**
 * One invocation of a check's AWS Config rule: change-triggered on one cluster, or periodic over every
 * cluster of the account and Region. Collection uses the same collector as every scan; evaluations
 * are shaped in lib/publish/config-evaluations.ts. A result that could not be judged sends nothing.
 */
import type { ConfigServiceClient, Evaluation } from '@aws-sdk/client-config-service';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { createConfigServiceClient } from '../aws/config-service.js';
import { toCollectionFailure } from '../aws/errors.js';
import { findCheck } from '../checks/registry.js';
import { inputsOf, resolveParameters, runChecks } from '../checks/runner.js';
import type { Check } from '../checks/types.js';
import { type CollectTarget, collectRegion } from '../collect/collector.js';
import { latestConfigurationItem } from '../collect/config-history.js';
import { assumeRoleCredentials, roleArn } from '../discover.js';
import {
  CLUSTER_CONFIG_TYPE,
  clusterEvaluation,
  evaluationOf,
  hasConfigRule,
  putEvaluations,
  retiredEvaluations,
} from '../publish/config-evaluations.js';
import { type CollectionFailure, snapshotFailures } from '../snapshot/types.js';
import { InputError } from '../validation.js';
import type { ConfigItem, ConfigRuleEvent } from './event.js';

export interface ConfigRuleEnvironment {
  /** The account the function runs in (unknown when invoked locally): other accounts' rules take a role. */
  readonly functionAccountId?: string;
  /** Role assumed in the rule's account (organization mode); otherwise the event's executionRoleArn. */
  readonly memberRoleName?: string;
  /** An explicit endpoint (the emulator); otherwise the SDK's standard settings apply. */
  readonly endpoint?: string;
  /** Credentials of the function; otherwise the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface ConfigRuleOutcome {
  readonly checkId: string;
  /** The evaluations judged and sent (see `failures` for any Config did not take). */
  readonly evaluations: readonly Evaluation[];
  readonly putEvaluationsCalls: number;
  /** Evaluations Config accepted. */
  readonly accepted: number;
  /** Clusters left without an evaluation because the check could not judge them. */
  readonly unjudged: readonly { readonly cluster: string; readonly reason: string }[];
  /**
   * Calls that failed (collection, the retirement lookup, PutEvaluations) and evaluations Config
   * refused; the function reports the invocation as failed after sending what it could.
   */
  readonly failures: readonly CollectionFailure[];
}

/** The check a rule serves (`checkId`) and its parameters (every other rule parameter). */
function ruleCheck(event: ConfigRuleEvent): { check: Check; parameters: Record<string, unknown> } {
  const { checkId, ...parameters } = event.ruleParameters;
  const problem = (message: string) =>
    new InputError([{ path: 'ruleParameters.checkId', message }], 'Config rule event');
  if (checkId === undefined) throw problem('required: the id of the check this rule runs');
  const check = findCheck(checkId);
  if (check === undefined) throw problem(`unknown check id ${JSON.stringify(checkId)}`);
  if (!hasConfigRule(check)) throw problem(`check ${checkId} does not report on ${CLUSTER_CONFIG_TYPE}`);
  resolveParameters(check, parameters);
  return { check, parameters };
}

/**
 * The role that serves a rule of another account: the configured member role (organization mode), or
 * else the execution role the event names. None for the function's own account.
 */
export function ruleRole(
  event: Pick<ConfigRuleEvent, 'accountId' | 'partition' | 'executionRoleArn'>,
  environment: Pick<ConfigRuleEnvironment, 'functionAccountId' | 'memberRoleName'>,
): string | undefined {
  if (event.accountId === environment.functionAccountId) return undefined;
  if (environment.memberRoleName !== undefined) {
    return roleArn({
      accountId: event.accountId,
      partition: event.partition,
      roleName: environment.memberRoleName,
    });
  }
  return event.executionRoleArn;
}

async function accountCredentials(event: ConfigRuleEvent, environment: ConfigRuleEnvironment) {
  const role = ruleRole(event, environment);
  if (role === undefined) return environment.credentials;
  return assumeRoleCredentials({
    roleArn: role,
    region: event.region,
    sourceCredentials: environment.credentials,
    endpoint: environment.endpoint,
  });
}

interface RuleRun {
  readonly event: ConfigRuleEvent;
  readonly check: Check;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly target: CollectTarget;
  readonly scanTime: Date;
}

interface Evaluated {
  readonly evaluations: Evaluation[];
  readonly unjudged: { readonly cluster: string; readonly reason: string }[];
  readonly failures: CollectionFailure[];
}

export async function runConfigRule(
  event: ConfigRuleEvent,
  environment: ConfigRuleEnvironment,
): Promise<ConfigRuleOutcome> {
  const { check, parameters } = ruleCheck(event);
  const credentials = await accountCredentials(event, environment);
  const { invokingEvent } = event;
  const run: RuleRun = {
    event,
    check,
    parameters,
    target: {
      partition: event.partition,
      accountId: event.accountId,
      region: event.region,
      credentials,
      endpoint: environment.endpoint,
    },
    scanTime: new Date(invokingEvent.notificationCreationTime),
  };
  const config = createConfigServiceClient({
    region: event.region,
    credentials,
    endpoint: environment.endpoint,
  });
  try {
    let outcome: Evaluated;
    if (invokingEvent.messageType === 'ScheduledNotification') {
      const periodic = await evaluateClusters(run, undefined, run.scanTime);
      // Clusters gone since the last run are retired, but only on the word of a successful listing.
      // A failed lookup skips the retirement only: what was judged is still sent.
      const retirement = periodic.listed ? await retire(config, run, periodic.existing) : { retired: [] };
      outcome = {
        ...periodic,
        evaluations: [...periodic.evaluations, ...retirement.retired],
        failures: [...periodic.failures, ...(retirement.failure === undefined ? [] : [retirement.failure])],
      };
    } else {
      const item =
        invokingEvent.messageType === 'ConfigurationItemChangeNotification'
          ? invokingEvent.configurationItem
          : await fullItem(config, invokingEvent.configurationItemSummary);
      outcome =
        item === null ? { evaluations: [], unjudged: [], failures: [] } : await evaluateChange(run, item);
    }
    const sent = await putEvaluations(config, event.configRuleName, event.resultToken, outcome.evaluations);
    return {
      checkId: check.id,
      evaluations: outcome.evaluations,
      unjudged: outcome.unjudged,
      failures: [...outcome.failures, ...sent.failures],
      putEvaluationsCalls: sent.calls,
      accepted: sent.accepted,
    };
  } finally {
    config.destroy();
  }
}

/** The evaluations that retire the rule's clusters that are gone, or why they could not be looked up. */
async function retire(
  config: ConfigServiceClient,
  run: RuleRun,
  existing: ReadonlySet<string>,
): Promise<{ readonly retired: Evaluation[]; readonly failure?: CollectionFailure }> {
  try {
    return { retired: await retiredEvaluations(config, run.event.configRuleName, existing, run.scanTime) };
  } catch (error) {
    const failure = toCollectionFailure('config:GetComplianceDetailsByConfigRule', error);
    return {
      retired: [],
      failure: {
        ...failure,
        message: `Rule ${run.event.configRuleName}: clusters that are gone were not retired: ${failure.message}`,
      },
    };
  }
}

/** Collects and judges the named clusters (all when none named), one evaluation per cluster that could be judged. */
async function evaluateClusters(
  run: RuleRun,
  clusterNames: readonly string[] | undefined,
  orderingTimestamp: Date,
): Promise<Evaluated & { readonly listed: boolean; readonly existing: ReadonlySet<string> }> {
  const collection = await collectRegion(
    { ...run.target, ...(clusterNames === undefined ? {} : { clusterNames }) },
    { inputs: new Set(inputsOf(run.check)) },
  );
  const results = runChecks([run.check], collection.snapshots, {
    now: run.scanTime,
    parameters: run.parameters,
  });
  const evaluations: Evaluation[] = [];
  const unjudged: { cluster: string; reason: string }[] = [];
  for (const snapshot of collection.snapshots) {
    const cluster = snapshot.scope.clusterName;
    const ofCluster = results.filter((result) => result.cluster === cluster);
    const evaluation = clusterEvaluation(cluster, ofCluster, orderingTimestamp);
    if (evaluation !== undefined) evaluations.push(evaluation);
    else
      unjudged.push({ cluster, reason: ofCluster.find((result) => result.status === 'ERROR')?.reason ?? '' });
  }
  return {
    evaluations,
    unjudged,
    failures: [...collection.failures, ...snapshotFailures(collection.snapshots)],
    listed: collection.failures.length === 0,
    existing: new Set(collection.snapshots.map((snapshot) => snapshot.scope.clusterName)),
  };
}

/** A change to one resource: deleted or out of scope is NOT_APPLICABLE; a cluster is collected and judged. */
async function evaluateChange(run: RuleRun, item: ConfigItem): Promise<Evaluated> {
  const capturedAt = new Date(item.configurationItemCaptureTime);
  const deleted = ['ResourceDeleted', 'ResourceDeletedNotRecorded'].includes(item.configurationItemStatus);
  if (run.event.eventLeftScope || deleted || item.resourceType !== CLUSTER_CONFIG_TYPE) {
    const why = deleted ? 'was deleted' : 'is out of the rule scope';
    const evaluation = {
      ...evaluationOf(
        item.resourceId,
        'NOT_APPLICABLE',
        `${item.resourceType} ${item.resourceId} ${why}.`,
        capturedAt,
      ),
      ComplianceResourceType: item.resourceType,
    };
    return { evaluations: [evaluation], unjudged: [], failures: [] };
  }
  const single = await evaluateClusters(run, [item.resourceId], capturedAt);
  if (single.listed && !single.existing.has(item.resourceId)) {
    const gone = `Cluster ${item.resourceId} no longer exists.`;
    return { ...single, evaluations: [evaluationOf(item.resourceId, 'NOT_APPLICABLE', gone, capturedAt)] };
  }
  return single;
}

/** An oversized notification carries only a summary: status and time come from the configuration history. */
async function fullItem(config: ConfigServiceClient, summary: ConfigItem): Promise<ConfigItem> {
  const recorded = await latestConfigurationItem(config, summary.resourceType, summary.resourceId);
  if (recorded === undefined) return summary;
  return {
    ...summary,
    configurationItemStatus: (recorded.status ??
      summary.configurationItemStatus) as ConfigItem['configurationItemStatus'],
    configurationItemCaptureTime: recorded.capturedAt?.toISOString() ?? summary.configurationItemCaptureTime,
  };
}
