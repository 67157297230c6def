/**
 * The estate file: a whole AWS estate as data, which the emulator serves (format: the design note
 * "The estate file"). AWS objects keep the exact shapes of the SDK v3 output types with dates as
 * ISO-8601 strings; the emulator converts them when it serializes. Validation checks the estate's own
 * structure, the members the emulator relies on (ids and names), and every member of every AWS object
 * against the SDK output shape it claims (types, enum values, timestamps, at every depth); it reports
 * every problem at once with its JSON path, and keeps members the shape does not model untouched.
 */
import { readFile } from 'node:fs/promises';
import * as autoScaling from '@aws-sdk/client-auto-scaling';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecr from '@aws-sdk/client-ecr';
import * as eks from '@aws-sdk/client-eks';
import * as guardduty from '@aws-sdk/client-guardduty';
import * as iam from '@aws-sdk/client-iam';
import * as inspector2 from '@aws-sdk/client-inspector2';
import * as ssm from '@aws-sdk/client-ssm';
import { z } from 'zod';
import { InputError, type InputProblem, parseInput, show } from '../lib/validation.js';
import { checkShape, isPlainObject, type SdkModels, type StaticSchema } from './sdk-shapes.js';

type Vpc = ec2.Vpc;
type Subnet = ec2.Subnet;
type RouteTable = ec2.RouteTable;
type SecurityGroup = ec2.SecurityGroup;
type Instance = ec2.Instance;
type Image = ec2.Image;
type Volume = ec2.Volume;

/** An SDK output type as an estate file holds it: Date members are ISO-8601 strings. */
export type AsJson<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? AsJson<Item>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;

export type EstateProblem = InputProblem;

/** An estate that does not validate; `problems` lists every problem found, not only the first. */
export class EstateError extends InputError {
  override name = 'EstateError';

  constructor(problems: readonly InputProblem[], source = 'estate') {
    super(problems, source);
  }
}

/** What an estate file may leave out, and what the emulator then assumes. */
export const estateDefaults = {
  partition: 'aws',
  accountState: 'ACTIVE',
  assumeRole: 'allow',
  securityHubEnabled: true,
  configEnabled: true,
  faultTarget: '*',
  faultRate: 1,
} as const;

const ACCOUNT_STATES = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'] as const;
const ERROR_FAULT_KINDS = ['throttle', 'server-error', 'access-denied', 'timeout'] as const;
/** `failed-findings`: BatchImportFindings answers, but lists this share of the findings in FailedFindings. */
const FAULT_KINDS = [...ERROR_FAULT_KINDS, 'failed-findings', 'latency'] as const;
/** SigV4 signing names of the services the emulator serves. */
const FAULT_SERVICES = [
  'eks',
  'ec2',
  'autoscaling',
  'inspector2',
  'ssm',
  'sts',
  'organizations',
  'securityhub',
  'config',
  'iam',
  'guardduty',
  'ecr',
] as const;

const ACCOUNT_ID = /^\d{12}$/;
/** Commercial, China, GovCloud and ISO Region names: `eu-west-1`, `us-gov-west-1`, `us-isob-east-1`. */
const REGION_NAME = /^[a-z]{2,4}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const OPERATION_NAME = /^[A-Z][A-Za-z0-9]*$/;

const nonEmptyString = z.string().min(1, { error: 'must not be empty' });

const accountId = z.string().regex(ACCOUNT_ID, {
  error: (issue) => `expected 12 digits, got ${show(issue.input)}`,
});

const regionName = z.string().regex(REGION_NAME, {
  error: (issue) => `expected a Region name like eu-west-1, got ${show(issue.input)}`,
});

/** `*` or a value the pattern accepts, for fault targets. */
const wildcardOr = (pattern: RegExp, what: string) =>
  z
    .string()
    .refine((value) => value === '*' || pattern.test(value), {
      error: (issue) => `expected "*" or ${what}, got ${show(issue.input)}`,
    })
    .default(estateDefaults.faultTarget);

type Defined<T> = Exclude<T, undefined>;

/** Every SDK client whose shapes estates are checked against (the CLI bundle carries their enums). */
export const ESTATE_SDK_MODELS: SdkModels[] = [];
const model = (packageName: string, client: Readonly<Record<string, unknown>>): SdkModels => {
  const models = { packageName, client };
  ESTATE_SDK_MODELS.push(models);
  return models;
};
const EC2_MODELS = model('@aws-sdk/client-ec2', ec2);
const EKS_MODELS = model('@aws-sdk/client-eks', eks);

