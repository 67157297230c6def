/**
 * The ASFF finding-type taxonomy (namespace/category/classifier), so declarations are checked
 * against it rather than against a free string. Categories are listed for the namespace we use.
 */
export const ASFF_TYPE = {
  bestPractices: 'Software and Configuration Checks/AWS Security Best Practices',
  networkReachability: 'Software and Configuration Checks/AWS Security Best Practices/Network Reachability',
  fsbp: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS Foundational Security Best Practices',
  cisHostHardening:
    'Software and Configuration Checks/Industry and Regulatory Standards/CIS Host Hardening Benchmarks',
  vulnerabilities: 'Software and Configuration Checks/Vulnerabilities',
  patchManagement: 'Software and Configuration Checks/Patch Management',
} as const;

const NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];

const SOFTWARE_AND_CONFIGURATION_CATEGORIES = [
  'Vulnerabilities',
  'AWS Security Best Practices',
  'Industry and Regulatory Standards',
  'Patch Management',
];

/** True when `type` is `namespace[/category[/classifier]]` with a known namespace (and category, for ours). */
export function isValidAsffType(type: string): boolean {
  const segments = type.split('/');
  if (segments.length < 1 || segments.length > 3 || segments.some((segment) => segment.trim() === ''))
    return false;
  const [namespace, category] = segments;
  if (!NAMESPACES.includes(namespace ?? '')) return false;
  if (namespace === 'Software and Configuration Checks' && category !== undefined) {
    return SOFTWARE_AND_CONFIGURATION_CATEGORIES.includes(category);
  }
  return true;
}
