/** AWS Systems Manager: the public parameters that publish the latest EKS AMI releases, the managed nodes. */
import {
  GetParametersCommand,
  type InstanceInformation,
  type Parameter,
  paginateDescribeInstanceInformation,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt, drain, fetchByKeys, type KeyedFetch } from './fetch.js';

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

/** DescribeInstanceInformation takes MaxResults 5 to 50. */
export const INSTANCE_INFORMATION_PAGE_SIZE = 50;

/**
 * The Region's SSM managed EC2 nodes, listed whole (paginated) once for every cluster of the Region.
 * Never filtered by InstanceIds: an id SSM does not know may fail the whole call (InvalidInstanceId;
 * aws-facts "The 2026 estate"), and a per-Region listing costs the same few calls however many nodes ask.
 */
export const fetchManagedNodes = (client: SSMClient, limit: Limiter): Promise<Part<InstanceInformation[]>> =>
  limit(() =>
    attempt('ssm:DescribeInstanceInformation', () =>
      drain(
        paginateDescribeInstanceInformation(
          { client },
          {
            Filters: [{ Key: 'ResourceType', Values: ['EC2Instance'] }],
            MaxResults: INSTANCE_INFORMATION_PAGE_SIZE,
          },
        ),
        (page) => page.InstanceInformationList,
      ),
    ),
  );
