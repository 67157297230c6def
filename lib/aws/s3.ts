/** The Amazon S3 client, in its own module so a bundle carries only the clients its function uses. */
import { S3Client } from '@aws-sdk/client-s3';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createS3Client = (options: ClientOptions): S3Client => new S3Client(clientConfig(options));
