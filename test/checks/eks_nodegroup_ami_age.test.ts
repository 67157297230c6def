import { describe, expect, it } from '@jest/globals';
import check from '../../lib/checks/eks_nodegroup_ami_age.js';
import { resolveParameters } from '../../lib/checks/runner.js';
import { ParameterError } from '../../lib/errors.js';
import { itIsOneErrorWhenNodeGroupsCannotBeDiscovered } from '../support/cluster-check-basics.js';
import {
  aKarpenterInstance,
  aManagedNodegroup,
  anAutoScalingGroup,
  anImage,
  anInstance,
  aSelfManagedInstance,
  aSnapshot,
  autoScalingGroupResourceId,
  beforeNow,
  DAY_MS,
  evaluate,
  failedPart,
  imagesById,
  instanceResourceId,
  nodegroupArn,
  nodePoolResourceId,
  resultFor,
  STOPPED,
} from '../support/snapshot.js';

/** A managed group ng-1 with one running node on an AMI created `ageMs` before NOW. */
const managedGroupOnAmiAged = (ageMs: number) =>
  aSnapshot({
    nodegroups: [aManagedNodegroup()],
    instances: [anInstance()],
    images: imagesById(anImage({ CreationDate: beforeNow(ageMs) })),
  });

describe('eks_nodegroup_ami_age', () => {
  it('yields no result for a cluster without node groups', () => {
    // Prepare
    const snapshot = aSnapshot();
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toEqual([]);
  });

  it('passes a managed group whose AMI is 12 days old, naming the AMI and its age', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [anInstance()],
      images: imagesById(anImage()),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({
      status: 'PASSED',
      severity: 'MEDIUM',
      resourceId: nodegroupArn('ng-1'),
      resourceType: 'Other',
    });
    expect(result?.reason).toBe(
      'Managed node group ng-1 runs AMIs within the 30-day limit; the oldest, ami-0al2023 ' +
        '(amazon-eks-node-al2023-x86_64-standard-1.33-v20261110), created 2026-11-10T00:00:00.000Z, is 12 days old.',
    );
    expect(result?.evidence).toEqual({
      maxAmiAgeDays: 30,
      amis: [
        {
          imageId: 'ami-0al2023',
          name: 'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110',
          createdAt: '2026-11-10T00:00:00.000Z',
          dateSource: 'CreationDate',
          ageDays: 12,
          instanceIds: ['i-0aaa0000000000001'],
        },
      ],
    });
  });

  it('passes an AMI exactly 30 days old', () => {
    // Prepare
    const snapshot = managedGroupOnAmiAged(30 * DAY_MS);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toContain('is 30 days old');
  });

  it.each([
    ['30 days and 1 ms', 30 * DAY_MS + 1, 30],
    ['31 days', 31 * DAY_MS, 31],
  ])('fails an AMI %s old, naming AMI, age, limit and instances', (_, ageMs, days) => {
    // Prepare
    const snapshot = managedGroupOnAmiAged(ageMs);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'MEDIUM', resourceId: nodegroupArn('ng-1') });
    expect(result?.reason).toContain('ami-0al2023 (amazon-eks-node-al2023-x86_64-standard-1.33-v20261110)');
    expect(result?.reason).toContain(`${days} days old, older than the 30-day limit`);
    expect(result?.reason).toContain('replace instances i-0aaa0000000000001');
  });

  it.each([
    ['without a zone (UTC)', '2026-10-23T12:00:00.000', 'PASSED', 30],
    ['with an offset', '2026-10-23T21:00:00.000+09:00', 'PASSED', 30],
    ['with an offset, 1 ms earlier', '2026-10-23T20:59:59.999+09:00', 'FAILED', 30],
    ['as a bare date (start of the UTC day)', '2026-10-23', 'FAILED', 30],
  ])('reads a CreationDate %s at its instant', (_, CreationDate, status, ageDays) => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [anInstance()],
      images: imagesById(anImage({ CreationDate })),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe(status);
    expect(result?.evidence).toMatchObject({ amis: [{ ageDays }] });
  });

  it('passes an AMI created after the scan time, saying so instead of giving a negative age', () => {
    // Prepare
    const snapshot = managedGroupOnAmiAged(-1);
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toBe(
      'Managed node group ng-1 runs only AMIs created after the scan time 2026-11-22T12:00:00.000Z, so none is ' +
        'older than the 30-day limit; the oldest, ami-0al2023 (amazon-eks-node-al2023-x86_64-standard-1.33-v20261110), ' +
        'was created 2026-11-22T12:00:00.001Z.',
    );
    expect(result?.reason).not.toContain('-1 days');
    expect(result?.evidence).toEqual({
      maxAmiAgeDays: 30,
      amis: [
        {
          imageId: 'ami-0al2023',
          name: 'amazon-eks-node-al2023-x86_64-standard-1.33-v20261110',
          createdAt: '2026-11-22T12:00:00.001Z',
          dateSource: 'CreationDate',
          createdAfterScan: true,
          instanceIds: ['i-0aaa0000000000001'],
        },
      ],
    });
  });

  it('fails on the old AMI of a group that also runs one created after the scan time', () => {
    // Prepare
    const snapshot = aSnapshot({
      autoScalingGroups: [anAutoScalingGroup('workers')],
      instances: [
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000001', ImageId: 'ami-0future' }),
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000002', ImageId: 'ami-0stale' }),
      ],
      images: imagesById(
        anImage({ ImageId: 'ami-0future', Name: 'future', CreationDate: beforeNow(-DAY_MS) }),
        anImage({ ImageId: 'ami-0stale', Name: 'stale', CreationDate: beforeNow(45 * DAY_MS) }),
      ),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('ami-0stale (stale), created 2026-10-08T12:00:00.000Z, 45 days old');
    expect(result?.evidence).toMatchObject({
      amis: [
        { imageId: 'ami-0future', createdAfterScan: true },
        { imageId: 'ami-0stale', ageDays: 45 },
      ],
    });
  });

  it('takes maxAmiAgeDays from the parameters', () => {
    // Prepare
    const snapshot = managedGroupOnAmiAged(40 * DAY_MS);
    // Act
    const [byDefault] = evaluate(check, snapshot);
    const [overridden] = evaluate(check, snapshot, { parameters: { maxAmiAgeDays: '45' } });
    // Assess
    expect(byDefault?.status).toBe('FAILED');
    expect(overridden?.status).toBe('PASSED');
    expect(overridden?.reason).toContain('within the 45-day limit');
    expect(overridden?.evidence).toMatchObject({ maxAmiAgeDays: 45 });
  });

  it.each([['abc'], [0], ['3651'], [1.5]])('rejects maxAmiAgeDays=%p', (value) => {
    // Prepare
    const overrides = { maxAmiAgeDays: value };
    // Act
    const resolve = () => resolveParameters(check, overrides);
    // Assess
    expect(resolve).toThrow(ParameterError);
    expect(resolve).toThrow(/maxAmiAgeDays/);
  });

  it('judges the oldest of several AMIs and names only the instances using it', () => {
    // Prepare
    const snapshot = aSnapshot({
      autoScalingGroups: [anAutoScalingGroup('workers')],
      instances: [
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000001', ImageId: 'ami-0fresh' }),
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000002', ImageId: 'ami-0stale' }),
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000003', ImageId: 'ami-0stale' }),
      ],
      images: imagesById(
        anImage({ ImageId: 'ami-0fresh', Name: 'fresh', CreationDate: beforeNow(2 * DAY_MS) }),
        anImage({ ImageId: 'ami-0stale', Name: 'stale', CreationDate: beforeNow(90 * DAY_MS) }),
      ),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({
      status: 'FAILED',
      resourceId: autoScalingGroupResourceId('workers'),
      resourceType: 'AwsAutoScalingAutoScalingGroup',
    });
    expect(result?.reason).toContain('Self-managed Auto Scaling group workers runs AMI ami-0stale (stale)');
    expect(result?.reason).toContain('90 days old');
    expect(result?.reason).toContain('replace instances i-0bbb0000000000002, i-0bbb0000000000003.');
    expect(result?.reason).not.toContain('i-0bbb0000000000001');
  });

  it.each([
    ['an old', '1.31.3-20251112', 'FAILED', '2025-11-12T00:00:00.000Z', 375],
    ['a recent', '1.33.5-20261110', 'PASSED', '2026-11-10T00:00:00.000Z', 12],
  ])(
    'judges a managed group whose AMI is not describable by %s releaseVersion date',
    (_, releaseVersion, status, createdAt, ageDays) => {
      // Prepare
      const snapshot = aSnapshot({
        nodegroups: [aManagedNodegroup({ releaseVersion })],
        instances: [anInstance({ ImageId: 'ami-0deregistered' })],
        images: {},
      });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result?.status).toBe(status);
      expect(result?.reason).toContain(`ami-0deregistered, created ${createdAt} (release date of the group`);
      expect(result?.evidence).toMatchObject({
        amis: [{ imageId: 'ami-0deregistered', createdAt, dateSource: 'releaseVersion', ageDays }],
      });
    },
  );

  it.each([
    ['an impossible date', 'AL2023_x86_64_STANDARD', '1.33.5-20261340'],
    ['no date', 'AL2023_x86_64_STANDARD', '1.33.5'],
    ['an AMI id (CUSTOM)', 'CUSTOM', 'ami-0abc1234'],
    ['a Bottlerocket commit id made of digits', 'BOTTLEROCKET_x86_64', '1.33.5-20261110'],
    ['nothing', 'AL2023_x86_64_STANDARD', undefined],
  ] as const)(
    'is ERROR naming the AMI when it is not describable and the releaseVersion holds %s',
    (_, amiType, releaseVersion) => {
      // Prepare
      const snapshot = aSnapshot({
        nodegroups: [aManagedNodegroup({ amiType, releaseVersion })],
        instances: [anInstance({ ImageId: 'ami-0deregistered' })],
        images: {},
      });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result?.status).toBe('ERROR');
      expect(result?.reason).toContain(
        'AMI ami-0deregistered (used by i-0aaa0000000000001) could not be described',
      );
      expect(result?.reason).toContain('carries no release date');
    },
  );

  it.each([
    [
      'a Karpenter node pool',
      aKarpenterInstance('default', { ImageId: 'ami-0gone' }),
      [] as ReturnType<typeof anAutoScalingGroup>[],
      nodePoolResourceId('default'),
    ],
    [
      'a self-managed Auto Scaling group',
      aSelfManagedInstance({ asg: 'workers', ImageId: 'ami-0gone' }),
      [anAutoScalingGroup('workers')],
      autoScalingGroupResourceId('workers'),
    ],
    [
      'a lone self-managed node',
      aSelfManagedInstance({ ImageId: 'ami-0gone' }),
      [],
      instanceResourceId('i-0bbb0000000000001'),
    ],
  ])(
    'is ERROR naming the AMI when %s runs an AMI that is not describable',
    (_, instance, groups, resourceId) => {
      // Prepare
      const snapshot = aSnapshot({ instances: [instance], autoScalingGroups: groups, images: {} });
      // Act
      const [result] = evaluate(check, snapshot);
      // Assess
      expect(result).toMatchObject({ status: 'ERROR', resourceId });
      expect(result?.reason).toContain('AMI ami-0gone');
      expect(result?.reason).toContain('its age is unknown');
    },
  );

  it.each([
    ['a managed group without nodes', [aManagedNodegroup()], []],
    ['a managed group with only stopped nodes', [aManagedNodegroup()], [anInstance({ State: STOPPED })]],
  ])('is NOT_APPLICABLE for %s', (_, nodegroups, instances) => {
    // Prepare
    const snapshot = aSnapshot({ nodegroups, instances, images: imagesById(anImage()) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('NOT_APPLICABLE');
    expect(result?.reason).toContain('Managed node group ng-1 has no running nodes');
  });

  it('judges every kind of node group in one snapshot, one result each', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [
        aManagedNodegroup({ nodegroupName: 'fresh' }),
        aManagedNodegroup({ nodegroupName: 'idle' }),
      ],
      autoScalingGroups: [anAutoScalingGroup('workers')],
      instances: [
        anInstance({ group: 'fresh', InstanceId: 'i-0aaa0000000000001' }),
        aSelfManagedInstance({ asg: 'workers', InstanceId: 'i-0bbb0000000000001', ImageId: 'ami-0stale' }),
        aKarpenterInstance('default', { ImageId: 'ami-0al2023' }),
        aSelfManagedInstance({ InstanceId: 'i-0bbb0000000000009', ImageId: 'ami-0stale' }),
      ],
      images: imagesById(
        anImage(),
        anImage({ ImageId: 'ami-0stale', CreationDate: beforeNow(200 * DAY_MS) }),
      ),
    });
    // Act
    const results = evaluate(check, snapshot);
    // Assess
    expect(results).toHaveLength(5);
    expect(resultFor(results, nodegroupArn('fresh')).status).toBe('PASSED');
    expect(resultFor(results, nodegroupArn('idle')).status).toBe('NOT_APPLICABLE');
    expect(resultFor(results, autoScalingGroupResourceId('workers')).status).toBe('FAILED');
    expect(resultFor(results, nodePoolResourceId('default')).status).toBe('PASSED');
    expect(resultFor(results, instanceResourceId('i-0bbb0000000000009')).status).toBe('FAILED');
  });

  itIsOneErrorWhenNodeGroupsCannotBeDiscovered(
    check,
    () =>
      aSnapshot({
        instances: [anInstance()],
        nodegroups: failedPart({ operation: 'eks:ListNodegroups', code: 'AccessDeniedException' }),
      }),
    'eks:ListNodegroups failed (AccessDeniedException',
  );

  it('is ERROR, not PASSED, when the AMIs could not be described', () => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [anInstance()],
      images: failedPart({ operation: 'ec2:DescribeImages', code: 'RequestLimitExceeded' }),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: nodegroupArn('ng-1') });
    expect(result?.reason).toContain('ec2:DescribeImages failed (RequestLimitExceeded');
  });

  it.each([
    [
      'an AMI reports no CreationDate',
      anImage({ CreationDate: undefined }),
      anInstance(),
      'no valid CreationDate',
    ],
    [
      'an AMI reports an unreadable CreationDate',
      anImage({ CreationDate: 'yesterday' }),
      anInstance(),
      'yesterday',
    ],
    [
      'an AMI reports an impossible CreationDate',
      anImage({ CreationDate: '2026-02-30T00:00:00.000Z' }),
      anInstance(),
      'no valid CreationDate (2026-02-30T00:00:00.000Z)',
    ],
    ['a node reports no ImageId', anImage(), anInstance({ ImageId: undefined }), 'reports no ImageId'],
  ])('is ERROR when %s', (_, image, instance, expected) => {
    // Prepare
    const snapshot = aSnapshot({
      nodegroups: [aManagedNodegroup()],
      instances: [instance],
      images: imagesById(image),
    });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain(expected);
  });
});
