/**
 * Runs checks over cluster snapshots. Each check sees only the snapshot parts it declares, so an
 * undeclared read shows up as ERROR in its tests; a check that throws yields ERROR for that resource
 * alone; data that was not collected yields ERROR, never PASSED.
 */

import { ParameterError } from '../errors.js';
import { narrowToGroup } from '../snapshot/lookups.js';
import { describeFailure, MissingDataError } from '../snapshot/missing-data.js';
import { discoverNodeGroups } from '../snapshot/node-groups.js';
import {
  type ClusterSnapshot,
  type CollectionFailure,
  clusterArn,
  failed,
  SNAPSHOT_PART_NAMES,
  type SnapshotPartName,
} from '../snapshot/types.js';
import { AUTO_MODE_MANAGED_BY, clusterComputeEvidence, hybridNodesSentence } from './compute.js';
import { mappingsInForce } from './frameworks.js';
import { CLUSTER_ASFF_TYPE, NODE_GROUP_ASFF_TYPE } from './resources.js';
import type { Check, CheckContext, CheckResult, CheckScope, Outcome, SubjectOfScope } from './types.js';

/** The parts every check of a scope reads to enumerate its resources. */
export const SCOPE_INPUTS: Readonly<Record<CheckScope, readonly SnapshotPartName[]>> = {
  cluster: ['cluster'],
  // The cluster tells node-group results what else it runs (Auto Mode, hybrid nodes): compute.ts.
  nodegroup: ['nodegroups', 'instances', 'autoScalingGroups', 'cluster'],
  'fargate-profile': ['fargateProfiles'],
};

/** Every part a check reads: its scope's and its own. */
export const inputsOf = (check: Check): SnapshotPartName[] => [
  ...new Set([...SCOPE_INPUTS[check.resource.scope], ...check.inputs]),
];

