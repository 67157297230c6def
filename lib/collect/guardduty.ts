/**
 * Amazon GuardDuty, per account and Region: the detector (there is at most one per account and Region)
 * and the EKS runtime coverage records of all its clusters, listed once for the Region.
 */
import {
  type CoverageResource,
  GetDetectorCommand,
  type GuardDutyClient,
  paginateListCoverage,
  paginateListDetectors,
} from '@aws-sdk/client-guardduty';
import { collected, type GuardDutyDetector, type Part } from '../snapshot/types.js';
import type { Limiter } from './concurrency.js';
import { attempt, drain } from './fetch.js';

/** ListDetectors and ListCoverage take 1-50 results per page (GuardDuty API reference). */
export const GUARDDUTY_PAGE_SIZE = 50;

/** The id of the Region's detector, or null when GuardDuty has none (it is off there). */
export async function fetchDetectorId(client: GuardDutyClient, limit: Limiter): Promise<Part<string | null>> {
  const listing = await limit(() =>
    attempt('guardduty:ListDetectors', () =>
      drain(
        paginateListDetectors({ client }, { MaxResults: GUARDDUTY_PAGE_SIZE }),
        (page) => page.DetectorIds,
      ),
    ),
  );
  if (listing.status === 'failed') return listing;
  return collected(listing.value[0] ?? null);
}

/** The detector with its settings (GetDetector), or null when there is none. */
export async function fetchDetector(
  client: GuardDutyClient,
  detectorId: Part<string | null>,
  limit: Limiter,
): Promise<Part<GuardDutyDetector | null>> {
  if (detectorId.status === 'failed') return detectorId;
  const id = detectorId.value;
  if (id === null) return collected(null);
  const response = await limit(() =>
    attempt('guardduty:GetDetector', () => client.send(new GetDetectorCommand({ DetectorId: id }))),
  );
  if (response.status === 'failed') return response;
  const { $metadata: _metadata, ...detector } = response.value;
  return collected({ ...detector, DetectorId: id });
}

/**
 * Every EKS coverage record of the detector, in one paginated listing filtered on RESOURCE_TYPE=EKS
 * (never the deprecated CLUSTER_NAME key); none when there is no detector.
 */
export async function fetchEksCoverage(
  client: GuardDutyClient,
  detectorId: Part<string | null>,
  limit: Limiter,
): Promise<Part<CoverageResource[]>> {
  if (detectorId.status === 'failed') return detectorId;
  const id = detectorId.value;
  if (id === null) return collected([]);
  return limit(() =>
    attempt('guardduty:ListCoverage', () =>
      drain(
        paginateListCoverage(
          { client },
          {
            DetectorId: id,
            MaxResults: GUARDDUTY_PAGE_SIZE,
            FilterCriteria: {
              FilterCriterion: [{ CriterionKey: 'RESOURCE_TYPE', FilterCondition: { Equals: ['EKS'] } }],
            },
          },
        ),
        (page) => page.Resources,
      ),
    ),
  );
}
