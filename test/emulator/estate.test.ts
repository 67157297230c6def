import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  EstateError,
  type EstateProblem,
  homeAccountId,
  loadEstateFile,
  parseEstate,
} from '../../emulator/estate.js';
import { ScannerError } from '../../lib/errors.js';

const RELEASE_PARAMETER =
  '/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/release_version';

/** A valid estate with one object of every kind, as plain JSON data a test can break. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into the JSON freely to break it.
function anEstate(): any {
  return {
    estateVersion: 1,
    organization: { managementAccountId: '111111111111' },
    clusterVersions: [
      {
        clusterVersion: '1.34',
        releaseDate: '2025-10-02T00:00:00Z',
        endOfStandardSupportDate: '2026-12-02T00:00:00Z',
        endOfExtendedSupportDate: '2027-12-02T00:00:00Z',
        versionStatus: 'STANDARD_SUPPORT',
      },
    ],
    accounts: [
      {
        accountId: '111111111111',
        name: 'org-management',
        state: 'ACTIVE',
        assumeRole: 'allow',
        regions: {
          'eu-west-1': {
            clusters: [
              {
                cluster: { name: 'alpha', version: '1.34', createdAt: '2025-11-01T10:00:00Z' },
                nodegroups: [{ nodegroupName: 'workers', amiType: 'AL2023_x86_64_STANDARD' }],
                fargateProfiles: [{ fargateProfileName: 'kube-system' }],
                insights: [
                  {
                    id: 'insight-1',
                    name: 'Kubelet version skew',
                    category: 'UPGRADE_READINESS',
                    insightStatus: { status: 'PASSING' },
                    lastRefreshTime: '2026-11-30T08:00:00Z',
                  },
                ],
                addons: [{ addonName: 'vpc-cni', addonVersion: 'v1.19.2-eksbuild.1', status: 'ACTIVE' }],
              },
            ],
            ec2: {
              vpcs: [{ VpcId: 'vpc-0a1' }],
              subnets: [{ SubnetId: 'subnet-0a1', VpcId: 'vpc-0a1', MapPublicIpOnLaunch: false }],
              routeTables: [{ RouteTableId: 'rtb-0a1', VpcId: 'vpc-0a1', Associations: [{ Main: true }] }],
              securityGroups: [{ GroupId: 'sg-0a1' }],
              instances: [{ InstanceId: 'i-0a1', ImageId: 'ami-0a1', State: { Code: 16, Name: 'running' } }],
              images: [{ ImageId: 'ami-0a1', CreationDate: '2026-11-10T00:00:00.000Z' }],
              launchTemplateVersions: [{ LaunchTemplateId: 'lt-0a1', VersionNumber: 1 }],
              volumes: [{ VolumeId: 'vol-0a1', Encrypted: false, CreateTime: '2026-11-10T00:00:00Z' }],
              ebsEncryptionByDefault: false,
              managedResourceVisibility: 'hidden',
            },
            autoscaling: { groups: [{ AutoScalingGroupName: 'workers-asg' }] },
            inspector2: {
              accountState: { accountId: '111111111111', resourceState: { ec2: { status: 'ENABLED' } } },
              coverage: [{ resourceId: 'i-0a1', resourceType: 'AWS_EC2_INSTANCE', scanType: 'PACKAGE' }],
            },
            ssm: {
              parameters: { [RELEASE_PARAMETER]: '1.34.4-20261110' },
              instanceInformation: [
                { InstanceId: 'i-0a1', PingStatus: 'Online', ResourceType: 'EC2Instance' },
              ],
            },
            guardduty: {
              detector: {
                DetectorId: 'd-1',
                Status: 'ENABLED',
                CreatedAt: '2026-01-01T00:00:00.000Z',
                Features: [
                  {
                    Name: 'RUNTIME_MONITORING',
                    Status: 'ENABLED',
                    AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
                  },
                ],
              },
              coverage: [
                {
                  ResourceId: 'alpha',
                  CoverageStatus: 'HEALTHY',
                  ResourceDetails: {
                    ResourceType: 'EKS',
                    EksClusterDetails: {
                      ClusterName: 'alpha',
                      CoveredNodes: 2,
                      ManagementType: 'AUTO_MANAGED',
                    },
                  },
                  UpdatedAt: '2026-11-30T08:00:00Z',
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
            eksAddonVersions: [
              {
                addonName: 'vpc-cni',
                addonVersions: [
                  {
                    addonVersion: 'v1.19.2-eksbuild.1',
                    compatibilities: [{ clusterVersion: '1.34', defaultVersion: true }],
                  },
                ],
              },
            ],
            securityHub: { enabled: false },
            config: { enabled: true },
          },
        },
      },
      {
        accountId: '222222222222',
        name: 'payments-prod',
        iam: {
          openIDConnectProviders: [
            { Arn: 'arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC' },
          ],
        },
      },
    ],
    faults: [{ service: 'eks', operation: 'DescribeCluster', kind: 'throttle', rate: 0.2 }],
  };
}

const REGION = 'accounts[0].regions.eu-west-1';

/** The problems parseEstate reports for an estate, or fails the test when it accepts it. */
function problemsOf(estate: unknown): EstateProblem[] {
  try {
    parseEstate(estate);
  } catch (error) {
    if (error instanceof EstateError) return [...error.problems];
    throw error;
  }
  throw new Error('parseEstate accepted an invalid estate');
}

