/**
 * Framework names as ASFF Compliance.RelatedRequirements spells them (`<framework>/<control>`), and which
 * controls a result cites: only those whose verdict the check's verdict is, with the parameters in
 * force. ASFF, SARIF, `eks-scan checks` and docs/checks.md all read them from here.
 */
import type { Check, FrameworkCitation, FrameworkMapping, ParameterCondition } from './types.js';

const FSBP = 'AWS Foundational Security Best Practices v1.0.0';
const CIS_EKS = 'CIS Amazon EKS Benchmark v1.1.0';
const EKS_BEST_PRACTICES = 'EKS Best Practices Guide';

const mapping = (framework: string, control: string, onlyWhen?: ParameterCondition): FrameworkMapping =>
  onlyWhen === undefined ? { framework, control } : { framework, control, onlyWhen };

export const fsbp = (control: string, onlyWhen?: ParameterCondition) => mapping(FSBP, control, onlyWhen);
export const cisEks = (control: string, onlyWhen?: ParameterCondition) => mapping(CIS_EKS, control, onlyWhen);
/** A recommendation of the EKS Best Practices Guide (security), by section and recommendation. */
export const eksBestPractice = (control: string, onlyWhen?: ParameterCondition) =>
  mapping(EKS_BEST_PRACTICES, control, onlyWhen);

function sameValue(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  const [left, right] = [[...a].sort(), [...b].sort()];
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

/** The setting in which parameter `name` has exactly `value` (a list: the same members, in any order). */
export const parameterIs = (name: string, value: boolean | number | string | readonly string[]) => ({
  description: `${name}=${Array.isArray(value) ? value.join(',') : String(value)}`,
  holds: (parameters: Readonly<Record<string, unknown>>) => sameValue(parameters[name], value),
});

/** The mappings that hold with these resolved parameter values. */
export const mappingsInForce = (
  check: Pick<Check, 'frameworks'>,
  parameters: Readonly<Record<string, unknown>>,
): FrameworkCitation[] =>
  check.frameworks
    .filter((candidate) => candidate.onlyWhen?.holds(parameters) ?? true)
    .map(({ framework, control }) => ({ framework, control }));

export const relatedRequirement = (citation: FrameworkCitation) =>
  `${citation.framework}/${citation.control}`;

/** A mapping as the catalogue states it: the requirement, and the setting it holds under if not every one. */
export const describeMapping = (candidate: FrameworkMapping) =>
  candidate.onlyWhen === undefined
    ? relatedRequirement(candidate)
    : `${relatedRequirement(candidate)} (only with ${candidate.onlyWhen.description})`;
