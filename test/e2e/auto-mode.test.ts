/**
 * End to end through the emulator with the demo estate (real SDK clients): management eu-west-1 hides
 * EC2 managed resources, so the Auto Mode cluster platform-auto shows its node pool only because every
 * collector listing asks for managed resources. Without the flag EC2 lists none of its nodes, and a
 * collection whose EC2 client strips the flag loses the pool.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from '@jest/globals';
import { parseEstate } from '../../emulator/estate.js';
import { CHECKS } from '../../lib/checks/registry.js';
import { inputsOf, runChecks } from '../../lib/checks/runner.js';
import { collectRegion } from '../../lib/collect/collector.js';
import { useEmulator } from '../support/emulator.js';

const DEMO_ESTATE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'demo-estate.json');
const MANAGEMENT = '111111111111';
const REGION = 'eu-west-1';
const POOL_ID = `arn:aws:eks:${REGION}:${MANAGEMENT}:cluster/platform-auto/nodepool/general-purpose`;
const NOW = new Date('2026-11-22T12:00:00Z');

describe('the demo’s Auto Mode cluster in a Region that hides managed resources', () => {
  const running = useEmulator(() => ({
    estate: parseEstate(JSON.parse(readFileSync(DEMO_ESTATE, 'utf8'))),
  }));
  const ec2Client = () =>
    new EC2Client({
      region: REGION,
      endpoint: running().endpoint,
      credentials: running().credentials,
      maxAttempts: 1,
    });
  const autoModeNodeIds = async (ec2: EC2Client, IncludeManagedResources?: boolean) => {
    const { Reservations = [] } = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [{ Name: 'tag:eks:eks-cluster-name', Values: ['platform-auto'] }],
        IncludeManagedResources,
      }),
    );
    return Reservations.flatMap((reservation) => reservation.Instances ?? []).map((node) => node.InstanceId);
  };
  const scanManagementRegion = async (ec2?: EC2Client) => {
    const collection = await collectRegion(
      {
        partition: 'aws',
        accountId: MANAGEMENT,
        region: REGION,
        endpoint: running().endpoint,
        credentials: running().credentials,
        clusterNames: ['platform-auto'],
      },
      { inputs: new Set(CHECKS.flatMap(inputsOf)), clients: ec2 === undefined ? {} : { ec2 } },
    );
    return runChecks(CHECKS, collection.snapshots, { now: NOW });
  };

  it('EC2 lists the Auto Mode nodes only to a request that asks for managed resources', async () => {
    // Act
    const without = await autoModeNodeIds(ec2Client());
    const asked = await autoModeNodeIds(ec2Client(), true);
    // Assess
    expect(without).toEqual([]);
    expect(asked).toEqual(['i-0a5e7c3b9d1f20481', 'i-0a5e7c3b9d1f20482']);
  });

  it('the scan sees the Auto Mode pool and judges it as checks.md says', async () => {
    // Act
    const results = await scanManagementRegion();
    // Assess
    const pool = results.filter((result) => result.resourceId === POOL_ID);
    expect(Object.fromEntries(pool.map((result) => [result.checkId, result.status]))).toEqual({
      eks_nodegroup_container_optimized_os: 'NOT_APPLICABLE',
      eks_nodegroup_ami_age: 'NOT_APPLICABLE',
      eks_nodegroup_ami_latest_release: 'NOT_APPLICABLE',
      eks_nodegroup_no_ssh_access: 'NOT_APPLICABLE',
      eks_nodegroup_private_subnets: 'PASSED',
      eks_nodegroup_imdsv2_hop_limit: 'PASSED',
      eks_nodegroup_inspector_coverage: 'PASSED',
      // No SSM by design, no version to read from an AWS-chosen AMI, and the demo's nodes map no volume.
      eks_nodegroup_ssm_managed: 'NOT_APPLICABLE',
      eks_nodegroup_version_skew: 'NOT_APPLICABLE',
      eks_nodegroup_volumes_encrypted: 'NOT_APPLICABLE',
    });
    for (const result of pool) expect(result.evidence.managedBy).toBe('AWS (EKS Auto Mode)');
  });

  it('a collection whose EC2 listings drop the flag loses the pool', async () => {
    // Prepare: the same client, with IncludeManagedResources removed from every request it sends.
    const stripping = ec2Client();
    stripping.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { IncludeManagedResources?: boolean };
        delete input.IncludeManagedResources;
        return next(args);
      },
      { step: 'initialize', name: 'stripIncludeManagedResources' },
    );
    // Act
    const results = await scanManagementRegion(stripping);
    // Assess
    expect(results.filter((result) => result.resourceId === POOL_ID)).toEqual([]);
    expect(results.filter((result) => result.nodeGroup !== undefined)).toEqual([]);
  });
});
