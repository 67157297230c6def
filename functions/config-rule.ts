/** AWS Config custom rule (change-triggered and periodic): one handler serves every check's rule. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { parseConfigRuleEvent } from '../lib/config-rule/event.js';
import { runConfigRule } from '../lib/config-rule/run.js';
import { PublishError, ScannerError } from '../lib/errors.js';
import { settings } from './environment.js';
import { accountOf, logger, metrics, withObservability } from './observability.js';

export async function evaluateRule(input: unknown, context: Context) {
  const event = parseConfigRuleEvent(input);
  logger.appendKeys({ account: event.accountId, region: event.region, configRule: event.configRuleName });
  const functionAccountId = accountOf(context);
  const outcome = await runConfigRule(event, {
    ...(functionAccountId === undefined ? {} : { functionAccountId }),
    ...(settings.memberRoleName === undefined ? {} : { memberRoleName: settings.memberRoleName }),
  });
  for (const { cluster, reason } of outcome.unjudged)
    logger.warn('No evaluation: not judged', { cluster, reason });
  logger.info('Evaluations sent', {
    count: outcome.evaluations.length,
    accepted: outcome.accepted,
    calls: outcome.putEvaluationsCalls,
  });
  metrics.addMetric('EvaluationsSent', MetricUnit.Count, outcome.accepted);
  metrics.addMetric('ClustersNotJudged', MetricUnit.Count, outcome.unjudged.length);
  if (outcome.failures.length > 0) {
    // Evaluations that could be made were sent; the failure still shows in the function's error metrics.
    const refused = outcome.failures.some((failure) => failure.operation === 'config:PutEvaluations');
    const problems = outcome.failures.map((f) => `${f.operation} ${f.code}: ${f.message}`).join('; ');
    const message = `Rule ${event.configRuleName} incomplete (${outcome.accepted} of ${outcome.evaluations.length} evaluation(s) accepted): ${problems}`;
    throw refused ? new PublishError(message) : new ScannerError(message);
  }
  return { checkId: outcome.checkId, evaluations: outcome.evaluations.length };
}

export const handler = withObservability(evaluateRule);
