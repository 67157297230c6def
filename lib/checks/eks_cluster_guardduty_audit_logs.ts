import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { enabledDetector, featureStatus } from './guardduty.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

const AUDIT_LOGS = 'EKS_AUDIT_LOGS';

export default defineCheck({
  id: 'eks_cluster_guardduty_audit_logs',
  title: "GuardDuty watches the EKS cluster's Kubernetes audit logs",
  resource: CLUSTER_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen:
    "GuardDuty has no enabled detector in the cluster's account and Region, or its EKS_AUDIT_LOGS feature (EKS Protection) is not ENABLED.",
  risk:
    'Without GuardDuty EKS Protection nobody is told when the Kubernetes API is used the way attackers use it ' +
    '(anonymous access, privileged pods, credential access, known malicious callers).',
  remediation: {
    text: 'Enable GuardDuty in the account and Region and turn on EKS Protection (the EKS_AUDIT_LOGS feature) on its detector.',
    url: 'https://docs.aws.amazon.com/guardduty/latest/ug/kubernetes-protection.html',
  },
  inputs: ['guardDutyDetector'],
  frameworks: [eksBestPractice('Detective controls / Auditing and forensics')],
  parameters: {},
  evaluate({ snapshot, cluster }) {
    const enabled = enabledDetector(snapshot);
    if ('problem' in enabled) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name}: ${enabled.problem}, so its Kubernetes audit logs are not monitored.`,
        evidence: enabled.evidence,
      };
    }
    const { detector } = enabled;
    const status = featureStatus(detector, AUDIT_LOGS);
    const evidence = { detectorId: detector.DetectorId, eksAuditLogs: status ?? null };
    if (status !== 'ENABLED') {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name}: GuardDuty's detector ${detector.DetectorId} has ${AUDIT_LOGS} ${status ?? 'not configured'}, so its Kubernetes audit logs are not monitored.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `Cluster ${cluster.name}: GuardDuty's detector ${detector.DetectorId} monitors its Kubernetes audit logs (${AUDIT_LOGS} ENABLED).`,
      evidence,
    };
  },
});
