import { MissingDataError } from '../snapshot/missing-data.js';
import { ASFF_TYPE } from './asff-types.js';
import { cisEks, eksBestPractice } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

export default defineCheck({
  id: 'eks_cluster_endpoint_private_access',
  title: 'EKS cluster API endpoint is reachable privately from the VPC',
  resource: CLUSTER_RESOURCE,
  severities: ['MEDIUM'],
  asffTypes: [ASFF_TYPE.networkReachability],
  failsWhen: 'Private endpoint access is off, so nodes and pods reach the Kubernetes API over the internet.',
  risk:
    'Without private endpoint access, nodes and pods reach the Kubernetes API over the internet, so the endpoint ' +
    'must stay public and control-plane traffic leaves the VPC.',
  remediation: {
    text:
      'Enable private endpoint access (resourcesVpcConfig.endpointPrivateAccess) so that nodes reach the API ' +
      'inside the VPC, then restrict or disable public access.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  },
  inputs: [],
  frameworks: [cisEks('5.4.2'), eksBestPractice('IAM / Make the EKS cluster endpoint private')],
  parameters: {},
  evaluate({ cluster }) {
    const privateAccess: unknown = cluster.resourcesVpcConfig?.endpointPrivateAccess;
    if (typeof privateAccess !== 'boolean') {
      throw new MissingDataError(
        privateAccess === undefined
          ? `Cluster ${cluster.name} reports no resourcesVpcConfig.endpointPrivateAccess.`
          : `Cluster ${cluster.name} reports resourcesVpcConfig.endpointPrivateAccess ${JSON.stringify(privateAccess)}, not a boolean.`,
      );
    }
    const evidence = {
      endpointPrivateAccess: privateAccess,
      endpointPublicAccess: cluster.resourcesVpcConfig?.endpointPublicAccess,
    };
    if (!privateAccess) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} has private endpoint access disabled, so its nodes and pods reach the Kubernetes API over the internet; enable endpointPrivateAccess.`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `Cluster ${cluster.name} has private endpoint access enabled: nodes reach the API inside the VPC.`,
      evidence,
    };
  },
});
