/** The meta-test: every check of the registry is complete, consistent and tested. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { isValidAsffType } from '../../lib/checks/asff-types.js';
import { CHECKS, permissionsOf, selectChecks } from '../../lib/checks/registry.js';
import { SEVERITIES } from '../../lib/checks/types.js';
import { UsageError } from '../../lib/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const checksDir = join(root, 'lib', 'checks');

/** The first edition of the catalogue (design/checks.md). Ids are permanent: finding identity derives from them. */
const CATALOGUE = [
  'eks_cluster_endpoint_not_public',
  'eks_cluster_endpoint_private_access',
  'eks_cluster_control_plane_logging',
  'eks_cluster_secrets_encrypted',
  'eks_cluster_version_supported',
  'eks_cluster_deletion_protection',
  'eks_cluster_access_api_mode',
  'eks_cluster_insights',
  'eks_cluster_addons_healthy',
  'eks_cluster_addons_current',
  'eks_cluster_pod_identity_available',
  'eks_nodegroup_container_optimized_os',
  'eks_nodegroup_ami_age',
  'eks_nodegroup_ami_latest_release',
  'eks_nodegroup_no_ssh_access',
  'eks_nodegroup_private_subnets',
  'eks_nodegroup_imdsv2_hop_limit',
  'eks_nodegroup_inspector_coverage',
  'eks_fargate_inspector_coverage',
  'eks_cluster_guardduty_audit_logs',
  'eks_cluster_guardduty_runtime_monitoring',
  'eks_nodegroup_ssm_managed',
  'eks_nodegroup_version_skew',
  'eks_nodegroup_volumes_encrypted',
];

describe('the check registry', () => {
  it('holds exactly the catalogue, each id once', () => {
    // Act
    const ids = CHECKS.map((check) => check.id);
    // Assess
    expect([...ids].sort()).toEqual([...CATALOGUE].sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('registers every check file of lib/checks', () => {
    // Prepare
    const checkFiles = readdirSync(checksDir).filter((file) => /^eks_.*\.ts$/.test(file));
    // Act
    const fileIds = checkFiles.map((file) => file.replace(/\.ts$/, '')).sort();
    // Assess
    expect(fileIds).toEqual(CHECKS.map((check) => check.id).sort());
  });

  it('rejects unknown ids when selecting, naming them', () => {
    // Act
    const act = () => selectChecks(['eks_cluster_endpoint_not_public', 'eks_no_such_check']);
    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow('Unknown check id(s): eks_no_such_check');
    expect(selectChecks(['eks_cluster_endpoint_not_public']).map((check) => check.id)).toEqual([
      'eks_cluster_endpoint_not_public',
    ]);
  });

  const paramsDefaults = new Map<string, unknown>();

  describe.each(CHECKS.map((check) => [check.id, check] as const))('%s', (id, check) => {
    it('has a snake_case id equal to its file name, whose default export it is', async () => {
      // Act
      const module = (await import(join(checksDir, `${id}.ts`))) as { default: unknown };
      // Assess
      expect(id).toMatch(/^eks_[a-z0-9_]+$/);
      expect(module.default).toBe(check);
    });

    it('has its own test file', () => {
      // Assess
      expect(existsSync(join(root, 'test', 'checks', `${id}.test.ts`))).toBe(true);
    });

    it('declares valid severities, highest first, and valid ASFF Types', () => {
      // Prepare
      const ranks = check.severities.map((severity) => SEVERITIES.indexOf(severity));
      // Assess
      expect(ranks.every((rank) => rank >= 0)).toBe(true);
      expect(ranks).toEqual([...new Set(ranks)].sort((a, b) => b - a));
      expect(check.asffTypes.length).toBeGreaterThan(0);
      for (const type of check.asffTypes) expect([type, isValidAsffType(type)]).toEqual([type, true]);
    });

    it('fits the ASFF limits and names its remediation and frameworks', () => {
      // Assess
      expect(check.title.length).toBeGreaterThan(0);
      expect(check.title.length).toBeLessThanOrEqual(256);
      expect(check.risk.length).toBeGreaterThan(20);
      expect(check.remediation.text.length).toBeGreaterThan(20);
      expect(check.remediation.text.length).toBeLessThanOrEqual(512);
      expect(check.remediation.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(check.frameworks.length).toBeGreaterThan(0);
    });

    it('says when it fails, as one or two sentences for the check reference', () => {
      // Assess
      expect(check.failsWhen).toMatch(/^[A-Z].{20,}\.$/s);
      expect(check.failsWhen.length).toBeLessThanOrEqual(400);
    });

    it('needs IAM permissions, all read-only', () => {
      // Act
      const permissions = permissionsOf(check);
      // Assess
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions)
        expect(permission).toMatch(/^[a-z0-9]+:(Describe|List|Get|BatchGet)/);
    });

    it('gives every parameter a description, a default its validator accepts, and a string form', () => {
      for (const [name, parameter] of Object.entries(check.parameters)) {
        // Act
        const parsed = parameter.parse(name, parameter.default);
        const reparsed = parameter.parse(name, parameter.format(parameter.default));
        // Assess
        expect(parameter.description.length).toBeGreaterThan(10);
        expect(parsed).toEqual(parameter.default);
        expect(reparsed).toEqual(parameter.default);
        // A parameter name shared by several checks must mean the same thing everywhere.
        if (paramsDefaults.has(name)) expect(paramsDefaults.get(name)).toEqual(parameter.default);
        paramsDefaults.set(name, parameter.default);
      }
    });

    it('never touches the SDK, the environment or the clock', () => {
      // Prepare
      const source = readFileSync(join(checksDir, `${id}.ts`), 'utf8');
      // Assess
      expect(source).not.toMatch(/process\.env|Date\.now\(|new Date\(\)|performance\.now/);
      expect(source).not.toMatch(/^import\s+(?!type\b)[^;]*from\s+'@aws-sdk\//m);
      expect(source).not.toMatch(/from\s+'node:/);
    });
  });
});
