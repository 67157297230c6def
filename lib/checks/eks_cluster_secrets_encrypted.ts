import type { Cluster } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { cisEks, eksBestPractice, fsbp } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** The KMS key that envelope-encrypts the cluster's Kubernetes secrets, if any: an empty keyArn names no key. */
function secretsKeyArn(cluster: Cluster): string | undefined {
  const keyArn: unknown = cluster.encryptionConfig?.find(
    (entry) => entry.resources?.includes('secrets') === true && isKeyArn(entry.provider?.keyArn),
  )?.provider?.keyArn;
  return isKeyArn(keyArn) ? keyArn : undefined;
}

const isKeyArn = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Why entries that mention secrets do not count, for the reason: an empty or missing keyArn. */
const unusableSecretsEntries = (cluster: Cluster) =>
  (cluster.encryptionConfig ?? []).filter(
    (entry) => entry.resources?.includes('secrets') === true && !isKeyArn(entry.provider?.keyArn),
  );

export default defineCheck({
  id: 'eks_cluster_secrets_encrypted',
  title: 'EKS cluster encrypts Kubernetes secrets with a KMS key',
  resource: CLUSTER_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices, ASFF_TYPE.fsbp],
  failsWhen:
    'No encryptionConfig entry covers secrets with a KMS key (an entry whose provider.keyArn is missing or empty does not count).',
  risk:
    'Without envelope encryption, Kubernetes secrets sit in etcd protected only by the default encryption, so ' +
    'anyone who can read etcd or its backups reads them, and access to them cannot be audited or revoked in KMS.',
  remediation: {
    text: 'Associate a KMS key with the cluster to envelope-encrypt Kubernetes secrets (encryptionConfig).',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html',
  },
  inputs: [],
  frameworks: [
    fsbp('EKS.3'),
    cisEks('5.3.1'),
    eksBestPractice('Data encryption and secrets management / Encrypt Kubernetes secrets with KMS'),
  ],
  parameters: {},
  evaluate({ cluster }) {
    const keyArn = secretsKeyArn(cluster);
    // DescribeCluster omits encryptionConfig when none is configured, so absence is a finding, not missing data.
    const evidence = { encryptionConfig: cluster.encryptionConfig ?? [] };
    if (keyArn === undefined) {
      const unusable = unusableSecretsEntries(cluster);
      const why =
        unusable.length === 0
          ? ''
          : ` (its encryptionConfig covers secrets with provider.keyArn ${unusable.map((entry) => JSON.stringify(entry.provider?.keyArn ?? null)).join(', ')}, which names no key)`;
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} does not envelope-encrypt Kubernetes secrets with a KMS key${why}; associate one through encryptionConfig.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `Cluster ${cluster.name} encrypts Kubernetes secrets with KMS key ${keyArn}.`,
      evidence,
    };
  },
});
