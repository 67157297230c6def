import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compareAddonVersions, parseAddonVersion } from '../../lib/checks/addon-versions.js';
import check from '../../lib/checks/eks_cluster_addons_current.js';
import { runChecks } from '../../lib/checks/runner.js';
import { collected } from '../../lib/snapshot/types.js';
import {
  aDeniedClusterSnapshot,
  anAddon,
  anAddonInfo,
  aSnapshot,
  CLUSTER_ARN,
  evaluate,
  failedPart,
  NOW,
} from '../support/snapshot.js';

const VPC_CNI = anAddonInfo(
  'vpc-cni',
  ['v1.20.4-eksbuild.2', 'v1.19.10-eksbuild.1', 'v1.9.0-eksbuild.3'],
  'v1.19.10-eksbuild.1',
);
const COREDNS = anAddonInfo('coredns', ['v1.11.4-eksbuild.10', 'v1.11.4-eksbuild.9'], 'v1.11.4-eksbuild.10');

const installed = (...addons: ReturnType<typeof anAddon>[]) =>
  aSnapshot({ addons, addonVersions: { '1.33': [VPC_CNI, COREDNS] } });

const parsed = (text: string) => {
  const version = parseAddonVersion(text);
  if (version === undefined) throw new Error(`${text} does not parse`);
  return version;
};

