/** What the GuardDuty checks share: the detector of a cluster's account and Region, and its features. */
import { MissingDataError, need } from '../snapshot/missing-data.js';
import type { ClusterSnapshot, GuardDutyDetector } from '../snapshot/types.js';

/** The detector if it is ENABLED; otherwise why there is none to rely on (no detector, or suspended). */
export function enabledDetector(
  snapshot: ClusterSnapshot,
):
  | { readonly detector: GuardDutyDetector }
  | { readonly problem: string; readonly evidence: Readonly<Record<string, unknown>> } {
  const detector = need(snapshot.guardDutyDetector, 'The GuardDuty detector');
  const where = `account ${snapshot.scope.accountId} and ${snapshot.scope.region}`;
  if (detector === null) {
    return {
      problem: `GuardDuty has no detector in ${where} (it is off there)`,
      evidence: { detectorId: null },
    };
  }
  if (detector.Status !== 'ENABLED') {
    return {
      problem: `GuardDuty's detector ${detector.DetectorId} in ${where} is ${detector.Status ?? 'of unknown status'}`,
      evidence: { detectorId: detector.DetectorId, detectorStatus: detector.Status ?? null },
    };
  }
  return { detector };
}

/** The status of a detector feature; undefined when the detector does not list the feature (it is not on). */
export function featureStatus(detector: GuardDutyDetector, name: string): string | undefined {
  if (detector.Features === undefined) {
    throw new MissingDataError(
      `GuardDuty's detector ${detector.DetectorId} reports no Features (GetDetector).`,
    );
  }
  return detector.Features.find((feature) => feature.Name === name)?.Status;
}
