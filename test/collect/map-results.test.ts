import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { readMapResults, writeMapItems } from '../../lib/collect/map-results.js';

const s3 = mockClient(S3Client);
/** An S3 object body, as the SDK's stream mixin offers it. */
const body = (value: unknown) => ({ transformToString: async () => JSON.stringify(value) }) as never;

beforeEach(() => {
  s3.reset();
});

describe('readMapResults', () => {
  it('reads every result file the manifest names, succeeded and failed', async () => {
    // Prepare
    s3.on(GetObjectCommand, { Key: 'scan-runs/run-1/manifest.json' }).resolves({
      Body: body({
        ResultFiles: {
          SUCCEEDED: [{ Key: 'scan-runs/run-1/SUCCEEDED_0.json', Size: 10 }],
          FAILED: [{ Key: 'scan-runs/run-1/FAILED_0.json', Size: 10 }],
          PENDING: [],
        },
      }),
    });
    s3.on(GetObjectCommand, { Key: 'scan-runs/run-1/SUCCEEDED_0.json' }).resolves({
      Body: body([{ Status: 'SUCCEEDED', Output: JSON.stringify({ accountId: '111111111111' }) }]),
    });
    s3.on(GetObjectCommand, { Key: 'scan-runs/run-1/FAILED_0.json' }).resolves({
      Body: body([
        {
          Status: 'FAILED',
          Input: JSON.stringify({ target: { accountId: '222222222222', region: 'eu-west-1' } }),
          Error: 'States.Timeout',
          Cause: 'timed out',
        },
      ]),
    });
    // Act
    const results = await readMapResults(
      new S3Client({ region: 'eu-west-1' }),
      'bucket',
      'scan-runs/run-1/manifest.json',
    );
    // Assess
    expect(results).toEqual([
      { status: 'succeeded', output: { accountId: '111111111111' } },
      {
        status: 'failed',
        input: { target: { accountId: '222222222222', region: 'eu-west-1' } },
        error: 'States.Timeout',
        cause: 'timed out',
      },
    ]);
    expect(s3.commandCalls(GetObjectCommand).every((call) => call.args[0].input.Bucket === 'bucket')).toBe(
      true,
    );
  });

  it('lets a failed read fail the summary rather than report a partial run as complete', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    // Act
    const reading = readMapResults(new S3Client({ region: 'eu-west-1' }), 'bucket', 'manifest.json');
    // Assess
    await expect(reading).rejects.toThrow('denied');
  });
});

describe('writeMapItems', () => {
  it('writes the items as one JSON array, as the ItemReader reads it', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});
    // Act
    await writeMapItems(new S3Client({ region: 'eu-west-1' }), 'bucket', 'scan-items/run.json', [
      { accountId: '111111111111' },
    ]);
    // Assess
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: 'bucket',
        Key: 'scan-items/run.json',
        Body: '[{"accountId":"111111111111"}]',
        ContentType: 'application/json',
      },
    ]);
  });
});
