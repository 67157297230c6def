/** The AWS Config client, in its own module so a bundle carries only the clients its function uses. */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createConfigServiceClient = (options: ClientOptions): ConfigServiceClient =>
  new ConfigServiceClient(clientConfig(options));
