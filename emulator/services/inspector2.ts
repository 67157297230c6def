/**
 * Amazon Inspector (REST-JSON): account status per account in the request Region, and the caller's
 * coverage with the filterCriteria the scanner sends. An account or Region without `inspector2` in the
 * estate is one where Inspector was never enabled.
 */
import type {
  AccountState,
  CoverageDateFilter,
  CoverageFilterCriteria,
  CoverageMapFilter,
  CoverageStringFilter,
  CoveredResource,
  ResourceState,
  State,
} from '@aws-sdk/client-inspector2';
import { parseAwsTime } from '../../lib/time.js';
import type { AsJson } from '../estate.js';
import { AwsError } from '../protocols.js';
import { accountOf, type EmulatorContext, type Handler, page, regionOf } from './context.js';

/** BatchGetAccountStatus takes at most 100 accounts; each filter list at most 10 values; pages at most 200. */
const MAX_ACCOUNT_IDS = 100;
const MAX_FILTER_VALUES = 10;
const MAX_COVERAGE_RESULTS = 200;

const DISABLED: State = { status: 'DISABLED', errorCode: undefined, errorMessage: undefined };

/** Every resource type reports DISABLED in an account that never enabled Inspector. */
const NEVER_ENABLED_RESOURCES: ResourceState = {
  ec2: DISABLED,
  ecr: DISABLED,
  lambda: DISABLED,
  lambdaCode: DISABLED,
  codeRepository: DISABLED,
};

function accountStatus(context: EmulatorContext, accountId: string): AsJson<AccountState> {
  const inspector = accountOf(context, accountId)?.regions[context.region]?.inspector2;
  if (!inspector) return { accountId, state: DISABLED, resourceState: NEVER_ENABLED_RESOURCES };
  const { accountState } = inspector;
  return {
    ...accountState,
    accountId,
    state: accountState.state ?? DISABLED,
    // Resource types the estate leaves out were never enabled.
    resourceState: { ...NEVER_ENABLED_RESOURCES, ...accountState.resourceState },
  };
}

type EstateCoverage = AsJson<CoveredResource>;

/** The coverage members each string filter of CoverageFilterCriteria compares. */
const STRING_FILTERS: Readonly<
  Record<string, (resource: EstateCoverage) => readonly (string | undefined)[]>
> = {
  accountId: (resource) => [resource.accountId],
  resourceId: (resource) => [resource.resourceId],
  resourceType: (resource) => [resource.resourceType],
  scanType: (resource) => [resource.scanType],
  scanMode: (resource) => [resource.scanMode],
  scanStatusCode: (resource) => [resource.scanStatus?.statusCode],
  scanStatusReason: (resource) => [resource.scanStatus?.reason],
  ecrRepositoryName: (resource) => [resource.resourceMetadata?.ecrRepository?.name],
  ecrImageTags: (resource) => resource.resourceMetadata?.ecrImage?.tags ?? [],
  lambdaFunctionName: (resource) => [resource.resourceMetadata?.lambdaFunction?.functionName],
  lambdaFunctionRuntime: (resource) => [resource.resourceMetadata?.lambdaFunction?.runtime],
};

type Predicate = (resource: EstateCoverage) => boolean;

function checkedFilterList<T>(name: string, filters: readonly T[]): readonly T[] {
  if (filters.length > MAX_FILTER_VALUES) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value at 'filterCriteria.${name}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FILTER_VALUES}`,
    );
  }
  return filters;
}

function checkedComparison(name: string, comparison: string | undefined): 'EQUALS' | 'NOT_EQUALS' {
  if (comparison === 'EQUALS' || comparison === 'NOT_EQUALS') return comparison;
  throw new AwsError(
    'ValidationException',
    `Value '${comparison}' at 'filterCriteria.${name}.comparison' failed to satisfy constraint: Member must satisfy enum value set: [EQUALS, NOT_EQUALS]`,
  );
}

/**
 * Inspector's filter semantics: EQUALS values of one field are ORed, NOT_EQUALS values must all hold,
 * and the fields are ANDed.
 */
