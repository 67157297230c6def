/**
 * IAM (query protocol): the caller's account's OIDC identity providers. IAM is global: a request
 * is served from the account whatever Region its SigV4 scope names (AWS signs it for us-east-1).
 */
import { accountOf, type Handler } from './context.js';

export const iamHandlers: Readonly<Record<string, Handler>> = {
  ListOpenIDConnectProviders: (_input, context) => ({
    OpenIDConnectProviderList: accountOf(context)?.iam?.openIDConnectProviders ?? [],
  }),
};
