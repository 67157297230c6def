import { MissingDataError, need } from '../snapshot/missing-data.js';
import type { Cluster, ClusterSnapshot, CoverageResource, GuardDutyDetector } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { enabledDetector, featureStatus } from './guardduty.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck, type Outcome } from './types.js';

/** Either feature monitors EKS: Runtime Monitoring, or the EKS-only feature it replaced (never both on one detector). */
const RUNTIME_FEATURES = ['RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING'] as const;
const AGENT_MANAGEMENT = 'EKS_ADDON_MANAGEMENT';

/** Instance states of EC2 nodes that exist as compute (a stopped node can start again). */
const GONE_STATES = ['shutting-down', 'terminated'];

/**
 * The EC2 or Auto Mode compute of a cluster, which GuardDuty Runtime Monitoring can cover (it does
 * not support Fargate or hybrid nodes). Any one source is enough, so a part is read only when the ones
 * before found nothing: a failed listing is ERROR only when the answer depends on it.
 * 1. Auto Mode (`computeConfig.enabled`): its nodes are EC2 instances AWS runs for the cluster.
 * 2. A managed node group, whatever its size: EKS launches its nodes on EC2.
 * 3. A self-managed Auto Scaling group of the cluster, whatever its size.
 * 4. An EC2 instance tagged as its node (Karpenter, lone nodes) that is not terminated or shutting down.
 */
function ec2ComputeOf(snapshot: ClusterSnapshot, cluster: Cluster): string | undefined {
  if (cluster.computeConfig?.enabled === true) return 'EKS Auto Mode';
  const managed = need(snapshot.nodegroups, 'The managed node groups');
  if (managed.length > 0) return `${managed.length} managed node group(s)`;
  const groups = need(snapshot.autoScalingGroups, 'The Auto Scaling groups');
  if (groups.length > 0) return `${groups.length} self-managed Auto Scaling group(s)`;
  const nodes = need(snapshot.instances, 'The EC2 nodes').filter(
    (node) => !GONE_STATES.includes(node.State?.Name ?? ''),
  );
  if (nodes.length > 0) return `${nodes.length} EC2 node(s)`;
  return undefined;
}

function coverageOutcome(
  cluster: Cluster,
  detector: GuardDutyDetector,
  record: CoverageResource | null,
): Outcome {
  const name = cluster.name;
  if (record === null) {
    const agentManagement = runtimeAgentManagement(detector);
    return {
      status: 'FAILED',
      severity: 'MEDIUM',
      reason:
        `Cluster ${name}: GuardDuty has no runtime coverage record for it, so the security agent is not reporting` +
        (agentManagement === 'ENABLED'
          ? '.'
          : ` (automated agent management, ${AGENT_MANAGEMENT}, is ${agentManagement ?? 'not configured'}: the agent must be deployed as the aws-guardduty-agent add-on).`),
      evidence: { detectorId: detector.DetectorId, coverage: null, agentManagement: agentManagement ?? null },
    };
  }
  const details = record.ResourceDetails?.EksClusterDetails;
  const evidence = {
    detectorId: detector.DetectorId,
    coverageStatus: record.CoverageStatus ?? null,
    issue: record.Issue ?? null,
    coveredNodes: details?.CoveredNodes ?? null,
    compatibleNodes: details?.CompatibleNodes ?? null,
    managementType: details?.ManagementType ?? null,
    agent: details?.AddonDetails ?? null,
  };
  const nodes = `${details?.CoveredNodes ?? '?'} of ${details?.CompatibleNodes ?? '?'} compatible node(s) covered`;
  if (details?.ManagementType === 'DISABLED') {
    return {
      status: 'FAILED',
      severity: 'MEDIUM',
      reason: `Cluster ${name} is excluded from GuardDuty Runtime Monitoring (ManagementType DISABLED); ${nodes}.`,
      evidence,
    };
  }
  if (record.CoverageStatus === undefined) {
    throw new MissingDataError(`GuardDuty's coverage record of cluster ${name} has no CoverageStatus.`);
  }
  if (record.CoverageStatus !== 'HEALTHY') {
    const agent = details?.AddonDetails;
    return {
      status: 'FAILED',
      severity: 'MEDIUM',
      reason: `Cluster ${name}: GuardDuty runtime coverage is ${record.CoverageStatus}: ${record.Issue ?? 'no issue given'}; ${nodes}; agent ${agent?.AddonStatus ?? 'status unknown'}${agent?.AddonVersion ? ` (${agent.AddonVersion})` : ''}.`,
      evidence,
    };
  }
  return {
    status: 'PASSED',
    reason: `Cluster ${name}: GuardDuty Runtime Monitoring covers it (HEALTHY, ${nodes}).`,
    evidence,
  };
}

