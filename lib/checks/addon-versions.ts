/**
 * EKS add-on versions (`v1.19.2-eksbuild.1`) read as numbers. As strings they sort wrong
 * (`v1.9.0` after `v1.10.0`, `eksbuild.10` before `eksbuild.9`), so they are never compared as text.
 */

export interface AddonVersion {
  readonly text: string;
  /** Major, minor, patch and EKS build, as digit strings without leading zeros (any length). */
  readonly numbers: readonly [string, string, string, string];
}

const ADDON_VERSION = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/;

const canonical = (digits: string) => digits.replace(/^0+(?=\d)/, '');

/** The version's numbers, or undefined when it is not `vX.Y.Z-eksbuild.N`. */
export function parseAddonVersion(text: string): AddonVersion | undefined {
  const match = ADDON_VERSION.exec(text);
  if (match === null) return undefined;
  const [, major = '', minor = '', patch = '', build = ''] = match;
  return { text, numbers: [canonical(major), canonical(minor), canonical(patch), canonical(build)] };
}

/** Compares digit strings of any length as numbers. */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer. */
export function compareAddonVersions(a: AddonVersion, b: AddonVersion): number {
  for (const [index, digits] of a.numbers.entries()) {
    const order = compareDigits(digits, b.numbers[index] ?? '0');
    if (order !== 0) return order;
  }
  return 0;
}
