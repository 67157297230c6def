/** Scans one batch of a target's clusters: collect, evaluate, publish to the account's Security Hub; returns counts. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { parseTaskInput, SCAN_CLUSTER_INPUT } from '../lib/orchestration/contracts.js';
import { scanClusters } from '../lib/orchestration/tasks.js';
import { taskEnvironment } from './environment.js';
import { logger, metrics, withObservability } from './observability.js';

export async function scan(input: unknown, context: Context) {
  const { run, target, clusters } = parseTaskInput(SCAN_CLUSTER_INPUT, input, 'ScanCluster');
  logger.appendKeys({ account: target.accountId, region: target.region, clusters });
  const outcome = await scanClusters(run, target, clusters, taskEnvironment(context));
  for (const failure of outcome.failures) logger.warn('Call failed: affected results are ERROR', { failure });
  logger.info('Scanned clusters', { results: outcome.results, published: outcome.published });
  metrics.addMetric('FindingsImported', MetricUnit.Count, outcome.published.imported);
  metrics.addMetric('CallFailures', MetricUnit.Count, outcome.failures.length);
  return outcome;
}

export const handler = withObservability(scan);
