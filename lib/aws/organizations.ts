/** The AWS Organizations client, in its own module so a bundle carries only the clients its function uses. */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createOrganizationsClient = (options: ClientOptions): OrganizationsClient =>
  new OrganizationsClient(clientConfig(options));
