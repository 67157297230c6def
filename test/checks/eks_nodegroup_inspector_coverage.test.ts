import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_nodegroup_inspector_coverage.js';
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
  aCoverage,
  aKarpenterInstance,
  anInspectorAccount,
  aSnapshot,
  evaluate,
  failedPart,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const ALL_NODES = [MANAGED_NODE, KARPENTER_NODE, AUTO_SCALING_NODE, LONE_NODE];

/** Every kind of node group, each node actively scanned unless its coverage is given. */
const coveredCluster = (coverage = ALL_NODES.map((id) => aCoverage(id))) =>
  aSnapshot({ ...nodeGroupsOfEveryKind(), inspectorCoverage: coverage });

describe('eks_nodegroup_inspector_coverage', () => {
  it('judges nothing in a cluster without node groups', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it('passes every kind of node group whose nodes have an active package scan', () => {
    // Prepare
    const snapshot = coveredCluster();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    for (const id of Object.values(RESOURCE_ID)) {
      expect(resultFor(results, id)).toMatchObject({ status: 'PASSED', severity: 'HIGH' });
    }
    expect(resultFor(results, RESOURCE_ID.karpenter).reason).toContain(
      `Karpenter node pool ${KARPENTER_POOL}: Amazon Inspector actively scans the packages of all 1 running node(s)`,
    );
  });

  it.each([['DISABLED'], ['ENABLING'], ['SUSPENDED']])(
    'fails every group at HIGH when EC2 scanning is %s in the account',
    (status) => {
      // Prepare
      const snapshot = aSnapshot({
        ...nodeGroupsOfEveryKind(),
        inspectorAccount: anInspectorAccount(status),
      });
      // Act
      const results = evaluate(check, snapshot);
      // Assess
      expect(results).toHaveLength(4);
      for (const result of results) {
        expect(result).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
        expect(result.reason).toContain(`Amazon Inspector EC2 scanning is ${status}`);
      }
    },
  );

  it("fails at MEDIUM a node Inspector does not manage, with Inspector's reason", () => {
    // Prepare
    const snapshot = coveredCluster([
      aCoverage(MANAGED_NODE),
      aCoverage(KARPENTER_NODE, { scanStatus: { statusCode: 'INACTIVE', reason: 'UNMANAGED_EC2_INSTANCE' } }),
      aCoverage(AUTO_SCALING_NODE),
      aCoverage(LONE_NODE),
    ]);
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const karpenter = resultFor(results, RESOURCE_ID.karpenter);
    expect(karpenter).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(karpenter.reason).toContain(`${KARPENTER_NODE} (UNMANAGED_EC2_INSTANCE)`);
    expect(karpenter.evidence).toMatchObject({
      uncoveredNodes: [{ instanceId: KARPENTER_NODE, reason: 'UNMANAGED_EC2_INSTANCE' }],
    });
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it('fails a node with no coverage record, or only a network reachability one', () => {
    // Prepare
    const snapshot = coveredCluster([
      aCoverage(MANAGED_NODE),
      aCoverage(KARPENTER_NODE),
      aCoverage(AUTO_SCALING_NODE, { scanType: 'NETWORK' }),
    ]);
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.autoScaling).reason).toContain(
      `${AUTO_SCALING_NODE} (no PACKAGE coverage record)`,
    );
    expect(resultFor(results, RESOURCE_ID.lone)).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(resultFor(results, RESOURCE_ID.lone).reason).toContain(`${LONE_NODE} (no coverage record)`);
  });

  it('lists only the uncovered nodes of a group with several', () => {
    // Prepare
    const second = 'i-0ccc0000000000002';
    const third = 'i-0ccc0000000000003';
    const snapshot = aSnapshot({
      instances: [
        aKarpenterInstance(KARPENTER_POOL, { InstanceId: KARPENTER_NODE }),
        aKarpenterInstance(KARPENTER_POOL, { InstanceId: second }),
        aKarpenterInstance(KARPENTER_POOL, { InstanceId: third }),
      ],
      inspectorCoverage: [
        aCoverage(KARPENTER_NODE),
        aCoverage(second, { scanStatus: { statusCode: 'INACTIVE', reason: 'STALE_INVENTORY' } }),
      ],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM', resourceId: RESOURCE_ID.karpenter });
    expect(result?.reason).toContain(`${second} (STALE_INVENTORY), ${third} (no coverage record)`);
    expect(result?.reason).not.toContain(`${KARPENTER_NODE} (`);
  });

  it('is NOT_APPLICABLE to a group without running nodes, before reading Inspector data', () => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind({ loneNode: { State: STOPPED } }),
      inspectorAccount: failedPart({
        operation: 'inspector2:BatchGetAccountStatus',
        code: 'AccessDeniedException',
      }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(resultFor(results, RESOURCE_ID.lone).status).toBe('NOT_APPLICABLE');
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('ERROR');
  });

  it.each([
    ['inspectorAccount', 'inspector2:BatchGetAccountStatus'],
    ['inspectorCoverage', 'inspector2:ListCoverage'],
  ])('is ERROR for every group with running nodes when %s failed', (part, operation) => {
    // Prepare
    const snapshot = aSnapshot({
      ...nodeGroupsOfEveryKind(),
      [part]: failedPart({ operation, code: 'AccessDeniedException' }),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(result.status).toBe('ERROR');
      expect(result.reason).toContain(`${operation} failed (AccessDeniedException`);
    }
  });

  it.each([
    ['resourceState is absent', { ...anInspectorAccount(), resourceState: undefined }],
    [
      'the EC2 status is absent',
      { ...anInspectorAccount(), resourceState: { ec2: undefined, ecr: undefined } },
    ],
  ])('is ERROR when %s', (_, account) => {
    // Prepare
    const snapshot = aSnapshot({ ...nodeGroupsOfEveryKind(), inspectorAccount: account });
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.managed);
    // Assess
    expect(result.status).toBe('ERROR');
    expect(result.reason).toContain('reports no EC2 scanning status');
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
