import { INSIGHT_CATEGORIES } from '../snapshot/insights.js';
import { describeFailure, MissingDataError, need } from '../snapshot/missing-data.js';
import type { Insight, InsightSummary } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** How many client user agents a reason names per insight: the busiest ones. */
const TOP_CLIENTS = 3;

/** The clients still calling the deprecated APIs, busiest first (DescribeInsight deprecation details). */
function topClients(insight: Insight): string[] {
  const requests = new Map<string, number>();
  for (const detail of insight.categorySpecificSummary?.deprecationDetails ?? []) {
    for (const stat of detail.clientStats ?? []) {
      if (stat.userAgent === undefined) continue;
      requests.set(
        stat.userAgent,
        (requests.get(stat.userAgent) ?? 0) + (stat.numberOfRequestsLast30Days ?? 0),
      );
    }
  }
  return [...requests]
    .sort(([agentA, a], [agentB, b]) => b - a || agentA.localeCompare(agentB))
    .slice(0, TOP_CLIENTS)
    .map(([agent, count]) => `${agent} (${count} requests in 30 days)`);
}

const title = (summary: InsightSummary) =>
  `"${summary.name ?? summary.id}" (${summary.category}, Kubernetes ${summary.kubernetesVersion ?? 'unknown'})`;

export default defineCheck({
  id: 'eks_cluster_insights',
  title: 'EKS cluster has no upgrade-readiness or misconfiguration insight in ERROR or WARNING',
  resource: CLUSTER_RESOURCE,
  severities: ['HIGH', 'LOW'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    'An EKS insight of category UPGRADE_READINESS or MISCONFIGURATION has status ERROR (an upgrade blocker for ' +
    'the next minor version, e.g. deprecated APIs still called; the reason names the insight and the top client ' +
    'user agents): HIGH; WARNING: LOW. UNKNOWN never fails and is mentioned.',
  risk:
    'An insight in ERROR blocks the next Kubernetes upgrade (removed APIs still in use break workloads once the ' +
    'control plane is upgraded, which EKS eventually does on its own); a misconfiguration insight points at ' +
    'broken cluster functionality, such as hybrid node networking.',
  remediation: {
    text:
      'Open the insight (EKS console, Cluster health, or aws eks describe-insight), fix what it reports (migrate ' +
      'the named clients off the deprecated APIs, correct the configuration), and let the insight refresh.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html',
  },
  inputs: ['insights'],
  frameworks: [eksBestPractice('Cluster upgrades / Use EKS upgrade insights to find upgrade blockers')],
  parameters: {},
  evaluate({ snapshot, cluster }) {
    // An empty DescribeCluster answer is no cluster to vouch for, whatever the insights listing says.
    if (cluster.name === undefined) throw new MissingDataError('DescribeCluster returned no cluster name.');
    const insights = need(snapshot.insights, `The EKS insights of cluster ${cluster.name}`);
    const failures = snapshot.insights.status === 'collected' ? (snapshot.insights.lookupFailures ?? {}) : {};
    const judged = insights.summaries.filter((summary) =>
      (INSIGHT_CATEGORIES as readonly string[]).includes(summary.category ?? ''),
    );
    const withStatus = (status: string) =>
      judged.filter((summary) => summary.insightStatus?.status === status);
    const [errors, warnings, unknown] = [withStatus('ERROR'), withStatus('WARNING'), withStatus('UNKNOWN')];
    const described = (summary: InsightSummary) => {
      const id = summary.id ?? '';
      const detail = insights.details[id];
      const failure = failures[id];
      const why =
        summary.insightStatus?.reason === undefined
          ? ''
          : `: ${summary.insightStatus.reason.replace(/\.$/, '')}`;
      const clients = detail === undefined ? [] : topClients(detail);
      const details =
        failure !== undefined
          ? ` (details not read: ${describeFailure(failure)})`
          : clients.length > 0
            ? `; top clients: ${clients.join(', ')}`
            : '';
      return `${summary.insightStatus?.status} ${title(summary)}${why}${details}`;
    };
    const unknownNote =
      unknown.length === 0
        ? ''
        : ` ${unknown.length} insight(s) have status UNKNOWN, which is not judged: ${unknown.map(title).join(', ')}.`;
    const evidence = {
      insights: judged.map((summary) => ({
        id: summary.id,
        name: summary.name,
        category: summary.category,
        status: summary.insightStatus?.status,
      })),
      ...(Object.keys(failures).length === 0 ? {} : { detailFailures: failures }),
    };
    const failing = [...errors, ...warnings];
    if (failing.length > 0) {
      return {
        status: 'FAILED',
        severity: errors.length > 0 ? 'HIGH' : 'LOW',
        reason: `Cluster ${cluster.name} has ${failing.length} insight(s) needing action: ${failing.map(described).join('; ')}.${unknownNote}`,
        evidence,
      };
    }
    const passing = withStatus('PASSING').length;
    return {
      status: 'PASSED',
      reason:
        judged.length === 0
          ? `EKS lists no upgrade-readiness or misconfiguration insight for cluster ${cluster.name}.`
          : `Cluster ${cluster.name} has no insight in ERROR or WARNING (${passing} of ${judged.length} PASSING).${unknownNote}`,
      evidence,
    };
  },
});
