/**
 * The emulator's GuardDuty (REST-JSON) and ECR (JSON 1.1) services, driven by the real SDK clients and
 * paginators: the estate's detector, coverage and registry scanning configuration, ListCoverage's
 * FilterCriteria, paging, GuardDuty's and ECR's own error shapes, and faults.
 */

import { ECRClient, GetRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import {
  AccessDeniedException,
  BadRequestException,
  type CoverageResource,
  GetDetectorCommand,
  GuardDutyClient,
  InternalServerErrorException,
  ListCoverageCommand,
  ListDetectorsCommand,
  paginateListCoverage,
} from '@aws-sdk/client-guardduty';
import { describe, expect, it } from '@jest/globals';
import type { AsJson } from '../../emulator/estate.js';
import { startEmulator } from '../../emulator/server.js';
import { useEmulator } from '../support/emulator.js';
import { anAccount, anEstate, type FaultInput, HOME_REGION, MANAGEMENT_ACCOUNT } from '../support/estate.js';

const OTHER_REGION = 'us-east-1';

const eksRecord = (
  clusterName: string,
  overrides: Partial<AsJson<CoverageResource>> = {},
): AsJson<CoverageResource> => ({
  ResourceId: clusterName,
  CoverageStatus: 'HEALTHY',
  ResourceDetails: {
    ResourceType: 'EKS',
    EksClusterDetails: {
      ClusterName: clusterName,
      CoveredNodes: 2,
      CompatibleNodes: 2,
      ManagementType: 'AUTO_MANAGED',
    },
  },
  UpdatedAt: '2026-11-22T11:00:00Z',
  ...overrides,
});

function guardDutyEstate(faults: readonly FaultInput[] = []) {
  return anEstate({
    accounts: [
      anAccount({
        regions: {
          [HOME_REGION]: {
            guardduty: {
              detector: {
                DetectorId: 'det-home',
                Status: 'ENABLED',
                ServiceRole:
                  'arn:aws:iam::111111111111:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
                CreatedAt: '2026-01-01T00:00:00.000Z',
                Features: [
                  { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED', UpdatedAt: '2026-01-01T00:00:00Z' },
                  {
                    Name: 'RUNTIME_MONITORING',
                    Status: 'ENABLED',
                    AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
                  },
                ],
              },
              coverage: [
                eksRecord('alpha'),
                eksRecord('beta', { CoverageStatus: 'UNHEALTHY', Issue: 'No agent reporting' }),
                eksRecord('gamma'),
                {
                  ResourceId: 'i-0ec2',
                  CoverageStatus: 'HEALTHY',
                  ResourceDetails: { ResourceType: 'EC2', Ec2InstanceDetails: { InstanceId: 'i-0ec2' } },
                },
              ],
            },
            ecr: {
              registryScanningConfiguration: {
                scanType: 'ENHANCED',
                rules: [
                  {
                    scanFrequency: 'CONTINUOUS_SCAN',
                    repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }],
                  },
                ],
              },
            },
          },
          [OTHER_REGION]: {},
        },
      }),
    ],
    faults,
  });
}

type Running = Awaited<ReturnType<typeof startEmulator>>;

