/** Amazon ECR, per account and Region: the private registry's image scanning configuration. */
import {
  type ECRClient,
  GetRegistryScanningConfigurationCommand,
  type RegistryScanningConfiguration,
} from '@aws-sdk/client-ecr';
import type { Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt, required } from './fetch.js';

export const fetchRegistryScanningConfiguration = (
  client: ECRClient,
  limit: Limiter,
): Promise<Part<RegistryScanningConfiguration>> =>
  limit(() =>
    attempt('ecr:GetRegistryScanningConfiguration', async () =>
      required(
        (await client.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration,
        'scanningConfiguration',
      ),
    ),
  );