/** The status of the runtime feature's EKS agent management (the add-on GuardDuty deploys and updates). */
const runtimeAgentManagement = (detector: GuardDutyDetector): string | undefined =>
  detector.Features?.find(
    (feature) =>
      (RUNTIME_FEATURES as readonly string[]).includes(feature.Name ?? '') && feature.Status === 'ENABLED',
  )?.AdditionalConfiguration?.find((configuration) => configuration.Name === AGENT_MANAGEMENT)?.Status;

export default defineCheck({
  id: 'eks_cluster_guardduty_runtime_monitoring',
  title: 'GuardDuty Runtime Monitoring covers the EKS cluster',
  resource: CLUSTER_RESOURCE,
  severities: ['HIGH', 'MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    'No enabled GuardDuty detector, or neither RUNTIME_MONITORING nor EKS_RUNTIME_MONITORING is ENABLED (HIGH); ' +
    'no coverage record for the cluster, coverage UNHEALTHY (issue, covered of compatible nodes, agent status), or ' +
    'the cluster excluded with ManagementType DISABLED (MEDIUM). Without EC2 or Auto Mode compute (Fargate or ' +
    'hybrid nodes only) it is NOT_APPLICABLE.',
  risk:
    'Without runtime monitoring, a compromised container (a reverse shell, crypto mining, a container escape) runs ' +
    'on the nodes unnoticed.',
  remediation: {
    text:
      "Enable GuardDuty Runtime Monitoring for EKS with automated agent management in the cluster's account and " +
      'Region, do not exclude the cluster, and fix what makes its coverage unhealthy (VPC endpoint, agent add-on).',
    url: 'https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html',
  },
  inputs: ['guardDutyDetector', 'guardDutyCoverage', 'nodegroups', 'autoScalingGroups', 'instances'],
  frameworks: [eksBestPractice('Runtime security / Monitor runtime activity')],
  parameters: {},
  evaluate({ snapshot, cluster }) {
    const compute = ec2ComputeOf(snapshot, cluster);
    if (compute === undefined) {
      const hybrid = (cluster.remoteNetworkConfig?.remoteNodeNetworks ?? []).length > 0;
      return {
        status: 'NOT_APPLICABLE',
        reason: `Cluster ${cluster.name} has no EC2 or Auto Mode compute (no Auto Mode, managed node group, self-managed Auto Scaling group or EC2 node); its pods run on Fargate${hybrid ? ' or hybrid nodes' : ''}, which GuardDuty Runtime Monitoring does not support.`,
        evidence: { acceptsHybridNodes: hybrid },
      };
    }
    const enabled = enabledDetector(snapshot);
    if ('problem' in enabled) {
      return {
        status: 'FAILED',
        severity: 'HIGH',
        reason: `Cluster ${cluster.name} (${compute}): ${enabled.problem}, so nothing watches what runs on its nodes.`,
        evidence: { compute, ...enabled.evidence },
      };
    }
    const { detector } = enabled;
    const statuses = Object.fromEntries(
      RUNTIME_FEATURES.map((feature) => [feature, featureStatus(detector, feature) ?? null]),
    );
    if (!Object.values(statuses).includes('ENABLED')) {
      return {
        status: 'FAILED',
        severity: 'HIGH',
        reason: `Cluster ${cluster.name} (${compute}): GuardDuty's detector ${detector.DetectorId} has neither RUNTIME_MONITORING nor EKS_RUNTIME_MONITORING enabled, so nothing watches what runs on its nodes.`,
        evidence: { compute, detectorId: detector.DetectorId, runtimeFeatures: statuses },
      };
    }
    const record = need(snapshot.guardDutyCoverage, "GuardDuty's runtime coverage");
    const outcome = coverageOutcome(cluster, detector, record);
    return { ...outcome, evidence: { compute, runtimeFeatures: statuses, ...outcome.evidence } };
  },
});
