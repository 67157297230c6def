/** The Amazon EKS client, in its own module so a bundle carries only the clients its function uses. */
import { EKSClient } from '@aws-sdk/client-eks';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createEksClient = (options: ClientOptions): EKSClient => new EKSClient(clientConfig(options));
