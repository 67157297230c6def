/**
 * The one place SDK clients get their settings: Region, credentials, retries and, only when given
 * explicitly, an endpoint. Without an explicit endpoint the SDK's standard settings apply
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, the shared config file), so the emulator and
 * LocalStack work without this code reading the environment.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { keepErrorBodies } from './errors.js';

export const DEFAULT_MAX_ATTEMPTS = 8;
/** A call that gets no answer in this time is abandoned (and retried): a hung connection never stalls a scan. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_TIMEOUT_MS = 5_000;

export interface ClientOptions {
  readonly region: string;
  /** Explicit credentials; otherwise the SDK's default credential chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly endpoint?: string;
  /** Attempts per call, including the first; throttling and transient errors are retried with backoff. */
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
}

export interface ClientConfig {
  readonly region: string;
  readonly retryMode: 'adaptive';
  readonly maxAttempts: number;
  readonly requestHandler: {
    readonly requestTimeout: number;
    readonly connectionTimeout: number;
    readonly throwOnRequestTimeout: true;
  };
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly endpoint?: string;
  /** So an error response the SDK cannot parse is still reported with its status and body. */
  readonly extensions: (typeof keepErrorBodies)[];
}

/** SDK client configuration: adaptive retries (client-side rate limiting under throttling). */
export function clientConfig(options: ClientOptions): ClientConfig {
  return {
    region: options.region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      // Without it the SDK only logs a warning and goes on waiting.
      throwOnRequestTimeout: true,
    },
    extensions: [keepErrorBodies],
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  };
}
