/** Plans a run from the event that started it: the (account, Region) targets and what to scan in them. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { createEc2Client } from '../lib/aws/ec2.js';
import { createOrganizationsClient } from '../lib/aws/organizations.js';
import { createStsClient } from '../lib/aws/sts.js';
import { accountsToScan, callerIdentity, enabledRegions } from '../lib/discover.js';
import { planScan } from '../lib/orchestration/plan.js';
import { settings } from './environment.js';
import { accountOf, logger, metrics, withObservability } from './observability.js';

export async function plan(event: unknown, context: Context) {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const plan = await planScan(
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
      regions: async () => settings.regions ?? enabledRegions(createEc2Client({ region })),
    },
    new Date(),
  );
  logger.info('Planned', { trigger: plan.run.trigger, targets: plan.targets.length });
  metrics.addMetric('TargetsPlanned', MetricUnit.Count, plan.targets.length);
  return plan;
}

export const handler = withObservability(plan);
