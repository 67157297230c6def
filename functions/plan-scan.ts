/**
 * Plans a run from the event that started it: the accounts to scan, written as the items object the
 * Distributed Map reads (never state data: a list that grows with the organization would pass Step
 * Functions' 256 KiB payload limit), and what the event asked for that was refused.
 */

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createOrganizationsClient } from '../lib/aws/organizations.js';
import { createS3Client } from '../lib/aws/s3.js';
import { createStsClient } from '../lib/aws/sts.js';
import { writeMapItems } from '../lib/collect/map-results.js';
import { accountsToScan, callerIdentity } from '../lib/discover.js';
import { ScannerError } from '../lib/errors.js';
import type { Plan } from '../lib/orchestration/contracts.js';
import { planScan } from '../lib/orchestration/plan.js';
import { settings } from './environment.js';
import { accountOf, logger, metrics, withObservability } from './observability.js';

/** Where a run's items object goes: under the results bucket, by run time and request id. */
export const itemsKey = (scannedAt: string, requestId: string) =>
  `scan-items/${scannedAt.replaceAll(':', '-')}-${requestId}.json`;

export async function plan(event: unknown, context: Context): Promise<Plan> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const bucket = settings.scanResultsBucket;
  if (bucket === undefined)
    throw new ScannerError('SCAN_RESULTS_BUCKET is not set: nowhere to write the plan.');
  const planned = await planScan(
    event,
    {
      accounts: async () => {
        if (settings.accounts !== undefined) return settings.accounts;
        const own = accountOf(context) ?? (await callerIdentity(createStsClient({ region }))).accountId;
        const organizations = createOrganizationsClient({ region });
        const { accounts, failure } = await accountsToScan(own, organizations).finally(() =>
          organizations.destroy(),
        );
        if (failure !== undefined) logger.warn('Organizations did not list the accounts', { failure });
        return accounts;
      },
    },
    new Date(),
    settings.requestLimits,
  );
  const key = itemsKey(planned.run.scannedAt, context.awsRequestId);
  const s3 = createS3Client({ region });
  await writeMapItems(s3, bucket, key, planned.accounts).finally(() => s3.destroy());
  logger.info('Planned', {
    trigger: planned.run.trigger,
    accounts: planned.accounts.length,
    refused: planned.refused,
  });
  metrics.addMetric('AccountsPlanned', MetricUnit.Count, planned.accounts.length);
  return {
    run: planned.run,
    items: { bucket, key },
    accounts: planned.accounts.length,
    refused: planned.refused,
  };
}

export const handler = withObservability(plan);
