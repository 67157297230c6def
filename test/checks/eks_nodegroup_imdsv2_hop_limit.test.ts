import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_nodegroup_imdsv2_hop_limit.js';
import type { Instance } from '../../lib/snapshot/types.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  AUTO_SCALING_NODE,
  KARPENTER_NODE,
  LONE_NODE,
  MANAGED_NODE,
  nodeGroupsOfEveryKind,
  RESOURCE_ID,
} from '../support/node-group-security.js';
import {
  aManagedNodegroup,
  anInstance,
  aSnapshot,
  evaluate,
  failedPart,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

const metadata = (
  HttpTokens: 'required' | 'optional' | undefined,
  HttpPutResponseHopLimit: number | undefined,
) =>
  ({
    MetadataOptions: { HttpTokens, HttpPutResponseHopLimit, HttpEndpoint: 'enabled', State: 'applied' },
  }) satisfies Partial<Instance>;

describe('eks_nodegroup_imdsv2_hop_limit', () => {
  it('judges nothing in a cluster without node groups', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it('passes every kind of node group whose nodes require IMDSv2 with hop limit 1', () => {
    // Prepare
    const snapshot = aSnapshot(nodeGroupsOfEveryKind());
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(4);
    for (const id of Object.values(RESOURCE_ID)) {
      expect(resultFor(results, id)).toMatchObject({ status: 'PASSED', severity: 'MEDIUM' });
    }
    expect(resultFor(results, RESOURCE_ID.managed).reason).toContain(
      'all 1 running node(s) require IMDSv2 tokens with a hop limit of 1',
    );
  });

  it('fails a hop limit of 2 (pods are one hop beyond the node) and names the instance', () => {
    // Prepare
    const snapshot = aSnapshot(nodeGroupsOfEveryKind({ karpenterNode: metadata('required', 2) }));
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const karpenter = resultFor(results, RESOURCE_ID.karpenter);
    expect(karpenter).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(karpenter.reason).toContain(`${KARPENTER_NODE} (HttpTokens required, hop limit 2)`);
    expect(karpenter.evidence).toMatchObject({ exposedNodes: [KARPENTER_NODE] });
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  it('fails optional HttpTokens (IMDSv1 allowed) even with hop limit 1', () => {
    // Prepare
    const snapshot = aSnapshot(nodeGroupsOfEveryKind({ autoScalingNode: metadata('optional', 1) }));
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.autoScaling);
    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.reason).toContain(`${AUTO_SCALING_NODE} (HttpTokens optional, hop limit 1)`);
  });

  it('lists only the exposed nodes of a group with several', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [
        anInstance({ InstanceId: MANAGED_NODE }),
        anInstance({ InstanceId: 'i-0aaa0000000000002', ...metadata('optional', 2) }),
        anInstance({ InstanceId: 'i-0aaa0000000000003', ...metadata('required', 3) }),
      ],
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', resourceId: RESOURCE_ID.managed });
    expect(result?.reason).toContain(
      'i-0aaa0000000000002 (HttpTokens optional, hop limit 2), i-0aaa0000000000003 (HttpTokens required, hop limit 3)',
    );
    expect(result?.reason).not.toContain(MANAGED_NODE);
  });

  it('passes a node with the metadata endpoint disabled, even with hop limit 3 and tokens optional', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({
        loneNode: {
          MetadataOptions: {
            HttpEndpoint: 'disabled',
            HttpTokens: 'optional',
            HttpPutResponseHopLimit: 3,
            State: 'applied',
          },
        },
      }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.status).toBe('PASSED');
    expect(result.reason).toBe(
      `Self-managed node ${LONE_NODE}: 1 running node(s) have the instance metadata endpoint disabled, so no ` +
        `credentials are reachable through it (${LONE_NODE}).`,
    );
    expect(result.evidence).toEqual({
      nodes: [{ instanceId: LONE_NODE, httpEndpoint: 'disabled', httpTokens: 'optional', hopLimit: 3 }],
    });
  });

  it('passes a node with the endpoint disabled that reports neither tokens nor hop limit', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({ loneNode: { MetadataOptions: { HttpEndpoint: 'disabled' } } }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.status).toBe('PASSED');
  });

  it('names both kinds of protected node in a group mixing them, and still fails an exposed one', () => {
    // Prepare
    const disabled = {
      InstanceId: 'i-0aaa0000000000002',
      MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'optional', HttpPutResponseHopLimit: 2 },
    } satisfies Partial<Instance>;
    const mixed = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [anInstance({ InstanceId: MANAGED_NODE }), anInstance(disabled)],
    });
    const exposed = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [
        anInstance(disabled),
        anInstance({ InstanceId: 'i-0aaa0000000000003', ...metadata('optional', 1) }),
      ],
    });
    // Act
    const [mixedResult] = evaluate(check, mixed);
    const [exposedResult] = evaluate(check, exposed);
    // Assess
    expect(mixedResult?.status).toBe('PASSED');
    expect(mixedResult?.reason).toBe(
      'Managed node group ng-1: 1 running node(s) require IMDSv2 tokens with a hop limit of 1; 1 running ' +
        'node(s) have the instance metadata endpoint disabled, so no credentials are reachable through it ' +
        '(i-0aaa0000000000002).',
    );
    expect(exposedResult?.status).toBe('FAILED');
    expect(exposedResult?.reason).toContain('i-0aaa0000000000003 (HttpTokens optional, hop limit 1)');
    expect(exposedResult?.reason).not.toContain('i-0aaa0000000000002');
    expect(exposedResult?.evidence).toMatchObject({ exposedNodes: ['i-0aaa0000000000003'] });
  });

  it('judges a node that does not report HttpEndpoint as reachable (EC2 enables the endpoint by default)', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({
        loneNode: { MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1 } },
      }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.status).toBe('FAILED');
  });

  it('is NOT_APPLICABLE to a group without running nodes, whatever its stopped nodes say', () => {
    // Prepare
    const snapshot = aSnapshot(
      nodeGroupsOfEveryKind({ loneNode: { State: STOPPED, ...metadata('optional', 2) } }),
    );
    // Act
    const result = resultFor(evaluate(check, snapshot), RESOURCE_ID.lone);
    // Assess
    expect(result.status).toBe('NOT_APPLICABLE');
    expect(result.reason).toContain(`Self-managed node ${LONE_NODE} has no running nodes`);
  });

  it.each([
    ['MetadataOptions', { MetadataOptions: undefined }],
    ['HttpTokens', metadata(undefined, 1)],
    ['HttpPutResponseHopLimit', metadata('required', undefined)],
  ])('is ERROR naming the instance when %s is absent', (_, overrides) => {
    // Prepare
    const snapshot = aSnapshot(nodeGroupsOfEveryKind({ loneNode: overrides }));
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    const lone = resultFor(results, RESOURCE_ID.lone);
    expect(lone.status).toBe('ERROR');
    expect(lone.reason).toContain(`instance(s) ${LONE_NODE} report no MetadataOptions`);
    expect(resultFor(results, RESOURCE_ID.managed).status).toBe('PASSED');
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        ...nodeGroupsOfEveryKind(),
        nodegroups: failedPart({ operation: 'eks:ListNodegroups', code: 'AccessDeniedException' }),
      }),
    'eks:ListNodegroups failed (AccessDeniedException',
  );
});
