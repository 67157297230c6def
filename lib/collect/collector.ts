/**
 * Collects one (account, Region): a snapshot of every EKS cluster, holding only the parts the
 * selected checks read. Calls are made per Region, not per cluster, wherever the API allows (nodes,
 * AMIs, subnets, ... of all clusters at once), each distinct resource is described once, and every
 * call that failed is recorded as the failure of exactly the snapshot parts that needed it. Nothing
 * missing is ever filled with a default.
 */
import type { AutoScalingClient, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Inspector2Client } from '@aws-sdk/client-inspector2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { createAutoScalingClient } from '../aws/autoscaling.js';
import type { ClientOptions } from '../aws/client-config.js';
import { createEc2Client } from '../aws/ec2.js';
import { createEcrClient } from '../aws/ecr.js';
import { createEksClient } from '../aws/eks.js';
import { createGuardDutyClient } from '../aws/guardduty.js';
import { createIamClient } from '../aws/iam.js';
import { createInspector2Client } from '../aws/inspector2.js';
import { createSsmClient } from '../aws/ssm.js';
import {
  attachedVolumeIds,
  imageIdsOf,
  plannedSubnetIds,
  releaseParameterOf,
  runningInstanceIds,
  templateKey,
  templateVersionKey,
  versionOf,
} from '../snapshot/lookups.js';
import {
  claimsOf,
  discoverNodeGroups,
  type NodeGroup,
  ownerOf,
  TAG,
  tagValue,
} from '../snapshot/node-groups.js';
import { launchTemplateOf } from '../snapshot/references.js';
import {
  type AddonInfo,
  type ClusterScope,
  type ClusterSnapshot,
  type CollectionFailure,
  type CoverageResource,
  collected,
  failed,
  type Instance,
  instanceArn,
  type OpenIDConnectProviderListEntry,
  type Part,
  SNAPSHOT_PART_NAMES,
  type SnapshotPartName,
  type SnapshotParts,
} from '../snapshot/types.js';
import { fetchAutoScalingGroups } from './autoscaling.js';
import { createLimiter, type Limiter } from './concurrency.js';
import {
  fetchEbsEncryptionByDefault,
  fetchImages,
  fetchLaunchTemplateVersions,
  fetchNodeInstances,
  fetchRouteTables,
  fetchSubnets,
  fetchVolumes,
  type LaunchTemplateWanted,
} from './ec2.js';
import { fetchRegistryScanningConfiguration } from './ecr.js';
import {
  describeClusters,
  describeFargateProfiles,
  describeNodegroups,
  fetchClusterVersions,
  listClusterNames,
} from './eks.js';
import { describeAddons, fetchAddonVersions, fetchInsights } from './eks-addons.js';
import {
  attempt,
  type ByCluster,
  collectedValues,
  derive,
  failureOfKeys,
  type KeyedFetch,
  notRequested,
  partOf,
} from './fetch.js';
import { fetchDetector, fetchDetectorId, fetchEksCoverage } from './guardduty.js';
import { fetchOpenIDConnectProviders } from './iam.js';
import { fetchCoverage, fetchInspectorAccount } from './inspector.js';
import { fetchManagedNodes, fetchParameters } from './ssm.js';

/** Calls in flight per AWS service and Region. */
export const DEFAULT_CONCURRENCY = 8;

export interface CollectTarget {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  /** Credentials for the account (an assumed role); otherwise the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** An explicit endpoint (the emulator); otherwise the SDK's standard endpoint settings apply. */
  readonly endpoint?: string;
  /** Only these clusters (those that exist in the Region); all when absent or empty. */
  readonly clusterNames?: readonly string[];
}

export interface RegionClients {
  readonly eks: EKSClient;
  readonly ec2: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly inspector2: Inspector2Client;
  readonly ssm: SSMClient;
  /** Global: signed for the partition's global Region, whatever Region is collected. */
  readonly iam: IAMClient;
  readonly guardDuty: GuardDutyClient;
  readonly ecr: ECRClient;
}

/**
 * What the Regions of one account share: account-wide (global) facts are fetched once, by the first
 * Region that needs them, and every other Region of the account awaits the same answer. The Region
 * that made the call awaits it too before it destroys its clients, so the call is never cut short.
 */
