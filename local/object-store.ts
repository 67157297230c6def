/**
 * Where the local run keeps the S3 objects of a Distributed Map (the items its ItemReader reads, the
 * results its ResultWriter writes): S3 itself through the SDK (the emulator serves the calls, reached
 * through the SDK's standard endpoint settings), or memory for tests that run without one.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface ObjectStore {
  get(bucket: string, key: string): Promise<string>;
  put(bucket: string, key: string, body: string): Promise<void>;
}

/** The objects in S3 (or whatever the client's endpoint is: the emulator). */
export const s3ObjectStore = (client: S3Client): ObjectStore => ({
  async get(bucket, key) {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString()) ?? '';
  },
  async put(bucket, key, body) {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
  },
});

/** Objects in memory, by `bucket/key`; a missing one fails as S3 would (NoSuchKey). */
export function memoryObjectStore(): ObjectStore & { readonly objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    async get(bucket, key) {
      const body = objects.get(`${bucket}/${key}`);
      if (body === undefined)
        throw Object.assign(new Error(`The specified key does not exist: ${bucket}/${key}`), {
          name: 'NoSuchKey',
        });
      return body;
    },
    async put(bucket, key, body) {
      objects.set(`${bucket}/${key}`, body);
    },
  };
}