describe('eks_cluster_addons_current', () => {
  it('has no results without clusters', () => {
    // Act
    const results = runChecks([check], [], { now: NOW });
    // Assess
    expect(results).toEqual([]);
  });

  it('is not applicable to a cluster without add-ons', () => {
    // Act
    const [result] = evaluate(check, aSnapshot({ addons: [], addonVersions: {} }));
    // Assess
    expect(result).toMatchObject({ status: 'NOT_APPLICABLE', resourceId: CLUSTER_ARN });
  });

  it('passes add-ons at the default version and above it', () => {
    // Prepare
    const snapshot = installed(
      anAddon({ addonVersion: 'v1.20.4-eksbuild.2' }),
      anAddon({ addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.10' }),
    );
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('PASSED');
    expect(result?.reason).toBe(
      'The add-ons of cluster payments (Kubernetes 1.33) are at or above the default version: vpc-cni (installed v1.20.4-eksbuild.2, default v1.19.10-eksbuild.1, latest compatible v1.20.4-eksbuild.2); coredns (installed v1.11.4-eksbuild.10, default v1.11.4-eksbuild.10, latest compatible v1.11.4-eksbuild.10).',
    );
  });

  it('fails an add-on older than the default by number, where text order says otherwise (1.9 < 1.19, build 9 < 10)', () => {
    // Prepare
    const snapshot = installed(
      anAddon({ addonVersion: 'v1.9.0-eksbuild.3' }),
      anAddon({ addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.9' }),
    );
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result).toMatchObject({ status: 'FAILED', severity: 'LOW' });
    expect(result?.reason).toBe(
      'Cluster payments (Kubernetes 1.33) runs 2 add-on(s) older than the default version: vpc-cni (installed v1.9.0-eksbuild.3, default v1.19.10-eksbuild.1, latest compatible v1.20.4-eksbuild.2); coredns (installed v1.11.4-eksbuild.9, default v1.11.4-eksbuild.10, latest compatible v1.11.4-eksbuild.10).',
    );
  });

  it('names a version that does not parse without failing on it, and still fails an outdated sibling', () => {
    // Prepare
    const snapshot = installed(
      anAddon({ addonVersion: 'v1.20.4-custom' }),
      anAddon({ addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.9' }),
    );
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('FAILED');
    expect(result?.reason).toContain('runs 1 add-on(s) older than the default version: coredns');
    expect(result?.reason).toContain('Not judged: vpc-cni: installed version v1.20.4-custom does not parse');
  });

  it('never fails on unparsable or unoffered versions alone: nothing compared is not applicable', () => {
    // Prepare
    const snapshot = installed(
      anAddon({ addonVersion: 'latest' }),
      anAddon({ addonName: 'vendor-agent', addonVersion: 'v2.0.0-eksbuild.1' }),
    );
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('NOT_APPLICABLE');
    expect(result?.reason).toContain(
      'vendor-agent: DescribeAddonVersions offers no version of it for Kubernetes 1.33',
    );
  });

  it('gives ERROR when the add-on versions of the cluster version failed', () => {
    // Prepare
    const failure = {
      operation: 'eks:DescribeAddonVersions',
      code: 'ThrottlingException',
      message: 'Rate exceeded',
    };
    const snapshot = aSnapshot({ addons: [anAddon()], addonVersions: collected({}, { '1.33': failure }) });
    // Act
    const [result] = evaluate(check, snapshot);
    // Assess
    expect(result?.status).toBe('ERROR');
    expect(result?.reason).toContain('eks:DescribeAddonVersions failed (ThrottlingException: Rate exceeded)');
  });

  it('gives ERROR when the version data was not collected, and when the add-ons failed', () => {
    // Act
    const [missing] = evaluate(check, aSnapshot({ addons: [anAddon()], addonVersions: {} }));
    const [denied] = evaluate(check, aSnapshot({ addons: failedPart({ operation: 'eks:ListAddons' }) }));
    // Assess
    expect(missing?.status).toBe('ERROR');
    expect(missing?.reason).toContain('The add-on versions for Kubernetes 1.33 were not collected.');
    expect(denied?.status).toBe('ERROR');
  });

  it('gives ERROR on the cluster ARN when DescribeCluster was denied', () => {
    // Act
    const [result] = evaluate(check, aDeniedClusterSnapshot());
    // Assess
    expect(result).toMatchObject({ status: 'ERROR', resourceId: CLUSTER_ARN });
  });
});

describe('add-on version comparison', () => {
  const part = fc.bigInt({ min: 0n, max: 10n ** 20n });
  const version = fc.tuple(part, part, part, part);
  const text = ([major, minor, patch, build]: readonly bigint[]) =>
    `v${major}.${minor}.${patch}-eksbuild.${build}`;
  const numericOrder = (a: readonly bigint[], b: readonly bigint[]) => {
    for (const [index, value] of a.entries()) {
      const other = b[index] ?? 0n;
      if (value !== other) return value < other ? -1 : 1;
    }
    return 0;
  };

  it('orders versions as their numbers do, whatever their lengths', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(Math.sign(compareAddonVersions(parsed(text(a)), parsed(text(b))))).toBe(numericOrder(a, b));
      }),
    );
  });

  it('is antisymmetric and ignores leading zeros', () => {
    fc.assert(
      fc.property(version, version, fc.nat({ max: 3 }), (a, b, zeros) => {
        const padded = `v${'0'.repeat(zeros)}${a[0]}.${a[1]}.${a[2]}-eksbuild.${a[3]}`;
        expect(compareAddonVersions(parsed(padded), parsed(text(a)))).toBe(0);
        expect(Math.sign(compareAddonVersions(parsed(text(a)), parsed(text(b))))).toBe(
          -Math.sign(compareAddonVersions(parsed(text(b)), parsed(text(a)))),
        );
      }),
    );
  });

  it('parses nothing but vX.Y.Z-eksbuild.N, and never throws', () => {
    fc.assert(
      fc.property(fc.string(), (candidate) => {
        const result = parseAddonVersion(candidate);
        expect(result === undefined || /^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(candidate)).toBe(true);
      }),
    );
    expect(parseAddonVersion('v1.19.2-eksbuild.1')?.numbers).toEqual(['1', '19', '2', '1']);
    expect(parseAddonVersion('1.19.2-eksbuild.1')).toBeUndefined();
    expect(parseAddonVersion('v1.19.2')).toBeUndefined();
  });
});
