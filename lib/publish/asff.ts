/**
 * The only place findings take the AWS Security Finding Format. One finding per (check, resource),
 * its Id derived from what it is about (never from time or text), so every scan updates the same
 * finding. Limits are those of the Security Hub API; text is cut at a word, never mid-way silently.
 */
import type { AwsSecurityFinding, Resource } from '@aws-sdk/client-securityhub';
import { relatedRequirement } from '../checks/frameworks.js';
import type { Check, CheckResult, Status } from '../checks/types.js';
import { discoverNodeGroups, type NodeGroup, runningNodes } from '../snapshot/node-groups.js';
import type { ClusterSnapshot, Instance } from '../snapshot/types.js';
import { SCANNER_VERSION } from '../version.js';

export const SCHEMA_VERSION = '2018-10-08';
export const COMPANY_NAME = 'eks-compliance-scanner';
export const PRODUCT_NAME = 'EKS Compliance Scanner';
/** Who the scanner's own Notes are from; a Note by anyone else is a person's, and left alone. */
export const NOTE_AUTHOR = 'eks-compliance-scanner';

const LIMITS = {
  id: 512,
  title: 256,
  description: 1024,
  recommendation: 512,
  resources: 32,
  detailsOtherValue: 1024,
  productFieldValue: 2048,
} as const;

/** ProductFields keys: namespaced, so Security Hub filters can select our fields. */
export const FIELD = {
  checkId: 'eks-compliance-scanner/CheckId',
  cluster: 'eks-compliance-scanner/Cluster',
  nodeGroup: 'eks-compliance-scanner/NodeGroup',
  resultStatus: 'eks-compliance-scanner/ResultStatus',
  scannerVersion: 'eks-compliance-scanner/ScannerVersion',
} as const;

/** The ARN with which an account imports findings into its own Security Hub. */
export const productArn = (partition: string, region: string, accountId: string) =>
  `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;

/**
 * Stable and unique per (partition, account, Region, check, resource): the resource ARN carries the
 * first three. An Id that would pass 512 characters keeps its readable start and ends in a hash.
 */
export function findingId(result: Pick<CheckResult, 'checkId' | 'resourceId'>): string {
  const id = `${COMPANY_NAME}/${result.checkId}/${result.resourceId}`;
  if (id.length <= LIMITS.id) return id;
  const digest = fnv1a64(id);
  return `${id.slice(0, LIMITS.id - digest.length - 1)}#${digest}`;
}

