/**
 * Small estates for emulator tests, written the way an estate file is (AWS objects in SDK output shape,
 * dates as ISO strings) and validated by the real `parseEstate`, so every estate a test serves is valid.
 */
import type {
  AsJson,
  Estate,
  EstateAccount,
  EstateClusterEntry,
  EstateFault,
  EstateRegion,
} from '../../emulator/estate.js';
import { parseEstate } from '../../emulator/estate.js';

export const MANAGEMENT_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';
export const HOME_REGION = 'eu-west-1';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A cluster entry: the cluster is required, its node groups, Fargate profiles and insights optional. */
export type ClusterEntryInput = Pick<EstateClusterEntry, 'cluster'> &
  Partial<Omit<EstateClusterEntry, 'cluster'>>;

/** A Region as an estate file may write it: every section and every list optional. */
export interface RegionInput {
  readonly clusters?: readonly ClusterEntryInput[];
  readonly ec2?: Partial<EstateRegion['ec2']>;
  readonly autoscaling?: Partial<EstateRegion['autoscaling']>;
  readonly inspector2?: Pick<NonNullable<EstateRegion['inspector2']>, 'accountState'> &
    Partial<Pick<NonNullable<EstateRegion['inspector2']>, 'coverage'>>;
  readonly ssm?: Partial<EstateRegion['ssm']>;
  readonly guardduty?: Pick<NonNullable<EstateRegion['guardduty']>, 'detector'> &
    Partial<Pick<NonNullable<EstateRegion['guardduty']>, 'coverage'>>;
  readonly ecr?: EstateRegion['ecr'];
  readonly securityHub?: Partial<EstateRegion['securityHub']>;
  readonly config?: Partial<EstateRegion['config']>;
}

export interface AccountInput {
  readonly accountId: string;
  readonly name?: string;
  readonly state?: EstateAccount['state'];
  readonly assumeRole?: EstateAccount['assumeRole'];
  readonly regions?: Readonly<Record<string, RegionInput>>;
}

/** A fault as the file writes it: account, Region, operation and rate may be left to their defaults. */
export type FaultInput = Partial<Pick<EstateFault, 'operation' | 'account' | 'region'>> &
  Pick<EstateFault, 'service'> &
  (
    | { readonly kind: 'latency'; readonly ms: number }
    | {
        readonly kind: Exclude<EstateFault['kind'], 'latency'>;
        readonly rate?: number;
        readonly ms?: number;
      }
  );

export interface EstateInput {
  readonly partition?: string;
  /** `null` leaves the organization out (no Organizations in use). */
  readonly organization?: Estate['organization'] | null;
  readonly clusterVersions?: readonly Writable<Estate['clusterVersions'][number]>[];
  readonly accounts?: readonly AccountInput[];
  readonly faults?: readonly FaultInput[];
}

/** An account with one empty Region unless told otherwise. */
export function anAccount(overrides: Partial<AccountInput> = {}): AccountInput {
  return {
    accountId: MANAGEMENT_ACCOUNT,
    name: 'management',
    regions: { [HOME_REGION]: {} },
    ...overrides,
  };
}

/**
 * A valid estate: by default an organization whose management account is the only account, with one
 * empty Region. Overrides replace whole top-level members.
 *
 * @example anEstate({ accounts: [anAccount({ regions: { 'eu-west-1': { clusters: [...] } } })] })
 */
export function anEstate(overrides: EstateInput = {}): Estate {
  const { organization, ...rest } = overrides;
  const accounts = rest.accounts ?? [anAccount()];
  const management =
    organization === undefined ? { managementAccountId: accounts[0]?.accountId } : organization;
  return parseEstate({
    estateVersion: 1,
    ...rest,
    accounts,
    ...(management === null ? {} : { organization: management }),
  });
}

/** A minimal EKS cluster record. */
export function aClusterRecord(name: string, overrides: Partial<AsJson<EstateClusterEntry['cluster']>> = {}) {
  return {
    name,
    arn: `arn:aws:eks:${HOME_REGION}:${MANAGEMENT_ACCOUNT}:cluster/${name}`,
    version: '1.33',
    status: 'ACTIVE',
    createdAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  } as EstateClusterEntry['cluster'];
}

/** A deterministic random source (mulberry32) for fault rates, so a run is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
