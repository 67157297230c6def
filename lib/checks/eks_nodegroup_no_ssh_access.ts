import { MissingDataError, need } from '../snapshot/missing-data.js';
import { describeNodeGroup, runningNodes } from '../snapshot/node-groups.js';
import {
  describeLaunchTemplate,
  launchTemplateOf,
  resolveLaunchTemplateVersion,
} from '../snapshot/references.js';
import { ASFF_TYPE } from './asff-types.js';
import { notApplicableToAutoMode } from './compute.js';
import { eksBestPractice } from './frameworks.js';
import { NODE_GROUP_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/**
 * A key pair name as AWS reports it: absent means none; an empty string or another type names no key
 * pair and is not taken for "none" either.
 */
function keyPairName(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new MissingDataError(
      `${where} reports key pair ${JSON.stringify(value)}, which names no key pair.`,
    );
  }
  return value;
}

interface SshFinding {
  readonly severity: 'HIGH' | 'MEDIUM';
  readonly text: string;
}

export default defineCheck({
  id: 'eks_nodegroup_no_ssh_access',
  title: 'EKS worker nodes are not configured for SSH access with a key pair',
  resource: NODE_GROUP_RESOURCE,
  severities: ['HIGH', 'MEDIUM'],
  asffTypes: [ASFF_TYPE.bestPractices, ASFF_TYPE.networkReachability],
  failsWhen:
    'Remote access has an SSH key (HIGH when no source security group limits port 22), or its launch template or running nodes carry a key pair (MEDIUM).',
  risk:
    'An SSH key pair on worker nodes gives whoever holds the key a root shell on hosts that run every pod and ' +
    'hold the node role credentials; with managed remote access and no source security group, port 22 is open ' +
    'to the whole internet.',
  remediation: {
    text:
      'Reach nodes through SSM Session Manager instead of SSH: remove the key pair from the launch template (and ' +
      'recreate managed node groups created with remote access, which cannot be changed in place), then replace ' +
      'the running nodes.',
    url: 'https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html',
  },
  inputs: ['launchTemplateVersions'],
  frameworks: [eksBestPractice('Infrastructure security / Minimize access to worker nodes')],
  parameters: {},
  evaluate({ snapshot, group }) {
    const awsManaged = notApplicableToAutoMode(group, 'SSH access');
    if (awsManaged !== undefined) return awsManaged;
    const label = describeNodeGroup(group);
    const findings: SshFinding[] = [];
    /** What was inspected and found clean, for the PASSED reason. */
    const clean: string[] = [];
    const evidence: Record<string, unknown> = {};

    if (group.kind === 'managed') {
      const remoteAccess = group.nodegroup.remoteAccess;
      const sshKey = keyPairName(remoteAccess?.ec2SshKey, `${label} remoteAccess.ec2SshKey`);
      if (sshKey !== undefined) {
        const sourceSecurityGroups = remoteAccess?.sourceSecurityGroups ?? [];
        evidence.remoteAccess = { ec2SshKey: sshKey, sourceSecurityGroups };
        findings.push(
          sourceSecurityGroups.length === 0
            ? {
                severity: 'HIGH',
                text: `remote access uses key pair "${sshKey}" with no source security group, so port 22 is open to 0.0.0.0/0`,
              }
            : {
                severity: 'MEDIUM',
                text: `remote access uses key pair "${sshKey}" for SSH from security groups ${sourceSecurityGroups.join(', ')}`,
              },
        );
      } else {
        clean.push('no remote access key pair');
      }
    }

    const reference = launchTemplateOf(group);
    if (reference !== undefined) {
      const version = resolveLaunchTemplateVersion(
        reference,
        need(snapshot.launchTemplateVersions, 'Launch template versions'),
      );
      const template = `launch template ${describeLaunchTemplate(reference)} version ${version.VersionNumber}`;
      const keyName = keyPairName(version.LaunchTemplateData?.KeyName, template);
      evidence.launchTemplate = { ...reference, versionNumber: version.VersionNumber, keyName };
      if (keyName !== undefined)
        findings.push({ severity: 'MEDIUM', text: `${template} sets key pair "${keyName}"` });
      else clean.push(`no key pair in ${template}`);
    }

    const nodes = runningNodes(group);
    const nodesWithKey = nodes.flatMap((node) => {
      const keyName = keyPairName(node.KeyName, `Running node ${node.InstanceId}`);
      return keyName === undefined ? [] : [{ instanceId: node.InstanceId, keyName }];
    });
    if (nodesWithKey.length > 0) {
      evidence.nodesWithKeyName = nodesWithKey;
      findings.push({
        severity: 'MEDIUM',
        text: `running nodes were launched with a key pair: ${nodesWithKey
          .map((node) => `${node.instanceId} ("${node.keyName}")`)
          .join(', ')}`,
      });
    } else {
      clean.push(`no key pair on its ${nodes.length} running node(s)`);
    }

    if (findings.length === 0) {
      return { status: 'PASSED', reason: `${label} has ${clean.join(', ')}.`, evidence };
    }
    return {
      status: 'FAILED',
      severity: findings.some((finding) => finding.severity === 'HIGH') ? 'HIGH' : 'MEDIUM',
      reason: `${label} allows SSH to its nodes: ${findings.map((finding) => finding.text).join('; ')}.`,
      evidence,
    };
  },
});
