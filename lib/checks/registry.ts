/**
 * The static registry: every check of the catalogue, in catalogue order. Adding a check means adding
 * its file here; the meta-test refuses a check without a test file or with a file name unlike its id.
 */

import { UsageError } from '../errors.js';
import { PART_PERMISSIONS } from '../snapshot/types.js';
import eks_cluster_access_api_mode from './eks_cluster_access_api_mode.js';
import eks_cluster_addons_current from './eks_cluster_addons_current.js';
import eks_cluster_addons_healthy from './eks_cluster_addons_healthy.js';
import eks_cluster_control_plane_logging from './eks_cluster_control_plane_logging.js';
import eks_cluster_deletion_protection from './eks_cluster_deletion_protection.js';
import eks_cluster_endpoint_not_public from './eks_cluster_endpoint_not_public.js';
import eks_cluster_endpoint_private_access from './eks_cluster_endpoint_private_access.js';
import eks_cluster_guardduty_audit_logs from './eks_cluster_guardduty_audit_logs.js';
import eks_cluster_guardduty_runtime_monitoring from './eks_cluster_guardduty_runtime_monitoring.js';
import eks_cluster_insights from './eks_cluster_insights.js';
import eks_cluster_pod_identity_available from './eks_cluster_pod_identity_available.js';
import eks_cluster_secrets_encrypted from './eks_cluster_secrets_encrypted.js';
import eks_cluster_version_supported from './eks_cluster_version_supported.js';
import eks_fargate_inspector_coverage from './eks_fargate_inspector_coverage.js';
import eks_nodegroup_ami_age from './eks_nodegroup_ami_age.js';
import eks_nodegroup_ami_latest_release from './eks_nodegroup_ami_latest_release.js';
import eks_nodegroup_container_optimized_os from './eks_nodegroup_container_optimized_os.js';
import eks_nodegroup_imdsv2_hop_limit from './eks_nodegroup_imdsv2_hop_limit.js';
import eks_nodegroup_inspector_coverage from './eks_nodegroup_inspector_coverage.js';
import eks_nodegroup_no_ssh_access from './eks_nodegroup_no_ssh_access.js';
import eks_nodegroup_private_subnets from './eks_nodegroup_private_subnets.js';
import eks_nodegroup_ssm_managed from './eks_nodegroup_ssm_managed.js';
import eks_nodegroup_version_skew from './eks_nodegroup_version_skew.js';
import eks_nodegroup_volumes_encrypted from './eks_nodegroup_volumes_encrypted.js';
import { inputsOf } from './runner.js';
import type { Check } from './types.js';

export const CHECKS: readonly Check[] = [
  eks_cluster_endpoint_not_public,
  eks_cluster_endpoint_private_access,
  eks_cluster_control_plane_logging,
  eks_cluster_secrets_encrypted,
  eks_cluster_version_supported,
  eks_cluster_deletion_protection,
  eks_cluster_access_api_mode,
  eks_cluster_insights,
  eks_cluster_addons_healthy,
  eks_cluster_addons_current,
  eks_cluster_pod_identity_available,
  eks_nodegroup_container_optimized_os,
  eks_nodegroup_ami_age,
  eks_nodegroup_ami_latest_release,
  eks_nodegroup_no_ssh_access,
  eks_nodegroup_private_subnets,
  eks_nodegroup_imdsv2_hop_limit,
  eks_nodegroup_inspector_coverage,
  eks_fargate_inspector_coverage,
  eks_cluster_guardduty_audit_logs,
  eks_cluster_guardduty_runtime_monitoring,
  eks_nodegroup_ssm_managed,
  eks_nodegroup_version_skew,
  eks_nodegroup_volumes_encrypted,
];

/** The check with this id, if there is one. */
export const findCheck = (id: string): Check | undefined => CHECKS.find((check) => check.id === id);

/** The checks with the given ids (all when none given); unknown ids are an error naming them. */
export function selectChecks(ids?: readonly string[]): Check[] {
  if (ids === undefined || ids.length === 0) return [...CHECKS];
  const unknown = ids.filter((id) => findCheck(id) === undefined);
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown check id(s): ${unknown.join(', ')}. Run \`eks-scan checks\` for the catalogue.`,
    );
  }
  return CHECKS.filter((check) => ids.includes(check.id));
}

/** The IAM actions a check needs: those of every snapshot part it reads. */
export const permissionsOf = (check: Check): string[] =>
  [...new Set(inputsOf(check).flatMap((part) => PART_PERMISSIONS[part]))].sort();
