import { describeFailure, MissingDataError, need } from '../snapshot/missing-data.js';
import type { Addon, AddonInfo } from '../snapshot/types.js';
import { type AddonVersion, compareAddonVersions, parseAddonVersion } from './addon-versions.js';
import { ASFF_TYPE } from './asff-types.js';
import { eksBestPractice } from './frameworks.js';
import { CLUSTER_RESOURCE } from './resources.js';
import { defineCheck } from './types.js';

type Judgement =
  | { readonly kind: 'outdated' | 'current'; readonly text: string }
  | { readonly kind: 'unjudged'; readonly text: string };

/** The offered versions of an add-on compatible with the cluster's Kubernetes version. */
const compatibleVersions = (info: AddonInfo, kubernetesVersion: string) =>
  (info.addonVersions ?? []).filter((version) =>
    (version.compatibilities ?? []).some(
      (compatibility) => compatibility.clusterVersion === kubernetesVersion,
    ),
  );

function judge(addon: Addon, offered: readonly AddonInfo[], kubernetesVersion: string): Judgement {
  const name = addon.addonName ?? 'unnamed add-on';
  const info = offered.find((candidate) => candidate.addonName === addon.addonName);
  if (info === undefined) {
    return {
      kind: 'unjudged',
      text: `${name}: DescribeAddonVersions offers no version of it for Kubernetes ${kubernetesVersion}`,
    };
  }
  const compatible = compatibleVersions(info, kubernetesVersion);
  const defaultVersion = compatible.find((version) =>
    (version.compatibilities ?? []).some(
      (compatibility) =>
        compatibility.clusterVersion === kubernetesVersion && compatibility.defaultVersion === true,
    ),
  )?.addonVersion;
  const latest = compatible
    .flatMap((version) => parseAddonVersion(version.addonVersion ?? '') ?? [])
    .reduce<AddonVersion | undefined>(
      (newest, version) =>
        newest === undefined || compareAddonVersions(version, newest) > 0 ? version : newest,
      undefined,
    );
  const installedText = addon.addonVersion ?? 'no version';
  const installed = parseAddonVersion(installedText);
  const versions = `installed ${installedText}, default ${defaultVersion ?? 'none'}, latest compatible ${latest?.text ?? 'none'}`;
  if (installed === undefined) {
    return {
      kind: 'unjudged',
      text: `${name}: installed version ${installedText} does not parse (${versions})`,
    };
  }
  if (defaultVersion === undefined) {
    return {
      kind: 'unjudged',
      text: `${name}: no default version for Kubernetes ${kubernetesVersion} (${versions})`,
    };
  }
  const parsedDefault = parseAddonVersion(defaultVersion);
  if (parsedDefault === undefined) {
    return {
      kind: 'unjudged',
      text: `${name}: default version ${defaultVersion} does not parse (${versions})`,
    };
  }
  return compareAddonVersions(installed, parsedDefault) < 0
    ? { kind: 'outdated', text: `${name} (${versions})` }
    : { kind: 'current', text: `${name} (${versions})` };
}

export default defineCheck({
  id: 'eks_cluster_addons_current',
  title: 'EKS add-ons of the cluster are at least at the default version for its Kubernetes version',
  resource: CLUSTER_RESOURCE,
  severities: ['LOW'],
  asffTypes: [ASFF_TYPE.patchManagement],
  failsWhen:
    "An installed add-on's version is older (numeric comparison of vX.Y.Z-eksbuild.N) than the default version " +
    "for the cluster's Kubernetes version; the reason gives installed, default and latest compatible. A version " +
    'that does not parse is named in the reason, never FAILED on its own.',
  risk:
    'An add-on older than the version EKS installs by default for the Kubernetes version misses fixes (security ' +
    'and compatibility) and may block or break the next cluster upgrade.',
  remediation: {
    text: 'Update the add-on to the default (or a later compatible) version: aws eks update-addon.',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html',
  },
  inputs: ['addons', 'addonVersions'],
  frameworks: [eksBestPractice('Cluster upgrades / Keep EKS add-ons healthy and compatible')],
  parameters: {},
  evaluate({ snapshot, cluster }) {
    const addons = need(snapshot.addons, `The EKS add-ons of cluster ${cluster.name}`);
    if (addons.length === 0) {
      return { status: 'NOT_APPLICABLE', reason: `Cluster ${cluster.name} has no EKS add-on installed.` };
    }
    const kubernetesVersion = cluster.version;
    if (kubernetesVersion === undefined) {
      throw new MissingDataError(`Cluster ${cluster.name} reports no Kubernetes version.`);
    }
    const what = `The add-on versions for Kubernetes ${kubernetesVersion}`;
    const byVersion = need(snapshot.addonVersions, what);
    const failure =
      snapshot.addonVersions.status === 'collected'
        ? snapshot.addonVersions.lookupFailures?.[kubernetesVersion]
        : undefined;
    if (failure !== undefined) {
      throw new MissingDataError(`${what} could not be collected: ${describeFailure(failure)}.`, failure);
    }
    const offered = byVersion[kubernetesVersion];
    if (offered === undefined) throw new MissingDataError(`${what} were not collected.`);
    const judgements = addons.map((addon) => judge(addon, offered, kubernetesVersion));
    const texts = (kind: Judgement['kind']) =>
      judgements.filter((judgement) => judgement.kind === kind).map((judgement) => judgement.text);
    const [outdated, current, unjudged] = [texts('outdated'), texts('current'), texts('unjudged')];
    const unjudgedNote = unjudged.length === 0 ? '' : ` Not judged: ${unjudged.join('; ')}.`;
    const evidence = { kubernetesVersion, outdated, current, unjudged };
    if (outdated.length > 0) {
      return {
        status: 'FAILED',
        reason: `Cluster ${cluster.name} (Kubernetes ${kubernetesVersion}) runs ${outdated.length} add-on(s) older than the default version: ${outdated.join('; ')}.${unjudgedNote}`,
        evidence,
      };
    }
    if (current.length === 0) {
      // Nothing was compared: claiming the add-ons current would rest on no data.
      return {
        status: 'NOT_APPLICABLE',
        reason: `No add-on version of cluster ${cluster.name} could be compared with a default version.${unjudgedNote}`,
        evidence,
      };
    }
    return {
      status: 'PASSED',
      reason: `The add-ons of cluster ${cluster.name} (Kubernetes ${kubernetesVersion}) are at or above the default version: ${current.join('; ')}.${unjudgedNote}`,
      evidence,
    };
  },
});