/** An SDK output shape: its smithy schema (the client's `<Shape>$` export) and the client it belongs to. */
interface SdkShape {
  readonly schema: StaticSchema;
  readonly models: SdkModels;
}

/**
 * An AWS object in SDK output shape. The listed members must be present (the emulator finds objects
 * by them); every member is checked against the SDK shape it claims to be, and members the shape does
 * not model are kept as given.
 */
function awsObject<T, Required extends keyof AsJson<T> = never>(
  shape: SdkShape,
  required: {
    [K in Required]: z.ZodType<Defined<AsJson<T>[K]>>;
  },
) {
  type Output = AsJson<T> & { [K in Required]-?: Defined<AsJson<T>[K]> };
  const checkedByZod = Object.keys(required);
  return z.looseObject(required).superRefine(
    (value, context) => {
      // Not an object at all: the object schema reports it.
      if (!isPlainObject(value)) return;
      for (const problem of checkShape(shape.schema, shape.models, value, { skip: checkedByZod })) {
        context.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
      }
    },
    { when: () => true },
  ) as unknown as z.ZodType<Output, Output>;
}

/**
 * Rejects list items that share a key, naming each later one. Runs even when items are invalid, so a
 * duplicate is reported with every other problem; an item whose key is missing or mistyped is skipped
 * (that is reported on its own).
 */
function uniqueBy<Item>(
  list: z.ZodType<Item[], unknown>,
  keyOf: (item: Item) => unknown,
  path: readonly PropertyKey[],
  what: string,
) {
  return list.superRefine(
    (items, context) => {
      // Not a list at all: the list schema reports it.
      if (!Array.isArray(items)) return;
      const firstIndex = new Map<string, number>();
      items.forEach((item, index) => {
        const key = item !== null && typeof item === 'object' ? keyOf(item) : undefined;
        if (typeof key !== 'string' && typeof key !== 'number') return;
        const id = String(key);
        const first = firstIndex.get(id);
        if (first === undefined) firstIndex.set(id, index);
        else {
          context.addIssue({
            code: 'custom',
            path: [index, ...path],
            message: `duplicate ${what} ${show(key)} (also at index ${first})`,
          });
        }
      });
    },
    { when: () => true },
  );
}

const CLUSTER_VERSION = awsObject<eks.ClusterVersionInformation, 'clusterVersion'>(
  { schema: eks.ClusterVersionInformation$, models: EKS_MODELS },
  { clusterVersion: nonEmptyString },
);

const CLUSTER_ENTRY = z.strictObject({
  cluster: awsObject<eks.Cluster, 'name'>(
    { schema: eks.Cluster$, models: EKS_MODELS },
    { name: nonEmptyString },
  ),
  nodegroups: uniqueBy(
    z.array(
      awsObject<eks.Nodegroup, 'nodegroupName'>(
        { schema: eks.Nodegroup$, models: EKS_MODELS },
        { nodegroupName: nonEmptyString },
      ),
    ),
    (nodegroup) => nodegroup.nodegroupName,
    ['nodegroupName'],
    'node group name',
  ).default([]),
  fargateProfiles: uniqueBy(
    z.array(
      awsObject<eks.FargateProfile, 'fargateProfileName'>(
        { schema: eks.FargateProfile$, models: EKS_MODELS },
        { fargateProfileName: nonEmptyString },
      ),
    ),
    (profile) => profile.fargateProfileName,
    ['fargateProfileName'],
    'Fargate profile name',
  ).default([]),
  /** DescribeInsight's insights; ListInsights serves their summaries. */
  insights: z.array(awsObject<eks.Insight>({ schema: eks.Insight$, models: EKS_MODELS }, {})).default([]),
  /** Third edition: DescribeAddon's add-ons; ListAddons serves their names. */
  addons: uniqueBy(
    z.array(
      awsObject<eks.Addon, 'addonName'>(
        { schema: eks.Addon$, models: EKS_MODELS },
        { addonName: nonEmptyString },
      ),
    ),
    (addon) => addon.addonName,
    ['addonName'],
    'add-on name',
  ).optional(),
});