const clientConfig = (running: Running, region = HOME_REGION) => ({
  region,
  endpoint: running.endpoint,
  credentials: running.credentials,
  maxAttempts: 1,
});

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('GuardDuty', () => {
  const running = useEmulator(() => ({ estate: guardDutyEstate(), maxPageSize: 1 }));

  it('lists the Region’s detector and describes it as GetDetector does, without its id', async () => {
    // Prepare
    const guardDuty = new GuardDutyClient(clientConfig(running()));

    // Act
    const { DetectorIds } = await guardDuty.send(new ListDetectorsCommand({}));
    const { $metadata, ...detector } = await guardDuty.send(
      new GetDetectorCommand({ DetectorId: 'det-home' }),
    );

    // Assess
    expect(DetectorIds).toEqual(['det-home']);
    expect($metadata.httpStatusCode).toBe(200);
    expect(detector).toMatchObject({
      Status: 'ENABLED',
      CreatedAt: '2026-01-01T00:00:00.000Z',
      Features: [
        { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED', UpdatedAt: new Date('2026-01-01T00:00:00Z') },
        {
          Name: 'RUNTIME_MONITORING',
          AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
        },
      ],
    });
    expect(detector).not.toHaveProperty('DetectorId');
  });

  it('has no detector in a Region without GuardDuty, and refuses a detector that is not the caller’s', async () => {
    // Prepare
    const elsewhere = new GuardDutyClient(clientConfig(running(), OTHER_REGION));

    // Act
    const { DetectorIds } = await elsewhere.send(new ListDetectorsCommand({}));
    const refused = await failureOf(elsewhere.send(new GetDetectorCommand({ DetectorId: 'det-home' })));

    // Assess
    expect(DetectorIds).toEqual([]);
    expect(refused).toBeInstanceOf(BadRequestException);
    expect(refused).toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('pages the EKS coverage filtered on RESOURCE_TYPE, filling the detector and account', async () => {
    // Prepare
    const guardDuty = new GuardDutyClient(clientConfig(running()));
    const records = [];

    // Act
    for await (const page of paginateListCoverage(
      { client: guardDuty },
      {
        DetectorId: 'det-home',
        MaxResults: 50,
        FilterCriteria: {
          FilterCriterion: [{ CriterionKey: 'RESOURCE_TYPE', FilterCondition: { Equals: ['EKS'] } }],
        },
      },
    )) {
      expect(page.Resources?.length).toBeLessThanOrEqual(1);
      records.push(...(page.Resources ?? []));
    }
    const calls = running()
      .emulator.calls()
      .find((call) => call.operation === 'ListCoverage');

    // Assess
    expect(records.map((record) => record.ResourceId)).toEqual(['alpha', 'beta', 'gamma']);
    expect(records[1]).toMatchObject({
      DetectorId: 'det-home',
      AccountId: MANAGEMENT_ACCOUNT,
      CoverageStatus: 'UNHEALTHY',
      Issue: 'No agent reporting',
      UpdatedAt: new Date('2026-11-22T11:00:00Z'),
    });
    expect(calls?.count).toBe(3);
  });

  it('applies EKS_CLUSTER_NAME and NotEquals criteria, every criterion holding', async () => {
    // Prepare
    const guardDuty = new GuardDutyClient(clientConfig(running()));
    const filtered = async (FilterCriterion: object[]) => {
      const records = [];
      for await (const page of paginateListCoverage(
        { client: guardDuty },
        { DetectorId: 'det-home', FilterCriteria: { FilterCriterion } as never },
      ))
        records.push(...(page.Resources ?? []));
      return records.map((record) => record.ResourceId);
    };

    // Act
    const named = await filtered([
      { CriterionKey: 'EKS_CLUSTER_NAME', FilterCondition: { Equals: ['beta', 'gamma'] } },
    ]);
    const healthyNamed = await filtered([
      { CriterionKey: 'EKS_CLUSTER_NAME', FilterCondition: { Equals: ['beta', 'gamma'] } },
      { CriterionKey: 'COVERAGE_STATUS', FilterCondition: { NotEquals: ['UNHEALTHY'] } },
    ]);

    // Assess
    expect(named).toEqual(['beta', 'gamma']);
    expect(healthyNamed).toEqual(['gamma']);
  });

  it('refuses a page size outside 1-50 and a bad token with BadRequestException', async () => {
    // Prepare
    const guardDuty = new GuardDutyClient(clientConfig(running()));

    // Act
    const tooMany = await failureOf(
      guardDuty.send(new ListCoverageCommand({ DetectorId: 'det-home', MaxResults: 51 })),
    );
    const badToken = await failureOf(guardDuty.send(new ListDetectorsCommand({ NextToken: 'not-a-token' })));

    // Assess
    expect(tooMany).toBeInstanceOf(BadRequestException);
    expect(badToken).toBeInstanceOf(BadRequestException);
  });
});

describe('ECR', () => {
  const running = useEmulator(() => ({ estate: guardDutyEstate() }));

  it('serves the registry scanning configuration, and ECR’s default where the Region has none', async () => {
    // Prepare
    const home = new ECRClient(clientConfig(running()));
    const elsewhere = new ECRClient(clientConfig(running(), OTHER_REGION));

    // Act
    const configured = await home.send(new GetRegistryScanningConfigurationCommand({}));
    const unset = await elsewhere.send(new GetRegistryScanningConfigurationCommand({}));

    // Assess
    expect(configured).toMatchObject({
      registryId: MANAGEMENT_ACCOUNT,
      scanningConfiguration: {
        scanType: 'ENHANCED',
        rules: [
          { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] },
        ],
      },
    });
    expect(unset.scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
  });
});

describe('GuardDuty and ECR faults', () => {
  it('answers faults with each service its own errors', async () => {
    // Prepare
    const faulty = await startEmulator({
      estate: guardDutyEstate([
        { service: 'guardduty', operation: 'ListCoverage', kind: 'server-error' },
        { service: 'guardduty', operation: 'GetDetector', kind: 'access-denied' },
        { service: 'ecr', kind: 'throttle' },
      ]),
    });
    const guardDuty = new GuardDutyClient(clientConfig(faulty));
    const ecr = new ECRClient(clientConfig(faulty));

    try {
      // Act
      const listing = await failureOf(guardDuty.send(new ListCoverageCommand({ DetectorId: 'det-home' })));
      const detector = await failureOf(guardDuty.send(new GetDetectorCommand({ DetectorId: 'det-home' })));
      const registry = await failureOf(ecr.send(new GetRegistryScanningConfigurationCommand({})));
      const unaffected = await guardDuty.send(new ListDetectorsCommand({}));

      // Assess
      expect(listing).toBeInstanceOf(InternalServerErrorException);
      expect(detector).toBeInstanceOf(AccessDeniedException);
      expect(registry).toMatchObject({ name: 'ThrottlingException' });
      expect(unaffected.DetectorIds).toEqual(['det-home']);
    } finally {
      await faulty.stop();
    }
  });
});
