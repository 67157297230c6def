import { describe, expect, it } from '@jest/globals';
import { parseSuppressions, resourceTags, suppressionOf } from '../../lib/publish/suppressions.js';
import { InputError } from '../../lib/validation.js';
import {
  aCluster,
  aClusterResult,
  aFargateProfile,
  aKarpenterInstance,
  aManagedNodegroup,
  anAutoScalingGroup,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  autoScalingGroupResourceId,
  CLUSTER_ARN,
  failedPart,
  instanceResourceId,
  NOW,
  nodegroupArn,
  nodePoolResourceId,
} from '../support/snapshot.js';

const KNOWN = ['eks_cluster_endpoint_not_public', 'eks_nodegroup_no_ssh_access'];

const SUPPRESS = { Key: 'eks-scan:suppress', Value: 'all' };

describe('parseSuppressions', () => {
  it('accepts rules with a check id or *, an ARN pattern, a reason and an optional expiry', () => {
    // Act
    const rules = parseSuppressions(
      [
        { checkId: '*', resource: 'arn:aws:eks:*:222222222222:cluster/sandbox-*', reason: 'Sandbox.' },
        {
          checkId: 'eks_nodegroup_no_ssh_access',
          resource: '*',
          reason: 'Break glass.',
          expires: '2027-01-31',
        },
      ],
      KNOWN,
    );
    // Assess
    expect(rules).toEqual([
      { checkId: '*', resource: 'arn:aws:eks:*:222222222222:cluster/sandbox-*', reason: 'Sandbox.' },
      {
        checkId: 'eks_nodegroup_no_ssh_access',
        resource: '*',
        reason: 'Break glass.',
        expires: new Date('2027-01-31T00:00:00Z'),
      },
    ]);
  });

  it.each([
    ['a time with an offset', '2027-01-31T09:00:00+09:00', '2027-01-31T00:00:00.000Z'],
    ['a bare date, the start of that UTC day', '2027-01-31', '2027-01-31T00:00:00.000Z'],
  ])('reads an expiry given as %s', (_, expires, instant) => {
    // Act
    const [rule] = parseSuppressions([{ checkId: '*', resource: '*', reason: 'r', expires }], KNOWN);
    // Assess
    expect(rule?.expires?.toISOString()).toBe(instant);
  });

  it.each([
    ['an impossible date', '2027-02-29', 'February 2027 has 28 days'],
    ['a time without a zone', '2027-01-31T12:00:00', 'states no zone'],
    ['a word', 'soon', 'is not an ISO-8601 time'],
  ])('names the expiry when it is %s', (_, expires, problem) => {
    // Act
    const parse = () => parseSuppressions([{ checkId: '*', resource: '*', reason: 'r', expires }], KNOWN);
    // Assess
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(/\[0\]\.expires: expected an ISO-8601 date such as 2027-01-31/);
    expect(parse).toThrow(problem);
  });

  it('names every bad field with its path', () => {
    // Act
    let caught: unknown;
    try {
      parseSuppressions(
        [
          { checkId: 'eks_typo', resource: 'x', reason: '' },
          { resource: 'x', reason: 'r', until: 'later' },
        ],
        KNOWN,
        'suppressions.json',
      );
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).problems).toEqual([
      {
        path: '[0].checkId',
        message: 'expected "*" or a check id such as eks_cluster_endpoint_not_public, got "eks_typo"',
      },
      { path: '[0].reason', message: 'must not be empty' },
      { path: '[1].checkId', message: 'required' },
      { path: '[1].until', message: 'unknown key "until"' },
    ]);
    expect((caught as InputError).message).toContain('Invalid suppressions.json (4 problems)');
  });

  it('refuses a list that is not a list', () => {
    // Act
    const parse = () => parseSuppressions({ suppressions: [] }, KNOWN);
    // Assess
    expect(parse).toThrow('(root): expected array, got {"suppressions":[]}');
  });
});

