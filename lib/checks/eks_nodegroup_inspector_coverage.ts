import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, runningNodes } from '../snapshot/node-groups.js';
import type { CoveredResource } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** A node is covered when Inspector scans its packages (the CVE scan) and that scan is ACTIVE. */
const isActivePackageCoverage = (record: CoveredResource) =>
  record.scanType === 'PACKAGE' && record.scanStatus?.statusCode === 'ACTIVE';

/** Why Inspector does not scan a node's packages, in Inspector's words where it gives them. */
function whyNotCovered(records: readonly CoveredResource[]): string {
  const packageRecord = records.find((record) => record.scanType === 'PACKAGE');
  if (packageRecord !== undefined) {
    return (
      packageRecord.scanStatus?.reason ?? `scan status ${packageRecord.scanStatus?.statusCode ?? 'unknown'}`
    );
  }
  return records.length === 0 ? 'no coverage record' : 'no PACKAGE coverage record';
}

export default defineCheck({
  id: 'eks_nodegroup_inspector_coverage',
  title: 'Amazon Inspector scans the packages of every EKS worker node',
  resource: NODE_GROUP_RESOURCE,
  severities: ['HIGH', 'MEDIUM'],
  asffTypes: [ASFF_TYPE.vulnerabilities, ASFF_TYPE.bestPractices],
  failsWhen:
    'Inspector EC2 scanning is not enabled in the account and Region (HIGH), or any running node has no active package scan (MEDIUM).',
  risk:
    'Nodes that Amazon Inspector does not scan can run operating system packages with known, exploitable ' +
    'vulnerabilities that nobody is told about.',
  remediation: {
    text:
      'Activate Amazon Inspector EC2 scanning in the account and Region, and make every node scannable: run the ' +
      'SSM agent with an instance role that allows Systems Manager, or enable agentless (hybrid) scanning, and ' +
      'do not exclude nodes by tag. EKS Auto Mode nodes run no SSM agent: Inspector scans them only in the ' +
      'agentless (hybrid) scan mode.',
    url: 'https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html',
  },
  inputs: ['inspectorAccount', 'inspectorCoverage'],
  frameworks: [eksBestPractice('Infrastructure security / Run Amazon Inspector on hosts')],
  parameters: {},
  evaluate({ snapshot, group }) {
    const label = describeNodeGroup(group);
    const nodes = runningNodes(group);
    if (nodes.length === 0) {
      return { status: 'NOT_APPLICABLE', reason: `${label} has no running nodes to scan.` };
    }

    const account = need(snapshot.inspectorAccount, 'Amazon Inspector account status');
    const ec2Status = account.resourceState?.ec2?.status;
    if (ec2Status === undefined) {
      throw new MissingDataError(
        `Amazon Inspector reports no EC2 scanning status (resourceState.ec2.status) for account ${snapshot.scope.accountId}.`,
      );
    }
    if (ec2Status !== 'ENABLED') {
      return {
        status: 'FAILED',
        severity: 'HIGH',
        reason: `${label}: Amazon Inspector EC2 scanning is ${ec2Status} in account ${snapshot.scope.accountId} and ${snapshot.scope.region}, so none of its ${nodes.length} running node(s) is scanned.`,
        evidence: { ec2ScanningStatus: ec2Status },
      };
    }

    const coverage = need(snapshot.inspectorCoverage, 'Amazon Inspector coverage');
    const uncovered = nodes.flatMap((node) => {
      const records = coverage.filter((record) => record.resourceId === node.InstanceId);
      return records.some(isActivePackageCoverage)
        ? []
        : [{ instanceId: node.InstanceId ?? '(instance without an id)', reason: whyNotCovered(records) }];
    });
    if (uncovered.length === 0) {
      return {
        status: 'PASSED',
        reason: `${label}: Amazon Inspector actively scans the packages of all ${nodes.length} running node(s).`,
        evidence: { ec2ScanningStatus: ec2Status },
      };
    }
    // Auto Mode nodes have no SSM agent (aws-facts: no SSM Session Manager access), so only agentless scanning reaches them.
    const autoModeHint =
      group.kind === 'auto-mode'
        ? ' EKS Auto Mode nodes run no SSM agent: switch Inspector to the agentless (hybrid) scan mode to scan them.'
        : '';
    return {
      status: 'FAILED',
      severity: 'MEDIUM',
      reason: `${label}: Amazon Inspector does not scan the packages of ${uncovered
        .map((node) => `${node.instanceId} (${node.reason})`)
        .join(', ')}.${autoModeHint}`,
      evidence: { ec2ScanningStatus: ec2Status, uncoveredNodes: uncovered },
    };
  },
});
