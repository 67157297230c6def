/** Framework names as ASFF Compliance.RelatedRequirements spells them (`<framework>/<control>`). */
import type { FrameworkMapping } from './types.js';

const FSBP = 'AWS Foundational Security Best Practices v1.0.0';
const CIS_EKS = 'CIS Amazon EKS Benchmark v1.1.0';
const EKS_BEST_PRACTICES = 'EKS Best Practices Guide';

export const fsbp = (control: string): FrameworkMapping => ({ framework: FSBP, control });
export const cisEks = (control: string): FrameworkMapping => ({ framework: CIS_EKS, control });
/** A recommendation of the EKS Best Practices Guide (security), by section and recommendation. */
export const eksBestPractice = (control: string): FrameworkMapping => ({
  framework: EKS_BEST_PRACTICES,
  control,
});

export const relatedRequirement = (mapping: FrameworkMapping) => `${mapping.framework}/${mapping.control}`;
