import { MissingDataError, need } from '../snapshot/missing-data.js';
import type { Cluster, ClusterVersionInformation } from '../snapshot/types.js';
import { awsTimeValue } from '../time.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice, fsbp } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck, type Outcome } from './types.js';

type SupportPhase = 'STANDARD_SUPPORT' | 'EXTENDED_SUPPORT' | 'UNSUPPORTED';

const PHASE_ORDER: Readonly<Record<SupportPhase, number>> = {
  STANDARD_SUPPORT: 0,
  EXTENDED_SUPPORT: 1,
  UNSUPPORTED: 2,
};

const isSupportPhase = (status: string | undefined): status is SupportPhase =>
  status !== undefined && Object.hasOwn(PHASE_ORDER, status);
const earlier = (a: SupportPhase, b: SupportPhase) => (PHASE_ORDER[a] <= PHASE_ORDER[b] ? a : b);
const later = (a: SupportPhase, b: SupportPhase) => (PHASE_ORDER[a] >= PHASE_ORDER[b] ? a : b);

const day = (date: Date) => date.toISOString().slice(0, 10);

interface SupportJudgement {
  readonly phase: SupportPhase;
  readonly judgedBy: 'dates' | 'versionStatus';
  readonly endOfStandardSupport?: Date;
  readonly endOfExtendedSupport?: Date;
}

/**
 * The support phase of a Kubernetes version at `now`. The end dates decide whatever they can (they beat
 * versionStatus, which reflects when AWS answered, so a scan with a fixed `now` is reproducible);
 * versionStatus only settles what missing dates leave open, kept within the range the dates allow.
 */
function supportPhaseAt(info: ClusterVersionInformation, now: Date): SupportJudgement {
  const endOfStandardSupport = awsTimeValue(info.endOfStandardSupportDate);
  const endOfExtendedSupport = awsTimeValue(info.endOfExtendedSupportDate);
  const dates = { endOfStandardSupport, endOfExtendedSupport };
  if (
    endOfStandardSupport !== undefined &&
    endOfExtendedSupport !== undefined &&
    endOfExtendedSupport < endOfStandardSupport
  ) {
    throw new MissingDataError(
      `DescribeClusterVersions gives Kubernetes ${info.clusterVersion} an end of extended support ` +
        `(${day(endOfExtendedSupport)}) before its end of standard support (${day(endOfStandardSupport)}).`,
    );
  }
  let earliest: SupportPhase = 'STANDARD_SUPPORT';
  let latest: SupportPhase = 'UNSUPPORTED';
  if (endOfStandardSupport !== undefined) {
    if (now < endOfStandardSupport) latest = 'STANDARD_SUPPORT';
    else earliest = 'EXTENDED_SUPPORT';
  }
  if (endOfExtendedSupport !== undefined) {
    if (now < endOfExtendedSupport) latest = earlier(latest, 'EXTENDED_SUPPORT');
    else earliest = 'UNSUPPORTED';
  }
  if (earliest === latest) return { phase: earliest, judgedBy: 'dates', ...dates };
  if (!isSupportPhase(info.versionStatus)) {
    throw new MissingDataError(
      `DescribeClusterVersions gives Kubernetes ${info.clusterVersion} no end dates that settle its support at ${now.toISOString()} and no known versionStatus (got ${info.versionStatus ?? 'none'}).`,
    );
  }
  return { phase: later(earliest, earlier(info.versionStatus, latest)), judgedBy: 'versionStatus', ...dates };
}

