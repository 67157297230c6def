/** EKS (REST-JSON): clusters, node groups, Fargate profiles, versions and insights of the caller's account/Region. */
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
  ListInsights: (input: { clusterName: string; maxResults?: number; nextToken?: string }, context) => {
    const { items, nextToken } = pageOf(
      clusterEntry(context, input.clusterName).insights ?? [],
      input,
      context,
    );
    return { insights: items, nextToken };
  },
};
