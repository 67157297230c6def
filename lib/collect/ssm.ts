/** AWS Systems Manager: the public parameters that publish the latest EKS AMI releases. */
import { GetParametersCommand, type Parameter, type SSMClient } from '@aws-sdk/client-ssm';
import type { Limiter } from './concurrency.js';
import { fetchByKeys, type KeyedFetch } from './fetch.js';

/** GetParameters takes at most 10 names. */
export const PARAMETER_NAMES_PER_CALL = 10;

/** The parameters that exist; names AWS reports as invalid (not published) are simply absent. */
export const fetchParameters = (
  client: SSMClient,
  names: Iterable<string>,
  limit: Limiter,
): Promise<KeyedFetch<Parameter>> =>
  fetchByKeys({
    keys: names,
    batchSize: PARAMETER_NAMES_PER_CALL,
    limit,
    operation: 'ssm:GetParameters',
    fetchBatch: async (Names) => (await client.send(new GetParametersCommand({ Names }))).Parameters ?? [],
  });
