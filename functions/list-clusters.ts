/** Lists the clusters of one (account, Region) target. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { LIST_CLUSTERS_INPUT, parseTaskInput } from '../lib/orchestration/contracts.js';
import { listClusters } from '../lib/orchestration/tasks.js';
import { taskEnvironment } from './environment.js';
import { logger, metrics, withObservability } from './observability.js';

export async function list(input: unknown, context: Context) {
  const { target } = parseTaskInput(LIST_CLUSTERS_INPUT, input, 'ListClusters');
  logger.appendKeys({ account: target.accountId, region: target.region });
  const listing = await listClusters(target, taskEnvironment(context));
  logger.info('Listed clusters', { clusters: listing.clusters.length });
  metrics.addMetric('ClustersListed', MetricUnit.Count, listing.clusters.length);
  return listing;
}

export const handler = withObservability(list);
