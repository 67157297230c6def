/** The settings of the scan functions, read once per cold start, and what each task needs from them. */
import type { Context } from 'aws-lambda';
import type { TaskEnvironment } from '../lib/orchestration/tasks.js';
import { readSettings } from '../lib/settings.js';
import { partitionOf } from './observability.js';

export const settings = readSettings(process.env);

export function taskEnvironment(context: Context): TaskEnvironment {
  return {
    partition: partitionOf(context),
    homeRegion: process.env.AWS_REGION ?? 'us-east-1',
    ...(settings.regions === undefined ? {} : { regions: settings.regions }),
    clusterBatchSize: settings.clusterBatchSize,
    ...(settings.memberRoleName === undefined ? {} : { memberRoleName: settings.memberRoleName }),
    checkParameters: settings.checkParameters,
    publish: { onlyFailed: settings.onlyFailed, suppressions: settings.suppressions },
  };
}
