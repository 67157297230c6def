/**
 * A Region with two clusters that exercises every path of the collector:
 * - alpha: a managed node group (launch template lt-workers version 2), a running and a stopped node,
 *   the stopped one on a deregistered AMI.
 * - beta: a managed Bottlerocket group without launch template, a managed GPU group (lt-workers
 *   $Default), a tagged self-managed Auto Scaling group (launch template `legacy` by name, $Latest),
 *   a tagged group scaled to zero (mixed instances policy, lt-idle), an untagged group known only from
 *   its node's tag, a Karpenter node, and a Fargate profile.
 * Plus what must never be collected: a terminated node, a node and groups of another cluster.
 */
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { Instance } from '@aws-sdk/client-ec2';
import type { Nodegroup } from '@aws-sdk/client-eks';
import { releaseParameterName } from '../../lib/snapshot/references.js';
import type { ClusterSnapshot, Part } from '../../lib/snapshot/types.js';
import { ESTATE_ACCOUNT, ESTATE_REGION, type RegionEstate } from './aws-estate.js';

export const TARGET = { partition: 'aws', accountId: ESTATE_ACCOUNT, region: ESTATE_REGION } as const;

export const AL2023_133 = releaseParameterName('AL2023_x86_64_STANDARD', '1.33') ?? '';
export const NVIDIA_132 = releaseParameterName('AL2023_x86_64_NVIDIA', '1.32') ?? '';
export const BOTTLEROCKET_132 = releaseParameterName('BOTTLEROCKET_x86_64', '1.32') ?? '';

const RUNNING = { Code: 16, Name: 'running' } as const;
const PENDING = { Code: 0, Name: 'pending' } as const;
const STOPPED = { Code: 80, Name: 'stopped' } as const;
const TERMINATED = { Code: 48, Name: 'terminated' } as const;

const tags = (entries: Record<string, string>) =>
  Object.entries(entries).map(([Key, Value]) => ({ Key, Value }));

export const anEstateInstance = (
  InstanceId: string,
  overrides: Partial<Instance> & { tags: Record<string, string> },
): Instance => {
  const { tags: tagEntries, ...rest } = overrides;
  return {
    InstanceId,
    State: RUNNING,
    ImageId: 'ami-shared',
    SubnetId: 'subnet-a1',
    Tags: tags(tagEntries),
    ...rest,
  };
};

const managedNodeTags = (cluster: string, nodegroup: string) => ({
  'aws:eks:cluster-name': cluster,
  'eks:cluster-name': cluster,
  'eks:nodegroup-name': nodegroup,
  'aws:autoscaling:groupName': `eks-${nodegroup}`,
});

const aNodegroup = (
  clusterName: string,
  nodegroupName: string,
  overrides: Partial<Nodegroup>,
): Nodegroup => ({
  clusterName,
  nodegroupName,
  nodegroupArn: `arn:aws:eks:${ESTATE_REGION}:${ESTATE_ACCOUNT}:nodegroup/${clusterName}/${nodegroupName}/1a2b`,
  resources: { autoScalingGroups: [{ name: `eks-${nodegroupName}` }] },
  ...overrides,
});

export const anEstateGroup = (name: string, overrides: Partial<AutoScalingGroup> = {}): AutoScalingGroup => ({
  AutoScalingGroupName: name,
  AutoScalingGroupARN: `arn:aws:autoscaling:${ESTATE_REGION}:${ESTATE_ACCOUNT}:autoScalingGroup:9f:autoScalingGroupName/${name}`,
  MinSize: 0,
  MaxSize: 3,
  DesiredCapacity: 1,
  DefaultCooldown: 300,
  AvailabilityZones: [`${ESTATE_REGION}a`],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2026-01-01T00:00:00Z'),
  ...overrides,
});

const clusterTag = (cluster: string, value = 'owned') => ({
  Key: `kubernetes.io/cluster/${cluster}`,
  Value: value,
  PropagateAtLaunch: true,
});

