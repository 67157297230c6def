/** Amazon ECR (JSON 1.1): the caller's private registry scanning configuration in the request Region. */
import { type Handler, regionOf } from './context.js';

/** What ECR reports for a registry that never set a scanning configuration (ECR API reference). */
const DEFAULT_CONFIGURATION = { scanType: 'BASIC', rules: [] };

export const ecrHandlers: Readonly<Record<string, Handler>> = {
  GetRegistryScanningConfiguration: (_input: Record<string, never>, context) => ({
    registryId: context.account,
    scanningConfiguration: regionOf(context)?.ecr?.registryScanningConfiguration ?? DEFAULT_CONFIGURATION,
  }),
};
