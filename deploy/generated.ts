/** Everything serverless.yml takes from the check declarations. */
import { CHECKS, permissionsOf } from '../lib/checks/registry.js';
import { EKS_CHANGE_EVENTS } from '../lib/orchestration/plan.js';
import { CONFIG_PERMISSIONS, hasConfigRule } from '../lib/publish/config-evaluations.js';
import { LISTING_PERMISSIONS } from '../lib/snapshot/types.js';
import { configRuleResources } from './config-rules.js';
import { insightResources } from './insights.js';

export function generatedDeployment() {
  return {
    /** What the checks read, as IAM actions: the whole read-only access the scanner needs. */
    readPermissions: [...new Set([...LISTING_PERMISSIONS, ...CHECKS.flatMap(permissionsOf)])].sort(),
    /** What the Config rules' checks read: only checks with a rule (deploy/config-rules.ts). */
    configRuleReadPermissions: [
      ...new Set([...LISTING_PERMISSIONS, ...CHECKS.filter(hasConfigRule).flatMap(permissionsOf)]),
    ].sort(),
    /** What the Config rule function calls in AWS Config itself. */
    configRulePermissions: [...CONFIG_PERMISSIONS].sort(),
    configRules: configRuleResources(),
    insights: insightResources(),
    /** The EKS API calls (CloudTrail) after which a cluster is rescanned. */
    eksChangeEvents: [...EKS_CHANGE_EVENTS],
  };
}
