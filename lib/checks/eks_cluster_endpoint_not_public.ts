import { ASFF_TYPE } from './asff-types.js';
import { MissingDataError } from './errors.js';
import { cisEks, eksBestPractice, fsbp } from './frameworks.js';
import { booleanParameter } from './parameters.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

const OPEN_TO_THE_INTERNET = ['0.0.0.0/0', '::/0'];

export default defineCheck({
  id: 'eks_cluster_endpoint_not_public',
  title: 'EKS cluster API endpoint is not open to the whole internet',
  resource: CLUSTER_RESOURCE,
  severities: ['HIGH'],
  asffTypes: [ASFF_TYPE.networkReachability, ASFF_TYPE.fsbp],
  failsWhen:
    'The API endpoint is public and its allowed CIDRs include 0.0.0.0/0 or ::/0; with allowRestrictedPublicEndpoint=false, any public endpoint fails.',
  risk:
    'A public API server endpoint reachable from any address exposes the Kubernetes API to scanning, credential ' +
    'stuffing and any future authentication flaw.',
  remediation: {
    text:
      'Disable public endpoint access, or restrict publicAccessCidrs to the networks that administer the cluster ' +
      'and enable private access for nodes.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  },
  inputs: [],
  frameworks: [
    fsbp('EKS.1'),
    cisEks('5.4.1'),
    cisEks('5.4.2'),
    eksBestPractice('IAM / Make the EKS cluster endpoint private'),
  ],
  parameters: {
    allowRestrictedPublicEndpoint: booleanParameter({
      description:
        'Whether a public endpoint restricted to specific CIDRs passes. false: any public endpoint fails (as FSBP EKS.1).',
      default: true,
    }),
  },
  evaluate({ cluster }, { parameters }) {
    const config = cluster.resourcesVpcConfig;
    if (config?.endpointPublicAccess === undefined) {
      throw new MissingDataError(
        `Cluster ${cluster.name} reports no resourcesVpcConfig.endpointPublicAccess.`,
      );
    }
    if (!config.endpointPublicAccess) {
      return { status: 'PASSED', reason: `Cluster ${cluster.name} has no public API endpoint.` };
    }
    if (config.publicAccessCidrs === undefined) {
      throw new MissingDataError(
        `Cluster ${cluster.name} has a public endpoint but reports no publicAccessCidrs.`,
      );
    }
    const cidrs = config.publicAccessCidrs;
    const openCidrs = cidrs.filter((cidr) => OPEN_TO_THE_INTERNET.includes(cidr));
    const evidence = { endpointPublicAccess: true, publicAccessCidrs: cidrs };
    if (openCidrs.length > 0) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} API endpoint is public and open to ${openCidrs.join(' and ')}.`,
        evidence,
      };
    }
    if (!parameters.allowRestrictedPublicEndpoint) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} API endpoint is public (restricted to ${cidrs.join(', ')}); public endpoints are not allowed.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `Cluster ${cluster.name} API endpoint is public but restricted to ${cidrs.join(', ')}.`,
      evidence,
    };
  },
});
