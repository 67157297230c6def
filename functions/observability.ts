/**
 * What every handler shares: Powertools structured logging with the Lambda context, metrics flushed
 * at the end of each invocation, and every failure logged with its cause before the invocation fails
 * (middy `onError`, never swallowing it).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

export const logger = new Logger({ serviceName: 'eks-compliance-scanner' });
export const metrics = new Metrics({
  namespace: 'EksComplianceScanner',
  serviceName: 'eks-compliance-scanner',
});

const logFailures = (): MiddlewareObj => ({
  onError: async (request) => {
    logger.error('Invocation failed', request.error as Error);
    metrics.addMetric('InvocationFailures', MetricUnit.Count, 1);
  },
});

export const withObservability = <Event, Result>(
  handler: (event: Event, context: Context) => Promise<Result>,
) =>
  middy(handler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(logFailures());

/** The account a function runs in, from its own ARN (absent when invoked locally). */
export const accountOf = (context: Partial<Pick<Context, 'invokedFunctionArn'>>): string | undefined =>
  context.invokedFunctionArn?.split(':')[4];

/** The partition a function runs in, from its own ARN. */
export const partitionOf = (context: Partial<Pick<Context, 'invokedFunctionArn'>>): string =>
  context.invokedFunctionArn?.split(':')[1] ?? 'aws';
