/** The AWS IAM client, in its own module so a bundle carries only the clients its function uses. */
import { IAMClient } from '@aws-sdk/client-iam';
import { type ClientOptions, clientConfig } from './client-config.js';
import { globalRegionOf } from './partition.js';

/**
 * IAM is global: the SDK sends it to the partition's one endpoint (iam.amazonaws.com), signed for the
 * partition's global Region (us-east-1 in `aws`) whatever Region the client names. An explicit endpoint
 * (the emulator) is signed for the client's own Region instead, so the client names the global Region
 * itself: the credential scope is then the one AWS sees.
 */
export const createIamClient = (options: ClientOptions): IAMClient =>
  new IAMClient(clientConfig({ ...options, region: globalRegionOf(options.region) }));