function stringFilterPredicate(
  name: string,
  valuesOf: (resource: EstateCoverage) => readonly (string | undefined)[],
  filters: readonly CoverageStringFilter[],
): Predicate {
  const checked = checkedFilterList(name, filters).map((filter) => ({
    comparison: checkedComparison(name, filter.comparison),
    value: filter.value,
  }));
  const equals = checked.filter((filter) => filter.comparison === 'EQUALS').map((filter) => filter.value);
  const notEquals = checked
    .filter((filter) => filter.comparison === 'NOT_EQUALS')
    .map((filter) => filter.value);
  return (resource) => {
    const values = valuesOf(resource);
    return (
      (equals.length === 0 || values.some((value) => equals.includes(value))) &&
      notEquals.every((excluded) => !values.includes(excluded))
    );
  };
}

/** `ec2InstanceTags`: EQUALS on a tag key and, when given, its value. */
function tagFilterPredicate(name: string, filters: readonly CoverageMapFilter[]): Predicate {
  const checked = checkedFilterList(name, filters);
  for (const filter of checked) {
    if (filter.comparison !== 'EQUALS') checkedComparison(name, filter.comparison);
  }
  return (resource) => {
    const tags: Record<string, string> = resource.resourceMetadata?.ec2?.tags ?? {};
    return checked.some(
      (filter) =>
        filter.key !== undefined &&
        Object.hasOwn(tags, filter.key) &&
        (filter.value === undefined || tags[filter.key] === filter.value),
    );
  };
}

/** `lastScannedAt`: inside any one of the given inclusive ranges. */
function dateFilterPredicate(name: string, filters: readonly CoverageDateFilter[]): Predicate {
  const ranges = checkedFilterList(name, filters).map((filter) => ({
    start:
      filter.startInclusive === undefined
        ? Number.NEGATIVE_INFINITY
        : new Date(filter.startInclusive).getTime(),
    end:
      filter.endInclusive === undefined ? Number.POSITIVE_INFINITY : new Date(filter.endInclusive).getTime(),
  }));
  return (resource) => {
    if (resource.lastScannedAt === undefined) return false;
    const scannedAt = parseAwsTime(resource.lastScannedAt)?.getTime() ?? Number.NaN;
    return ranges.some((range) => scannedAt >= range.start && scannedAt <= range.end);
  };
}

function coveragePredicates(criteria: CoverageFilterCriteria | undefined): Predicate[] {
  return Object.entries(criteria ?? {})
    .filter(([, filters]) => filters !== undefined)
    .map(([name, filters]): Predicate => {
      const valuesOf = STRING_FILTERS[name];
      if (valuesOf) return stringFilterPredicate(name, valuesOf, filters as CoverageStringFilter[]);
      if (name === 'ec2InstanceTags') return tagFilterPredicate(name, filters as CoverageMapFilter[]);
      if (name === 'lastScannedAt') return dateFilterPredicate(name, filters as CoverageDateFilter[]);
      throw new AwsError('ValidationException', `The emulator does not support the coverage filter ${name}.`);
    });
}

export const inspector2Handlers: Readonly<Record<string, Handler>> = {
  BatchGetAccountStatus: (input: { accountIds?: string[] }, context) => {
    const accountIds = input.accountIds ?? [context.account];
    if (accountIds.length > MAX_ACCOUNT_IDS) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at 'accountIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ACCOUNT_IDS}`,
      );
    }
    const known = accountIds.filter((accountId) => accountOf(context, accountId));
    const unknown = accountIds.filter((accountId) => !accountOf(context, accountId));
    return {
      accounts: known.map((accountId) => accountStatus(context, accountId)),
      failedAccounts: unknown.map((accountId) => ({
        accountId,
        errorCode: 'RESOURCE_NOT_FOUND',
        errorMessage: `Account ${accountId} was not found.`,
      })),
    };
  },
  ListCoverage: (
    input: { filterCriteria?: CoverageFilterCriteria; maxResults?: number; nextToken?: string },
    context,
  ) => {
    const predicates = coveragePredicates(input.filterCriteria);
    // The estate may leave accountId out of a covered resource: it is the owning account's.
    const coverage = (regionOf(context)?.inspector2?.coverage ?? []).map((resource) => ({
      ...resource,
      accountId: resource.accountId ?? context.account,
    }));
    const { items, nextToken } = page(
      coverage.filter((resource) => predicates.every((matches) => matches(resource))),
      {
        maxResults: input.maxResults,
        nextToken: input.nextToken,
        cap: MAX_COVERAGE_RESULTS,
        invalidTokenCode: 'ValidationException',
      },
      context,
    );
    return { coveredResources: items, nextToken };
  },
};
