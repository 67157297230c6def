/**
 * IPv4 and IPv6 address blocks as ranges of integers (bigint), so that what a set of CIDRs allows is
 * judged by the addresses it covers, never by how the CIDRs are spelt: `::/0`, `0::0/0` and
 * `0000:0000::/0` are one block, `0.0.0.1/0` (host bits set) is the whole IPv4 space, and
 * 0.0.0.0/1 with 128.0.0.0/1 together cover it too. Pure: no I/O, no AWS.
 */
import { ScannerError } from '../errors.js';

export type AddressFamily = 'IPv4' | 'IPv6';

export const ADDRESS_BITS: Readonly<Record<AddressFamily, number>> = { IPv4: 32, IPv6: 128 };

/** The highest address of a family: 2^bits - 1. */
export const lastAddressOf = (family: AddressFamily): bigint => (1n << BigInt(ADDRESS_BITS[family])) - 1n;

/** The addresses first..last (inclusive) of one family. */
export interface AddressRange {
  readonly family: AddressFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/** A CIDR as written, and the range it denotes (host bits cleared, as routers and AWS read it). */
export interface AddressBlock extends AddressRange {
  readonly cidr: string;
  readonly prefixLength: number;
}

/** Text that is not a CIDR block (`a.b.c.d/n` or an IPv6 address with `/n`). */
export class InvalidCidrError extends ScannerError {
  override name = 'InvalidCidrError';

  constructor(
    readonly cidr: string,
    why: string,
  ) {
    super(`${JSON.stringify(cidr)} is not a CIDR block: ${why}`);
  }
}

const DECIMAL = /^(0|[1-9]\d*)$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** A dotted-quad IPv4 address; leading zeros are refused (some parsers read them as octal). */
function parseIpv4(text: string, cidr: string): bigint {
  const octets = text.split('.');
  if (octets.length !== 4) throw new InvalidCidrError(cidr, `IPv4 address ${text} does not have four parts`);
  return octets.reduce((value, octet) => {
    if (!DECIMAL.test(octet) || Number(octet) > 255) {
      throw new InvalidCidrError(cidr, `${JSON.stringify(octet)} is not an octet (0-255)`);
    }
    return (value << 8n) | BigInt(octet);
  }, 0n);
}

/** The 16-bit groups of one side of `::` (an embedded IPv4 address, last, counts as two). */
function ipv6Groups(text: string, cidr: string, ipv4Allowed: boolean): bigint[] {
  if (text === '') return [];
  const parts = text.split(':');
  return parts.flatMap((part, index) => {
    if (ipv4Allowed && index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part, cidr);
      return [ipv4 >> 16n, ipv4 & 0xffffn];
    }
    if (!HEX_GROUP.test(part)) {
      throw new InvalidCidrError(cidr, `${JSON.stringify(part)} is not an IPv6 group (1-4 hex digits)`);
    }
    return [BigInt(`0x${part}`)];
  });
}

function parseIpv6(text: string, cidr: string): bigint {
  const halves = text.split('::');
  if (halves.length > 2) throw new InvalidCidrError(cidr, '"::" may appear only once');
  const [head = '', tail] = halves;
  const headGroups = ipv6Groups(head, cidr, tail === undefined);
  const tailGroups = tail === undefined ? [] : ipv6Groups(tail, cidr, true);
  const count = headGroups.length + tailGroups.length;
  if (tail === undefined ? count !== 8 : count > 7) {
    throw new InvalidCidrError(cidr, `IPv6 address ${text} does not have 8 groups`);
  }
  const groups = [...headGroups, ...Array<bigint>(8 - count).fill(0n), ...tailGroups];
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
}

/** Parses `address/prefix`, IPv4 or IPv6, any textual form; throws InvalidCidrError naming the text. */
export function parseCidr(cidr: string): AddressBlock {
  const slash = cidr.indexOf('/');
  if (slash < 0) throw new InvalidCidrError(cidr, 'no /prefix length');
  const address = cidr.slice(0, slash);
  const prefix = cidr.slice(slash + 1);
  const family: AddressFamily = address.includes(':') ? 'IPv6' : 'IPv4';
  const bits = ADDRESS_BITS[family];
  if (!DECIMAL.test(prefix) || Number(prefix) > bits) {
    throw new InvalidCidrError(cidr, `prefix length ${JSON.stringify(prefix)} is not 0-${bits}`);
  }
  const value = family === 'IPv4' ? parseIpv4(address, cidr) : parseIpv6(address, cidr);
  const prefixLength = Number(prefix);
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  const first = value & ~hostMask;
  return { cidr, family, prefixLength, first, last: first | hostMask };
}

/** The union of ranges: per family, sorted, with overlapping and adjacent ranges merged. */
export function unionOf(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) =>
    a.family !== b.family
      ? a.family < b.family
        ? -1
        : 1
      : a.first < b.first
        ? -1
        : a.first > b.first
          ? 1
          : 0,
  );
  const merged: { family: AddressFamily; first: bigint; last: bigint }[] = [];
  for (const range of sorted) {
    const previous = merged.at(-1);
    if (previous !== undefined && previous.family === range.family && range.first <= previous.last + 1n) {
      if (range.last > previous.last) previous.last = range.last;
    } else {
      merged.push({ family: range.family, first: range.first, last: range.last });
    }
  }
  return merged;
}

/** Whether the ranges, taken together, cover every address of the family. */
export const coversWholeSpace = (ranges: readonly AddressRange[], family: AddressFamily): boolean =>
  unionOf(ranges.filter((range) => range.family === family)).some(
    (range) => range.first === 0n && range.last === lastAddressOf(family),
  );

/** The families whose whole address space the ranges cover together. */
export const wholeSpacesCovered = (ranges: readonly AddressRange[]): AddressFamily[] =>
  (['IPv4', 'IPv6'] as const).filter((family) => coversWholeSpace(ranges, family));