export class AccountCache {
  #oidcProviders: Promise<Part<OpenIDConnectProviderListEntry[]>> | undefined;

  /** IAM ListOpenIDConnectProviders, once per account. */
  oidcProviders(fetch: () => Promise<Part<OpenIDConnectProviderListEntry[]>>) {
    this.#oidcProviders ??= fetch();
    return this.#oidcProviders;
  }
}

export interface CollectOptions {
  /** The parts to collect: the union of `inputsOf` over the selected checks. */
  readonly inputs: ReadonlySet<SnapshotPartName>;
  /** Calls in flight per service (default 8). */
  readonly concurrency?: number;
  /** Clients to use instead of new ones (tests); the collector destroys only the clients it created. */
  readonly clients?: Partial<RegionClients>;
  /** Shared by the Regions of the account, so global calls (IAM) are made once per account; default: this Region's own. */
  readonly account?: AccountCache;
}

export interface RegionCollection {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly snapshots: ClusterSnapshot[];
  /** Failures that left the whole Region unscanned (ListClusters): the target is incomplete. */
  readonly failures: CollectionFailure[];
}

export async function collectRegion(
  target: CollectTarget,
  options: CollectOptions,
): Promise<RegionCollection> {
  const { partition, accountId, region } = target;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const { clients, created } = regionClients(target, options.clients);
  const limits: ServiceLimits = {
    eks: createLimiter(concurrency),
    ec2: createLimiter(concurrency),
    autoScaling: createLimiter(concurrency),
    inspector2: createLimiter(concurrency),
    ssm: createLimiter(concurrency),
    iam: createLimiter(concurrency),
    guardDuty: createLimiter(concurrency),
    ecr: createLimiter(concurrency),
  };
  const outcome = (snapshots: ClusterSnapshot[], failures: CollectionFailure[]): RegionCollection => ({
    partition,
    accountId,
    region,
    snapshots,
    failures,
  });
  try {
    const listing = await attempt('eks:ListClusters', () => listClusterNames(clients.eks, limits.eks));
    if (listing.status === 'failed') return outcome([], [listing.failure]);
    const scopes = selectClusters(listing.value, target.clusterNames).map(
      (clusterName): ClusterScope => ({ partition, accountId, region, clusterName }),
    );
    if (scopes.length === 0) return outcome([], []);
    const producers = regionProducers({
      accountId,
      clients,
      limits,
      scopes,
      listedClusters: new Set(listing.value),
      account: options.account ?? new AccountCache(),
    });
    const parts = await collectParts(producers.parts, options.inputs);
    const elsewhere = await producers.ownedElsewhere(options.inputs);
    return outcome(
      scopes.map((scope) => snapshotOf(scope, parts, elsewhere.get(scope.clusterName))),
      [],
    );
  } finally {
    for (const client of created) client.destroy();
  }
}

const selectClusters = (listed: readonly string[], wanted: readonly string[] | undefined): string[] =>
  [...new Set(listed)]
    .filter((name) => wanted === undefined || wanted.length === 0 || wanted.includes(name))
    .sort();

function regionClients(target: CollectTarget, given: Partial<RegionClients> = {}) {
  const options: ClientOptions = {
    region: target.region,
    credentials: target.credentials,
    endpoint: target.endpoint,
  };
  const created: { destroy(): void }[] = [];
  const use = <C extends { destroy(): void }>(
    client: C | undefined,
    create: (options: ClientOptions) => C,
  ) => {
    if (client !== undefined) return client;
    const made = create(options);
    created.push(made);
    return made;
  };
  const clients: RegionClients = {
    eks: use(given.eks, createEksClient),
    ec2: use(given.ec2, createEc2Client),
    autoScaling: use(given.autoScaling, createAutoScalingClient),
    inspector2: use(given.inspector2, createInspector2Client),
    ssm: use(given.ssm, createSsmClient),
    iam: use(given.iam, createIamClient),
    guardDuty: use(given.guardDuty, createGuardDutyClient),
    ecr: use(given.ecr, createEcrClient),
  };
  return { clients, created };
}

type ServiceLimits = { readonly [Service in keyof RegionClients]: Limiter };

