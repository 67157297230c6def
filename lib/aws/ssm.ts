/** The AWS Systems Manager client, in its own module so a bundle carries only the clients its function uses. */
import { SSMClient } from '@aws-sdk/client-ssm';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createSsmClient = (options: ClientOptions): SSMClient => new SSMClient(clientConfig(options));
