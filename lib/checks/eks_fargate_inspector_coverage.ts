import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { FARGATE_PROFILE_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

export default defineCheck({
  id: 'eks_fargate_inspector_coverage',
  title: 'Amazon Inspector host scanning does not apply to EKS Fargate profiles',
  resource: FARGATE_PROFILE_RESOURCE,
  severities: ['INFORMATIONAL'],
  asffTypes: [ASFF_TYPE.vulnerabilities],
  failsWhen:
    'Never: Inspector cannot scan Fargate infrastructure, so every Fargate profile is NOT_APPLICABLE with a pointer to ECR enhanced scanning.',
  risk:
    'Pods on Fargate run on infrastructure AWS patches and Inspector cannot scan, so their vulnerabilities are ' +
    'only found if their container images are scanned.',
  remediation: {
    text: 'Enable Amazon Inspector enhanced scanning for the ECR repositories holding the images this profile runs.',
    url: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-enhanced.html',
  },
  inputs: [],
  frameworks: [eksBestPractice('Infrastructure security / Run Amazon Inspector on hosts')],
  parameters: {},
  evaluate({ profile }) {
    return {
      status: 'NOT_APPLICABLE',
      reason: `Fargate profile ${profile.fargateProfileName} has no EC2 host for Amazon Inspector to scan; cover the images its pods run with ECR enhanced scanning.`,
      evidence: { fargateProfileName: profile.fargateProfileName, selectors: profile.selectors ?? [] },
    };
  },
});
