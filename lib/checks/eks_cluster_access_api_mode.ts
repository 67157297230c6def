import { MissingDataError } from '../snapshot/missing-data.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

export default defineCheck({
  id: 'eks_cluster_access_api_mode',
  title: 'EKS cluster grants access through EKS access entries, not only the aws-auth ConfigMap',
  resource: CLUSTER_RESOURCE,
  severities: ['LOW'],
  asffTypes: [ASFF_TYPE.bestPractices],
  failsWhen: 'The authentication mode is CONFIG_MAP: access is granted only through the aws-auth ConfigMap.',
  risk:
    'With CONFIG_MAP authentication, cluster access lives only in the aws-auth ConfigMap, which anyone able to ' +
    'edit it can change without an IAM trace, and a malformed edit can lock every administrator out.',
  remediation: {
    text:
      'Switch the authentication mode to API_AND_CONFIG_MAP, migrate the aws-auth entries to access entries, ' +
      'then switch to API.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html',
  },
  inputs: [],
  frameworks: [eksBestPractice('IAM / Use EKS access entries instead of the aws-auth ConfigMap')],
  parameters: {},
  evaluate({ cluster }) {
    const mode = cluster.accessConfig?.authenticationMode;
    if (mode === undefined) {
      throw new MissingDataError(`Cluster ${cluster.name} reports no accessConfig.authenticationMode.`);
    }
    const evidence = { authenticationMode: mode };
    switch (mode) {
      case 'CONFIG_MAP':
        return {
          status: 'FAILED',
          reason: `Cluster ${cluster.name} authenticates only through the aws-auth ConfigMap (mode CONFIG_MAP); switch to API_AND_CONFIG_MAP, migrate to access entries, then to API.`,
          evidence,
        };
      case 'API_AND_CONFIG_MAP':
        return {
          status: 'PASSED',
          reason: `Cluster ${cluster.name} uses EKS access entries (mode API_AND_CONFIG_MAP) but still honours the aws-auth ConfigMap; switch to API once its entries are migrated.`,
          evidence,
        };
      case 'API':
        return {
          status: 'PASSED',
          reason: `Cluster ${cluster.name} authenticates only through EKS access entries (mode API).`,
          evidence,
        };
      default:
        throw new MissingDataError(
          `Cluster ${cluster.name} reports an unknown accessConfig.authenticationMode ${String(mode)}.`,
        );
    }
  },
});
