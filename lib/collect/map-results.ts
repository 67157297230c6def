/**
 * The outputs of a Distributed Map's child executions, as its ResultWriter left them in S3: a
 * manifest naming result files, each a JSON array of executions with their Output (a JSON string);
 * and the items object it reads.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

interface Manifest {
  readonly ResultFiles?: Readonly<Record<string, readonly { readonly Key: string }[]>>;
}

interface ChildExecution {
  readonly Status?: string;
  readonly Input?: string;
  readonly Output?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

/** What each child execution produced: its output, or its error when it failed. */
export type ChildResult =
  | { readonly status: 'succeeded'; readonly output: unknown }
  | { readonly status: 'failed'; readonly input: unknown; readonly error: string; readonly cause?: string };

async function readJson<T>(client: S3Client, bucket: string, key: string): Promise<T> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await response.Body?.transformToString()) ?? 'null') as T;
}

export async function readMapResults(
  client: S3Client,
  bucket: string,
  manifestKey: string,
): Promise<ChildResult[]> {
  const manifest = await readJson<Manifest>(client, bucket, manifestKey);
  const results: ChildResult[] = [];
  for (const [status, files] of Object.entries(manifest.ResultFiles ?? {})) {
    for (const file of files) {
      for (const execution of await readJson<ChildExecution[]>(client, bucket, file.Key)) {
        results.push(
          status === 'SUCCEEDED'
            ? { status: 'succeeded', output: JSON.parse(execution.Output ?? 'null') }
            : {
                status: 'failed',
                input: JSON.parse(execution.Input ?? 'null'),
                error: execution.Error ?? status,
                ...(execution.Cause === undefined ? {} : { cause: execution.Cause }),
              },
        );
      }
    }
  }
  return results;
}

/** Writes the items a Distributed Map reads (its ItemReader, InputType JSON): one JSON array. */
export async function writeMapItems(
  client: S3Client,
  bucket: string,
  key: string,
  items: readonly unknown[],
): Promise<void> {
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(items),
      ContentType: 'application/json',
    }),
  );
}
