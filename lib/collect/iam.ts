/** AWS IAM: the account's OIDC identity providers (IRSA), a global listing made once per account. */
import {
  type IAMClient,
  ListOpenIDConnectProvidersCommand,
  type OpenIDConnectProviderListEntry,
} from '@aws-sdk/client-iam';
import type { Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt } from './fetch.js';

/** ListOpenIDConnectProviders is not paginated: one call lists every provider of the account. */
export const fetchOpenIDConnectProviders = (
  iam: IAMClient,
  limit: Limiter,
): Promise<Part<OpenIDConnectProviderListEntry[]>> =>
  limit(() =>
    attempt('iam:ListOpenIDConnectProviders', async () => {
      const response = await iam.send(new ListOpenIDConnectProvidersCommand({}));
      // The query protocol leaves out an empty list: no element means no provider.
      return response.OpenIDConnectProviderList ?? [];
    }),
  );