/** A list of AWS objects identified by one member, unique within the Region. */
function identifiedList<T, Id extends keyof AsJson<T> & string>(
  shape: SdkShape,
  id: Id,
  schema: z.ZodType<Defined<AsJson<T>[Id]>>,
) {
  const item = awsObject<T, Id>(shape, { [id]: schema } as {
    [K in Id]: z.ZodType<Defined<AsJson<T>[K]>>;
  });
  return uniqueBy(z.array(item), (value) => value[id], [id], id);
}

const AUTO_SCALING_MODELS = model('@aws-sdk/client-auto-scaling', autoScaling);
const INSPECTOR2_MODELS = model('@aws-sdk/client-inspector2', inspector2);
const GUARDDUTY_MODELS = model('@aws-sdk/client-guardduty', guardduty);

const ec2Shape = (schema: StaticSchema): SdkShape => ({ schema, models: EC2_MODELS });

const EC2 = z.strictObject({
  vpcs: identifiedList<Vpc, 'VpcId'>(ec2Shape(ec2.Vpc$), 'VpcId', nonEmptyString).default([]),
  subnets: identifiedList<Subnet, 'SubnetId'>(ec2Shape(ec2.Subnet$), 'SubnetId', nonEmptyString).default([]),
  routeTables: identifiedList<RouteTable, 'RouteTableId'>(
    ec2Shape(ec2.RouteTable$),
    'RouteTableId',
    nonEmptyString,
  ).default([]),
  securityGroups: identifiedList<SecurityGroup, 'GroupId'>(
    ec2Shape(ec2.SecurityGroup$),
    'GroupId',
    nonEmptyString,
  ).default([]),
  instances: identifiedList<Instance, 'InstanceId'>(
    ec2Shape(ec2.Instance$),
    'InstanceId',
    nonEmptyString,
  ).default([]),
  images: identifiedList<Image, 'ImageId'>(ec2Shape(ec2.Image$), 'ImageId', nonEmptyString).default([]),
  launchTemplateVersions: uniqueBy(
    z.array(
      awsObject<ec2.LaunchTemplateVersion, 'LaunchTemplateId' | 'VersionNumber'>(
        ec2Shape(ec2.LaunchTemplateVersion$),
        {
          LaunchTemplateId: nonEmptyString,
          VersionNumber: z.number().int().min(1),
        },
      ),
    ),
    (version) =>
      typeof version.LaunchTemplateId === 'string' && typeof version.VersionNumber === 'number'
        ? `${version.LaunchTemplateId} version ${version.VersionNumber}`
        : undefined,
    ['VersionNumber'],
    'launch template version',
  ).default([]),
  // Third edition.
  volumes: identifiedList<Volume, 'VolumeId'>(ec2Shape(ec2.Volume$), 'VolumeId', nonEmptyString).optional(),
  /** GetEbsEncryptionByDefault; absent = false. */
  ebsEncryptionByDefault: z.boolean().optional(),
  /** "hidden": resources whose Operator.Managed is true are listed only with IncludeManagedResources. */
  managedResourceVisibility: z.enum(['visible', 'hidden']).optional(),
});

