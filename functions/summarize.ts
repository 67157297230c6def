/** Sums the run up, emits its metrics, and fails the execution when anything failed (after publishing). */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createS3Client } from '../lib/aws/s3.js';
import { readMapResults } from '../lib/collect/map-results.js';
import { ScannerError } from '../lib/errors.js';
import {
  MAP_FAILED,
  parseTaskInput,
  SUMMARIZE_INPUT,
  WRITTEN_OUTCOMES,
} from '../lib/orchestration/contracts.js';
import {
  outcomesOfChildren,
  type RunSummary,
  runFailed,
  summarizeRun,
} from '../lib/orchestration/summary.js';
import { logger, metrics, withObservability } from './observability.js';

/** The run found accounts, targets, clusters or findings it could not scan or publish, or refused some. */
export class RunFailedError extends ScannerError {
  override name = 'RunFailedError';
}

function emitMetrics(summary: RunSummary) {
  const count = (name: string, value: number) => metrics.addMetric(name, MetricUnit.Count, value);
  count('AccountsScanned', summary.accountsScanned);
  count('AccountsFailed', summary.accountsFailed);
  count('TargetsScanned', summary.targetsScanned);
  count('TargetsFailed', summary.targetsFailed);
  count('ClustersScanned', summary.clusters - summary.clustersFailed);
  count('ClustersFailed', summary.clustersFailed);
  count('RequestsRefused', summary.refused);
  count('ClustersNotFound', summary.clustersNotFound);
  for (const [status, value] of Object.entries(summary.results)) count(`Results${status}`, value);
  count('FindingsImported', summary.published.imported);
  count('FindingsArchived', summary.published.archived);
  count('ImportFailures', summary.published.failedFindings);
}

export async function summarize(input: unknown, _context: Context) {
  const { run, plan, outcomes } = parseTaskInput(SUMMARIZE_INPUT, input, 'Summarize');
  const written = WRITTEN_OUTCOMES.safeParse(outcomes);
  let summary: RunSummary;
  if (written.success) {
    const { Bucket, Key } = written.data.ResultWriterDetails;
    const s3 = createS3Client({ region: process.env.AWS_REGION ?? 'us-east-1' });
    const children = await readMapResults(s3, Bucket, Key).finally(() => s3.destroy());
    summary = summarizeRun({
      run,
      plan,
      outcomes: outcomesOfChildren(children),
      resultsObject: `s3://${Bucket}/${Key}`,
    });
  } else summary = summarizeRun({ run, plan, outcomes: [], mapError: MAP_FAILED.parse(outcomes).mapError });
  emitMetrics(summary);
  logger.info('Run summary', { summary });
  if (runFailed(summary)) throw new RunFailedError(JSON.stringify(summary));
  return summary;
}

export const handler = withObservability(summarize);
