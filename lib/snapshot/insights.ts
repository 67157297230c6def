/** Which EKS insights the scanner reads: shared by the collector (what to list) and the insights check. */

/** The insight categories judged (EKS API reference, ListInsights filter). */
export const INSIGHT_CATEGORIES = ['UPGRADE_READINESS', 'MISCONFIGURATION'] as const;

/** Insight statuses whose details (DescribeInsight: deprecation details, client user agents) are read. */
export const DESCRIBED_INSIGHT_STATUSES: readonly string[] = ['ERROR', 'WARNING'];