const REGION = z.strictObject({
  clusters: uniqueBy(
    z.array(CLUSTER_ENTRY),
    (entry) => entry.cluster?.name,
    ['cluster', 'name'],
    'cluster name',
  ).default([]),
  ec2: EC2.prefault({}),
  autoscaling: z
    .strictObject({
      groups: identifiedList<autoScaling.AutoScalingGroup, 'AutoScalingGroupName'>(
        { schema: autoScaling.AutoScalingGroup$, models: AUTO_SCALING_MODELS },
        'AutoScalingGroupName',
        nonEmptyString,
      ).default([]),
    })
    .prefault({}),
  /** Absent: Inspector was never enabled in the account and Region. */
  inspector2: z
    .strictObject({
      accountState: awsObject<inspector2.AccountState>(
        { schema: inspector2.AccountState$, models: INSPECTOR2_MODELS },
        {},
      ),
      coverage: z
        .array(
          awsObject<inspector2.CoveredResource, 'resourceId' | 'resourceType'>(
            { schema: inspector2.CoveredResource$, models: INSPECTOR2_MODELS },
            {
              resourceId: nonEmptyString,
              resourceType: z.enum(inspector2.CoverageResourceType),
            },
          ),
        )
        .default([]),
    })
    .optional(),
  ssm: z
    .strictObject({
      parameters: z.record(z.string(), z.string()).default({}),
      /** Third edition: DescribeInstanceInformation's managed nodes. */
      instanceInformation: identifiedList<ssm.InstanceInformation, 'InstanceId'>(
        { schema: ssm.InstanceInformation$, models: model('@aws-sdk/client-ssm', ssm) },
        'InstanceId',
        nonEmptyString,
      ).optional(),
    })
    .prefault({}),
  /** Third edition. Absent: no GuardDuty detector in the account and Region. */
  guardduty: z
    .strictObject({
      /** GetDetector's response; DetectorId (ListDetectors) is checked beside it. */
      detector: awsObject<guardduty.GetDetectorResponse & { DetectorId?: string }, 'DetectorId'>(
        { schema: guardduty.GetDetectorResponse$, models: GUARDDUTY_MODELS },
        { DetectorId: nonEmptyString },
      ),
      coverage: z
        .array(
          awsObject<guardduty.CoverageResource>(
            { schema: guardduty.CoverageResource$, models: GUARDDUTY_MODELS },
            {},
          ),
        )
        .default([]),
    })
    .optional(),
  /** Third edition: GetRegistryScanningConfiguration's scanningConfiguration. */
  ecr: z
    .strictObject({
      registryScanningConfiguration: awsObject<ecr.RegistryScanningConfiguration>(
        { schema: ecr.RegistryScanningConfiguration$, models: model('@aws-sdk/client-ecr', ecr) },
        {},
      ).optional(),
    })
    .optional(),
  /** Third edition: DescribeAddonVersions' add-ons, served filtered by kubernetesVersion and addonName. */
  eksAddonVersions: z
    .array(awsObject<eks.AddonInfo>({ schema: eks.AddonInfo$, models: EKS_MODELS }, {}))
    .optional(),
  securityHub: z
    .strictObject({ enabled: z.boolean().default(estateDefaults.securityHubEnabled) })
    .prefault({}),
  config: z.strictObject({ enabled: z.boolean().default(estateDefaults.configEnabled) }).prefault({}),
});

const ACCOUNT = z.strictObject({
  accountId,
  name: z.string().optional(),
  state: z.enum(ACCOUNT_STATES).default(estateDefaults.accountState),
  assumeRole: z.enum(['allow', 'deny']).default(estateDefaults.assumeRole),
  regions: z.record(regionName, REGION).default({}),
  /** Third edition: the account's IAM (global), as ListOpenIDConnectProviders lists it. */
  iam: z
    .strictObject({
      openIDConnectProviders: z
        .array(
          awsObject<iam.OpenIDConnectProviderListEntry>(
            { schema: iam.OpenIDConnectProviderListEntry$, models: model('@aws-sdk/client-iam', iam) },
            {},
          ),
        )
        .default([]),
    })
    .optional(),
});

const FAULT_TARGET = {
  service: z
    .string()
    .refine((value) => value === '*' || (FAULT_SERVICES as readonly string[]).includes(value), {
      error: (issue) => `expected "*" or one of ${FAULT_SERVICES.join(', ')}, got ${show(issue.input)}`,
    }),
  operation: wildcardOr(OPERATION_NAME, 'an operation name like DescribeCluster'),
  account: wildcardOr(ACCOUNT_ID, 'a 12-digit account id'),
  region: wildcardOr(REGION_NAME, 'a Region name like eu-west-1'),
};

export type EstateFault =
  | {
      readonly service: string;
      readonly operation: string;
      readonly account: string;
      readonly region: string;
      readonly kind: 'latency';
      /** Added before the call is answered. */
      readonly ms: number;
    }
  | {
      readonly service: string;
      readonly operation: string;
      readonly account: string;
      readonly region: string;
      readonly kind: (typeof ERROR_FAULT_KINDS)[number] | 'failed-findings';
      /** The share of matching calls (for `failed-findings`: of findings) that fail, 0 to 1. */
      readonly rate: number;
      /** For `timeout`: how long the call hangs before the connection drops. */
      readonly ms?: number;
    };

