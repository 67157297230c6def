/** The AWS STS client, in its own module so a bundle carries only the clients its function uses. */
import { STSClient } from '@aws-sdk/client-sts';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createStsClient = (options: ClientOptions): STSClient => new STSClient(clientConfig(options));