export interface RunOptions {
  readonly now: Date;
  /** Parameter overrides by parameter name, typed or in string form; each check takes those it declares. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** Resolves a check's parameters: overrides parsed and validated, defaults for the rest. */
export function resolveParameters(check: Check, overrides: Readonly<Record<string, unknown>> = {}) {
  return Object.fromEntries(
    Object.entries(check.parameters).map(([name, declaration]) => [
      name,
      name in overrides ? declaration.parse(name, overrides[name]) : declaration.default,
    ]),
  );
}

/** Rejects overrides that no selected check declares, so a typo is not silently ignored. */
export function assertKnownParameters(
  checks: readonly Check[],
  overrides: Readonly<Record<string, unknown>>,
) {
  const known = new Set(checks.flatMap((check) => Object.keys(check.parameters)));
  for (const name of Object.keys(overrides)) {
    if (!known.has(name)) {
      throw new ParameterError(
        name,
        `no selected check takes it (known: ${[...known].sort().join(', ') || 'none'})`,
      );
    }
  }
}

/** A copy of the snapshot in which every part the check did not declare reads as not collected. */
function restrictSnapshot(snapshot: ClusterSnapshot, check: Check): ClusterSnapshot {
  const allowed = new Set(inputsOf(check));
  const restricted: Record<string, unknown> = { ...snapshot };
  for (const name of SNAPSHOT_PART_NAMES) {
    if (!allowed.has(name)) {
      restricted[name] = failed({
        operation: `snapshot.${name}`,
        code: 'UndeclaredInput',
        message: `check ${check.id} does not declare the input ${name}`,
      });
    }
  }
  return restricted as unknown as ClusterSnapshot;
}

interface Target<S extends CheckScope> {
  readonly subject: SubjectOfScope[S];
  readonly resourceId: string;
  readonly resourceType: string;
  readonly nodeGroup?: string;
  /** Evidence every result on the target carries: for a resource several clusters claim, who owns it. */
  readonly ownership?: { readonly owner: string; readonly claimants: readonly string[] };
  /** Who runs the nodes, when not the account: AWS for an EKS Auto Mode pool. */
  readonly managedBy?: string;
}

type Targets =
  | { readonly found: true; readonly targets: readonly Target<CheckScope>[] }
  | { readonly found: false; readonly failures: readonly CollectionFailure[] };

/** The resources a check judges in a snapshot, or the failures that hide them. */
function targetsOf(check: Check, snapshot: ClusterSnapshot): Targets {
  const found = (targets: readonly Target<CheckScope>[]): Targets => ({ found: true, targets });
  const hidden = (failures: readonly CollectionFailure[]): Targets => ({ found: false, failures });
  switch (check.resource.scope) {
    case 'cluster': {
      if (snapshot.cluster.status === 'failed') return hidden([snapshot.cluster.failure]);
      return found([
        {
          subject: { snapshot, cluster: snapshot.cluster.value },
          resourceId: snapshot.cluster.value.arn ?? clusterArn(snapshot.scope),
          resourceType: CLUSTER_ASFF_TYPE,
        },
      ]);
    }
    case 'nodegroup': {
      const discovery = discoverNodeGroups(snapshot);
      if (discovery.status === 'failed') return hidden(discovery.failures);
      return found(
        discovery.groups.map((group) => ({
          // A look-up that failed for one resource fails the checks of the groups that need it alone.
          subject: { snapshot: narrowToGroup(snapshot, group), group },
          resourceId: group.id,
          resourceType: NODE_GROUP_ASFF_TYPE[group.kind],
          nodeGroup: group.name,
          ...(group.kind === 'auto-mode' ? { managedBy: AUTO_MODE_MANAGED_BY } : {}),
          ...(group.claimants.length > 1
            ? { ownership: { owner: snapshot.scope.clusterName, claimants: group.claimants } }
            : {}),
        })),
      );
    }
    case 'fargate-profile': {
      if (snapshot.fargateProfiles.status === 'failed') return hidden([snapshot.fargateProfiles.failure]);
      return found(
        snapshot.fargateProfiles.value.map((profile) => ({
          subject: { snapshot, profile },
          resourceId:
            profile.fargateProfileArn ??
            `${clusterArn(snapshot.scope)}/fargateprofile/${profile.fargateProfileName}`,
          resourceType: 'Other',
        })),
      );
    }
  }
}

function checkedOutcome(check: Check, outcome: Outcome): Outcome {
  if (!['PASSED', 'FAILED', 'NOT_APPLICABLE'].includes(outcome.status)) {
    throw new Error(`returned status ${String(outcome.status)}`);
  }
  if (outcome.severity !== undefined && !check.severities.includes(outcome.severity)) {
    throw new Error(`returned severity ${outcome.severity}, which it does not declare`);
  }
  if (outcome.status === 'FAILED' && check.severities.length > 1 && outcome.severity === undefined) {
    throw new Error('has several severities but returned a FAILED outcome without one');
  }
  if (outcome.reason.trim() === '') throw new Error('returned an empty reason');
  return outcome;
}

/** Runs one check over one snapshot: one result per resource it judges. */
export function runCheck(check: Check, snapshot: ClusterSnapshot, context: CheckContext): CheckResult[] {
  const { scope } = snapshot;
  const base = {
    checkId: check.id,
    partition: scope.partition,
    accountId: scope.accountId,
    region: scope.region,
    cluster: scope.clusterName,
  };
  const frameworks = mappingsInForce(check, context.parameters);
  const view = restrictSnapshot(snapshot, check);
  const targets = targetsOf(check, view);
  if (!targets.found) {
    return [
      {
        ...base,
        status: 'ERROR',
        severity: check.severities[0],
        resourceType: CLUSTER_ASFF_TYPE,
        resourceId: clusterArn(scope),
        reason: `Cannot evaluate the ${check.resource.description}s of cluster ${scope.clusterName}: ${targets.failures
          .map(describeFailure)
          .join('; ')}.`,
        evidence: { failures: targets.failures },
        frameworks,
      },
    ];
  }
  // What the cluster runs besides its node groups (read from the whole snapshot: no check's own input).
  const compute =
    check.resource.scope !== 'fargate-profile' && snapshot.cluster.status === 'collected'
      ? clusterComputeEvidence(snapshot.cluster.value)
      : {};
  return targets.targets.map((target) => {
    const common = {
      ...(target.managedBy === undefined ? {} : { managedBy: target.managedBy }),
      ...compute,
      ...(target.ownership === undefined ? {} : { ownership: target.ownership }),
    };
    const where = {
      ...base,
      resourceType: target.resourceType,
      resourceId: target.resourceId,
      ...(target.nodeGroup === undefined ? {} : { nodeGroup: target.nodeGroup }),
    };
    try {
      const outcome = checkedOutcome(check, check.evaluate(target.subject, context));
      return {
        ...where,
        status: outcome.status,
        severity: outcome.severity ?? check.severities[0],
        // A node group that passes, or has nothing to judge, is not the whole cluster when hybrid nodes join it.
        reason:
          compute.hybridNodes !== undefined && target.nodeGroup !== undefined && outcome.status !== 'FAILED'
            ? `${outcome.reason} ${hybridNodesSentence(scope.clusterName, compute.hybridNodes)}`
            : outcome.reason,
        evidence: { ...outcome.evidence, ...common },
        frameworks,
      };
    } catch (error) {
      const missing = error instanceof MissingDataError;
      const message = error instanceof Error ? error.message : String(error);
      return {
        ...where,
        status: 'ERROR',
        severity: check.severities[0],
        reason: missing ? message : `Check ${check.id} failed on ${target.resourceId}: ${message}`,
        evidence: { ...(missing && error.failure ? { failure: error.failure } : {}), ...common },
        frameworks,
      };
    }
  });
}

/**
 * Evaluates checks over snapshots. Parameters are resolved (and rejected when invalid) before any
 * check runs.
 */
export function runChecks(
  checks: readonly Check[],
  snapshots: readonly ClusterSnapshot[],
  options: RunOptions,
): CheckResult[] {
  const overrides = options.parameters ?? {};
  assertKnownParameters(checks, overrides);
  const prepared = checks.map((check) => ({
    check,
    context: { now: options.now, parameters: resolveParameters(check, overrides) },
  }));
  return snapshots.flatMap((snapshot) =>
    prepared.flatMap(({ check, context }) => runCheck(check, snapshot, context)),
  );
}
