/** Archives findings of clusters that no longer exist in the target, then sums the target up. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { parseTaskInput, RECONCILE_INPUT } from '../lib/orchestration/contracts.js';
import { reconcileTarget } from '../lib/orchestration/tasks.js';
import { taskEnvironment } from './environment.js';
import { logger, metrics, withObservability } from './observability.js';

export async function reconcile(input: unknown, context: Context) {
  const { run, target, listing, clusterResults } = parseTaskInput(RECONCILE_INPUT, input, 'ReconcileTarget');
  logger.appendKeys({ account: target.accountId, region: target.region });
  const outcome = await reconcileTarget(
    run,
    target,
    listing.clusters,
    clusterResults,
    taskEnvironment(context),
  );
  logger.info('Reconciled target', { outcome });
  metrics.addMetric('ClustersFailed', MetricUnit.Count, outcome.clustersFailed);
  return outcome;
}

export const handler = withObservability(reconcile);
