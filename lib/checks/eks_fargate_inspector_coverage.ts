import { MissingDataError, need } from '../snapshot/missing-data.js';
import type { RegistryScanningConfiguration } from '../snapshot/types.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { FARGATE_PROFILE_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** The scan frequencies of enhanced scanning (ECR API reference, RegistryScanningRule); MANUAL scans nothing by itself. */
const SCANNING_FREQUENCIES = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'];

/** A rule that scans every repository: a `*` wildcard filter with an automatic scan frequency. */
const coversEveryRepository = (configuration: RegistryScanningConfiguration) =>
  (configuration.rules ?? []).some(
    (rule) =>
      SCANNING_FREQUENCIES.includes(rule.scanFrequency ?? '') &&
      (rule.repositoryFilters ?? []).some(
        (filter) => filter.filter === '*' && filter.filterType === 'WILDCARD',
      ),
  );

const NOT_JUDGED = 'Images pulled from other registries (public or other accounts) are not judged.';

export default defineCheck({
  id: 'eks_fargate_inspector_coverage',
  title: 'Amazon Inspector scans the ECR images of EKS Fargate profiles',
  resource: FARGATE_PROFILE_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.vulnerabilities],
  failsWhen:
    "Inspector cannot scan Fargate hosts, so the profile's images must be: in the profile's account and Region, " +
    "Inspector's ECR scanning (resourceState.ecr.status) is not ENABLED, or the ECR registry's scanType is not " +
    'ENHANCED, or no scanning rule covers every repository (a `*` WILDCARD filter with SCAN_ON_PUSH or ' +
    'CONTINUOUS_SCAN). Images from other registries are not judged.',
  risk:
    'Pods on Fargate run on infrastructure AWS patches and Inspector cannot scan, so their vulnerabilities are ' +
    'only found if their container images are scanned.',
  remediation: {
    text:
      'Activate Amazon Inspector ECR scanning in the account and Region (it sets the registry to enhanced scanning) ' +
      'and keep a scanning rule with the `*` filter and continuous or on-push scanning.',
    url: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html',
  },
  inputs: ['inspectorAccount', 'ecrScanningConfiguration'],
  frameworks: [eksBestPractice('Infrastructure security / Run Amazon Inspector on hosts')],
  parameters: {},
  evaluate({ snapshot, profile }) {
    const where = `account ${snapshot.scope.accountId} and ${snapshot.scope.region}`;
    const account = need(snapshot.inspectorAccount, 'Amazon Inspector account status');
    const ecrStatus = account.resourceState?.ecr?.status;
    if (ecrStatus === undefined) {
      throw new MissingDataError(
        `Amazon Inspector reports no ECR scanning status (resourceState.ecr.status) for account ${snapshot.scope.accountId}.`,
      );
    }
    const configuration = need(snapshot.ecrScanningConfiguration, 'The ECR registry scanning configuration');
    const problems = [
      ...(ecrStatus === 'ENABLED' ? [] : [`Amazon Inspector ECR scanning is ${ecrStatus}`]),
      ...(configuration.scanType === 'ENHANCED'
        ? []
        : [`the ECR registry's scan type is ${configuration.scanType ?? 'not set'}, not ENHANCED`]),
      ...(coversEveryRepository(configuration)
        ? []
        : [
            'no registry scanning rule covers every repository (a `*` filter scanning on push or continuously)',
          ]),
    ];
    const evidence = {
      fargateProfileName: profile.fargateProfileName,
      inspectorEcrStatus: ecrStatus,
      registryScanType: configuration.scanType ?? null,
      registryScanningRules: configuration.rules ?? [],
    };
    const label = `Fargate profile ${profile.fargateProfileName}`;
    if (problems.length > 0) {
      return {
        status: 'FAILED',
        reason: `${label} has no EC2 host for Amazon Inspector to scan, and its ECR images are not all scanned in ${where}: ${problems.join('; ')}. ${NOT_JUDGED}`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `${label}: Amazon Inspector scans every ECR repository in ${where} (enhanced scanning, a \`*\` rule). ${NOT_JUDGED}`,
      evidence,
    };
  },
});
