/**
 * Collects one (account, Region): a snapshot of every EKS cluster, holding only the parts the
 * selected checks read. Calls are made per Region, not per cluster, wherever the API allows (nodes,
 * AMIs, subnets, ... of all clusters at once), each distinct resource is described once, and every
 * call that failed is recorded as the failure of exactly the snapshot parts that needed it. Nothing
 * missing is ever filled with a default.
 */
import type { AutoScalingClient, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { Inspector2Client } from '@aws-sdk/client-inspector2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { createAutoScalingClient } from '../aws/autoscaling.js';
import type { ClientOptions } from '../aws/client-config.js';
import { createEc2Client } from '../aws/ec2.js';
import { createEksClient } from '../aws/eks.js';
import { createInspector2Client } from '../aws/inspector2.js';
import { createSsmClient } from '../aws/ssm.js';
import { releaseParameterName } from '../checks/eks_nodegroup_ami_latest_release.js';
import { type LaunchTemplateReference, launchTemplateOf } from '../checks/eks_nodegroup_no_ssh_access.js';
import { subnetIdsOf } from '../checks/eks_nodegroup_private_subnets.js';
import { MissingDataError } from '../checks/errors.js';
import { fetchAutoScalingGroups } from './autoscaling.js';
import { createLimiter, type Limiter } from './concurrency.js';
import {
  fetchImages,
  fetchLaunchTemplateVersions,
  fetchNodeInstances,
  fetchRouteTables,
  fetchSubnets,
  type LaunchTemplateWanted,
} from './ec2.js';
import {
  describeClusters,
  describeFargateProfiles,
  describeNodegroups,
  fetchClusterVersions,
  listClusterNames,
} from './eks.js';
import {
  attempt,
  type ByCluster,
  collectedValues,
  derive,
  failureOfKeys,
  mapPart,
  notRequested,
  partOf,
} from './fetch.js';
import { fetchCoverage, fetchInspectorAccount } from './inspector.js';
import { discoverNodeGroups, isTaggedForCluster, type NodeGroup, TAG, tagValue } from './node-groups.js';
import { fetchParameters } from './ssm.js';
import {
  type ClusterScope,
  type ClusterSnapshot,
  type CollectionFailure,
  collected,
  failed,
  type Instance,
  type Part,
  SNAPSHOT_PART_NAMES,
  type SnapshotPartName,
  type SnapshotParts,
} from './types.js';

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
}

export interface CollectOptions {
  /** The parts to collect: the union of `inputsOf` over the selected checks. */
  readonly inputs: ReadonlySet<SnapshotPartName>;
  /** Calls in flight per service (default 8). */
  readonly concurrency?: number;
  /** Clients to use instead of new ones (tests); the collector destroys only the clients it created. */
  readonly clients?: Partial<RegionClients>;
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
    const parts = await collectParts(regionProducers({ accountId, clients, limits, scopes }), options.inputs);
    return outcome(
      scopes.map((scope) => snapshotOf(scope, parts)),
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
  };
  return { clients, created };
}

type ServiceLimits = { readonly [Service in keyof RegionClients]: Limiter };

type ValueOf<K extends SnapshotPartName> = SnapshotParts[K] extends Part<infer T> ? T : never;

/** Every part of every cluster of the Region. */
type RegionParts = { [K in SnapshotPartName]: ByCluster<ValueOf<K>> };

/** Each part fetched on first demand, then shared by whatever else needs it. */
type Producers = { readonly [K in SnapshotPartName]: () => Promise<RegionParts[K]> };

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