const FAULT = z
  .strictObject({
    ...FAULT_TARGET,
    kind: z.enum(FAULT_KINDS),
    rate: z.number().min(0).max(1).optional(),
    ms: z.number().min(0).optional(),
  })
  .superRefine((fault, context) => {
    if (fault.kind === 'latency' && fault.ms === undefined) {
      context.addIssue({ code: 'custom', path: ['ms'], message: 'required for a latency fault' });
    }
    if (fault.kind === 'latency' && fault.rate !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['rate'],
        message: 'a latency fault applies to every matching call and takes no rate',
      });
    }
  })
  .transform(
    ({ kind, rate, ms, ...target }): EstateFault =>
      kind === 'latency'
        ? { ...target, kind, ms: ms ?? 0 }
        : { ...target, kind, rate: rate ?? estateDefaults.faultRate, ...(ms === undefined ? {} : { ms }) },
  );

const ESTATE = z
  .strictObject({
    estateVersion: z.literal(1, {
      error: (issue) =>
        issue.input === undefined
          ? 'required'
          : `expected 1 (the only estate format version), got ${show(issue.input)}`,
    }),
    partition: z
      .string()
      .regex(PARTITION, { error: (issue) => `expected a partition like aws, got ${show(issue.input)}` })
      .default(estateDefaults.partition),
    organization: z.strictObject({ managementAccountId: accountId }).optional(),
    clusterVersions: uniqueBy(
      z.array(CLUSTER_VERSION),
      (version) => version.clusterVersion,
      ['clusterVersion'],
      'clusterVersion',
    ).default([]),
    accounts: uniqueBy(
      z.array(ACCOUNT).min(1, { error: 'expected at least one account' }),
      (account) => account.accountId,
      ['accountId'],
      'accountId',
    ),
    faults: z.array(FAULT).default([]),
  })
  .superRefine(
    (estate, context) => {
      // Not an object at all: the object schema reports it.
      if (!isPlainObject(estate)) return;
      const management = estate.organization?.managementAccountId;
      const accounts: unknown = estate.accounts;
      // A malformed id or an empty account list is reported on its own.
      if (typeof management !== 'string' || !ACCOUNT_ID.test(management)) return;
      if (!Array.isArray(accounts) || accounts.length === 0) return;
      if (!accounts.some((account) => account?.accountId === management)) {
        context.addIssue({
          code: 'custom',
          path: ['organization', 'managementAccountId'],
          message: `account ${management} is not among the estate's accounts; the management account belongs to its organization`,
        });
      }
    },
    { when: () => true },
  );

export type Estate = z.output<typeof ESTATE>;
export type EstateAccount = Estate['accounts'][number];
export type EstateRegion = EstateAccount['regions'][string];
export type EstateClusterEntry = EstateRegion['clusters'][number];

const TOP_LEVEL_KEYS = Object.keys(ESTATE.shape);

/** Enough problems to fix a file by; an estate generated wrong would otherwise list thousands. */
const MAX_PROBLEMS = 100;

/** Validates an estate (already parsed from JSON) and applies the defaults. Throws EstateError. */
export function parseEstate(json: unknown, source?: string): Estate {
  try {
    return parseInput(ESTATE, json, source ?? 'estate', TOP_LEVEL_KEYS);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const { problems } = error;
    if (problems.length <= MAX_PROBLEMS) throw new EstateError(problems, error.source);
    throw new EstateError(
      [
        ...problems.slice(0, MAX_PROBLEMS),
        { path: '...', message: `${problems.length - MAX_PROBLEMS} more problems not listed` },
      ],
      error.source,
    );
  }
}

/** Reads and validates an estate file. A file that is not JSON is an EstateError; an unreadable one, the fs error. */
export async function loadEstateFile(path: string): Promise<Estate> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EstateError(
      [{ path: '(root)', message: `not valid JSON: ${(error as Error).message}` }],
      `estate file ${path}`,
    );
  }
  return parseEstate(json, `estate file ${path}`);
}

/**
 * The account that credentials the emulator did not issue belong to: the organization's management
 * account, else the first account.
 */
export function homeAccountId(estate: Estate): string {
  const home = estate.organization?.managementAccountId ?? estate.accounts[0]?.accountId;
  if (home === undefined)
    throw new EstateError([{ path: 'accounts', message: 'expected at least one account' }]);
  return home;
}

/** The Region for account-level calls against this estate: the home account's first Region. */
export function homeRegion(estate: Estate): string {
  const home = estate.accounts.find((account) => account.accountId === homeAccountId(estate));
  return Object.keys(home?.regions ?? {})[0] ?? 'us-east-1';
}
