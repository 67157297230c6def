/**
 * Amazon GuardDuty (REST-JSON): the caller's detector in the request Region and its coverage records,
 * with ListCoverage's FilterCriteria. A Region without `guardduty` in the estate has no detector.
 */
import type {
  CoverageFilterCriterion,
  CoverageFilterCriterionKey,
  CoverageResource,
} from '@aws-sdk/client-guardduty';
import type { AsJson } from '../estate.js';
import { AwsError } from '../protocols.js';
import { type EmulatorContext, type Handler, page, regionOf } from './context.js';

/** ListDetectors and ListCoverage take 1-50 results per page (GuardDuty API reference). */
const MAX_RESULTS = 50;

type EstateCoverage = AsJson<CoverageResource>;

const badRequest = (message: string) => new AwsError('BadRequestException', message);

const pageRequest = (input: { MaxResults?: number; NextToken?: string }) => ({
  maxResults: input.MaxResults,
  nextToken: input.NextToken,
  cap: MAX_RESULTS,
  invalidTokenCode: 'BadRequestException',
  validationCode: 'BadRequestException',
});

/** The caller's detector; another id is not the caller's (GuardDuty answers 400, not 404). */
function detectorOf(context: EmulatorContext, detectorId: string) {
  const guardDuty = regionOf(context)?.guardduty;
  if (guardDuty === undefined || guardDuty.detector.DetectorId !== detectorId) {
    throw badRequest(
      'The request is rejected because the input detectorId is not owned by the current account.',
    );
  }
  return guardDuty;
}

/** The coverage member each criterion key compares. CLUSTER_NAME is deprecated (EKS_CLUSTER_NAME replaces it). */
const CRITERION_VALUES: Readonly<
  Record<CoverageFilterCriterionKey, (record: EstateCoverage) => string | undefined>
> = {
  ACCOUNT_ID: (record) => record.AccountId,
  RESOURCE_TYPE: (record) => record.ResourceDetails?.ResourceType,
  COVERAGE_STATUS: (record) => record.CoverageStatus,
  ADDON_VERSION: (record) => record.ResourceDetails?.EksClusterDetails?.AddonDetails?.AddonVersion,
  MANAGEMENT_TYPE: (record) =>
    record.ResourceDetails?.EksClusterDetails?.ManagementType ??
    record.ResourceDetails?.Ec2InstanceDetails?.ManagementType,
  CLUSTER_NAME: (record) => record.ResourceDetails?.EksClusterDetails?.ClusterName,
  EKS_CLUSTER_NAME: (record) => record.ResourceDetails?.EksClusterDetails?.ClusterName,
  ECS_CLUSTER_NAME: (record) => record.ResourceDetails?.EcsClusterDetails?.ClusterName,
  INSTANCE_ID: (record) => record.ResourceDetails?.Ec2InstanceDetails?.InstanceId,
  AGENT_VERSION: (record) => record.ResourceDetails?.Ec2InstanceDetails?.AgentDetails?.Version,
  CLUSTER_ARN: (record) => record.ResourceDetails?.Ec2InstanceDetails?.ClusterArn,
};

/** Each criterion must hold (Equals: one of its values; NotEquals: none of them). */
function criterionPredicate(criterion: CoverageFilterCriterion): (record: EstateCoverage) => boolean {
  const compared = CRITERION_VALUES[criterion.CriterionKey as CoverageFilterCriterionKey];
  if (compared === undefined) {
    throw badRequest(
      `The request is rejected because the criterion key ${String(criterion.CriterionKey)} is invalid.`,
    );
  }
  const { Equals: equals, NotEquals: notEquals } = criterion.FilterCondition ?? {};
  return (record) => {
    const value = compared(record);
    return (
      (equals === undefined || (value !== undefined && equals.includes(value))) &&
      (notEquals === undefined || value === undefined || !notEquals.includes(value))
    );
  };
}

export const guardDutyHandlers: Readonly<Record<string, Handler>> = {
  ListDetectors: (input: { MaxResults?: number; NextToken?: string }, context) => {
    const detector = regionOf(context)?.guardduty?.detector;
    const { items, nextToken } = page(
      detector === undefined ? [] : [detector.DetectorId],
      pageRequest(input),
      context,
    );
    return { DetectorIds: items, NextToken: nextToken };
  },
  GetDetector: (input: { DetectorId: string }, context) => {
    const { DetectorId: _id, ...detector } = detectorOf(context, input.DetectorId).detector;
    return detector;
  },
  ListCoverage: (
    input: {
      DetectorId: string;
      MaxResults?: number;
      NextToken?: string;
      FilterCriteria?: { FilterCriterion?: CoverageFilterCriterion[] };
    },
    context,
  ) => {
    const { detector, coverage } = detectorOf(context, input.DetectorId);
    const predicates = (input.FilterCriteria?.FilterCriterion ?? []).map(criterionPredicate);
    // The estate may leave the detector and account out of a record: they are the owner's.
    const records = coverage
      .map((record) => ({
        ...record,
        DetectorId: record.DetectorId ?? detector.DetectorId,
        AccountId: record.AccountId ?? context.account,
      }))
      .filter((record) => predicates.every((matches) => matches(record)));
    const { items, nextToken } = page(records, pageRequest(input), context);
    return { Resources: items, NextToken: nextToken };
  },
};