function outcomeFor(
  cluster: Cluster,
  judgement: SupportJudgement,
  evidence: Record<string, unknown>,
): Outcome {
  const { phase, endOfStandardSupport, endOfExtendedSupport } = judgement;
  const runs = `Cluster ${cluster.name} runs Kubernetes ${cluster.version}`;
  const supportType = cluster.upgradePolicy?.supportType;
  switch (phase) {
    case 'STANDARD_SUPPORT': {
      const until = endOfStandardSupport === undefined ? '' : ` until ${day(endOfStandardSupport)}`;
      // With the EXTENDED policy, the cluster silently starts costing more when standard support ends.
      const policy =
        supportType === 'EXTENDED'
          ? '; its upgrade policy is EXTENDED, so it moves into paid extended support when standard support ends unless upgraded'
          : '';
      return {
        status: 'PASSED',
        reason: `${runs}, which is in standard support${until}${policy}.`,
        evidence,
      };
    }
    case 'EXTENDED_SUPPORT': {
      const until = endOfExtendedSupport === undefined ? '' : ` until ${day(endOfExtendedSupport)}`;
      // With the STANDARD policy, EKS upgrades such a cluster on its own schedule.
      const policy =
        supportType === 'STANDARD'
          ? ' before EKS does it automatically (its upgrade policy is STANDARD)'
          : ' to end the extra extended-support charge';
      return {
        status: 'FAILED',
        severity: 'MEDIUM',
        reason: `${runs}, which is out of standard support and in extended support${until}; upgrade it${policy}.`,
        evidence,
      };
    }
    case 'UNSUPPORTED': {
      const since = endOfExtendedSupport === undefined ? '' : ` (ended ${day(endOfExtendedSupport)})`;
      return {
        status: 'FAILED',
        severity: 'HIGH',
        reason: `${runs}, which is past the end of extended support${since}; upgrade it now, before EKS upgrades it automatically at a time you do not choose.`,
        evidence,
      };
    }
  }
}

export default defineCheck({
  id: 'eks_cluster_version_supported',
  title: 'EKS cluster runs a Kubernetes version in standard support',
  resource: CLUSTER_RESOURCE,
  severities: ['HIGH', 'MEDIUM'],
  asffTypes: [ASFF_TYPE.patchManagement, ASFF_TYPE.fsbp],
  failsWhen:
    "The cluster's Kubernetes version is out of standard support per DescribeClusterVersions at the scan time (an end date is the first instant out of that phase; dates without a zone are UTC): MEDIUM in extended support, HIGH past it.",
  risk:
    'A Kubernetes version out of standard support costs extra in extended support and, once that ends, gets ' +
    'no security fixes and is upgraded by EKS automatically, which can break workloads at a time nobody chose.',
  remediation: {
    text: 'Upgrade the cluster (control plane, then node groups and add-ons) to a version in standard support.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html',
  },
  inputs: ['clusterVersions'],
  frameworks: [
    fsbp('EKS.2'),
    eksBestPractice('Infrastructure security / Keep the cluster on a supported Kubernetes version'),
  ],
  parameters: {},
  evaluate({ snapshot, cluster }, { now }) {
    if (cluster.version === undefined) {
      throw new MissingDataError(`Cluster ${cluster.name} reports no Kubernetes version.`);
    }
    const versions = need(snapshot.clusterVersions, 'The EKS cluster versions of the Region');
    // Exact match only: versions are never parsed or ordered (string or numeric order both go wrong).
    const info = versions.find((candidate) => candidate.clusterVersion === cluster.version);
    if (info === undefined) {
      throw new MissingDataError(
        `DescribeClusterVersions returned no entry for Kubernetes ${cluster.version}, the version of cluster ${cluster.name}.`,
      );
    }
    const judgement = supportPhaseAt(info, now);
    return outcomeFor(cluster, judgement, {
      clusterVersion: cluster.version,
      supportPhase: judgement.phase,
      judgedBy: judgement.judgedBy,
      versionStatus: info.versionStatus,
      endOfStandardSupportDate: judgement.endOfStandardSupport?.toISOString(),
      endOfExtendedSupportDate: judgement.endOfExtendedSupport?.toISOString(),
      supportType: cluster.upgradePolicy?.supportType,
      scanTime: now.toISOString(),
    });
  },
});
