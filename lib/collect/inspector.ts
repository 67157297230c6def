/** Amazon Inspector, per Region: the account's scanning state and the coverage of the nodes. */
import {
  type AccountState,
  BatchGetAccountStatusCommand,
  type CoveredResource,
  type Inspector2Client,
  paginateListCoverage,
} from '@aws-sdk/client-inspector2';
import { IncompleteResponseError } from '../aws/errors.js';
import { collected, failed, type Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt, drain, fetchByKeys, type KeyedFetch } from './fetch.js';

/** ListCoverage takes at most 10 values per filter list. */
export const INSTANCE_IDS_PER_CALL = 10;
const PAGE_SIZE = 200;
const OPERATION = 'inspector2:BatchGetAccountStatus';

/** Inspector's state for the account; a per-account error in the response is that account's failure. */
export async function fetchInspectorAccount(
  client: Inspector2Client,
  accountId: string,
  limit: Limiter,
): Promise<Part<AccountState>> {
  const response = await limit(() =>
    attempt(OPERATION, () => client.send(new BatchGetAccountStatusCommand({ accountIds: [accountId] }))),
  );
  if (response.status === 'failed') return response;
  const { accounts, failedAccounts } = response.value;
  const refused = failedAccounts?.find((account) => account.accountId === accountId);
  if (refused !== undefined) {
    return failed({
      operation: OPERATION,
      code: refused.errorCode ?? 'UnknownError',
      message: refused.errorMessage ?? `Inspector refused the status of account ${accountId}.`,
    });
  }
  const state = accounts?.find((account) => account.accountId === accountId);
  if (state === undefined) {
    return failed({
      operation: OPERATION,
      code: IncompleteResponseError.name,
      message: `Inspector returned no status for account ${accountId}.`,
    });
  }
  return collected(state);
}

/** Coverage records of the instances, 10 instance ids per filtered (paginated) call. */
export const fetchCoverage = (
  client: Inspector2Client,
  instanceIds: Iterable<string>,
  limit: Limiter,
): Promise<KeyedFetch<CoveredResource>> =>
  fetchByKeys({
    keys: instanceIds,
    batchSize: INSTANCE_IDS_PER_CALL,
    limit,
    operation: 'inspector2:ListCoverage',
    fetchBatch: (batch) =>
      drain(
        paginateListCoverage(
          { client },
          {
            filterCriteria: {
              resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }],
              resourceId: batch.map((value) => ({ comparison: 'EQUALS', value })),
            },
            maxResults: PAGE_SIZE,
          },
        ),
        (page) => page.coveredResources,
      ),
  });
