import { MissingDataError } from '../snapshot/missing-data.js';
import type { Cluster } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { cisEks, eksBestPractice, fsbp, parameterIs } from './frameworks.js';
import { stringSetParameter } from './parameters.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** The log types a cluster sends to CloudWatch Logs; undefined when DescribeCluster reports no logging. */
function enabledLogTypes(cluster: Cluster): Set<string> | undefined {
  const entries = cluster.logging?.clusterLogging;
  if (entries === undefined) return undefined;
  return new Set(entries.filter((entry) => entry.enabled === true).flatMap((entry) => entry.types ?? []));
}

export default defineCheck({
  id: 'eks_cluster_control_plane_logging',
  title: 'EKS cluster sends the required control plane logs to CloudWatch Logs',
  resource: CLUSTER_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices, ASFF_TYPE.fsbp],
  failsWhen:
    'Any control plane log type in requiredLogTypes is not sent to CloudWatch Logs; the reason lists the missing types.',
  risk:
    'Without control plane logs (API and audit in particular) there is no record of who did what in the ' +
    'cluster, so an intrusion or a misuse of credentials can be neither detected nor investigated.',
  remediation: {
    text: 'Enable the missing control plane log types in the cluster logging configuration.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html',
  },
  inputs: [],
  // FSBP EKS.8 judges the audit log alone, CIS 2.1.1 all five types: each is this check's verdict only when
  // requiredLogTypes asks for exactly that (else a FAILED for a missing scheduler log would cite EKS.8, which passes).
  frameworks: [
    cisEks('2.1.1', parameterIs('requiredLogTypes', CONTROL_PLANE_LOG_TYPES)),
    fsbp('EKS.8', parameterIs('requiredLogTypes', ['audit'])),
    eksBestPractice('Detective controls / Enable audit logs', parameterIs('requiredLogTypes', ['audit'])),
  ],
  parameters: {
    requiredLogTypes: stringSetParameter({
      description:
        'The control plane log types that must be enabled (comma-separated). All five (the default): results cite ' +
        'CIS 2.1.1; audit alone: results cite FSBP EKS.8, whose verdict this then is.',
      default: CONTROL_PLANE_LOG_TYPES,
      allowed: CONTROL_PLANE_LOG_TYPES,
    }),
  },
  evaluate({ cluster }, { parameters }) {
    const enabled = enabledLogTypes(cluster);
    if (enabled === undefined) {
      throw new MissingDataError(`Cluster ${cluster.name} reports no logging.clusterLogging.`);
    }
    const missing = parameters.requiredLogTypes.filter((type) => !enabled.has(type));
    const evidence = {
      requiredLogTypes: parameters.requiredLogTypes,
      enabledLogTypes: [...enabled].sort(),
      missingLogTypes: missing,
    };
    if (missing.length > 0) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} does not send the control plane log type(s) ${missing.join(', ')} to CloudWatch Logs; enable them.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `Cluster ${cluster.name} sends the required control plane logs (${parameters.requiredLogTypes.join(', ')}).`,
      evidence,
    };
  },
});
