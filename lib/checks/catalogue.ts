/** The catalogue as plain data: what `eks-scan checks --format json` prints and the docs are made from. */
import { describeMapping } from './frameworks.js';
import { CHECKS, permissionsOf } from './registry.js';
import type { Check } from './types.js';

export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly severities: readonly string[];
  readonly resource: {
    readonly scope: string;
    readonly asffTypes: readonly string[];
    readonly configType: string;
  };
  readonly asffTypes: readonly string[];
  readonly failsWhen: string;
  readonly risk: string;
  readonly remediation: { readonly text: string; readonly url: string };
  /** Each requirement as ASFF names it, with the parameter setting it holds under when not every one. */
  readonly frameworks: readonly string[];
  readonly permissions: readonly string[];
  readonly parameters: Readonly<Record<string, { readonly default: string; readonly description: string }>>;
}

export function describeCheck(check: Check): CatalogueEntry {
  return {
    id: check.id,
    title: check.title,
    severities: check.severities,
    resource: {
      scope: check.resource.scope,
      asffTypes: check.resource.asffTypes,
      configType: check.resource.configType,
    },
    asffTypes: check.asffTypes,
    failsWhen: check.failsWhen,
    risk: check.risk,
    remediation: check.remediation,
    frameworks: check.frameworks.map(describeMapping),
    permissions: permissionsOf(check),
    parameters: Object.fromEntries(
      Object.entries(check.parameters).map(([name, parameter]) => [
        name,
        { default: parameter.format(parameter.default), description: parameter.description },
      ]),
    ),
  };
}

export const catalogue = (checks: readonly Check[] = CHECKS): CatalogueEntry[] => checks.map(describeCheck);