describe('parseEstate', () => {
  it('accepts a minimal estate and applies every default', () => {
    // Prepare
    const json = {
      estateVersion: 1,
      accounts: [{ accountId: '111111111111', regions: { 'eu-west-1': {} } }],
    };
    // Act
    const estate = parseEstate(json);
    // Assess
    expect(estate).toEqual({
      estateVersion: 1,
      partition: 'aws',
      clusterVersions: [],
      faults: [],
      accounts: [
        {
          accountId: '111111111111',
          state: 'ACTIVE',
          assumeRole: 'allow',
          regions: {
            'eu-west-1': {
              clusters: [],
              ec2: {
                vpcs: [],
                subnets: [],
                routeTables: [],
                securityGroups: [],
                instances: [],
                images: [],
                launchTemplateVersions: [],
              },
              autoscaling: { groups: [] },
              ssm: { parameters: {} },
              securityHub: { enabled: true },
              config: { enabled: true },
            },
          },
        },
      ],
    });
    expect(estate.accounts[0]?.regions['eu-west-1']?.inspector2).toBeUndefined();
  });

  it('accepts a full estate and keeps its data as plain JSON (dates stay ISO strings)', () => {
    // Prepare
    const json = anEstate();
    // Act
    const estate = parseEstate(json);
    // Assess
    const region = estate.accounts[0]?.regions['eu-west-1'];
    expect(region?.clusters[0]?.cluster.createdAt).toBe('2025-11-01T10:00:00Z');
    expect(estate.clusterVersions[0]?.endOfStandardSupportDate).toBe('2026-12-02T00:00:00Z');
    expect(region?.securityHub).toEqual({ enabled: false });
    expect(region?.inspector2?.coverage).toHaveLength(1);
    expect(region?.ssm.parameters[RELEASE_PARAMETER]).toBe('1.34.4-20261110');
    expect(estate.accounts[1]).toEqual({
      accountId: '222222222222',
      name: 'payments-prod',
      state: 'ACTIVE',
      assumeRole: 'allow',
      regions: {},
      iam: json.accounts[1].iam,
    });
  });

  it('accepts the third-edition members and keeps them as written', () => {
    // Prepare
    const json = anEstate();
    const written = json.accounts[0].regions['eu-west-1'];
    // Act
    const region = parseEstate(json).accounts[0]?.regions['eu-west-1'];
    // Assess
    expect(region?.ec2.volumes).toEqual(written.ec2.volumes);
    expect(region?.ec2.ebsEncryptionByDefault).toBe(false);
    expect(region?.ec2.managedResourceVisibility).toBe('hidden');
    expect(region?.ssm.instanceInformation).toEqual(written.ssm.instanceInformation);
    expect(region?.guardduty).toEqual(written.guardduty);
    expect(region?.ecr).toEqual(written.ecr);
    expect(region?.eksAddonVersions).toEqual(written.eksAddonVersions);
    expect(region?.clusters[0]?.insights).toEqual(written.clusters[0].insights);
    expect(region?.clusters[0]?.addons).toEqual(written.clusters[0].addons);
  });

  it('keeps unknown members inside AWS objects untouched', () => {
    // Prepare
    const json = anEstate();
    const region = json.accounts[0].regions['eu-west-1'];
    region.clusters[0].cluster.futureFeature = { enabled: true, modes: ['a', 'b'] };
    region.ec2.instances[0].Ipv6Address = '2001:db8::1';
    region.ec2.instances[0].NetworkInterfaces = [
      { NetworkInterfaceId: 'eni-0a1', Association: { PublicIp: '198.51.100.7' } },
    ];
    region.clusters[0].nodegroups[0].nodeRepairConfig = { enabled: true };
    json.clusterVersions[0].controlPlaneScalingTiers = [{ tier: 'standard' }];
    // Act
    const estate = parseEstate(json);
    // Assess
    const parsed = estate.accounts[0]?.regions['eu-west-1'];
    expect(parsed?.clusters[0]?.cluster).toMatchObject({
      futureFeature: { enabled: true, modes: ['a', 'b'] },
    });
    expect(parsed?.ec2.instances[0]).toEqual(region.ec2.instances[0]);
    expect(parsed?.clusters[0]?.nodegroups[0]).toEqual({
      nodegroupName: 'workers',
      amiType: 'AL2023_x86_64_STANDARD',
      nodeRepairConfig: { enabled: true },
    });
    expect(estate.clusterVersions[0]).toMatchObject({ controlPlaneScalingTiers: [{ tier: 'standard' }] });
  });

  it('applies the fault defaults: every operation, account and Region, rate 1', () => {
    // Prepare
    const json = {
      ...anEstate(),
      faults: [
        { service: 'ec2', kind: 'server-error' },
        { service: '*', kind: 'latency', ms: 25 },
        { service: 'sts', kind: 'timeout', account: '222222222222', region: 'us-east-1', rate: 0.5, ms: 40 },
      ],
    };
    // Act
    const estate = parseEstate(json);
    // Assess
    expect(estate.faults).toEqual([
      { service: 'ec2', operation: '*', account: '*', region: '*', kind: 'server-error', rate: 1 },
      { service: '*', operation: '*', account: '*', region: '*', kind: 'latency', ms: 25 },
      {
        service: 'sts',
        operation: '*',
        account: '222222222222',
        region: 'us-east-1',
        kind: 'timeout',
        rate: 0.5,
        ms: 40,
      },
    ]);
  });

  // biome-ignore lint/suspicious/noExplicitAny: each case breaks the JSON in its own way.
  const rejections: [string, (estate: any) => void, string, string][] = [
    [
      'a version other than 1',
      (e) => (e.estateVersion = 2),
      'estateVersion',
      'expected 1 (the only estate format version), got 2',
    ],
    ['no version', (e) => delete e.estateVersion, 'estateVersion', 'required'],
    ['an unknown top-level key', (e) => (e.acounts = []), 'acounts', 'unknown key "acounts"'],
    [
      'a malformed partition',
      (e) => (e.partition = 'AWS'),
      'partition',
      'expected a partition like aws, got "AWS"',
    ],
    ['no accounts', (e) => (e.accounts = []), 'accounts', 'expected at least one account'],
    [
      'an account id of 5 digits',
      (e) => (e.accounts[1].accountId = '12345'),
      'accounts[1].accountId',
      'expected 12 digits, got "12345"',
    ],
    [
      'a numeric account id',
      (e) => (e.accounts[1].accountId = 222222222222),
      'accounts[1].accountId',
      'expected string, got 222222222222',
    ],
    [
      'a duplicate account id',
      (e) => (e.accounts[1].accountId = '111111111111'),
      'accounts[1].accountId',
      'duplicate accountId "111111111111" (also at index 0)',
    ],
    [
      'an unknown account state',
      (e) => (e.accounts[1].state = 'OPEN'),
      'accounts[1].state',
      'expected "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED", got "OPEN"',
    ],
    [
      'an unknown assumeRole',
      (e) => (e.accounts[1].assumeRole = 'sometimes'),
      'accounts[1].assumeRole',
      'expected "allow" | "deny", got "sometimes"',
    ],
    [
      'an unknown account key',
      (e) => (e.accounts[1].region = {}),
      'accounts[1].region',
      'unknown key "region"',
    ],
    [
      'a malformed Region name',
      (e) => (e.accounts[1].regions = { Ireland: {} }),
      'accounts[1].regions.Ireland',
      'expected a Region name like eu-west-1, got "Ireland"',
    ],
    [
      'a management account of 11 digits',
      (e) => (e.organization.managementAccountId = '11111111111'),
      'organization.managementAccountId',
      'expected 12 digits, got "11111111111"',
    ],
    [
      'a management account outside the estate',
      (e) => (e.organization.managementAccountId = '999999999999'),
      'organization.managementAccountId',
      'account 999999999999 is not among',
    ],
    [
      'a cluster version without clusterVersion',
      (e) => delete e.clusterVersions[0].clusterVersion,
      'clusterVersions[0].clusterVersion',
      'required',
    ],
    [
      'a cluster version with an unknown status',
      (e) => (e.clusterVersions[0].versionStatus = 'SUPPORTED'),
      'clusterVersions[0].versionStatus',
      'expected "EXTENDED_SUPPORT" | "STANDARD_SUPPORT" | "UNSUPPORTED", got "SUPPORTED"',
    ],
    [
      'a support date in another date format',
      (e) => (e.clusterVersions[0].endOfStandardSupportDate = '02/12/2026'),
      'clusterVersions[0].endOfStandardSupportDate',
      'expected an ISO-8601 timestamp like "2026-01-31T12:00:00Z", got "02/12/2026"',
    ],
    [
      'an OIDC provider ARN of the wrong type',
      (e) => (e.accounts[1].iam.openIDConnectProviders[0].Arn = 7),
      'accounts[1].iam.openIDConnectProviders[0].Arn',
      'expected string, got 7',
    ],
    [
      'accounts given as an object',
      (e) => (e.accounts = { '111111111111': {} }),
      'accounts',
      'expected array',
    ],
    [
      'a duplicate cluster version',
      (e) => e.clusterVersions.push({ clusterVersion: '1.34' }),
      'clusterVersions[1].clusterVersion',
      'duplicate clusterVersion "1.34"',
    ],
  ];

  // biome-ignore lint/suspicious/noExplicitAny: each case breaks the Region's JSON in its own way.
  const regionRejections: [string, (region: any) => void, string, string][] = [
    [
      'a cluster without a name',
      (r) => delete r.clusters[0].cluster.name,
      'clusters[0].cluster.name',
      'required',
    ],
    [
      'a cluster with an empty name',
      (r) => (r.clusters[0].cluster.name = ''),
      'clusters[0].cluster.name',
      'must not be empty',
    ],
    [
      'a cluster entry without its cluster',
      (r) => delete r.clusters[0].cluster,
      'clusters[0].cluster',
      'required',
    ],
    [
      'two clusters of one name',
      (r) => r.clusters.push({ cluster: { name: 'alpha' } }),
      'clusters[1].cluster.name',
      'duplicate cluster name "alpha" (also at index 0)',
    ],
    [
      'a misspelt cluster entry key',
      (r) => (r.clusters[0].nodeGroups = []),
      'clusters[0].nodeGroups',
      'unknown key "nodeGroups"',
    ],
    [
      'a node group without a name',
      (r) => delete r.clusters[0].nodegroups[0].nodegroupName,
      'clusters[0].nodegroups[0].nodegroupName',
      'required',
    ],
    [
      'two node groups of one name',
      (r) => r.clusters[0].nodegroups.push({ nodegroupName: 'workers' }),
      'clusters[0].nodegroups[1].nodegroupName',
      'duplicate node group name "workers"',
    ],
    [
      'a Fargate profile without a name',
      (r) => delete r.clusters[0].fargateProfiles[0].fargateProfileName,
      'clusters[0].fargateProfiles[0].fargateProfileName',
      'required',
    ],
    ['a VPC without VpcId', (r) => delete r.ec2.vpcs[0].VpcId, 'ec2.vpcs[0].VpcId', 'required'],
    [
      'a subnet without SubnetId',
      (r) => delete r.ec2.subnets[0].SubnetId,
      'ec2.subnets[0].SubnetId',
      'required',
    ],
    [
      'a route table without RouteTableId',
      (r) => delete r.ec2.routeTables[0].RouteTableId,
      'ec2.routeTables[0].RouteTableId',
      'required',
    ],
    [
      'a security group without GroupId',
      (r) => delete r.ec2.securityGroups[0].GroupId,
      'ec2.securityGroups[0].GroupId',
      'required',
    ],
    [
      'an instance without InstanceId',
      (r) => delete r.ec2.instances[0].InstanceId,
      'ec2.instances[0].InstanceId',
      'required',
    ],
    [
      'two instances of one id',
      (r) => r.ec2.instances.push({ InstanceId: 'i-0a1' }),
      'ec2.instances[1].InstanceId',
      'duplicate InstanceId "i-0a1"',
    ],
    ['an image without ImageId', (r) => delete r.ec2.images[0].ImageId, 'ec2.images[0].ImageId', 'required'],
    [
      'a launch template version without LaunchTemplateId',
      (r) => delete r.ec2.launchTemplateVersions[0].LaunchTemplateId,
      'ec2.launchTemplateVersions[0].LaunchTemplateId',
      'required',
    ],
    [
      'a launch template version without VersionNumber',
      (r) => delete r.ec2.launchTemplateVersions[0].VersionNumber,
      'ec2.launchTemplateVersions[0].VersionNumber',
      'required',
    ],
    [
      'a launch template version numbered "1"',
      (r) => (r.ec2.launchTemplateVersions[0].VersionNumber = '1'),
      'ec2.launchTemplateVersions[0].VersionNumber',
      'expected number, got "1"',
    ],
    [
      'two launch template versions of one number',
      (r) => r.ec2.launchTemplateVersions.push({ LaunchTemplateId: 'lt-0a1', VersionNumber: 1 }),
      'ec2.launchTemplateVersions[1].VersionNumber',
      'duplicate launch template version "lt-0a1 version 1"',
    ],
    ['a misspelt EC2 list', (r) => (r.ec2.instance = []), 'ec2.instance', 'unknown key "instance"'],
    [
      'an Auto Scaling group without a name',
      (r) => delete r.autoscaling.groups[0].AutoScalingGroupName,
      'autoscaling.groups[0].AutoScalingGroupName',
      'required',
    ],
    [
      'Inspector without an account state',
      (r) => delete r.inspector2.accountState,
      'inspector2.accountState',
      'required',
    ],
    [
      'a coverage record without resourceId',
      (r) => delete r.inspector2.coverage[0].resourceId,
      'inspector2.coverage[0].resourceId',
      'required',
    ],
    [
      'a parameter with a non-string value',
      (r) => (r.ssm.parameters[RELEASE_PARAMETER] = 1.34),
      `ssm.parameters["${RELEASE_PARAMETER}"]`,
      'expected string, got 1.34',
    ],
    [
      'parameters given as a list',
      (r) => (r.ssm.parameters = [RELEASE_PARAMETER]),
      'ssm.parameters',
      'expected record, got an array',
    ],
    [
      'Security Hub enabled as a string',
      (r) => (r.securityHub.enabled = 'yes'),
      'securityHub.enabled',
      'expected boolean, got "yes"',
    ],
    [
      'Config enabled as a number',
      (r) => (r.config.enabled = 1),
      'config.enabled',
      'expected boolean, got 1',
    ],
    // Every member of an AWS object, at every depth, has the type of its SDK output shape.
    [
      'a boolean given as the string "false"',
      (r) => (r.ec2.subnets[0].MapPublicIpOnLaunch = 'false'),
      'ec2.subnets[0].MapPublicIpOnLaunch',
      'expected boolean, got "false"',
    ],
    [
      'a number given as a string, two levels down',
      (r) => (r.ec2.instances[0].State.Code = '16'),
      'ec2.instances[0].State.Code',
      'expected number, got "16"',
    ],
    [
      'map-shaped Tags where EC2 has a list of Key/Value',
      (r) => (r.ec2.instances[0].Tags = { Name: 'node-1' }),
      'ec2.instances[0].Tags',
      'expected a list, got an object',
    ],
    [
      'a list where EKS has a map of tags',
      (r) => (r.clusters[0].cluster.tags = [{ Key: 'team', Value: 'a' }]),
      'clusters[0].cluster.tags',
      'expected an object of key/value pairs, got a list',
    ],
    [
      'a list where a structure belongs',
      (r) => (r.clusters[0].cluster.resourcesVpcConfig = []),
      'clusters[0].cluster.resourcesVpcConfig',
      'expected an object (VpcConfigResponse), got a list',
    ],
    [
      'a tag of the wrong type inside a list',
      (r) => (r.ec2.instances[0].Tags = [{ Key: 'Name', Value: 7 }]),
      'ec2.instances[0].Tags[0].Value',
      'expected string, got 7',
    ],
    [
      'a null member',
      (r) => (r.ec2.instances[0].ImageId = null),
      'ec2.instances[0].ImageId',
      'expected string, got null',
    ],
    [
      'an unknown enum value',
      (r) => (r.ec2.instances[0].State.Name = 'Running'),
      'ec2.instances[0].State.Name',
      'expected "pending" | "running" | "shutting-down" | "stopped" | "stopping" | "terminated", got "Running"',
    ],
    [
      'an unknown AMI type',
      (r) => (r.clusters[0].nodegroups[0].amiType = 'AL2024_x86_64'),
      'clusters[0].nodegroups[0].amiType',
      'got "AL2024_x86_64"',
    ],
    [
      'a timestamp that is not ISO-8601',
      (r) => (r.clusters[0].cluster.createdAt = 'yesterday'),
      'clusters[0].cluster.createdAt',
      'expected an ISO-8601 timestamp like "2026-01-31T12:00:00Z", got "yesterday"',
    ],
    [
      'a timestamp in epoch seconds',
      (r) => (r.ec2.volumes[0].CreateTime = 1767225600),
      'ec2.volumes[0].CreateTime',
      'expected an ISO-8601 timestamp like "2026-01-31T12:00:00Z", got 1767225600',
    ],
    [
      'a timestamp on a day the calendar does not have',
      (r) => (r.clusters[0].insights[0].lastRefreshTime = '2026-02-30T08:00:00Z'),
      'clusters[0].insights[0].lastRefreshTime',
      'expected an ISO-8601 timestamp',
    ],
    [
      'an Auto Scaling size given as a string',
      (r) => (r.autoscaling.groups[0].MinSize = '1'),
      'autoscaling.groups[0].MinSize',
      'expected number, got "1"',
    ],
    [
      'an unknown Inspector scan type',
      (r) => (r.inspector2.coverage[0].scanType = 'DEEP'),
      'inspector2.coverage[0].scanType',
      'expected "CODE" | "NETWORK" | "PACKAGE", got "DEEP"',
    ],
    [
      'an Inspector status deep in the account state',
      (r) => (r.inspector2.accountState.resourceState.ec2.status = 'ON'),
      'inspector2.accountState.resourceState.ec2.status',
      'got "ON"',
    ],
    // Third edition.
    [
      'a volume encrypted "true"',
      (r) => (r.ec2.volumes[0].Encrypted = 'true'),
      'ec2.volumes[0].Encrypted',
      'expected boolean, got "true"',
    ],
    [
      'two volumes of one id',
      (r) => r.ec2.volumes.push({ VolumeId: 'vol-0a1' }),
      'ec2.volumes[1].VolumeId',
      'duplicate VolumeId "vol-0a1"',
    ],
    [
      'EBS encryption by default as a string',
      (r) => (r.ec2.ebsEncryptionByDefault = 'false'),
      'ec2.ebsEncryptionByDefault',
      'expected boolean, got "false"',
    ],
    [
      'an unknown managed resource visibility',
      (r) => (r.ec2.managedResourceVisibility = 'invisible'),
      'ec2.managedResourceVisibility',
      'expected "visible" | "hidden", got "invisible"',
    ],
    [
      'an unknown SSM ping status',
      (r) => (r.ssm.instanceInformation[0].PingStatus = 'Up'),
      'ssm.instanceInformation[0].PingStatus',
      'got "Up"',
    ],
    [
      'a GuardDuty detector without its id',
      (r) => delete r.guardduty.detector.DetectorId,
      'guardduty.detector.DetectorId',
      'required',
    ],
    [
      'an unknown GuardDuty feature status',
      (r) => (r.guardduty.detector.Features[0].AdditionalConfiguration[0].Status = 'ON'),
      'guardduty.detector.Features[0].AdditionalConfiguration[0].Status',
      'expected "DISABLED" | "ENABLED", got "ON"',
    ],
    [
      'GuardDuty covered nodes as a string',
      (r) => (r.guardduty.coverage[0].ResourceDetails.EksClusterDetails.CoveredNodes = '2'),
      'guardduty.coverage[0].ResourceDetails.EksClusterDetails.CoveredNodes',
      'expected number, got "2"',
    ],
    [
      'an unknown ECR scan type',
      (r) => (r.ecr.registryScanningConfiguration.scanType = 'FULL'),
      'ecr.registryScanningConfiguration.scanType',
      'expected "BASIC" | "ENHANCED", got "FULL"',
    ],
    [
      'add-on versions as a map',
      (r) => (r.eksAddonVersions[0].addonVersions = { 'v1.19.2-eksbuild.1': {} }),
      'eksAddonVersions[0].addonVersions',
      'expected a list, got an object',
    ],
    [
      'a default-version flag as a string',
      (r) => (r.eksAddonVersions[0].addonVersions[0].compatibilities[0].defaultVersion = 'true'),
      'eksAddonVersions[0].addonVersions[0].compatibilities[0].defaultVersion',
      'expected boolean, got "true"',
    ],
    [
      'an unknown add-on status',
      (r) => (r.clusters[0].addons[0].status = 'OK'),
      'clusters[0].addons[0].status',
      'got "OK"',
    ],
    [
      'an unknown insight status',
      (r) => (r.clusters[0].insights[0].insightStatus.status = 'FINE'),
      'clusters[0].insights[0].insightStatus.status',
      'expected "ERROR" | "PASSING" | "UNKNOWN" | "WARNING", got "FINE"',
    ],
    ['an unknown GuardDuty key', (r) => (r.guardduty.detectors = []), 'guardduty.detectors', 'unknown key'],
  ];

  // biome-ignore lint/suspicious/noExplicitAny: each case is a fault as an estate author could write it.
  const faultRejections: [string, any, string, string][] = [
    ['no service', { kind: 'throttle' }, 'service', 'required'],
    [
      'an unknown service',
      { service: 'EKS', kind: 'throttle' },
      'service',
      'expected "*" or one of eks, ec2, autoscaling',
    ],
    [
      'a lower-case operation',
      { service: 'eks', operation: 'describeCluster', kind: 'throttle' },
      'operation',
      'got "describeCluster"',
    ],
    [
      'a malformed account',
      { service: 'eks', account: '1234', kind: 'throttle' },
      'account',
      'expected "*" or a 12-digit account id, got "1234"',
    ],
    [
      'a malformed Region',
      { service: 'eks', region: 'eu-west', kind: 'throttle' },
      'region',
      'expected "*" or a Region name like eu-west-1, got "eu-west"',
    ],
    [
      'an unknown kind',
      { service: 'eks', kind: 'explode' },
      'kind',
      'expected "throttle" | "server-error" | "access-denied" | "timeout" | "failed-findings" | "latency", got "explode"',
    ],
    [
      'a rate above 1',
      { service: 'eks', kind: 'throttle', rate: 1.5 },
      'rate',
      'expected at most 1, got 1.5',
    ],
    [
      'a negative rate',
      { service: 'eks', kind: 'access-denied', rate: -0.1 },
      'rate',
      'expected at least 0, got -0.1',
    ],
    ['a latency without ms', { service: 'eks', kind: 'latency' }, 'ms', 'required for a latency fault'],
    ['a negative latency', { service: 'eks', kind: 'latency', ms: -5 }, 'ms', 'expected at least 0, got -5'],
    ['a latency with a rate', { service: 'eks', kind: 'latency', ms: 5, rate: 0.5 }, 'rate', 'takes no rate'],
    [
      'an unknown fault key',
      { service: 'eks', kind: 'throttle', probability: 0.5 },
      'probability',
      'unknown key "probability"',
    ],
  ];

  it.each(rejections)('rejects %s, naming the path', (_name, breakIt, path, message) => {
    // Prepare
    const json = anEstate();
    breakIt(json);
    // Act
    const problems = problemsOf(json);
    // Assess
    expect(problems).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it.each(regionRejections)('rejects %s in a Region, naming the path', (_name, breakIt, path, message) => {
    // Prepare
    const json = anEstate();
    breakIt(json.accounts[0].regions['eu-west-1']);
    // Act
    const problems = problemsOf(json);
    // Assess
    expect(problems).toEqual([{ path: `${REGION}.${path}`, message: expect.stringContaining(message) }]);
  });

  it.each(faultRejections)('rejects a fault with %s, naming the path', (_name, fault, path, message) => {
    // Prepare
    const json = { ...anEstate(), faults: [{ service: 'ssm', kind: 'throttle' }, fault] };
    // Act
    const problems = problemsOf(json);
    // Assess
    expect(problems).toEqual([{ path: `faults[1].${path}`, message: expect.stringContaining(message) }]);
  });

  it('names every allowed top-level key when it meets an unknown one', () => {
    // Prepare
    const json = { ...anEstate(), regions: {} };
    // Act
    const [problem] = problemsOf(json);
    // Assess
    expect(problem?.path).toBe('regions');
    expect(problem?.message).toBe(
      'unknown key "regions"; expected only estateVersion, partition, organization, clusterVersions, accounts, faults',
    );
  });

  it('rejects a document that is null', () => {
    // Act
    const problems = problemsOf(null);
    // Assess
    expect(problems).toEqual([{ path: '(root)', message: 'expected object, got null' }]);
  });

  it('accepts timestamps without a zone (UTC) or with an offset, and dates alone', () => {
    // Prepare
    const json = anEstate();
    json.clusterVersions[0].releaseDate = '2025-10-02';
    json.clusterVersions[0].endOfStandardSupportDate = '2026-12-02T00:00:00';
    json.clusterVersions[0].endOfExtendedSupportDate = '2027-12-02T01:00:00.000+01:00';
    // Act
    const estate = parseEstate(json);
    // Assess
    expect(estate.clusterVersions[0]?.endOfStandardSupportDate).toBe('2026-12-02T00:00:00');
  });

  it('lists at most 100 problems, and says how many more there are', () => {
    // Prepare
    const json = anEstate();
    json.accounts[0].regions['eu-west-1'].ec2.instances = Array.from({ length: 150 }, (_, index) => ({
      InstanceId: `i-${index}`,
      EbsOptimized: 'yes',
    }));
    // Act
    const problems = problemsOf(json);
    // Assess
    expect(problems).toHaveLength(101);
    expect(problems[0]).toEqual({
      path: `${REGION}.ec2.instances[0].EbsOptimized`,
      message: 'expected boolean, got "yes"',
    });
    expect(problems[100]).toEqual({ path: '...', message: '50 more problems not listed' });
  });

  it('rejects a document that is not an object', () => {
    // Prepare
    const json = [anEstate()];
    // Act
    const problems = problemsOf(json);
    // Assess
    expect(problems).toEqual([{ path: '(root)', message: 'expected object, got an array' }]);
  });

  it('reports every problem at once, each with its path, in one EstateError', () => {
    // Prepare
    const json = anEstate();
    json.estateVersion = 3;
    json.accounts[1].accountId = '12345';
    json.accounts[1].state = 'GONE';
    json.accounts[0].regions['eu-west-1'].clusters.push({ cluster: { name: 'alpha' } });
    json.accounts[0].regions['eu-west-1'].ec2.instances.push({ ImageId: 'ami-0a1' });
    json.faults.push({ service: 'eks', kind: 'latency' });
    // Act
    let caught: unknown;
    try {
      parseEstate(json);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(EstateError);
    expect(caught).toBeInstanceOf(ScannerError);
    const error = caught as EstateError;
    expect(error.name).toBe('EstateError');
    expect(error.problems.map((problem) => problem.path)).toEqual([
      'estateVersion',
      'accounts[0].regions.eu-west-1.clusters[1].cluster.name',
      'accounts[0].regions.eu-west-1.ec2.instances[1].InstanceId',
      'accounts[1].accountId',
      'accounts[1].state',
      'faults[1].ms',
    ]);
    expect(error.message).toMatch(/^Invalid estate \(6 problems\):\n/);
    expect(error.message).toContain('\n  accounts[1].accountId: expected 12 digits, got "12345"');
    expect(error.message).toContain(
      '\n  accounts[0].regions.eu-west-1.ec2.instances[1].InstanceId: required',
    );
    expect(error.message).toContain('\n  faults[1].ms: required for a latency fault');
  });
});

describe('loadEstateFile', () => {
  const directory = mkdtempSync(join(tmpdir(), 'estate-test-'));

  it('reads and validates an estate file', async () => {
    // Prepare
    const path = join(directory, 'valid.json');
    writeFileSync(path, JSON.stringify(anEstate()));
    // Act
    const estate = await loadEstateFile(path);
    // Assess
    expect(estate.accounts.map((account) => account.accountId)).toEqual(['111111111111', '222222222222']);
  });

  it('names the file in the error of an invalid estate', async () => {
    // Prepare
    const path = join(directory, 'invalid.json');
    writeFileSync(path, JSON.stringify({ ...anEstate(), estateVersion: 0 }));
    // Act
    const loading = loadEstateFile(path);
    // Assess
    await expect(loading).rejects.toThrow(EstateError);
    await expect(loading).rejects.toThrow(
      `Invalid estate file ${path} (1 problem):\n  estateVersion: expected 1`,
    );
  });

  it('reports a file that is not JSON as an EstateError', async () => {
    // Prepare
    const path = join(directory, 'broken.json');
    writeFileSync(path, '{ "estateVersion": 1,');
    // Act
    const loading = loadEstateFile(path);
    // Assess
    await expect(loading).rejects.toThrow(EstateError);
    await expect(loading).rejects.toThrow(/\(root\): not valid JSON/);
  });

  it('lets an unreadable file fail with the file system error', async () => {
    // Prepare
    const path = join(directory, 'missing.json');
    // Act
    const loading = loadEstateFile(path);
    // Assess
    await expect(loading).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('homeAccountId', () => {
  it("is the organization's management account", () => {
    // Prepare
    const json = anEstate();
    json.accounts.reverse();
    const estate = parseEstate(json);
    // Act
    const home = homeAccountId(estate);
    // Assess
    expect(home).toBe('111111111111');
  });

  it('is the first account when there is no organization', () => {
    // Prepare
    const json = anEstate();
    delete json.organization;
    json.accounts.reverse();
    const estate = parseEstate(json);
    // Act
    const home = homeAccountId(estate);
    // Assess
    expect(home).toBe('222222222222');
  });
});
