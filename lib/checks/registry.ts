/**
 * The static registry: every check of the catalogue, in catalogue order. Adding a check means adding
 * its file here; the meta-test refuses a check without a test file or with a file name unlike its id.
 */

import { PART_PERMISSIONS } from '../collect/types.js';
import { UsageError } from '../errors.js';
import eks_cluster_endpoint_not_public from './eks_cluster_endpoint_not_public.js';
import { inputsOf } from './runner.js';
import type { Check } from './types.js';

export const CHECKS: readonly Check[] = [eks_cluster_endpoint_not_public];

/** The checks with the given ids (all when none given); unknown ids are an error naming them. */
export function selectChecks(ids?: readonly string[]): Check[] {
  if (ids === undefined || ids.length === 0) return [...CHECKS];
  const unknown = ids.filter((id) => !CHECKS.some((check) => check.id === id));
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
