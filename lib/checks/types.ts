/**
 * What a check is: one declaration carrying everything derived from it (ASFF, Config rules, IAM,
 * docs, the `eks-scan checks` table) plus a pure `evaluate` over one resource of a snapshot.
 */
import type { NodeGroup } from '../snapshot/node-groups.js';
import type { Cluster, ClusterSnapshot, FargateProfile, SnapshotPartName } from '../snapshot/types.js';
import type { ParameterDeclaration, ParameterValues } from './parameters.js';

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['PASSED', 'FAILED', 'NOT_APPLICABLE', 'ERROR'] as const;
export type Status = (typeof STATUSES)[number];

/** What `evaluate` returns. ERROR is not among them: missing data is signalled by throwing MissingDataError. */
export interface Outcome {
  readonly status: Exclude<Status, 'ERROR'>;
  /** Required for FAILED outcomes of checks with several severities; must be one the check declares. */
  readonly severity?: Severity;
  /** A sentence a person can act on, naming the resource and the evidence. */
  readonly reason: string;
  readonly evidence?: Readonly<Record<string, unknown>>;
}

export interface ClusterSubject {
  readonly snapshot: ClusterSnapshot;
  readonly cluster: Cluster;
}
export interface NodeGroupSubject {
  readonly snapshot: ClusterSnapshot;
  readonly group: NodeGroup;
}
export interface FargateProfileSubject {
  readonly snapshot: ClusterSnapshot;
  readonly profile: FargateProfile;
}

export interface SubjectOfScope {
  cluster: ClusterSubject;
  nodegroup: NodeGroupSubject;
  'fargate-profile': FargateProfileSubject;
}
export type CheckScope = keyof SubjectOfScope;

/** The kind of resource a check judges, and how ASFF and AWS Config name it. */
export interface ResourceKind<S extends CheckScope = CheckScope> {
  readonly scope: S;
  readonly description: string;
  /** AWS Config resource type the results are reported on (node groups roll up to their cluster). */
  readonly configType: 'AWS::EKS::Cluster' | 'AWS::EKS::FargateProfile';
  /** ASFF Resources[].Type values this kind can take. */
  readonly asffTypes: readonly string[];
}

/** A control of a framework that a result cites. */
export interface FrameworkCitation {
  /** As ASFF Compliance.RelatedRequirements names it, e.g. `AWS Foundational Security Best Practices v1.0.0`. */
  readonly framework: string;
  readonly control: string;
}

/** A parameter setting under which a check's verdict means what a control means. */
export interface ParameterCondition {
  /** As the check reference states it, e.g. `allowRestrictedPublicEndpoint=false`. */
  readonly description: string;
  /** Whether the resolved parameter values are in that setting. */
  holds(parameters: Readonly<Record<string, unknown>>): boolean;
}

/**
 * A control a check relates to. Cited by a result only when the check's verdict, with the parameters
 * in force, is the control's verdict on what the check judges (never a PASSED that the control fails).
 */
export interface FrameworkMapping extends FrameworkCitation {
  /** The setting this holds under; absent: every setting. */
  readonly onlyWhen?: ParameterCondition;
}

export interface CheckContext<P = Readonly<Record<string, unknown>>> {
  /** The scan time: the only clock a check may read. */
  readonly now: Date;
  readonly parameters: P;
}

export interface CheckDeclaration<
  S extends CheckScope,
  D extends Readonly<Record<string, ParameterDeclaration<unknown>>>,
> {
  /** Permanent: finding identity derives from it. `<service>_<resource>_<expected_state>`. */
  readonly id: string;
  readonly title: string;
  readonly resource: ResourceKind<S>;
  /** Highest first; the first is reported for results that are not FAILED. */
  readonly severities: readonly [Severity, ...Severity[]];
  /** ASFF `Types`, namespace/category/classifier. */
  readonly asffTypes: readonly [string, ...string[]];
  /** When a resource FAILS, in one or two sentences: the check reference states it as is. */
  readonly failsWhen: string;
  readonly risk: string;
  readonly remediation: { readonly text: string; readonly url: string };
  /** Snapshot parts read beyond those the scope implies; the IAM permissions derive from them. */
  readonly inputs: readonly SnapshotPartName[];
  readonly frameworks: readonly FrameworkMapping[];
  readonly parameters: D;
  evaluate(subject: SubjectOfScope[S], context: CheckContext<ParameterValues<D>>): Outcome;
}

/** A check with its generics erased, as the registry and the runner hold it. */
export interface Check {
  readonly id: string;
  readonly title: string;
  readonly resource: ResourceKind;
  readonly severities: readonly [Severity, ...Severity[]];
  readonly asffTypes: readonly [string, ...string[]];
  readonly failsWhen: string;
  readonly risk: string;
  readonly remediation: { readonly text: string; readonly url: string };
  readonly inputs: readonly SnapshotPartName[];
  readonly frameworks: readonly FrameworkMapping[];
  readonly parameters: Readonly<Record<string, ParameterDeclaration<unknown>>>;
  evaluate(subject: SubjectOfScope[CheckScope], context: CheckContext): Outcome;
}

export function defineCheck<
  S extends CheckScope,
  D extends Readonly<Record<string, ParameterDeclaration<unknown>>>,
>(declaration: CheckDeclaration<S, D>): Check {
  return declaration as unknown as Check;
}

/** One result of one check on one resource: the JSON contract of `eks-scan scan --format json`. */
export interface CheckResult {
  readonly checkId: string;
  readonly status: Status;
  readonly severity: Severity;
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly cluster: string;
  /** ASFF resource type: AwsEksCluster, Other, AwsAutoScalingAutoScalingGroup or AwsEc2Instance. */
  readonly resourceType: string;
  readonly resourceId: string;
  /** The node group name, for node-group checks. */
  readonly nodeGroup?: string;
  readonly reason: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  /** The framework controls this result cites: the check's mappings that hold with the parameters in force. */
  readonly frameworks: readonly FrameworkCitation[];
}
