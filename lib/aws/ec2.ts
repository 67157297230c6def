/** The Amazon EC2 client, in its own module so a bundle carries only the clients its function uses. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createEc2Client = (options: ClientOptions): EC2Client => new EC2Client(clientConfig(options));
