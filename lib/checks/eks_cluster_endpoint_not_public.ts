import {
  type AddressBlock,
  type AddressFamily,
  InvalidCidrError,
  parseCidr,
  wholeSpacesCovered,
} from '../net/address-ranges.js';
import { MissingDataError } from '../snapshot/missing-data.js';
import { ASFF_TYPE } from './asff-types.js';
import { cisEks, eksBestPractice, fsbp, parameterIs } from './frameworks.js';
import { booleanParameter } from './parameters.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

/** FSBP EKS.1 and CIS 5.4.2 fail every public endpoint: they are this check's verdict only in this setting. */
const PUBLIC_ENDPOINTS_FAIL = parameterIs('allowRestrictedPublicEndpoint', false);
/** CIS 5.4.1 asks for a restricted endpoint, which is what the check judges in the other setting. */
const RESTRICTED_ENDPOINTS_PASS = parameterIs('allowRestrictedPublicEndpoint', true);

/** What publicAccessCidrs allow, read as address ranges rather than strings. */
interface Exposure {
  /** Why the list restricts nothing (absent, empty, an empty string), if it does not. */
  readonly unrestricted?: string;
  /** Address families whose whole space the list covers, with the blocks of that family. */
  readonly openTo: readonly { family: AddressFamily; cidrs: readonly string[] }[];
  /** Entries that are not CIDR blocks, with why. */
  readonly malformed: readonly string[];
}

function exposureOf(publicAccessCidrs: unknown): Exposure {
  // EKS's own default for a public endpoint is 0.0.0.0/0: an absent or empty list allows everyone.
  // https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html
  if (publicAccessCidrs === undefined || publicAccessCidrs === null) {
    return { unrestricted: 'it reports no publicAccessCidrs', openTo: [], malformed: [] };
  }
  if (!Array.isArray(publicAccessCidrs)) {
    return {
      openTo: [],
      malformed: [`publicAccessCidrs is ${JSON.stringify(publicAccessCidrs)}, not a list`],
    };
  }
  if (publicAccessCidrs.length === 0) {
    return { unrestricted: 'its publicAccessCidrs list is empty', openTo: [], malformed: [] };
  }
  const blocks: AddressBlock[] = [];
  const malformed: string[] = [];
  let emptyEntry = false;
  for (const entry of publicAccessCidrs) {
    if (entry === '') emptyEntry = true;
    else if (typeof entry !== 'string') malformed.push(`${JSON.stringify(entry)} is not a string`);
    else {
      try {
        blocks.push(parseCidr(entry));
      } catch (error) {
        if (!(error instanceof InvalidCidrError)) throw error;
        malformed.push(error.message);
      }
    }
  }
  const openTo = wholeSpacesCovered(blocks).map((family) => ({
    family,
    cidrs: blocks.filter((block) => block.family === family).map((block) => block.cidr),
  }));
  return {
    ...(emptyEntry ? { unrestricted: 'its publicAccessCidrs contain an empty string' } : {}),
    openTo,
    malformed,
  };
}

const describeOpenness = (exposure: Exposure): string =>
  [
    ...(exposure.unrestricted === undefined
      ? []
      : [`unrestricted, since ${exposure.unrestricted} (EKS then allows 0.0.0.0/0)`]),
    ...exposure.openTo.map(({ family, cidrs }) =>
      cidrs.length === 1
        ? `open to the whole ${family} space (${cidrs[0]})`
        : `open to the whole ${family} space (${cidrs.join(', ')} together cover it)`,
    ),
  ].join(' and ');

export default defineCheck({
  id: 'eks_cluster_endpoint_not_public',
  title: 'EKS cluster API endpoint is not open to the whole internet',
  resource: CLUSTER_RESOURCE,
  severities: ['HIGH'],
  asffTypes: [ASFF_TYPE.networkReachability, ASFF_TYPE.fsbp],
  failsWhen:
    'The API endpoint is public: by default (allowRestrictedPublicEndpoint=false, as FSBP EKS.1) always; with ' +
    'true, when its publicAccessCidrs together cover the whole IPv4 or IPv6 space (unions, any spelling of ::/0, ' +
    'host bits set) or restrict nothing (absent, empty, an empty string: EKS then allows 0.0.0.0/0). A malformed ' +
    'CIDR is ERROR.',
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
    fsbp('EKS.1', PUBLIC_ENDPOINTS_FAIL),
    cisEks('5.4.2', PUBLIC_ENDPOINTS_FAIL),
    eksBestPractice('IAM / Make the EKS cluster endpoint private', PUBLIC_ENDPOINTS_FAIL),
    cisEks('5.4.1', RESTRICTED_ENDPOINTS_PASS),
  ],
  parameters: {
    allowRestrictedPublicEndpoint: booleanParameter({
      description:
        'Whether a public endpoint restricted to specific CIDRs passes. false (the default): any public endpoint ' +
        'fails, as FSBP EKS.1 and CIS 5.4.2, which results then cite; true: only one open to the whole internet ' +
        'fails, and results cite CIS 5.4.1 instead.',
      default: false,
    }),
  },
  evaluate({ cluster }, { parameters }) {
    const config = cluster.resourcesVpcConfig;
    const publicAccess: unknown = config?.endpointPublicAccess;
    if (typeof publicAccess !== 'boolean') {
      throw new MissingDataError(
        publicAccess === undefined
          ? `Cluster ${cluster.name} reports no resourcesVpcConfig.endpointPublicAccess.`
          : `Cluster ${cluster.name} reports resourcesVpcConfig.endpointPublicAccess ${JSON.stringify(publicAccess)}, not a boolean.`,
      );
    }
    if (!publicAccess) {
      return { status: 'PASSED', reason: `Cluster ${cluster.name} has no public API endpoint.` };
    }
    const exposure = exposureOf(config?.publicAccessCidrs);
    const open = exposure.unrestricted !== undefined || exposure.openTo.length > 0;
    const evidence = {
      endpointPublicAccess: true,
      publicAccessCidrs: config?.publicAccessCidrs ?? null,
      openTo: exposure.openTo.map(({ family }) => family),
      ...(exposure.unrestricted === undefined ? {} : { unrestricted: exposure.unrestricted }),
      ...(exposure.malformed.length === 0 ? {} : { malformed: exposure.malformed }),
      allowRestrictedPublicEndpoint: parameters.allowRestrictedPublicEndpoint,
    };
    const alsoMalformed =
      exposure.malformed.length === 0 ? '' : ` Also malformed: ${exposure.malformed.join('; ')}.`;
    if (open) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} API endpoint is public and ${describeOpenness(exposure)}.${alsoMalformed}`,
        evidence,
      };
    }
    if (!parameters.allowRestrictedPublicEndpoint) {
      return {
        status: 'FAILED',
        reason:
          `Cluster ${cluster.name} API endpoint is public (restricted to ${(config?.publicAccessCidrs ?? []).join(', ')}); ` +
          `public endpoints are not allowed (allowRestrictedPublicEndpoint=false, as FSBP EKS.1).${alsoMalformed}`,
        evidence,
      };
    }
    if (exposure.malformed.length > 0) {
      throw new MissingDataError(
        `Cluster ${cluster.name} has a public endpoint whose publicAccessCidrs cannot be judged: ${exposure.malformed.join('; ')}.`,
      );
    }
    return {
      status: 'PASSED',
      reason: `Cluster ${cluster.name} API endpoint is public but restricted to ${(config?.publicAccessCidrs ?? []).join(', ')}, which cover neither the whole IPv4 nor the whole IPv6 space.`,
      evidence,
    };
  },
});