describe('suppressionOf', () => {
  it('suppresses by the resource tag naming the check or all, and not other checks', () => {
    // Act
    const byName = suppressionOf(
      aClusterResult(),
      { 'eks-scan:suppress': 'eks_x, eks_cluster_endpoint_not_public' },
      [],
      NOW,
    );
    const byAll = suppressionOf(aClusterResult(), { 'eks-scan:suppress': 'all' }, [], NOW);
    const other = suppressionOf(
      aClusterResult(),
      { 'eks-scan:suppress': 'eks_nodegroup_no_ssh_access' },
      [],
      NOW,
    );
    // Assess
    expect(byName?.reason).toBe(
      'Suppressed by the resource tag eks-scan:suppress=eks_x, eks_cluster_endpoint_not_public.',
    );
    expect(byAll?.reason).toBe('Suppressed by the resource tag eks-scan:suppress=all.');
    expect(other).toBeUndefined();
  });

  it.each([
    ['an exact ARN', CLUSTER_ARN, true],
    ['a pattern', 'arn:aws:eks:*:222222222222:cluster/pay*', true],
    ['a pattern for another account', 'arn:aws:eks:*:333333333333:cluster/*', false],
    [
      'a pattern with regex characters taken literally',
      'arn:aws:eks:eu-west-1:222222222222:cluster/pay.ents',
      false,
    ],
  ])('matches a rule with %s: %s -> %s', (_, resource, suppressed) => {
    // Act
    const suppression = suppressionOf(
      aClusterResult(),
      {},
      [{ checkId: '*', resource, reason: 'Accepted.' }],
      NOW,
    );
    // Assess
    expect(suppression !== undefined).toBe(suppressed);
  });

  it('applies a rule until it expires, and names the expiry', () => {
    // Prepare
    const rule = (expires: string) => ({
      checkId: '*',
      resource: '*',
      reason: 'Until the migration.',
      expires: new Date(expires),
    });
    // Act
    const live = suppressionOf(aClusterResult(), {}, [rule('2026-11-22T12:00:01Z')], NOW);
    const expired = suppressionOf(aClusterResult(), {}, [rule('2026-11-22T12:00:00Z')], NOW);
    // Assess
    expect(live?.reason).toBe('Suppressed (until 2026-11-22T12:00:01.000Z): Until the migration.');
    expect(expired).toBeUndefined();
  });
});

describe('resourceTags', () => {
  it('reads the tags of the cluster, a managed group, an Auto Scaling group, a lone node and a Fargate profile', () => {
    // Prepare
    const snapshot = aSnapshot({
      cluster: aCluster({ tags: { team: 'payments' } }),
      nodegroups: [aManagedNodegroup({ nodegroupName: 'ng-1', tags: { tier: 'managed' } })],
      autoScalingGroups: [anAutoScalingGroup('workers', { Tags: [{ Key: 'tier', Value: 'asg' }] })],
      instances: [
        anInstance({ group: 'ng-1' }),
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-asg' }),
        anInstance({
          InstanceId: 'i-lone',
          Tags: [{ Key: 'aws:eks:cluster-name', Value: 'payments' }, SUPPRESS],
        }),
      ],
      fargateProfiles: [aFargateProfile('batch', { tags: { tier: 'fargate' } })],
    });
    const tagsOf = (resourceId: string) => resourceTags(aClusterResult({ resourceId }), snapshot);
    // Act
    const tags = [
      tagsOf(CLUSTER_ARN),
      tagsOf(nodegroupArn('ng-1')),
      tagsOf(autoScalingGroupResourceId('workers')),
      tagsOf(instanceResourceId('i-lone'))['eks-scan:suppress'],
      tagsOf(aFargateProfile('batch').fargateProfileArn ?? ''),
    ];
    // Assess
    expect(tags).toEqual([
      { team: 'payments' },
      { tier: 'managed' },
      { tier: 'asg' },
      'all',
      { tier: 'fargate' },
    ]);
  });

  it('takes for a Karpenter pool only the tags every running node carries', () => {
    // Prepare
    const snapshot = aSnapshot({
      instances: [
        aKarpenterInstance('general', {
          InstanceId: 'i-1',
          Tags: [...(aKarpenterInstance('general').Tags ?? []), SUPPRESS],
        }),
        aKarpenterInstance('general', { InstanceId: 'i-2' }),
      ],
    });
    // Act
    const tags = resourceTags(aClusterResult({ resourceId: nodePoolResourceId('general') }), snapshot);
    // Assess
    expect(tags['karpenter.sh/nodepool']).toBe('general');
    expect(tags['eks-scan:suppress']).toBeUndefined();
  });

  it('has no tags when the data was not collected or there is no snapshot', () => {
    // Act
    const failed = resourceTags(
      aClusterResult(),
      aSnapshot({ cluster: failedPart(), instances: failedPart() }),
    );
    const none = resourceTags(aClusterResult(), undefined);
    // Assess
    expect([failed, none]).toEqual([{}, {}]);
  });
});
