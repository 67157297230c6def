/** The Amazon ECR client, in its own module so a bundle carries only the clients its function uses. */
import { ECRClient } from '@aws-sdk/client-ecr';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createEcrClient = (options: ClientOptions): ECRClient => new ECRClient(clientConfig(options));
