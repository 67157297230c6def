/** Lists one account's own enabled Regions (through the member role): its (account, Region) targets. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { ACCOUNT_INPUT, parseTaskInput } from '../lib/orchestration/contracts.js';
import { listRegions } from '../lib/orchestration/tasks.js';
import { taskEnvironment } from './environment.js';
import { logger, metrics, withObservability } from './observability.js';

export async function list(input: unknown, context: Context) {
  const { account } = parseTaskInput(ACCOUNT_INPUT, input, 'ListRegions');
  logger.appendKeys({ account: account.accountId });
  const listing = await listRegions(account, taskEnvironment(context));
  for (const refusal of listing.refused) logger.warn('Refused', { refusal });
  logger.info('Listed Regions', { regions: listing.targets.length });
  metrics.addMetric('RegionsListed', MetricUnit.Count, listing.targets.length);
  return listing;
}

export const handler = withObservability(list);
