import type { EncryptionConfig } from '@aws-sdk/client-eks';
import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_cluster_secrets_encrypted.js';
import { itJudgesClustersLikeEveryClusterCheck } from '../support/cluster-check-basics.js';
import { ACCOUNT, aCluster, aSnapshot, CLUSTER_ARN, evaluate, REGION } from '../support/snapshot.js';

const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef`;

const withEncryption = (encryptionConfig: EncryptionConfig[] | undefined) =>
  aSnapshot({ cluster: aCluster({ encryptionConfig }) });

describe('eks_cluster_secrets_encrypted', () => {
  itJudgesClustersLikeEveryClusterCheck(check, () => withEncryption(undefined));

  it('passes a cluster encrypting secrets with a KMS key and names the key', () => {
    // Prepare
    const snapshot = withEncryption([{ resources: ['secrets'], provider: { keyArn: KEY_ARN } }]);
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      status: 'PASSED',
      severity: 'MEDIUM',
      resourceId: CLUSTER_ARN,
      resourceType: 'AwsEksCluster',
    });
    expect(results[0]?.reason).toContain(KEY_ARN);
  });

  it('passes when a later entry covers secrets', () => {
    // Prepare
    const snapshot = withEncryption([
      { resources: [], provider: { keyArn: KEY_ARN } },
      { resources: ['secrets'], provider: { keyArn: KEY_ARN } },
    ]);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
  });

  it.each([
    ['encryptionConfig is absent (AWS omits it when unset)', undefined],
    ['encryptionConfig is empty', []],
    ['no entry covers secrets', [{ resources: [], provider: { keyArn: KEY_ARN } }]],
    ['the secrets entry has no provider key', [{ resources: ['secrets'], provider: {} }]],
    ['the secrets entry has no provider', [{ resources: ['secrets'] }]],
  ])('fails when %s', (_, encryptionConfig) => {
    // Prepare
    const snapshot = withEncryption(encryptionConfig);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM', resourceId: CLUSTER_ARN });
    expect(result?.reason).toContain('Cluster payments does not envelope-encrypt Kubernetes secrets');
    expect(result?.evidence).toEqual({ encryptionConfig: encryptionConfig ?? [] });
  });

  it.each([
    ['an empty keyArn', { keyArn: '' }, '""'],
    ['a blank keyArn', { keyArn: '  ' }, '"  "'],
  ])('fails, never passes, a secrets entry with %s, naming it', (_, provider, named) => {
    // Prepare
    const snapshot = withEncryption([{ resources: ['secrets'], provider }]);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(`provider.keyArn ${named}, which names no key`);
  });
});
