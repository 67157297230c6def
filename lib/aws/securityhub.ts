/** The AWS Security Hub client, in its own module so a bundle carries only the clients its function uses. */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createSecurityHubClient = (options: ClientOptions): SecurityHubClient =>
  new SecurityHubClient(clientConfig(options));
