/**
 * EKS (REST-JSON): clusters, node groups, Fargate profiles, versions, insights, add-ons and add-on
 * versions of the caller's account/Region.
 */
import { AwsError } from '../protocols.js';
import { type EmulatorContext, type Handler, page, regionOf } from './context.js';

const clustersOf = (context: EmulatorContext) => regionOf(context)?.clusters ?? [];

function clusterEntry(context: EmulatorContext, name: string) {
  const entry = clustersOf(context).find((candidate) => candidate.cluster.name === name);
  if (!entry) throw new AwsError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
  return entry;
}

const pageOf = <T>(
  items: readonly T[],
  input: { maxResults?: number; nextToken?: string },
  context: EmulatorContext,
) =>
  page(
    items,
    {
      maxResults: input.maxResults,
      nextToken: input.nextToken,
      cap: 100,
      invalidTokenCode: 'InvalidParameterException',
      validationCode: 'InvalidParameterException',
    },
    context,
  );

export const eksHandlers: Readonly<Record<string, Handler>> = {
  ListClusters: (input, context) => {
    const { items, nextToken } = pageOf(
      clustersOf(context).map((entry) => entry.cluster.name),
      input,
      context,
    );
    return { clusters: items, nextToken };
  },
  DescribeCluster: (input: { name: string }, context) => ({
    cluster: clusterEntry(context, input.name).cluster,
  }),
  ListNodegroups: (input: { clusterName: string; maxResults?: number; nextToken?: string }, context) => {
    const entry = clusterEntry(context, input.clusterName);
    const { items, nextToken } = pageOf(
      (entry.nodegroups ?? []).map((ng) => ng.nodegroupName),
      input,
      context,
    );
    return { nodegroups: items, nextToken };
  },
  DescribeNodegroup: (input: { clusterName: string; nodegroupName: string }, context) => {
    const nodegroup = (clusterEntry(context, input.clusterName).nodegroups ?? []).find(
      (candidate) => candidate.nodegroupName === input.nodegroupName,
    );
    if (!nodegroup)
      throw new AwsError(
        'ResourceNotFoundException',
        `No node group found for name: ${input.nodegroupName}.`,
        404,
      );
    return { nodegroup };
  },
  ListFargateProfiles: (input: { clusterName: string; maxResults?: number; nextToken?: string }, context) => {
    const entry = clusterEntry(context, input.clusterName);
    const { items, nextToken } = pageOf(
      (entry.fargateProfiles ?? []).map((profile) => profile.fargateProfileName),
      input,
      context,
    );
    return { fargateProfileNames: items, nextToken };
  },
  DescribeFargateProfile: (input: { clusterName: string; fargateProfileName: string }, context) => {
    const profile = (clusterEntry(context, input.clusterName).fargateProfiles ?? []).find(
      (candidate) => candidate.fargateProfileName === input.fargateProfileName,
    );
    if (!profile) {
      throw new AwsError(
        'ResourceNotFoundException',
        `No Fargate Profile found with name: ${input.fargateProfileName}.`,
        404,
      );
    }
    return { fargateProfile: profile };
  },
  DescribeClusterVersions: (
    input: {
      clusterType?: string;
      clusterVersions?: string[];
      includeAll?: boolean;
      maxResults?: number;
      nextToken?: string;
      versionStatus?: string;
    },
    context,
  ) => {
    // Without includeAll, EKS lists only the versions it still supports.
    const versions = (context.estate.clusterVersions ?? []).filter(
      (version) =>
        (input.clusterType === undefined || (version.clusterType ?? 'eks') === input.clusterType) &&
        (input.clusterVersions === undefined || input.clusterVersions.includes(version.clusterVersion)) &&
        (input.versionStatus === undefined || version.versionStatus === input.versionStatus) &&
        (input.includeAll === true || version.versionStatus !== 'UNSUPPORTED'),
    );
    const { items, nextToken } = pageOf(versions, input, context);
    return { clusterVersions: items, nextToken };
  },
  ListInsights: (
    input: {
      clusterName: string;
      filter?: { categories?: string[]; kubernetesVersions?: string[]; statuses?: string[] };
      maxResults?: number;
      nextToken?: string;
    },
    context,
  ) => {
    const { categories, kubernetesVersions, statuses } = input.filter ?? {};
    const within = (allowed: string[] | undefined, value: string | undefined) =>
      allowed === undefined || allowed.length === 0 || allowed.includes(value ?? '');
    const listed = (clusterEntry(context, input.clusterName).insights ?? []).filter(
      (insight) =>
        within(categories, insight.category) &&
        within(kubernetesVersions, insight.kubernetesVersion) &&
        within(statuses, insight.insightStatus?.status),
    );
    const { items, nextToken } = pageOf(listed.map(summaryOfInsight), input, context);
    return { insights: items, nextToken };
  },
  DescribeInsight: (input: { clusterName: string; id: string }, context) => {
    const insight = (clusterEntry(context, input.clusterName).insights ?? []).find(
      (candidate) => candidate.id === input.id,
    );
    if (!insight)
      throw new AwsError('ResourceNotFoundException', `No insight found for id: ${input.id}.`, 404);
    return { insight };
  },
  ListAddons: (input: { clusterName: string; maxResults?: number; nextToken?: string }, context) => {
    const entry = clusterEntry(context, input.clusterName);
    const { items, nextToken } = pageOf(
      (entry.addons ?? []).map((addon) => addon.addonName),
      input,
      context,
    );
    return { addons: items, nextToken };
  },
  DescribeAddon: (input: { clusterName: string; addonName: string }, context) => {
    const addon = (clusterEntry(context, input.clusterName).addons ?? []).find(
      (candidate) => candidate.addonName === input.addonName,
    );
    if (!addon) {
      throw new AwsError(
        'ResourceNotFoundException',
        `No addon: ${input.addonName} found in cluster: ${input.clusterName}`,
        404,
      );
    }
    return { addon };
  },
  DescribeAddonVersions: (
    input: {
      kubernetesVersion?: string;
      addonName?: string;
      types?: string[];
      publishers?: string[];
      owners?: string[];
      maxResults?: number;
      nextToken?: string;
    },
    context,
  ) => {
    const within = (allowed: string[] | undefined, value: string | undefined) =>
      allowed === undefined || allowed.length === 0 || allowed.includes(value ?? '');
    const offered = addonsForKubernetesVersion(
      regionOf(context)?.eksAddonVersions ?? [],
      input.kubernetesVersion,
    ).filter(
      (addon) =>
        (input.addonName === undefined || addon.addonName === input.addonName) &&
        within(input.types, addon.type) &&
        within(input.publishers, addon.publisher) &&
        within(input.owners, addon.owner),
    );
    const { items, nextToken } = pageOf(offered, input, context);
    return { addons: items, nextToken };
  },
};

/** What ListInsights says of an insight: DescribeInsight's members without the details. */
function summaryOfInsight<T extends Record<string, unknown>>(insight: T) {
  const { recommendation, additionalInfo, resources, categorySpecificSummary, ...summary } = insight;
  return summary;
}

type OfferedAddon = {
  readonly addonVersions?: readonly {
    readonly compatibilities?: readonly { readonly clusterVersion?: string }[];
  }[];
};

/**
 * The add-ons DescribeAddonVersions offers for a Kubernetes version: each with only its versions
 * compatible with it (a compatibility naming that cluster version); add-ons with none are left out.
 * Without a version, every add-on as it is.
 */
export function addonsForKubernetesVersion<T extends OfferedAddon>(
  addons: readonly T[],
  kubernetesVersion: string | undefined,
): T[] {
  if (kubernetesVersion === undefined) return [...addons];
  return addons.flatMap((addon) => {
    const compatible = (addon.addonVersions ?? []).filter((version) =>
      (version.compatibilities ?? []).some(
        (compatibility) => compatibility.clusterVersion === kubernetesVersion,
      ),
    );
    return compatible.length === 0 ? [] : [{ ...addon, addonVersions: compatible }];
  });
}
