import { describe, expect, it } from '@jest/globals';
import { DEFAULT_REQUEST_LIMITS } from '../lib/orchestration/plan.js';
import { DEFAULT_CLUSTER_BATCH_SIZE, readSettings } from '../lib/settings.js';

describe('readSettings', () => {
  it('defaults everything when the environment sets nothing (or empty stage parameters)', () => {
    // Act
    const unset = readSettings({});
    const empty = readSettings({
      MEMBER_ROLE_NAME: '',
      ACCOUNTS: '',
      REGIONS: '',
      PUBLISH_ONLY_FAILED: '',
      SUPPRESSIONS: '',
      CHECK_PARAMETERS: '',
      CLUSTER_BATCH_SIZE: '',
      MAX_REQUEST_ACCOUNTS: '',
      SCAN_RESULTS_BUCKET: '',
    });
    // Assess
    const defaults = {
      onlyFailed: false,
      suppressions: [],
      checkParameters: {},
      clusterBatchSize: DEFAULT_CLUSTER_BATCH_SIZE,
      requestLimits: DEFAULT_REQUEST_LIMITS,
    };
    expect(unset).toEqual(defaults);
    expect(empty).toEqual(defaults);
  });

  it('reads every setting', () => {
    // Act
    const settings = readSettings({
      MEMBER_ROLE_NAME: 'EksScanner',
      ACCOUNTS: '111111111111, 222222222222',
      REGIONS: 'eu-west-1,us-east-1',
      PUBLISH_ONLY_FAILED: 'true',
      SUPPRESSIONS: '[{"checkId":"*","resource":"arn:aws:eks:*:*:cluster/sandbox-*","reason":"Sandbox."}]',
      CHECK_PARAMETERS: '{"maxAmiAgeDays":"14"}',
      CLUSTER_BATCH_SIZE: '5',
      MAX_REQUEST_ACCOUNTS: '10',
      MAX_REQUEST_REGIONS: '3',
      MAX_REQUEST_CLUSTERS: '20',
      SCAN_RESULTS_BUCKET: 'scan-results-123',
    });
    // Assess
    expect(settings).toEqual({
      memberRoleName: 'EksScanner',
      accounts: ['111111111111', '222222222222'],
      regions: ['eu-west-1', 'us-east-1'],
      onlyFailed: true,
      suppressions: [{ checkId: '*', resource: 'arn:aws:eks:*:*:cluster/sandbox-*', reason: 'Sandbox.' }],
      checkParameters: { maxAmiAgeDays: '14' },
      clusterBatchSize: 5,
      requestLimits: { accounts: 10, regions: 3, clusters: 20 },
      scanResultsBucket: 'scan-results-123',
    });
  });

  it.each([
    [{ MEMBER_ROLE_NAME: 'no spaces allowed' }, 'MEMBER_ROLE_NAME: expected an IAM role name'],
    [{ ACCOUNTS: '111111111111,12' }, 'ACCOUNTS: "12" is not a 12-digit account id'],
    [{ REGIONS: 'eu-west' }, 'REGIONS: "eu-west" is not a Region name'],
    [{ PUBLISH_ONLY_FAILED: 'yes' }, 'PUBLISH_ONLY_FAILED'],
    [{ CLUSTER_BATCH_SIZE: '101' }, 'CLUSTER_BATCH_SIZE: expected a whole number from 1 to 100'],
    [{ MAX_REQUEST_CLUSTERS: '0' }, 'MAX_REQUEST_CLUSTERS: expected a whole number from 1 to 10000'],
    [{ SUPPRESSIONS: '[{' }, 'SUPPRESSIONS: SUPPRESSIONS is not valid JSON'],
    [{ SUPPRESSIONS: '[{"checkId":"eks_nope","resource":"*","reason":"x"}]' }, '[0].checkId'],
    [{ CHECK_PARAMETERS: '{"maxAmiAgeDayz":"3"}' }, 'Parameter maxAmiAgeDayz'],
    [{ CHECK_PARAMETERS: '{"maxAmiAgeDays":"0"}' }, 'Parameter maxAmiAgeDays: expected 1..3650, got 0'],
  ])('fails the cold start naming the variable: %j', (environment, message) => {
    // Act
    const read = () => readSettings(environment);
    // Assess
    expect(read).toThrow(message);
  });
});
