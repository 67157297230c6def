/**
 * The GuardDuty output shapes an estate holds, written by hand in the SDK's smithy schema form because
 * the GuardDuty client is not installed. They cover the members the design names (GetDetector and
 * ListCoverage, as the GuardDuty API reference gives them); other members are kept unchecked, like any
 * member a shape does not model. Replace them with `@aws-sdk/client-guardduty`'s `GetDetectorResponse$`
 * and `CoverageResource$` once the client is a dependency.
 */
import type { SdkModels, StaticSchema } from './sdk-shapes.js';

const NAMESPACE = 'com.amazonaws.guardduty';
// Smithy schema type codes.
const STRING = 0;
const NUMBER = 1;
const TIMESTAMP = 4;
const STRING_MAP = 128 | STRING;

const structure = (name: string, members: Record<string, StaticSchema>): StaticSchema => [
  3,
  NAMESPACE,
  name,
  0,
  Object.keys(members),
  Object.values(members),
];
const list = (name: string, item: StaticSchema): StaticSchema => [1, NAMESPACE, name, 0, item];

const ADDITIONAL_CONFIGURATION = structure('DetectorAdditionalConfigurationResult', {
  Name: STRING,
  Status: STRING,
  UpdatedAt: TIMESTAMP,
});

const FEATURE = structure('DetectorFeatureConfigurationResult', {
  Name: STRING,
  Status: STRING,
  UpdatedAt: TIMESTAMP,
  AdditionalConfiguration: list('DetectorAdditionalConfigurationResults', ADDITIONAL_CONFIGURATION),
});

/** GetDetector's response, plus the detector's id (ListDetectors). CreatedAt/UpdatedAt are strings in this API. */
export const GUARDDUTY_DETECTOR: StaticSchema = structure('GetDetectorResponse', {
  DetectorId: STRING,
  CreatedAt: STRING,
  FindingPublishingFrequency: STRING,
  ServiceRole: STRING,
  Status: STRING,
  UpdatedAt: STRING,
  Tags: STRING_MAP,
  Features: list('DetectorFeatureConfigurationsResults', FEATURE),
});

/** ListCoverage's CoverageResource. */
export const GUARDDUTY_COVERAGE_RESOURCE: StaticSchema = structure('CoverageResource', {
  ResourceId: STRING,
  DetectorId: STRING,
  AccountId: STRING,
  ResourceDetails: structure('CoverageResourceDetails', {
    EksClusterDetails: structure('CoverageEksClusterDetails', {
      ClusterName: STRING,
      CoveredNodes: NUMBER,
      CompatibleNodes: NUMBER,
      AddonDetails: structure('AddonDetails', { AddonVersion: STRING, AddonStatus: STRING }),
      ManagementType: STRING,
    }),
    ResourceType: STRING,
  }),
  CoverageStatus: STRING,
  Issue: STRING,
  UpdatedAt: TIMESTAMP,
});

const ENABLED_OR_DISABLED = ['ENABLED', 'DISABLED'];

/** The enums of these shapes, as the GuardDuty API reference lists them. */
export const GUARDDUTY_MODELS: SdkModels = {
  packageName: '@aws-sdk/client-guardduty',
  client: {},
  enums: new Map([
    ['DetectorAdditionalConfigurationResult', new Map([['Status', ENABLED_OR_DISABLED]])],
    ['DetectorFeatureConfigurationResult', new Map([['Status', ENABLED_OR_DISABLED]])],
    [
      'GetDetectorResponse',
      new Map([
        ['Status', ENABLED_OR_DISABLED],
        ['FindingPublishingFrequency', ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS']],
      ]),
    ],
    ['CoverageResource', new Map([['CoverageStatus', ['HEALTHY', 'UNHEALTHY']]])],
    ['CoverageResourceDetails', new Map([['ResourceType', ['EKS', 'ECS', 'EC2']]])],
    ['CoverageEksClusterDetails', new Map([['ManagementType', ['AUTO_MANAGED', 'MANUAL', 'DISABLED']]])],
  ]),
};