type ValueOf<K extends SnapshotPartName> = SnapshotParts[K] extends Part<infer T> ? T : never;

/** Every part of every cluster of the Region. */
type RegionParts = { [K in SnapshotPartName]: ByCluster<ValueOf<K>> };

/** Each part fetched on first demand, then shared by whatever else needs it. */
type Producers = { readonly [K in SnapshotPartName]: () => Promise<RegionParts[K]> };

interface RegionProducers {
  readonly parts: Producers;
  /** Per cluster, the resources tagged for it that another cluster owns, among the parts collected. */
  readonly ownedElsewhere: (
    inputs: ReadonlySet<SnapshotPartName>,
  ) => Promise<ReadonlyMap<string, readonly string[]>>;
}

/** The parts collected; a part not requested is absent. */
type CollectedParts = Partial<RegionParts>;

/** Runs the producers of the requested parts side by side; each pulls in what it depends on. */
async function collectParts(producers: Producers, inputs: ReadonlySet<SnapshotPartName>) {
  const parts: CollectedParts = {};
  const produce = async <K extends SnapshotPartName>(name: K) => {
    parts[name] = await producers[name]();
  };
  await Promise.all(SNAPSHOT_PART_NAMES.filter((name) => inputs.has(name)).map(produce));
  return parts;
}

function snapshotOf(
  scope: ClusterScope,
  parts: CollectedParts,
  ownedElsewhere: readonly string[] = [],
): ClusterSnapshot {
  const pick = <T>(name: SnapshotPartName, byCluster: ByCluster<T> | undefined): Part<T> =>
    byCluster === undefined ? notRequested(name) : partOf(byCluster, scope.clusterName);
  return {
    scope,
    ...(ownedElsewhere.length === 0 ? {} : { ownedElsewhere }),
    cluster: pick('cluster', parts.cluster),
    clusterVersions: pick('clusterVersions', parts.clusterVersions),
    nodegroups: pick('nodegroups', parts.nodegroups),
    fargateProfiles: pick('fargateProfiles', parts.fargateProfiles),
    instances: pick('instances', parts.instances),
    autoScalingGroups: pick('autoScalingGroups', parts.autoScalingGroups),
    images: pick('images', parts.images),
    launchTemplateVersions: pick('launchTemplateVersions', parts.launchTemplateVersions),
    subnets: pick('subnets', parts.subnets),
    routeTables: pick('routeTables', parts.routeTables),
    inspectorAccount: pick('inspectorAccount', parts.inspectorAccount),
    inspectorCoverage: pick('inspectorCoverage', parts.inspectorCoverage),
    releaseParameters: pick('releaseParameters', parts.releaseParameters),
    insights: pick('insights', parts.insights),
    addons: pick('addons', parts.addons),
    addonVersions: pick('addonVersions', parts.addonVersions),
    oidcProviders: pick('oidcProviders', parts.oidcProviders),
    guardDutyDetector: pick('guardDutyDetector', parts.guardDutyDetector),
    guardDutyCoverage: pick('guardDutyCoverage', parts.guardDutyCoverage),
    ecrScanningConfiguration: pick('ecrScanningConfiguration', parts.ecrScanningConfiguration),
    ssmManagedNodes: pick('ssmManagedNodes', parts.ssmManagedNodes),
    volumes: pick('volumes', parts.volumes),
    ebsEncryptionByDefault: pick('ebsEncryptionByDefault', parts.ebsEncryptionByDefault),
  };
}

const once = <T>(produce: () => Promise<T>): (() => Promise<T>) => {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= produce();
    return promise;
  };
};

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [keyOf(item), item])).values()];
}

/** Auto Scaling groups named by self-managed nodes (managed nodes' groups belong to EKS). */
const selfManagedGroupNames = (nodes: readonly Instance[]): Set<string> =>
  new Set(
    nodes.flatMap((node) => {
      const group = tagValue(node.Tags, TAG.autoScalingGroupName);
      return group !== undefined && tagValue(node.Tags, TAG.nodegroupName) === undefined ? [group] : [];
    }),
  );

/**
 * A cluster's share of a keyed fetch: its value, computed from the items, with the failures of the
 * keys it needs. A key that failed does not fail the cluster's part: only the node groups that need
 * that key are ERROR (lib/snapshot/lookups.ts).
 */
