/** The Amazon Inspector client, in its own module so a bundle carries only the clients its function uses. */
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createInspector2Client = (options: ClientOptions): Inspector2Client =>
  new Inspector2Client(clientConfig(options));
