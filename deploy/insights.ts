/**
 * Security Hub custom insights over the scanner's failed, open findings, so the console answers
 * "what is worst" at a glance. Insights group by finding attributes only (not ProductFields), so
 * "by cluster" is "by resource": clusters and their node groups.
 */
const OPEN_FAILURES = {
  GeneratorId: [{ Value: 'eks_', Comparison: 'PREFIX' }],
  ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' }],
  RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
  WorkflowStatus: [
    { Value: 'NEW', Comparison: 'EQUALS' },
    { Value: 'NOTIFIED', Comparison: 'EQUALS' },
  ],
};

const insight = (name: string, groupBy: string) => ({
  Type: 'AWS::SecurityHub::Insight',
  Properties: { Name: `EKS compliance: ${name}`, GroupByAttribute: groupBy, Filters: OPEN_FAILURES },
});

export const insightResources = () => ({
  Resources: {
    FailedFindingsByResourceInsight: insight('failed findings by cluster and node group', 'ResourceId'),
    FailedFindingsByCheckInsight: insight('failed findings by check', 'GeneratorId'),
    FailedFindingsByAccountInsight: insight('failed findings by account', 'AwsAccountId'),
  },
});