function snapshotOf(scope: ClusterScope, parts: CollectedParts): ClusterSnapshot {
  const pick = <T>(name: SnapshotPartName, byCluster: ByCluster<T> | undefined): Part<T> =>
    byCluster === undefined ? notRequested(name) : partOf(byCluster, scope.clusterName);
  return {
    scope,
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

/** "Running nodes" as the checks count them (pending or running): the ones Inspector should cover. */
const isRunning = (instance: Instance) => ['pending', 'running'].includes(instance.State?.Name ?? '');

/** Auto Scaling groups named by self-managed nodes (managed nodes' groups belong to EKS). */
const selfManagedGroupNames = (nodes: readonly Instance[]): Set<string> =>
  new Set(
    nodes.flatMap((node) => {
      const group = tagValue(node.Tags, TAG.autoScalingGroupName);
      return group !== undefined && tagValue(node.Tags, TAG.nodegroupName) === undefined ? [group] : [];
    }),
  );

/** How the launch template fetch keys a template: by id when the reference has one, else by name. */
const templateKey = (reference: LaunchTemplateReference): string | undefined =>
  reference.id !== undefined
    ? `id:${reference.id}`
    : reference.name !== undefined
      ? `name:${reference.name}`
      : undefined;

/**
 * The subnets the private-subnets check will ask for. A group whose subnets are themselves unknown
 * (subnetIdsOf throws) is judged ERROR by the check anyway, so it adds none.
 */
function plannedSubnetIds(group: NodeGroup): string[] {
  try {
    return subnetIdsOf(group);
  } catch (error) {
    if (error instanceof MissingDataError) return [];
    throw error;
  }
}

interface RegionContext {
  readonly accountId: string;
  readonly clients: RegionClients;
  readonly limits: ServiceLimits;
  readonly scopes: readonly ClusterScope[];
}

function regionProducers({ accountId, clients, limits, scopes }: RegionContext): Producers {
  const clusterNames = scopes.map((scope) => scope.clusterName);
  const sameForAll = <T>(part: Part<T>): ByCluster<T> => new Map(clusterNames.map((name) => [name, part]));

  const cluster = once(() => describeClusters(clients.eks, clusterNames, limits.eks));
  const clusterVersions = once(async () => sameForAll(await fetchClusterVersions(clients.eks, limits.eks)));
  const nodegroups = once(() => describeNodegroups(clients.eks, clusterNames, limits.eks));
  const fargateProfiles = once(() => describeFargateProfiles(clients.eks, clusterNames, limits.eks));

  const instances = once(async () => {
    const regional = await fetchNodeInstances(clients.ec2, clusterNames, limits.ec2);
    return new Map(
      clusterNames.map((name) => [
        name,
        mapPart(regional, (all) => all.filter((instance) => isTaggedForCluster(instance.Tags, name))),
      ]),
    );
  });

  const autoScalingGroups = once(async (): Promise<ByCluster<AutoScalingGroup[]>> => {
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
    return derive(namedBy, (named, clusterName) => {
      if (fetch.tagged.status === 'failed') return fetch.tagged;
      const failure = failureOfKeys(fetch.named, named);
      if (failure !== undefined) return failed(failure);
      const ofCluster = [...fetch.tagged.value, ...fetch.named.items].filter(
        (group) => isTaggedForCluster(group.Tags, clusterName) || named.has(group.AutoScalingGroupName ?? ''),
      );
      return collected(uniqueBy(ofCluster, (group) => group.AutoScalingGroupName ?? ''));
    });
  });

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
    const imageIdsBy = derive(await instances(), (nodes) =>
      collected(unique(nodes.flatMap((node) => (node.ImageId === undefined ? [] : [node.ImageId])))),
    );
    const fetch = await fetchImages(clients.ec2, collectedValues(imageIdsBy).flat(), limits.ec2);
    return derive(imageIdsBy, (imageIds) => {
      const failure = failureOfKeys(fetch, imageIds);
      if (failure !== undefined) return failed(failure);
      const wanted = new Set(imageIds);
      return collected(
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
    const wanted = new Map<string, LaunchTemplateWanted & { readonly versions: Set<string> }>();
    for (const reference of collectedValues(referencesBy).flat()) {
      const key = templateKey(reference) ?? '';
      const template = wanted.get(key) ?? { id: reference.id, name: reference.name, versions: new Set() };
      template.versions.add(reference.version ?? '$Default');
      wanted.set(key, template);
    }
    const fetch = await fetchLaunchTemplateVersions(clients.ec2, wanted, limits.ec2);
    return derive(referencesBy, (references) => {
      const failure = failureOfKeys(
        fetch,
        references.map((reference) => templateKey(reference) ?? ''),
      );
      if (failure !== undefined) return failed(failure);
      const ofCluster = fetch.items.filter((version) =>
        references.some((reference) =>
          reference.id !== undefined
            ? version.LaunchTemplateId === reference.id
            : version.LaunchTemplateName === reference.name,
        ),
      );
      return collected(
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
      const failure = failureOfKeys(fetch, subnetIds);
      if (failure !== undefined) return failed(failure);
      const wanted = new Set(subnetIds);
      return collected(fetch.items.filter((subnet) => wanted.has(subnet.SubnetId ?? '')));
    });
  });

  const routeTables = once(async () => {
    const vpcIdsBy = derive(await subnets(), (list) =>
      collected(unique(list.flatMap((subnet) => (subnet.VpcId === undefined ? [] : [subnet.VpcId])))),
    );
    const fetch = await fetchRouteTables(clients.ec2, collectedValues(vpcIdsBy).flat(), limits.ec2);
    return derive(vpcIdsBy, (vpcIds) => {
      const failure = failureOfKeys(fetch, vpcIds);
      if (failure !== undefined) return failed(failure);
      const wanted = new Set(vpcIds);
      return collected(fetch.items.filter((table) => wanted.has(table.VpcId ?? '')));
    });
  });

  const inspectorAccount = once(async () =>
    sameForAll(await fetchInspectorAccount(clients.inspector2, accountId, limits.inspector2)),
  );

  const inspectorCoverage = once(async () => {
    const runningIdsBy = derive(await instances(), (nodes) =>
      collected(
        nodes.filter(isRunning).flatMap((node) => (node.InstanceId === undefined ? [] : [node.InstanceId])),
      ),
    );
    const fetch = await fetchCoverage(
      clients.inspector2,
      collectedValues(runningIdsBy).flat(),
      limits.inspector2,
    );
    return derive(runningIdsBy, (instanceIds) => {
      const failure = failureOfKeys(fetch, instanceIds);
      if (failure !== undefined) return failed(failure);
      const wanted = new Set(instanceIds);
      return collected(fetch.items.filter((record) => wanted.has(record.resourceId ?? '')));
    });
  });

  const releaseParameters = once(async () => {
    const namesBy = derive(await nodegroups(), (managed) =>
      collected(
        unique(
          managed.flatMap((nodegroup) => {
            const { amiType, version } = nodegroup;
            const name =
              amiType === undefined || version === undefined
                ? undefined
                : releaseParameterName(amiType, version);
            return name === undefined ? [] : [name];
          }),
        ),
      ),
    );
    const fetch = await fetchParameters(clients.ssm, collectedValues(namesBy).flat(), limits.ssm);
    return derive(namesBy, (names) => {
      const failure = failureOfKeys(fetch, names);
      if (failure !== undefined) return failed(failure);
      const wanted = new Set(names);
      return collected(
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

  return {
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
  };
}
