import { describe, expect, it } from '@jest/globals';
import { clientConfig, DEFAULT_MAX_ATTEMPTS } from '../../lib/aws/client-config.js';
import { createEksClient } from '../../lib/aws/eks.js';

describe('clientConfig', () => {
  it('sets the Region and adaptive retries, and leaves endpoint and credentials to the SDK by default', () => {
    // Act
    const config = clientConfig({ region: 'eu-west-1' });
    // Assess
    expect(config).toEqual({ region: 'eu-west-1', retryMode: 'adaptive', maxAttempts: DEFAULT_MAX_ATTEMPTS });
    expect(DEFAULT_MAX_ATTEMPTS).toBe(8);
    expect('endpoint' in config).toBe(false);
    expect('credentials' in config).toBe(false);
  });

  it('passes an explicit endpoint, credentials and attempt count through', () => {
    // Prepare
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
    // Act
    const config = clientConfig({
      region: 'us-gov-west-1',
      credentials,
      endpoint: 'http://127.0.0.1:4566',
      maxAttempts: 3,
    });
    // Assess
    expect(config).toEqual({
      region: 'us-gov-west-1',
      retryMode: 'adaptive',
      maxAttempts: 3,
      credentials,
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it('leaves out an endpoint or credentials given as undefined', () => {
    // Act
    const config = clientConfig({ region: 'eu-west-1', endpoint: undefined, credentials: undefined });
    // Assess
    expect(Object.keys(config).sort()).toEqual(['maxAttempts', 'region', 'retryMode']);
  });

  it('configures the service clients with it', async () => {
    // Act
    const client = createEksClient({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:9999' });
    // Assess
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(8);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    expect(await client.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 9999 });
    client.destroy();
  });
});
