import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_nodegroup_ssm_managed.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  AUTO_SCALING_NODE,
  KARPENTER_NODE,
  KARPENTER_POOL,
  LONE_NODE,
  MANAGED_NODE,
  nodeGroupsOfEveryKind,
  RESOURCE_ID,
} from '../support/node-group-security.js';
import {
  aKarpenterInstance,
  anAutoModeInstance,
  anInstanceInformation,
  aSnapshot,
  beforeNow,
  evaluate,
  failedPart,
  nodePoolResourceId,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const MINUTE_MS = 60_000;
const ALL_NODES = [MANAGED_NODE, KARPENTER_NODE, AUTO_SCALING_NODE, LONE_NODE];

/** Every kind of node group; every node an Online managed node unless the list is given. */
const managedCluster = (list = ALL_NODES.map((id) => anInstanceInformation(id))) =>
  aSnapshot({ ...nodeGroupsOfEveryKind(), ssmManagedNodes: list });

/** A Karpenter pool of one running node launched `minutes` ago (LaunchTime absent when undefined). */
const youngPool = (minutes: number | undefined, list = [] as ReturnType<typeof anInstanceInformation>[]) =>
  aSnapshot({
    instances: [
      aKarpenterInstance(KARPENTER_POOL, {
        InstanceId: KARPENTER_NODE,
        LaunchTime: minutes === undefined ? undefined : new Date(beforeNow(minutes * MINUTE_MS)),
      }),
    ],
    ssmManagedNodes: list,
  });

describe('eks_nodegroup_ssm_managed', () => {
  it('judges nothing in a cluster without node groups', () => {
    // Act
    const results = evaluate(check, aSnapshot());
    // Assess
    expect(results).toEqual([]);
  });

  it('passes every kind of node group whose running nodes are Online managed nodes', () => {
    // Act
    const results = evaluate(check, managedCluster());
    // Assess
    expect(results).toHaveLength(4);
    for (const id of Object.values(RESOURCE_ID)) {
      expect(resultFor(results, id)).toMatchObject({ status: 'PASSED', severity: 'MEDIUM' });
    }
    expect(resultFor(results, RESOURCE_ID.karpenter).reason).toBe(
      `Karpenter node pool ${KARPENTER_POOL}: 1 running node(s) are Online Systems Manager managed nodes.`,
    );
  });

  it('fails a node missing from the managed-node list and one whose PingStatus is not Online, saying why', () => {
    // Prepare
    const snapshot = managedCluster([
      anInstanceInformation(MANAGED_NODE, { PingStatus: 'ConnectionLost' }),
      anInstanceInformation(AUTO_SCALING_NODE, { PingStatus: 'Inactive' }),
      anInstanceInformation(LONE_NODE),
    ]);
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.managed)).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(resultFor(results, RESOURCE_ID.managed).reason).toContain(
      `${MANAGED_NODE} (PingStatus ConnectionLost)`,
    );
    expect(resultFor(results, RESOURCE_ID.autoScaling).reason).toContain(
      `${AUTO_SCALING_NODE} (PingStatus Inactive)`,
    );
    expect(resultFor(results, RESOURCE_ID.karpenter).reason).toContain(
      `${KARPENTER_NODE} (not registered with Systems Manager)`,
    );
    expect(resultFor(results, RESOURCE_ID.karpenter).evidence).toMatchObject({
      unmanagedNodes: [{ instanceId: KARPENTER_NODE, reason: 'not registered with Systems Manager' }],
    });
    expect(resultFor(results, RESOURCE_ID.lone).status).toBe('PASSED');
  });

  it('lists every unreachable node of a group with several, and only those', () => {
    // Prepare
    const second = 'i-0ccc0000000000002';
    const third = 'i-0ccc0000000000003';
    const snapshot = aSnapshot({
      instances: [KARPENTER_NODE, second, third].map((InstanceId) =>
        aKarpenterInstance(KARPENTER_POOL, { InstanceId }),
      ),
      ssmManagedNodes: [anInstanceInformation(KARPENTER_NODE)],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain(
      `${second} (not registered with Systems Manager), ${third} (not registered with Systems Manager)`,
    );
    expect(result?.reason).not.toContain(`${KARPENTER_NODE} (`);
  });

  it('is not applicable to a group without running nodes, stopped ones included', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ managedNode: { State: STOPPED } }),
      ssmManagedNodes: [],
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.managed)).toMatchObject({ status: 'NOT_APPLICABLE' });
    expect(resultFor(results, RESOURCE_ID.managed).reason).toContain('has no running nodes');
  });

  it('is not applicable to an EKS Auto Mode pool, which allows no SSM access by design', () => {
    // Prepare
    const snapshot = aSnapshot({ instances: [anAutoModeInstance('general-purpose')], ssmManagedNodes: [] });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, nodePoolResourceId('general-purpose'))).toMatchObject({
      status: 'NOT_APPLICABLE',
    });
    expect(results[0]?.reason).toContain('EKS Auto Mode nodes allow no Systems Manager');
  });

  describe('the grace for new nodes', () => {
    it.each([
      ['exactly the grace old', 15, 'NOT_APPLICABLE'],
      ['younger than the grace', 3, 'NOT_APPLICABLE'],
      ['one minute past the grace', 16, 'FAILED'],
    ])('an unregistered node %s (%i minutes old) is %s', (_, minutes, status) => {
      // Act
      const [result] = evaluate(check, youngPool(minutes));
      // Assess
      expect(result?.status).toBe(status);
    });

    it('follows the ssmGraceMinutes parameter', () => {
      // Act
      const [result] = evaluate(check, youngPool(16), { parameters: { ssmGraceMinutes: 30 } });
      // Assess
      expect(result?.status).toBe('NOT_APPLICABLE');
      expect(result?.reason).toContain('launched within the last 30 minutes');
    });

    it('passes a young node that is already Online', () => {
      // Act
      const [result] = evaluate(check, youngPool(2, [anInstanceInformation(KARPENTER_NODE)]));
      // Assess
      expect(result?.status).toBe('PASSED');
    });

    it('names a young node still within the grace beside the failing ones', () => {
      // Prepare
      const young = 'i-0ccc0000000000002';
      const snapshot = aSnapshot({
        instances: [
          aKarpenterInstance(KARPENTER_POOL, { InstanceId: KARPENTER_NODE }),
          aKarpenterInstance(KARPENTER_POOL, {
            InstanceId: young,
            LaunchTime: new Date(beforeNow(5 * MINUTE_MS)),
          }),
        ],
        ssmManagedNodes: [],
      });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result?.status).toBe('FAILED');
      expect(result?.reason).toContain(`${young} launched within the last 15 minutes`);
      expect(result?.evidence).toMatchObject({ nodesWithinGrace: [young] });
    });

    it('is an ERROR for an unreachable node without a LaunchTime: whether it is excused is unknown', () => {
      // Act
      const [result] = evaluate(check, youngPool(undefined));
      // Assess
      expect(result?.status).toBe('ERROR');
      expect(result?.reason).toContain(`${KARPENTER_NODE} is not registered with Systems Manager`);
      expect(result?.reason).toContain('no valid LaunchTime');
    });

    it('passes an Online node without a LaunchTime: its age does not matter', () => {
      // Act
      const [result] = evaluate(check, youngPool(undefined, [anInstanceInformation(KARPENTER_NODE)]));
      // Assess
      expect(result?.status).toBe('PASSED');
    });
  });

  it('is an ERROR on every group with running nodes when the SSM listing failed', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind(),
      ssmManagedNodes: failedPart({
        operation: 'ssm:DescribeInstanceInformation',
        code: 'AccessDeniedException',
      }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(result.status).toBe('ERROR');
      expect(result.reason).toContain('ssm:DescribeInstanceInformation failed (AccessDeniedException');
    }
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        ...nodeGroupsOfEveryKind(),
        instances: failedPart({ operation: 'ec2:DescribeInstances', code: 'UnauthorizedOperation' }),
      }),
    'ec2:DescribeInstances failed (UnauthorizedOperation',
  );
});
