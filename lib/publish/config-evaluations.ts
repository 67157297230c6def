/**
 * The only place AWS Config evaluations are shaped. One Config rule per check, reporting on
 * AWS::EKS::Cluster (resource id = cluster name). Config does not record node groups, so node-group
 * results roll up to their cluster: NON_COMPLIANT when any group fails, naming the groups. ERROR
 * results send no evaluation: Config must never read missing data as COMPLIANT.
 */
import {
  type ComplianceType,
  type ConfigServiceClient,
  type Evaluation,
  PutEvaluationsCommand,
  paginateGetComplianceDetailsByConfigRule,
} from '@aws-sdk/client-config-service';
import { toCollectionFailure } from '../aws/errors.js';
import type { Check, CheckResult } from '../checks/types.js';
import type { CollectionFailure } from '../snapshot/types.js';
import { fitText } from './asff.js';

export const CLUSTER_CONFIG_TYPE = 'AWS::EKS::Cluster';
const MAX_EVALUATIONS_PER_CALL = 100;
const MAX_ANNOTATION = 256;

/** What the rule Lambda needs beyond read-only access, in the account the rule belongs to. */
export const CONFIG_PERMISSIONS = [
  'config:PutEvaluations',
  'config:GetComplianceDetailsByConfigRule',
  'config:GetResourceConfigHistory',
] as const;

/** The Config rule of a check: `eks_nodegroup_private_subnets` -> `eks-nodegroup-private-subnets`. */
export const configRuleName = (check: Pick<Check, 'id'>) => check.id.replaceAll('_', '-');

/**
 * Checks that have a Config rule: those reporting on clusters. (The Fargate check is informational
 * NOT_APPLICABLE by design, so a rule would only ever report NOT_APPLICABLE.)
 */
export const hasConfigRule = (check: Check) => check.resource.configType === CLUSTER_CONFIG_TYPE;

export const evaluationOf = (
  clusterName: string,
  complianceType: ComplianceType,
  annotation: string,
  orderingTimestamp: Date,
): Evaluation => ({
  ComplianceResourceType: CLUSTER_CONFIG_TYPE,
  ComplianceResourceId: clusterName,
  ComplianceType: complianceType,
  Annotation: fitText(annotation, MAX_ANNOTATION),
  OrderingTimestamp: orderingTimestamp,
});

/**
 * The evaluation of one cluster from one check's results on it (the cluster itself, or its node
 * groups): NON_COMPLIANT if any failed; none at all if any could not be judged and none failed;
 * NOT_APPLICABLE if nothing applied; else COMPLIANT.
 */
export function clusterEvaluation(
  clusterName: string,
  results: readonly CheckResult[],
  orderingTimestamp: Date,
): Evaluation | undefined {
  const failed = results.filter((result) => result.status === 'FAILED');
  if (failed.length > 0)
    return evaluationOf(clusterName, 'NON_COMPLIANT', failureAnnotation(failed), orderingTimestamp);
  if (results.some((result) => result.status === 'ERROR')) return undefined;
  const passed = results.filter((result) => result.status === 'PASSED');
  if (passed.length === 0) {
    const reason = results[0]?.reason ?? `Nothing in cluster ${clusterName} is subject to this check.`;
    return evaluationOf(clusterName, 'NOT_APPLICABLE', reason, orderingTimestamp);
  }
  const annotation =
    passed.length === 1 && passed[0] !== undefined
      ? passed[0].reason
      : `All ${passed.length} node groups of cluster ${clusterName} pass.`;
  return evaluationOf(clusterName, 'COMPLIANT', annotation, orderingTimestamp);
}

function failureAnnotation(failed: readonly CheckResult[]): string {
  const [first] = failed;
  if (first === undefined) return '';
  if (first.nodeGroup === undefined) return first.reason;
  const names = failed.map((result) => result.nodeGroup ?? result.resourceId);
  const shown = names.slice(0, 5).join(', ');
  const more = names.length > 5 ? ` (+${names.length - 5} more)` : '';
  return `${failed.length} node group(s) fail: ${shown}${more}. ${first.reason}`;
}

export interface PutEvaluationsOutcome {
  readonly calls: number;
  /** Evaluations Config accepted. */
  readonly accepted: number;
  /** Calls that failed and evaluations Config refused, each naming the rule. */
  readonly failures: readonly CollectionFailure[];
}

const PUT_EVALUATIONS = 'config:PutEvaluations';

/**
 * Sends evaluations with the invocation's ResultToken, 100 a call. A call that fails (after the SDK's
 * retries) or evaluations Config refuses (FailedEvaluations) do not stop the other calls: every
 * evaluation that can be sent is sent, and each failure is returned naming the rule.
 */
export async function putEvaluations(
  client: ConfigServiceClient,
  ruleName: string,
  resultToken: string,
  evaluations: readonly Evaluation[],
): Promise<PutEvaluationsOutcome> {
  let calls = 0;
  let accepted = 0;
  const failures: CollectionFailure[] = [];
  for (let start = 0; start < evaluations.length; start += MAX_EVALUATIONS_PER_CALL) {
    const batch = evaluations.slice(start, start + MAX_EVALUATIONS_PER_CALL);
    calls += 1;
    try {
      const response = await client.send(
        new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: batch }),
      );
      const refused = response.FailedEvaluations ?? [];
      accepted += batch.length - refused.length;
      for (const evaluation of refused) {
        failures.push({
          operation: PUT_EVALUATIONS,
          code: 'FailedEvaluation',
          message: `Rule ${ruleName}: Config refused the evaluation of ${evaluation.ComplianceResourceType} ${evaluation.ComplianceResourceId} (${evaluation.ComplianceType}).`,
        });
      }
    } catch (error) {
      const failure = toCollectionFailure(PUT_EVALUATIONS, error);
      failures.push({
        ...failure,
        message: `Rule ${ruleName}: ${batch.length} evaluation(s) not sent: ${failure.message}`,
      });
    }
  }
  return { calls, accepted, failures };
}

/**
 * Evaluations that retire clusters which no longer exist: every cluster the rule still reports as
 * COMPLIANT or NON_COMPLIANT that is not among `existing` becomes NOT_APPLICABLE.
 */
export async function retiredEvaluations(
  client: ConfigServiceClient,
  ruleName: string,
  existing: ReadonlySet<string>,
  orderingTimestamp: Date,
): Promise<Evaluation[]> {
  const retired: Evaluation[] = [];
  const pages = paginateGetComplianceDetailsByConfigRule(
    { client },
    { ConfigRuleName: ruleName, ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] },
  );
  for await (const page of pages) {
    for (const result of page.EvaluationResults ?? []) {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (qualifier?.ResourceType !== CLUSTER_CONFIG_TYPE || qualifier.ResourceId === undefined) continue;
      if (existing.has(qualifier.ResourceId)) continue;
      retired.push(
        evaluationOf(
          qualifier.ResourceId,
          'NOT_APPLICABLE',
          `Cluster ${qualifier.ResourceId} no longer exists.`,
          orderingTimestamp,
        ),
      );
    }
  }
  return retired;
}
