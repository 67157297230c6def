import { describe, expect, it } from '@jest/globals';
import { createLimiter } from '../../lib/collect/concurrency.js';
import { fetchByKeys } from '../../lib/collect/fetch.js';
import { awsError } from '../support/aws-estate.js';

/** A batched look-up that fails the whole call when it names a bad key, as EC2 does. */
function lookUp(bad: ReadonlySet<string>, error: (badKeys: string[]) => Error) {
  const calls: string[][] = [];
  const fetchBatch = async (batch: string[]) => {
    calls.push(batch);
    const badKeys = batch.filter((key) => bad.has(key));
    if (badKeys.length > 0) throw error(badKeys);
    return batch.map((key) => ({ key }));
  };
  return { calls, fetchBatch };
}

const request = (keys: string[], fetchBatch: (batch: string[]) => Promise<readonly { key: string }[]>) => ({
  keys,
  batchSize: 200,
  limit: createLimiter(4),
  operation: 'ec2:DescribeImages',
  fetchBatch,
});

const amis = (count: number) =>
  Array.from({ length: count }, (_, index) => `ami-${String(index).padStart(3, '0')}`);

describe('fetchByKeys: a failure is the failure of the keys it blames', () => {
  it('fetches the rest of the batch again without the ids the error names: one extra call', async () => {
    // Prepare
    const keys = amis(10);
    const { calls, fetchBatch } = lookUp(new Set(['ami-003', 'ami-007']), (badKeys) =>
      awsError('InvalidAMIID.NotFound', `The image ids '[${badKeys.join(', ')}]' do not exist`),
    );
    // Act
    const fetch = await fetchByKeys(request(keys, fetchBatch));
    // Assess
    expect(fetch.items.map((item) => item.key)).toEqual(
      keys.filter((key) => !['ami-003', 'ami-007'].includes(key)),
    );
    expect([...fetch.failures.keys()].sort()).toEqual(['ami-003', 'ami-007']);
    expect(fetch.failures.get('ami-003')).toEqual({
      operation: 'ec2:DescribeImages',
      code: 'InvalidAMIID.NotFound',
      message: "The image ids '[ami-003, ami-007]' do not exist",
    });
    expect(calls).toHaveLength(2);
  });

  it('does not take an id for another that contains it', async () => {
    // Prepare: ami-1 is fine, ami-12 is not.
    const { fetchBatch } = lookUp(new Set(['ami-12']), (badKeys) =>
      awsError('InvalidAMIID.NotFound', `The image id '[${badKeys[0]}]' does not exist`),
    );
    // Act
    const fetch = await fetchByKeys(request(['ami-1', 'ami-12'], fetchBatch));
    // Assess
    expect(fetch.items).toEqual([{ key: 'ami-1' }]);
    expect([...fetch.failures.keys()]).toEqual(['ami-12']);
  });

  it('splits the batch in halves when the error blames an id without naming it', async () => {
    // Prepare
    const keys = amis(16);
    const { calls, fetchBatch } = lookUp(new Set(['ami-005']), () =>
      awsError('InvalidLaunchTemplateId.VersionNotFound', 'Could not find the launch template version.'),
    );
    // Act
    const fetch = await fetchByKeys(request(keys, fetchBatch));
    // Assess
    expect(fetch.items).toHaveLength(15);
    expect([...fetch.failures.keys()]).toEqual(['ami-005']);
    // 1 + 2 per level of a 16-key batch: log2(16) = 4 levels.
    expect(calls).toHaveLength(9);
  });

  it('fails every key of the batch at once, with no extra call, when the error blames no id', async () => {
    // Prepare
    const keys = amis(5);
    const { calls, fetchBatch } = lookUp(new Set(keys), () =>
      awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    );
    // Act
    const fetch = await fetchByKeys(request(keys, fetchBatch));
    // Assess
    expect(fetch.items).toEqual([]);
    expect([...fetch.failures.keys()]).toEqual(keys);
    expect(calls).toHaveLength(1);
  });

  it('bounds the extra calls when every id is blamed', async () => {
    // Prepare
    const keys = amis(200);
    const { calls, fetchBatch } = lookUp(new Set(keys), () => awsError('AuthFailure', 'Not authorized.'));
    // Act
    const fetch = await fetchByKeys(request(keys, fetchBatch));
    // Assess
    expect(fetch.failures.size).toBe(200);
    // 4 log2(200), rounded up: 32 extra calls at most.
    expect(calls.length).toBeLessThanOrEqual(33);
  });

  it('never puts keys of different groups in one call, and keeps the items in key order', async () => {
    // Prepare
    const { calls, fetchBatch } = lookUp(new Set(), () => new Error('unused'));
    const keys = ['id:lt-a#1', 'id:lt-b#$Default', 'id:lt-a#$Latest'];
    // Act
    const fetch = await fetchByKeys({
      ...request(keys, fetchBatch),
      groupOf: (key) => key.slice(0, key.indexOf('#')),
    });
    // Assess
    expect(calls).toEqual([['id:lt-a#1', 'id:lt-a#$Latest'], ['id:lt-b#$Default']]);
    expect(fetch.items.map((item) => item.key)).toEqual(['id:lt-a#1', 'id:lt-a#$Latest', 'id:lt-b#$Default']);
  });
});