export function twoClusters(pageSize = 100): RegionEstate {
  return {
    pageSize,
    insights: {},
    addons: [],
    addonVersions: [],
    oidcProviders: [],
    clusters: [
      { name: 'alpha', arn: `arn:aws:eks:${ESTATE_REGION}:${ESTATE_ACCOUNT}:cluster/alpha`, version: '1.33' },
      { name: 'beta', arn: `arn:aws:eks:${ESTATE_REGION}:${ESTATE_ACCOUNT}:cluster/beta`, version: '1.32' },
    ],
    clusterVersions: [
      { clusterVersion: '1.33', versionStatus: 'STANDARD_SUPPORT' },
      { clusterVersion: '1.32', versionStatus: 'EXTENDED_SUPPORT' },
      { clusterVersion: '1.31', versionStatus: 'EXTENDED_SUPPORT' },
    ],
    nodegroups: [
      aNodegroup('alpha', 'workers', {
        amiType: 'AL2023_x86_64_STANDARD',
        version: '1.33',
        launchTemplate: { id: 'lt-workers', name: 'workers', version: '2' },
        subnets: ['subnet-a1'],
      }),
      aNodegroup('beta', 'spot', { amiType: 'BOTTLEROCKET_x86_64', version: '1.32', subnets: ['subnet-b2'] }),
      aNodegroup('beta', 'gpu', {
        amiType: 'AL2023_x86_64_NVIDIA',
        version: '1.32',
        launchTemplate: { id: 'lt-workers', version: '$Default' },
        subnets: ['subnet-b2'],
      }),
    ],
    fargateProfiles: [{ clusterName: 'beta', fargateProfileName: 'batch', subnets: ['subnet-b2'] }],
    instances: [
      anEstateInstance('i-alpha-1', {
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-alpha-1' } }],
        tags: managedNodeTags('alpha', 'workers'),
      }),
      anEstateInstance('i-alpha-2', {
        State: STOPPED,
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-alpha-2' } }],
        ImageId: 'ami-old',
        tags: managedNodeTags('alpha', 'workers'),
      }),
      anEstateInstance('i-alpha-gone', { State: TERMINATED, tags: managedNodeTags('alpha', 'workers') }),
      anEstateInstance('i-beta-1', {
        SubnetId: 'subnet-b1',
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-beta-1' } },
          { DeviceName: '/dev/xvdb', Ebs: { VolumeId: 'vol-beta-data' } },
        ],
        tags: { 'kubernetes.io/cluster/beta': 'owned', 'aws:autoscaling:groupName': 'beta-legacy' },
      }),
      anEstateInstance('i-beta-2', {
        ImageId: 'ami-karp',
        SubnetId: 'subnet-b2',
        tags: {
          'aws:eks:cluster-name': 'beta',
          'kubernetes.io/cluster/beta': 'owned',
          'karpenter.sh/nodepool': 'default',
        },
      }),
      anEstateInstance('i-beta-3', {
        State: PENDING,
        ImageId: 'ami-custom',
        SubnetId: 'subnet-b3',
        tags: { 'kubernetes.io/cluster/beta': 'shared', 'aws:autoscaling:groupName': 'beta-extra' },
      }),
      anEstateInstance('i-stranger', { SubnetId: 'subnet-x', tags: { 'aws:eks:cluster-name': 'gamma' } }),
    ],
    autoScalingGroups: [
      anEstateGroup('eks-workers', {
        Tags: [clusterTag('alpha'), { Key: 'eks:nodegroup-name', Value: 'workers' }],
        VPCZoneIdentifier: 'subnet-a1',
      }),
      anEstateGroup('beta-legacy', {
        Tags: [clusterTag('beta')],
        VPCZoneIdentifier: 'subnet-b1',
        LaunchTemplate: { LaunchTemplateName: 'legacy', Version: '$Latest' },
      }),
      anEstateGroup('beta-idle', {
        Tags: [clusterTag('beta')],
        DesiredCapacity: 0,
        VPCZoneIdentifier: 'subnet-b4',
        MixedInstancesPolicy: {
          LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-idle', Version: '1' } },
        },
      }),
      anEstateGroup('beta-extra', { VPCZoneIdentifier: 'subnet-b3' }),
      anEstateGroup('gamma-nodes', { Tags: [clusterTag('gamma')], VPCZoneIdentifier: 'subnet-x' }),
    ],
    images: [
      { ImageId: 'ami-shared', CreationDate: '2026-11-01T00:00:00.000Z' },
      { ImageId: 'ami-karp', CreationDate: '2026-10-01T00:00:00.000Z' },
      { ImageId: 'ami-custom', CreationDate: '2025-01-01T00:00:00.000Z' },
    ],
    launchTemplateVersions: [
      {
        LaunchTemplateId: 'lt-workers',
        LaunchTemplateName: 'workers',
        VersionNumber: 1,
        DefaultVersion: true,
      },
      {
        LaunchTemplateId: 'lt-workers',
        LaunchTemplateName: 'workers',
        VersionNumber: 2,
        DefaultVersion: false,
      },
      { LaunchTemplateId: 'lt-legacy', LaunchTemplateName: 'legacy', VersionNumber: 1, DefaultVersion: true },
      {
        LaunchTemplateId: 'lt-legacy',
        LaunchTemplateName: 'legacy',
        VersionNumber: 2,
        DefaultVersion: false,
      },
      { LaunchTemplateId: 'lt-idle', LaunchTemplateName: 'idle', VersionNumber: 1, DefaultVersion: true },
    ],
    subnets: [
      { SubnetId: 'subnet-a1', VpcId: 'vpc-a' },
      { SubnetId: 'subnet-b1', VpcId: 'vpc-b' },
      { SubnetId: 'subnet-b2', VpcId: 'vpc-b' },
      { SubnetId: 'subnet-b3', VpcId: 'vpc-b' },
      { SubnetId: 'subnet-b4', VpcId: 'vpc-b' },
      { SubnetId: 'subnet-x', VpcId: 'vpc-x' },
    ],
    routeTables: [
      { RouteTableId: 'rtb-a', VpcId: 'vpc-a', Associations: [{ Main: true }] },
      { RouteTableId: 'rtb-b-main', VpcId: 'vpc-b', Associations: [{ Main: true }] },
      {
        RouteTableId: 'rtb-b-private',
        VpcId: 'vpc-b',
        Associations: [{ Main: false, SubnetId: 'subnet-b1' }],
      },
      { RouteTableId: 'rtb-x', VpcId: 'vpc-x', Associations: [{ Main: true }] },
    ],
    inspectorAccounts: [
      {
        accountId: ESTATE_ACCOUNT,
        state: { status: 'ENABLED', errorCode: undefined, errorMessage: undefined },
        resourceState: {
          ec2: { status: 'ENABLED', errorCode: undefined, errorMessage: undefined },
          ecr: { status: 'DISABLED', errorCode: undefined, errorMessage: undefined },
        },
      },
    ],
    coverage: ['i-alpha-1', 'i-alpha-2', 'i-beta-1', 'i-beta-2', 'i-stranger'].map((resourceId) => ({
      accountId: ESTATE_ACCOUNT,
      resourceId,
      resourceType: 'AWS_EC2_INSTANCE',
      scanType: 'PACKAGE',
      scanStatus: { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' },
    })),
    parameters: { [AL2023_133]: '1.33.5-20261110', [NVIDIA_132]: '1.32.9-20261110' },
    guardDutyDetectors: [
      {
        DetectorId: 'det-1',
        Status: 'ENABLED',
        ServiceRole: `arn:aws:iam::${ESTATE_ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        Features: [
          { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
          { Name: 'RUNTIME_MONITORING', Status: 'ENABLED' },
        ],
      },
    ],
    // Alpha is covered; beta has no record; an ECS cluster named beta must not be taken for it.
    guardDutyCoverage: [
      {
        ResourceId: 'alpha',
        DetectorId: 'det-1',
        AccountId: ESTATE_ACCOUNT,
        CoverageStatus: 'HEALTHY',
        ResourceDetails: {
          ResourceType: 'EKS',
          EksClusterDetails: { ClusterName: 'alpha', CoveredNodes: 1, CompatibleNodes: 1 },
        },
      },
      {
        ResourceId: 'beta',
        DetectorId: 'det-1',
        AccountId: ESTATE_ACCOUNT,
        CoverageStatus: 'HEALTHY',
        ResourceDetails: {
          ResourceType: 'ECS',
          EcsClusterDetails: { ClusterName: 'beta' },
        },
      },
    ],
    instanceInformation: ['i-alpha-1', 'i-beta-1', 'i-stranger'].map((InstanceId) => ({
      InstanceId,
      PingStatus: 'Online',
      ResourceType: 'EC2Instance',
    })),
    volumes: ['vol-alpha-1', 'vol-alpha-2', 'vol-beta-1', 'vol-beta-data'].map((VolumeId) => ({
      VolumeId,
      Encrypted: VolumeId !== 'vol-beta-data',
    })),
    ebsEncryptionByDefault: true,
  };
}

/** The value of a collected part; a failed part fails the test with its failure. */
export function collectedValue<T>(part: Part<T>): T {
  if (part.status === 'failed')
    throw new Error(`expected a collected part, got ${JSON.stringify(part.failure)}`);
  return part.value;
}

export function snapshotNamed(snapshots: readonly ClusterSnapshot[], clusterName: string): ClusterSnapshot {
  const snapshot = snapshots.find((candidate) => candidate.scope.clusterName === clusterName);
  if (snapshot === undefined) throw new Error(`no snapshot of ${clusterName}`);
  return snapshot;
}

/** Sorted ids, so assertions do not depend on the order calls completed in. */
export const idsOf = <T>(items: readonly T[], idOf: (item: T) => string | undefined) =>
  items.map((item) => idOf(item) ?? '').sort();