/** FNV-1a (64-bit) in hex: a dependency-free, deterministic digest for over-long Ids. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** `text` within `max` characters, cut at the last word boundary and marked with an ellipsis. */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const lastSpace = room.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? room.slice(0, lastSpace) : room).trimEnd()}…`;
}

const COMPLIANCE_STATUS: Readonly<Record<Exclude<Status, 'NOT_APPLICABLE'>, string>> = {
  PASSED: 'PASSED',
  FAILED: 'FAILED',
  // The check could not judge: Security Hub's own term for "evaluation not available".
  ERROR: 'NOT_AVAILABLE',
};

export interface FindingContext {
  readonly check: Check;
  /** The cluster's snapshot, for resource details and tags; results without one get bare resources. */
  readonly snapshot?: ClusterSnapshot;
  readonly scannedAt: Date;
  /** From the finding Security Hub already holds, so the first sighting is never re-stamped. */
  readonly firstSeen?: { readonly createdAt: string; readonly firstObservedAt: string };
  /** Set only on first import: Security Hub lets a provider set Workflow only when it creates a finding. */
  readonly suppression?: { readonly reason: string };
}

/** The finding of one result. NOT_APPLICABLE results have no finding of their own (see security-hub.ts). */
export function toFinding(result: CheckResult, context: FindingContext): AwsSecurityFinding {
  if (result.status === 'NOT_APPLICABLE') {
    throw new RangeError(
      `A NOT_APPLICABLE result has no finding (${result.checkId} on ${result.resourceId}).`,
    );
  }
  const { check, scannedAt } = context;
  const now = scannedAt.toISOString();
  // Security Hub's convention: a passed control is INFORMATIONAL, whatever the severity of a failure.
  const severity = { Label: result.status === 'PASSED' ? 'INFORMATIONAL' : result.severity } as const;
  const types = [...check.asffTypes];
  const nodeGroupField = result.nodeGroup === undefined ? {} : { [FIELD.nodeGroup]: result.nodeGroup };
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: findingId(result),
    ProductArn: productArn(result.partition, result.region, result.accountId),
    ProductName: PRODUCT_NAME,
    CompanyName: COMPANY_NAME,
    GeneratorId: check.id,
    AwsAccountId: result.accountId,
    Region: result.region,
    Types: types,
    CreatedAt: context.firstSeen?.createdAt ?? now,
    FirstObservedAt: context.firstSeen?.firstObservedAt ?? now,
    UpdatedAt: now,
    LastObservedAt: now,
    Severity: severity,
    Title: fitText(check.title, LIMITS.title),
    Description: fitText(`${result.reason} ${check.risk}`, LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: fitText(check.remediation.text, LIMITS.recommendation),
        Url: check.remediation.url,
      },
    },
    ProductFields: {
      [FIELD.checkId]: check.id,
      [FIELD.cluster]: result.cluster,
      ...nodeGroupField,
      [FIELD.resultStatus]: result.status,
      [FIELD.scannerVersion]: SCANNER_VERSION,
    },
    Resources: resourcesOf(result, context.snapshot),
    Compliance: {
      Status: COMPLIANCE_STATUS[result.status],
      // The controls this verdict means, with the parameters it was judged under (see lib/checks/frameworks.ts).
      RelatedRequirements: result.frameworks.map(relatedRequirement).slice(0, 32),
    },
    FindingProviderFields: { Severity: severity, Types: types },
    RecordState: 'ACTIVE',
    ...(context.suppression === undefined
      ? {}
      : {
          Workflow: { Status: 'SUPPRESSED' },
          Note: { Text: fitText(context.suppression.reason, 512), UpdatedBy: NOTE_AUTHOR, UpdatedAt: now },
        }),
  } as AwsSecurityFinding;
}

/** Members only the customer (BatchUpdateFindings) or Security Hub itself set on an existing finding. */
const NOT_PROVIDER_OWNED = [
  'Workflow',
  'WorkflowState',
  'Note',
  'UserDefinedFields',
  'VerificationState',
  'ProcessedAt',
] as const;

/** A finding Security Hub holds, re-imported as ARCHIVED at the scan time: its resource is gone. */
export function archivedFinding(existing: AwsSecurityFinding, scannedAt: Date): AwsSecurityFinding {
  const archived: Record<string, unknown> = { ...existing };
  for (const member of NOT_PROVIDER_OWNED) delete archived[member];
  return {
    ...(archived as unknown as AwsSecurityFinding),
    RecordState: 'ARCHIVED',
    UpdatedAt: scannedAt.toISOString(),
  };
}

// --- Resources ---

const partitionOfArn = (arn: string) => arn.split(':')[1] ?? 'aws';

const stringValues = (record: Readonly<Record<string, string | number | boolean | undefined>>) =>
  Object.fromEntries(
    Object.entries(record)
      .filter(
        (entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== '',
      )
      .map(([key, value]) => [key, fitText(String(value), LIMITS.detailsOtherValue)]),
  );

function resourcesOf(result: CheckResult, snapshot: ClusterSnapshot | undefined): Resource[] {
  const primary: Resource = {
    Type: result.resourceType,
    Id: result.resourceId,
    Partition: partitionOfArn(result.resourceId) as Resource['Partition'],
    Region: result.region,
    ...detailsOf(result, snapshot),
  };
  const extras = affectedResources(result).filter((resource) => resource.Id !== result.resourceId);
  return [primary, ...extras].slice(0, LIMITS.resources);
}

function detailsOf(
  result: CheckResult,
  snapshot: ClusterSnapshot | undefined,
): Pick<Resource, 'Details' | 'Tags'> {
  if (snapshot === undefined) return {};
  const cluster = snapshot.cluster.status === 'collected' ? snapshot.cluster.value : undefined;
  if (result.resourceType === 'AwsEksCluster') {
    if (cluster === undefined || cluster.arn !== result.resourceId) return {};
    return {
      Tags: cluster.tags,
      Details: {
        AwsEksCluster: {
          Arn: cluster.arn,
          Name: cluster.name,
          Version: cluster.version,
          RoleArn: cluster.roleArn,
          Endpoint: cluster.endpoint,
          ClusterStatus: cluster.status,
          ResourcesVpcConfig: {
            SecurityGroupIds: cluster.resourcesVpcConfig?.securityGroupIds,
            SubnetIds: cluster.resourcesVpcConfig?.subnetIds,
            EndpointPublicAccess: cluster.resourcesVpcConfig?.endpointPublicAccess,
          },
          Logging: {
            ClusterLogging: cluster.logging?.clusterLogging?.map((setup) => ({
              Enabled: setup.enabled,
              Types: setup.types,
            })),
          },
        },
      },
    } as Pick<Resource, 'Details' | 'Tags'>;
  }
  const profile =
    snapshot.fargateProfiles.status === 'collected'
      ? snapshot.fargateProfiles.value.find((candidate) => candidate.fargateProfileArn === result.resourceId)
      : undefined;
  if (profile !== undefined) {
    return {
      Details: {
        Other: stringValues({
          kind: 'fargate-profile',
          cluster: result.cluster,
          fargateProfileName: profile.fargateProfileName,
          podExecutionRoleArn: profile.podExecutionRoleArn,
          status: profile.status,
        }),
      },
    };
  }
  const discovery = discoverNodeGroups(snapshot);
  const group =
    discovery.status === 'collected'
      ? discovery.groups.find((candidate) => candidate.id === result.resourceId)
      : undefined;
  return group === undefined ? {} : nodeGroupDetails(group, result.cluster);
}

function nodeGroupDetails(group: NodeGroup, cluster: string): Pick<Resource, 'Details'> {
  const nodes = runningNodes(group);
  switch (group.kind) {
    case 'auto-scaling': {
      const asg = group.autoScalingGroup;
      const template =
        asg.LaunchTemplate ?? asg.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
      return {
        Details: {
          AwsAutoScalingAutoScalingGroup: {
            AvailabilityZones: asg.AvailabilityZones?.map((Value) => ({ Value })),
            CreatedTime: asg.CreatedTime?.toISOString(),
            LaunchConfigurationName: asg.LaunchConfigurationName,
            LaunchTemplate:
              template === undefined
                ? undefined
                : {
                    LaunchTemplateId: template.LaunchTemplateId,
                    LaunchTemplateName: template.LaunchTemplateName,
                    Version: template.Version,
                  },
          },
        },
      };
    }
    case 'standalone': {
      const instance = group.instances[0];
      return instance === undefined ? {} : { Details: { AwsEc2Instance: ec2InstanceDetails(instance) } };
    }
    case 'managed':
      return {
        Details: {
          Other: stringValues({
            kind: 'managed-node-group',
            cluster,
            nodegroupName: group.name,
            nodegroupArn: group.nodegroup.nodegroupArn,
            amiType: group.nodegroup.amiType,
            version: group.nodegroup.version,
            releaseVersion: group.nodegroup.releaseVersion,
            capacityType: group.nodegroup.capacityType,
            runningNodes: nodes.length,
          }),
        },
      };
    case 'karpenter':
      return {
        Details: {
          Other: stringValues({
            kind: 'karpenter-node-pool',
            cluster,
            nodePool: group.name,
            runningNodes: nodes.length,
          }),
        },
      };
    case 'auto-mode':
      return {
        Details: {
          Other: stringValues({
            kind: 'eks-auto-mode-node-pool',
            cluster,
            nodePool: group.name,
            managedBy: 'AWS (EKS Auto Mode)',
            runningNodes: nodes.length,
          }),
        },
      };
  }
}

function ec2InstanceDetails(instance: Instance) {
  return {
    Type: instance.InstanceType,
    ImageId: instance.ImageId,
    KeyName: instance.KeyName,
    VpcId: instance.VpcId,
    SubnetId: instance.SubnetId,
    LaunchedAt: instance.LaunchTime?.toISOString(),
    IamInstanceProfileArn: instance.IamInstanceProfile?.Arn,
    IpV4Addresses: [instance.PrivateIpAddress, instance.PublicIpAddress].filter(
      (address): address is string => address !== undefined,
    ),
    MetadataOptions: {
      HttpTokens: instance.MetadataOptions?.HttpTokens,
      HttpPutResponseHopLimit: instance.MetadataOptions?.HttpPutResponseHopLimit,
      HttpEndpoint: instance.MetadataOptions?.HttpEndpoint,
    },
  };
}

/**
 * The instances and subnets the evidence names (`instanceId`, `instanceIds`, `subnetId` at any
 * depth), as extra Resources: the console then links a finding to the very nodes and subnets at fault.
 */
function affectedResources(result: CheckResult): Resource[] {
  const instanceIds = new Set<string>();
  const subnetIds = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, member] of Object.entries(value)) {
      if (key === 'instanceId' && typeof member === 'string') instanceIds.add(member);
      else if (key === 'instanceIds' && Array.isArray(member)) {
        for (const id of member) if (typeof id === 'string') instanceIds.add(id);
      } else if (key === 'subnetId' && typeof member === 'string') subnetIds.add(member);
      else visit(member);
    }
  };
  visit(result.evidence);
  const arn = (type: string, id: string) =>
    `arn:${result.partition}:ec2:${result.region}:${result.accountId}:${type}/${id}`;
  const partition = result.partition as Resource['Partition'];
  return [
    ...[...instanceIds].map((id) => ({
      Type: 'AwsEc2Instance',
      Id: arn('instance', id),
      Partition: partition,
      Region: result.region,
    })),
    ...[...subnetIds].map((id) => ({
      Type: 'AwsEc2Subnet',
      Id: arn('subnet', id),
      Partition: partition,
      Region: result.region,
    })),
  ];
}
