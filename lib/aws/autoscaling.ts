/** The Amazon EC2 Auto Scaling client, in its own module so a bundle carries only the clients its function uses. */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createAutoScalingClient = (options: ClientOptions): AutoScalingClient =>
  new AutoScalingClient(clientConfig(options));