function shareOf<T, U>(fetch: KeyedFetch<T>, keys: Iterable<string>, value: U): Part<U> {
  const failures: Record<string, CollectionFailure> = {};
  for (const key of keys) {
    const failure = fetch.failures.get(key);
    if (failure !== undefined) failures[key] = failure;
  }
  return collected(value, failures);
}

/** Whether an Auto Scaling group's instance is leaving it (its node is shutting down or gone). */
const isLeaving = (lifecycleState: string | undefined) => lifecycleState?.startsWith('Terminat') === true;

interface RegionContext {
  readonly accountId: string;
  readonly clients: RegionClients;
  readonly limits: ServiceLimits;
  /** The clusters to collect. */
  readonly scopes: readonly ClusterScope[];
  /** Every cluster of the Region (ListClusters), selected or not: the candidates of the ownership rule. */
  readonly listedClusters: ReadonlySet<string>;
  readonly account: AccountCache;
}

function regionProducers({
  accountId,
  clients,
  limits,
  scopes,
  listedClusters,
  account,
}: RegionContext): RegionProducers {
  const clusterNames = scopes.map((scope) => scope.clusterName);
  const sameForAll = <T>(part: Part<T>): ByCluster<T> => new Map(clusterNames.map((name) => [name, part]));

  const cluster = once(() => describeClusters(clients.eks, clusterNames, limits.eks));
  const clusterVersions = once(async () => sameForAll(await fetchClusterVersions(clients.eks, limits.eks)));
  const nodegroups = once(() => describeNodegroups(clients.eks, clusterNames, limits.eks));
  const fargateProfiles = once(() => describeFargateProfiles(clients.eks, clusterNames, limits.eks));

  /** Every node tagged for any of the clusters, whichever cluster owns it. */
  const taggedNodes = once(() => fetchNodeInstances(clients.ec2, clusterNames, limits.ec2));

  /** Each cluster's nodes: those it owns (ownerOf), not every node tagged for it. */
  const instances = once(async (): Promise<ByCluster<Instance[]>> => {
    const regional = await taggedNodes();
    if (regional.status === 'failed') return new Map(clusterNames.map((name) => [name, regional]));
    const owned = new Map<string, Instance[]>(clusterNames.map((name) => [name, []]));
    for (const instance of regional.value) {
      owned.get(ownerOf(instance.Tags, listedClusters) ?? '')?.push(instance);
    }
    return new Map([...owned].map(([name, list]) => [name, collected(list)]));
  });

  /** The tagged and named Auto Scaling groups of the Region, and the owner of each. */
  const autoScalingFetch = once(async () => {
    const nodes = await instances();
    const namedBy = derive(nodes, (list) => collected(selfManagedGroupNames(list)));
    const fetch = await fetchAutoScalingGroups(
      clients.autoScaling,
      {
        // Only clusters whose nodes are known can use the groups.
        clusterNames: clusterNames.filter((name) => partOf(nodes, name).status === 'collected'),
        groupNames: collectedValues(namedBy).flatMap((names) => [...names]),
      },
      limits.autoScaling,
    );
    const regional = await taggedNodes();
    const nodesById = new Map(
      (regional.status === 'collected' ? regional.value : []).map((node) => [node.InstanceId, node]),
    );
    /**
     * A group tagged for an existing cluster belongs to its owner; one with no such tag belongs where
     * its first instance (lowest id, not leaving) belongs, which every batch of clusters decides alike:
     * a batch that did not fetch that instance does not own its cluster. A group listing no instance
     * goes to the first (by name) owner of the nodes naming it.
     */
    const ownerOfGroup = (group: AutoScalingGroup): string | undefined => {
      const byTags = ownerOf(group.Tags, listedClusters);
      if (byTags !== undefined) return byTags;
      const [first] = (group.Instances ?? [])
        .filter((member) => !isLeaving(member.LifecycleState) && member.InstanceId !== undefined)
        .map((member) => member.InstanceId ?? '')
        .sort();
      if (first !== undefined) {
        const node = nodesById.get(first);
        return node === undefined ? undefined : ownerOf(node.Tags, listedClusters);
      }
      return clusterNames.find((name) => {
        const named = partOf(namedBy, name);
        return named.status === 'collected' && named.value.has(group.AutoScalingGroupName ?? '');
      });
    };
    const groups = uniqueBy(
      fetch.tagged.status === 'collected' ? [...fetch.tagged.value, ...fetch.named.items] : [],
      (group) => group.AutoScalingGroupName ?? '',
    );
    return { fetch, namedBy, groups, owners: new Map(groups.map((group) => [group, ownerOfGroup(group)])) };
  });

  const autoScalingGroups = once(async (): Promise<ByCluster<AutoScalingGroup[]>> => {
    const { fetch, namedBy, groups, owners } = await autoScalingFetch();
    return derive(namedBy, (named, clusterName) => {
      if (fetch.tagged.status === 'failed') return fetch.tagged;
      const failure = failureOfKeys(fetch.named, named);
      if (failure !== undefined) return failed(failure);
      return collected(groups.filter((group) => owners.get(group) === clusterName));
    });
  });

  const ownedElsewhere = async (
    inputs: ReadonlySet<SnapshotPartName>,
  ): Promise<ReadonlyMap<string, readonly string[]>> => {
    // Only what the checks asked for anyway: this adds no call.
    if (!inputs.has('instances')) return new Map();
    const regional = await taggedNodes();
    const nodes = regional.status === 'collected' ? regional.value : [];
    const { groups, owners, namedBy } = inputs.has('autoScalingGroups')
      ? await autoScalingFetch()
      : { groups: [], owners: new Map<AutoScalingGroup, string | undefined>(), namedBy: undefined };
    const elsewhere = new Map<string, string[]>(clusterNames.map((name) => [name, []]));
    const scopeOf = new Map(scopes.map((scope) => [scope.clusterName, scope]));
    const note = (
      claimants: Iterable<string>,
      owner: string | undefined,
      id: (scope: ClusterScope) => string,
    ) => {
      if (owner === undefined) return;
      for (const name of claimants) {
        const scope = scopeOf.get(name);
        if (name !== owner && scope !== undefined) elsewhere.get(name)?.push(id(scope));
      }
    };
    for (const node of nodes) {
      const { InstanceId: instanceId } = node;
      if (instanceId === undefined) continue;
      note(claimsOf(node.Tags), ownerOf(node.Tags, listedClusters), (scope) =>
        instanceArn(scope, instanceId),
      );
    }
    for (const group of groups) {
      const { AutoScalingGroupARN: groupArn, AutoScalingGroupName: groupName = '' } = group;
      if (groupArn === undefined) continue;
      const namedByCluster = clusterNames.filter((name) => {
        const named = namedBy === undefined ? undefined : partOf(namedBy, name);
        return named?.status === 'collected' && named.value.has(groupName);
      });
      note(new Set([...claimsOf(group.Tags), ...namedByCluster]), owners.get(group), () => groupArn);
    }
    return elsewhere;
  };

  /** The node groups of each cluster, as the checks will see them: what plans the dependent look-ups. */
  const nodeGroups = once(async (): Promise<ByCluster<readonly NodeGroup[]>> => {
    const [managed, nodes, groups] = await Promise.all([nodegroups(), instances(), autoScalingGroups()]);
    return new Map(
      scopes.map((scope) => {
        const { clusterName } = scope;
        const discovery = discoverNodeGroups({
          ...snapshotOf(scope, {}),
          nodegroups: partOf(managed, clusterName),
          instances: partOf(nodes, clusterName),
          autoScalingGroups: partOf(groups, clusterName),
        });
        if (discovery.status === 'collected') return [clusterName, collected(discovery.groups)];
        const [failure] = discovery.failures;
        if (failure === undefined) throw new Error(`Node group discovery of ${clusterName} failed silently.`);
        return [clusterName, failed(failure)];
      }),
    );
  });

  const images = once(async () => {
    const imageIdsBy = derive(await instances(), (nodes) => collected(imageIdsOf(nodes)));
    const fetch = await fetchImages(clients.ec2, collectedValues(imageIdsBy).flat(), limits.ec2);
    return derive(imageIdsBy, (imageIds) => {
      const wanted = new Set(imageIds);
      return shareOf(
        fetch,
        imageIds,
        Object.fromEntries(
          fetch.items.flatMap((image) =>
            image.ImageId !== undefined && wanted.has(image.ImageId) ? [[image.ImageId, image]] : [],
          ),
        ),
      );
    });
  });

  const launchTemplateVersions = once(async () => {
    const referencesBy = derive(await nodeGroups(), (groups) =>
      collected(
        groups.flatMap((group) => {
          const reference = launchTemplateOf(group);
          return reference !== undefined && templateKey(reference) !== undefined ? [reference] : [];
        }),
      ),
    );
    const wanted = new Map<string, LaunchTemplateWanted>();
    for (const reference of collectedValues(referencesBy).flat()) {
      wanted.set(templateVersionKey(reference) ?? '', {
        id: reference.id,
        name: reference.name,
        version: versionOf(reference),
      });
    }
    const fetch = await fetchLaunchTemplateVersions(clients.ec2, wanted, limits.ec2);
    return derive(referencesBy, (references) => {
      const ofCluster = fetch.items.filter((version) =>
        references.some((reference) =>
          reference.id !== undefined
            ? version.LaunchTemplateId === reference.id
            : version.LaunchTemplateName === reference.name,
        ),
      );
      return shareOf(
        fetch,
        references.map((reference) => templateVersionKey(reference) ?? ''),
        uniqueBy(ofCluster, (version) => `${version.LaunchTemplateId}:${version.VersionNumber}`),
      );
    });
  });

  const subnets = once(async () => {
    const subnetIdsBy = derive(await nodeGroups(), (groups) =>
      collected(unique(groups.flatMap(plannedSubnetIds))),
    );
    const fetch = await fetchSubnets(clients.ec2, collectedValues(subnetIdsBy).flat(), limits.ec2);
    return derive(subnetIdsBy, (subnetIds) => {
      const wanted = new Set(subnetIds);
      return shareOf(
        fetch,
        subnetIds,
        fetch.items.filter((subnet) => wanted.has(subnet.SubnetId ?? '')),
      );
    });
  });

  const routeTables = once(async () => {
    const vpcIdsBy = derive(await subnets(), (list) =>
      collected(unique(list.flatMap((subnet) => (subnet.VpcId === undefined ? [] : [subnet.VpcId])))),
    );
    const fetch = await fetchRouteTables(clients.ec2, collectedValues(vpcIdsBy).flat(), limits.ec2);
    return derive(vpcIdsBy, (vpcIds) => {
      const wanted = new Set(vpcIds);
      return shareOf(
        fetch,
        vpcIds,
        fetch.items.filter((table) => wanted.has(table.VpcId ?? '')),
      );
    });
  });

  const inspectorAccount = once(async () =>
    sameForAll(await fetchInspectorAccount(clients.inspector2, accountId, limits.inspector2)),
  );

  const inspectorCoverage = once(async () => {
    const runningIdsBy = derive(await instances(), (nodes) => collected(runningInstanceIds(nodes)));
    const fetch = await fetchCoverage(
      clients.inspector2,
      collectedValues(runningIdsBy).flat(),
      limits.inspector2,
    );
    return derive(runningIdsBy, (instanceIds) => {
      const wanted = new Set(instanceIds);
      return shareOf(
        fetch,
        instanceIds,
        fetch.items.filter((record) => wanted.has(record.resourceId ?? '')),
      );
    });
  });

  const releaseParameters = once(async () => {
    const namesBy = derive(await nodegroups(), (managed) =>
      collected(
        unique(
          managed.flatMap((nodegroup) => {
            const name = releaseParameterOf(nodegroup);
            return name === undefined ? [] : [name];
          }),
        ),
      ),
    );
    const fetch = await fetchParameters(clients.ssm, collectedValues(namesBy).flat(), limits.ssm);
    return derive(namesBy, (names) => {
      const wanted = new Set(names);
      return shareOf(
        fetch,
        names,
        Object.fromEntries(
          fetch.items.flatMap((parameter) =>
            parameter.Name !== undefined && parameter.Value !== undefined && wanted.has(parameter.Name)
              ? [[parameter.Name, parameter.Value]]
              : [],
          ),
        ),
      );
    });
  });

  const insights = once(() => fetchInsights(clients.eks, clusterNames, limits.eks));
  const addons = once(() => describeAddons(clients.eks, clusterNames, limits.eks));

  /** The add-on versions of each cluster's Kubernetes version: one call per version, for clusters with add-ons. */
  const addonVersions = once(async (): Promise<ByCluster<Readonly<Record<string, AddonInfo[]>>>> => {
    const [described, installed] = await Promise.all([cluster(), addons()]);
    const versionOf = (clusterName: string) => {
      const describedPart = partOf(described, clusterName);
      const installedPart = partOf(installed, clusterName);
      // A cluster without add-ons has nothing to compare: its version costs no call.
      return describedPart.status === 'collected' &&
        installedPart.status === 'collected' &&
        installedPart.value.length > 0
        ? describedPart.value.version
        : undefined;
    };
    const wanted = clusterNames.flatMap((name) => versionOf(name) ?? []);
    const fetch = await fetchAddonVersions(clients.eks, wanted, limits.eks);
    return derive(installed, (_list, clusterName) => {
      const version = versionOf(clusterName);
      if (version === undefined) return collected({});
      const found = fetch.items.find((item) => item.kubernetesVersion === version);
      return shareOf(fetch, [version], found === undefined ? {} : { [version]: [...found.addons] });
    });
  });

  const oidcProviders = once(async () =>
    sameForAll(await account.oidcProviders(() => fetchOpenIDConnectProviders(clients.iam, limits.iam))),
  );

  /** GuardDuty's detector id: one ListDetectors per Region, whichever part asks first. */
  const guardDutyDetectorId = once(() => fetchDetectorId(clients.guardDuty, limits.guardDuty));

  const guardDutyDetector = once(async () =>
    sameForAll(await fetchDetector(clients.guardDuty, await guardDutyDetectorId(), limits.guardDuty)),
  );

  /** The Region's EKS coverage listing, each cluster taking its own record (by cluster name). */
  const guardDutyCoverage = once(async (): Promise<ByCluster<CoverageResource | null>> => {
    const listing = await fetchEksCoverage(clients.guardDuty, await guardDutyDetectorId(), limits.guardDuty);
    if (listing.status === 'failed') return sameForAll(listing);
    const ofAccount = listing.value.filter(
      (record) => record.AccountId === undefined || record.AccountId === accountId,
    );
    return new Map(
      clusterNames.map((name) => [
        name,
        collected(
          ofAccount.find((record) => record.ResourceDetails?.EksClusterDetails?.ClusterName === name) ?? null,
        ),
      ]),
    );
  });

  const ecrScanningConfiguration = once(async () =>
    sameForAll(await fetchRegistryScanningConfiguration(clients.ecr, limits.ecr)),
  );

  /** The Region's managed-node list: one listing serves every cluster. */
  const ssmManagedNodes = once(async () => sameForAll(await fetchManagedNodes(clients.ssm, limits.ssm)));

  const volumes = once(async () => {
    const volumeIdsBy = derive(await instances(), (nodes) => collected(attachedVolumeIds(nodes)));
    const fetch = await fetchVolumes(clients.ec2, collectedValues(volumeIdsBy).flat(), limits.ec2);
    return derive(volumeIdsBy, (volumeIds) => {
      const wanted = new Set(volumeIds);
      return shareOf(
        fetch,
        volumeIds,
        fetch.items.filter((volume) => wanted.has(volume.VolumeId ?? '')),
      );
    });
  });

  const ebsEncryptionByDefault = once(async () =>
    sameForAll(await fetchEbsEncryptionByDefault(clients.ec2, limits.ec2)),
  );

  return {
    parts: {
      cluster,
      clusterVersions,
      nodegroups,
      fargateProfiles,
      instances,
      autoScalingGroups,
      images,
      launchTemplateVersions,
      subnets,
      routeTables,
      inspectorAccount,
      inspectorCoverage,
      releaseParameters,
      insights,
      addons,
      addonVersions,
      oidcProviders,
      guardDutyDetector,
      guardDutyCoverage,
      ecrScanningConfiguration,
      ssmManagedNodes,
      volumes,
      ebsEncryptionByDefault,
    },
    ownedElsewhere,
  };
}
