/**
 * Suppressions: a finding the team has accepted is still imported, with Workflow SUPPRESSED and a
 * Note saying why, never dropped. Two sources: the `eks-scan:suppress` tag on the resource itself
 * (`all`, or check ids separated by commas) and a list in the settings (check id or `*`, a resource
 * ARN pattern where `*` matches anything, a reason, and an optional expiry).
 */
import * as z from 'zod/mini';
import type { CheckResult } from '../checks/types.js';
import type { ScanReport } from '../scan.js';
import { discoverNodeGroups, runningNodes } from '../snapshot/node-groups.js';
import type { ClusterSnapshot } from '../snapshot/types.js';
import { readTime } from '../time.js';
import { parseInput } from '../validation.js';

export const SUPPRESS_TAG = 'eks-scan:suppress';

export interface SuppressionRule {
  readonly checkId: string;
  /** A resource ARN, or a pattern in which `*` matches any run of characters. */
  readonly resource: string;
  readonly reason: string;
  /** After this time the rule no longer applies. */
  readonly expires?: Date;
}

export interface Suppression {
  /** The Note text the finding carries. */
  readonly reason: string;
}

/** Validates a suppression list (already parsed from JSON); `knownCheckIds` catches typos. */
export function parseSuppressions(
  input: unknown,
  knownCheckIds: readonly string[],
  source = 'suppression list',
): SuppressionRule[] {
  const rule = z.strictObject({
    checkId: z.string().check(
      z.refine((id) => id === '*' || knownCheckIds.includes(id), {
        error: (issue) =>
          `expected "*" or a check id such as ${knownCheckIds[0]}, got ${JSON.stringify(issue.input)}`,
      }),
    ),
    resource: z.string().check(z.minLength(1, { error: 'must not be empty' })),
    reason: z
      .string()
      .check(
        z.minLength(1, { error: 'must not be empty' }),
        z.maxLength(512, { error: 'at most 512 characters' }),
      ),
    expires: z.optional(
      z.pipe(
        z.string(),
        z.transform((text: string, context) => {
          // A bare date is the start of that day in UTC; a time must state its zone.
          const reading = readTime(text, { unstatedZone: 'problem', dateOnly: true });
          if ('time' in reading) return reading.time;
          context.issues.push({
            code: 'custom',
            input: text,
            message: `expected an ISO-8601 date such as 2027-01-31, or a time with a zone: ${reading.problem}`,
          });
          return z.NEVER;
        }),
      ),
    ),
  });
  return parseInput(z.array(rule), input, source);
}

const patternToRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

type Tags = Readonly<Record<string, string>>;

const tagsFromList = (tags: readonly { Key?: string; Value?: string }[] | undefined): Tags =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));

/** Tags every node of a Karpenter pool carries: Karpenter copies the pool's tags to each node it launches. */
function commonTags(tagSets: readonly Tags[]): Tags {
  const [first, ...others] = tagSets;
  if (first === undefined) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([key, value]) => others.every((tags) => tags[key] === value)),
  );
}

/** The tags of the resource a result is about, from the snapshot; none when they were not collected. */
export function resourceTags(result: CheckResult, snapshot: ClusterSnapshot | undefined): Tags {
  if (snapshot === undefined) return {};
  const { cluster, fargateProfiles } = snapshot;
  if (cluster.status === 'collected' && cluster.value.arn === result.resourceId)
    return cluster.value.tags ?? {};
  if (fargateProfiles.status === 'collected') {
    const profile = fargateProfiles.value.find(
      (candidate) => candidate.fargateProfileArn === result.resourceId,
    );
    if (profile !== undefined) return profile.tags ?? {};
  }
  const discovery = discoverNodeGroups(snapshot);
  if (discovery.status === 'failed') return {};
  const group = discovery.groups.find((candidate) => candidate.id === result.resourceId);
  switch (group?.kind) {
    case 'managed':
      return group.nodegroup.tags ?? {};
    case 'auto-scaling':
      return tagsFromList(group.autoScalingGroup.Tags);
    case 'karpenter':
    case 'auto-mode':
      return commonTags(runningNodes(group).map((node) => tagsFromList(node.Tags)));
    case 'standalone':
      return tagsFromList(group.instances[0]?.Tags);
    default:
      return {};
  }
}

/** Why the result is suppressed, if it is: the resource's tag first, then the first matching rule. */
export function suppressionOf(
  result: CheckResult,
  tags: Tags,
  rules: readonly SuppressionRule[],
  now: Date,
): Suppression | undefined {
  const tagged = tags[SUPPRESS_TAG];
  if (tagged !== undefined) {
    const ids = tagged.split(',').map((id) => id.trim());
    if (ids.includes('all') || ids.includes(result.checkId)) {
      return { reason: `Suppressed by the resource tag ${SUPPRESS_TAG}=${tagged}.` };
    }
  }
  const rule = rules.find(
    (candidate) =>
      (candidate.checkId === '*' || candidate.checkId === result.checkId) &&
      (candidate.expires === undefined || candidate.expires > now) &&
      patternToRegExp(candidate.resource).test(result.resourceId),
  );
  if (rule === undefined) return undefined;
  const until = rule.expires === undefined ? '' : ` (until ${rule.expires.toISOString()})`;
  return { reason: `Suppressed${until}: ${rule.reason}` };
}

/** A result with the suppression that applies to it, as the CLI's reports show it (never dropped). */
export type MarkedResult = CheckResult & { readonly suppression?: Suppression };

/** A scan report whose results may carry their suppression. */
export type MarkedReport = Omit<ScanReport, 'results'> & { readonly results: readonly MarkedResult[] };

/**
 * The suppressions of one scanned target's results, by markKey: the same decision publishing makes
 * (the resource's tag, then the list), for the reports that do not go through Security Hub.
 */
export function suppressionsOf(
  target: { readonly snapshots: readonly ClusterSnapshot[]; readonly results: readonly CheckResult[] },
  rules: readonly SuppressionRule[],
  now: Date,
): Map<string, Suppression> {
  const snapshotOf = new Map(target.snapshots.map((snapshot) => [snapshot.scope.clusterName, snapshot]));
  const marks = new Map<string, Suppression>();
  for (const result of target.results) {
    const suppression = suppressionOf(
      result,
      resourceTags(result, snapshotOf.get(result.cluster)),
      rules,
      now,
    );
    if (suppression !== undefined) marks.set(markKey(result), suppression);
  }
  return marks;
}

/** One result per (check, resource): the resource ARN names the partition, account and Region. */
export const markKey = (result: Pick<CheckResult, 'checkId' | 'resourceId'>) =>
  `${result.checkId}\u0000${result.resourceId}`;

/** The results with their suppressions attached (`suppressionsOf`), in the same order. */
export const markResults = (
  results: readonly CheckResult[],
  marks: ReadonlyMap<string, Suppression>,
): MarkedResult[] =>
  results.map((result) => {
    const suppression = marks.get(markKey(result));
    return suppression === undefined ? result : { ...result, suppression };
  });
