import { createServer, type Socket } from 'node:net';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { describe, expect, it } from '@jest/globals';
import {
  clientConfig,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from '../../lib/aws/client-config.js';
import { createEksClient } from '../../lib/aws/eks.js';
import { keepErrorBodies } from '../../lib/aws/errors.js';

describe('clientConfig', () => {
  it('sets the Region and adaptive retries, and leaves endpoint and credentials to the SDK by default', () => {
    // Act
    const config = clientConfig({ region: 'eu-west-1' });
    // Assess
    expect(config).toEqual({
      region: 'eu-west-1',
      retryMode: 'adaptive',
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      requestHandler: {
        requestTimeout: DEFAULT_REQUEST_TIMEOUT_MS,
        connectionTimeout: 5_000,
        throwOnRequestTimeout: true,
      },
      extensions: [keepErrorBodies],
    });
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
      requestHandler: {
        requestTimeout: DEFAULT_REQUEST_TIMEOUT_MS,
        connectionTimeout: 5_000,
        throwOnRequestTimeout: true,
      },
      extensions: [keepErrorBodies],
      credentials,
      endpoint: 'http://127.0.0.1:4566',
    });
  });

  it('leaves out an endpoint or credentials given as undefined', () => {
    // Act
    const config = clientConfig({ region: 'eu-west-1', endpoint: undefined, credentials: undefined });
    // Assess
    expect(Object.keys(config).sort()).toEqual([
      'extensions',
      'maxAttempts',
      'region',
      'requestHandler',
      'retryMode',
    ]);
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

  it('abandons a call that gets no answer instead of waiting forever', async () => {
    // Prepare: a server that accepts connections and never answers.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const client = createEksClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestTimeoutMs: 200,
    });
    // Act
    const call = client.send(new ListClustersCommand({}));
    // Assess
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    client.destroy();
    for (const socket of sockets) socket.destroy();
    silent.close();
  });
});
