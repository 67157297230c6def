/**
 * The address-range module against a brute-force reference (fast-check): on a small prefix space (blocks
 * no longer than /CELL_BITS), every block is a run of 2^CELL_BITS cells, so what a set of blocks covers can
 * be computed cell by cell and compared with the union and coverage the module computes with bigints.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  ADDRESS_BITS,
  type AddressBlock,
  type AddressFamily,
  coversWholeSpace,
  InvalidCidrError,
  lastAddressOf,
  parseCidr,
  unionOf,
  wholeSpacesCovered,
} from '../../lib/net/address-ranges.js';

/** Blocks no longer than /4: the reference divides each address space into 16 cells. */
const CELL_BITS = 4;
const CELLS = 1 << CELL_BITS;

const ipv4Text = (value: bigint) =>
  [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');

const ipv6GroupsOf = (value: bigint) =>
  Array.from({ length: 8 }, (_, index) => (value >> BigInt(112 - 16 * index)) & 0xffffn);

/** The textual forms of one IPv6 address the module must read alike. */
const ipv6Forms = (value: bigint): string[] => {
  const groups = ipv6GroupsOf(value).map((group) => group.toString(16));
  const full = ipv6GroupsOf(value).map((group) => group.toString(16).padStart(4, '0'));
  const forms = [groups.join(':'), full.join(':'), full.join(':').toUpperCase()];
  // Compress the first run of zero groups (any run is a valid compression).
  const start = groups.indexOf('0');
  if (start >= 0) {
    let end = start;
    while (groups[end + 1] === '0') end += 1;
    forms.push(`${groups.slice(0, start).join(':')}::${groups.slice(end + 1).join(':')}`);
  }
  return forms;
};

const addressText = (family: AddressFamily, value: bigint) =>
  family === 'IPv4' ? ipv4Text(value) : (ipv6Forms(value)[0] as string);

const anAddress = (family: AddressFamily) => fc.bigInt({ min: 0n, max: lastAddressOf(family) });

/** A short block written with arbitrary host bits, as a CIDR text. */
const aShortBlock = (family: AddressFamily) =>
  fc
    .tuple(anAddress(family), fc.integer({ min: 0, max: CELL_BITS }))
    .map(([address, prefix]) => `${addressText(family, address)}/${prefix}`);

/** The cells (of 16) each block covers, computed from the text alone: the brute-force reference. */
function referenceCells(family: AddressFamily, cidrs: readonly string[]): Set<number> {
  const cells = new Set<number>();
  const shift = BigInt(ADDRESS_BITS[family] - CELL_BITS);
  for (const cidr of cidrs) {
    const [address = '', prefix = ''] = cidr.split('/');
    const value =
      family === 'IPv4'
        ? address.split('.').reduce((total, octet) => total * 256n + BigInt(octet), 0n)
        : BigInt(
            `0x${address
              .split(':')
              .map((group) => group.padStart(4, '0'))
              .join('')}`,
          );
    const topCell = Number(value >> shift);
    const span = 1 << (CELL_BITS - Number(prefix));
    const firstCell = topCell - (topCell % span);
    for (let cell = firstCell; cell < firstCell + span; cell += 1) cells.add(cell);
  }
  return cells;
}

const cellsOfRanges = (family: AddressFamily, blocks: readonly { first: bigint; last: bigint }[]) => {
  const shift = BigInt(ADDRESS_BITS[family] - CELL_BITS);
  const cells = new Set<number>();
  for (const block of blocks) {
    for (let cell = Number(block.first >> shift); cell <= Number(block.last >> shift); cell += 1) {
      cells.add(cell);
    }
  }
  return cells;
};

describe('address ranges', () => {
  describe.each(['IPv4', 'IPv6'] as const)('%s, against the brute-force reference', (family) => {
    it('covers the whole space exactly when every cell is covered', () => {
      fc.assert(
        fc.property(fc.array(aShortBlock(family), { maxLength: 12 }), (cidrs) => {
          // Prepare
          const blocks = cidrs.map(parseCidr);
          // Act
          const covered = coversWholeSpace(blocks, family);
          // Assess
          expect(covered).toBe(referenceCells(family, cidrs).size === CELLS);
        }),
      );
    });

    it('unions to disjoint, non-adjacent, sorted ranges covering the same cells', () => {
      fc.assert(
        fc.property(fc.array(aShortBlock(family), { maxLength: 12 }), (cidrs) => {
          // Prepare
          const blocks = cidrs.map(parseCidr);
          // Act
          const union = unionOf(blocks);
          // Assess
          expect(cellsOfRanges(family, union)).toEqual(referenceCells(family, cidrs));
          for (const [index, range] of union.entries()) {
            expect(range.first <= range.last).toBe(true);
            const next = union[index + 1];
            if (next !== undefined) expect(next.first > range.last + 1n).toBe(true);
          }
        }),
      );
    });

    it('reads any block as the range of its network, whatever host bits are set', () => {
      fc.assert(
        fc.property(
          anAddress(family),
          fc.integer({ min: 0, max: ADDRESS_BITS[family] }),
          (address, prefix) => {
            // Prepare
            const hostBits = BigInt(ADDRESS_BITS[family] - prefix);
            // Act
            const block = parseCidr(`${addressText(family, address)}/${prefix}`);
            // Assess
            expect(block.family).toBe(family);
            expect(block.first).toBe((address >> hostBits) << hostBits);
            expect(block.last - block.first).toBe((1n << hostBits) - 1n);
          },
        ),
      );
    });
  });

  it('reads every textual form of an IPv6 address alike', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anAddress('IPv6'),
          // Addresses with runs of zero groups, where compression applies.
          fc
            .array(fc.constantFrom(0n, 0n, 0n, 1n, 0xabcdn), { minLength: 8, maxLength: 8 })
            .map((groups) => groups.reduce<bigint>((value, group) => (value << 16n) | group, 0n)),
        ),
        fc.integer({ min: 0, max: 128 }),
        (address, prefix) => {
          // Prepare
          const forms = ipv6Forms(address).map((form) => `${form}/${prefix}`);
          // Act
          const ranges = forms.map((form) => {
            const { first, last } = parseCidr(form);
            return { first, last };
          });
          // Assess
          for (const range of ranges) expect(range).toEqual(ranges[0]);
        },
      ),
    );
  });

  it.each([
    ['0.0.0.0/0', 'IPv4'],
    ['0.0.0.1/0', 'IPv4'],
    ['255.255.255.255/0', 'IPv4'],
    ['::/0', 'IPv6'],
    ['0::0/0', 'IPv6'],
    ['::0/0', 'IPv6'],
    ['0:0:0:0:0:0:0:0/0', 'IPv6'],
    ['0000:0000:0000:0000:0000:0000:0000:0000/0', 'IPv6'],
    ['FFFF::/0', 'IPv6'],
    ['::ffff:10.0.0.1/0', 'IPv6'],
  ])('reads %s as the whole %s space', (cidr, family) => {
    // Act
    const covered = wholeSpacesCovered([parseCidr(cidr)]);
    // Assess
    expect(covered).toEqual([family]);
  });

  it.each([
    [['0.0.0.0/1', '128.0.0.0/1'], ['IPv4']],
    [['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1'], ['IPv4']],
    [
      ['::/1', '8000::/1', '0.0.0.0/0'],
      ['IPv4', 'IPv6'],
    ],
    [['0.0.0.0/1', '128.0.0.0/2'], []],
    [['::/1', '0.0.0.0/1', '128.0.0.0/1'], ['IPv4']],
    [['203.0.113.0/24', '2001:db8::/32'], []],
  ])('finds that %j cover %j', (cidrs, families) => {
    // Act
    const covered = wholeSpacesCovered(cidrs.map(parseCidr));
    // Assess
    expect(covered).toEqual(families);
  });

  it('keeps IPv4 and IPv6 apart in a union', () => {
    // Act
    const union = unionOf(['10.0.0.0/8', '::a00:0/104', '10.0.0.0/9'].map(parseCidr));
    // Assess
    expect(union).toEqual([
      { family: 'IPv4', first: 0x0a000000n, last: 0x0affffffn },
      { family: 'IPv6', first: 0x0a000000n, last: 0x0affffffn },
    ]);
  });

  it('keeps the text it read, and the prefix length', () => {
    // Act
    const block: AddressBlock = parseCidr('10.1.2.3/8');
    // Assess
    expect(block).toEqual({
      cidr: '10.1.2.3/8',
      family: 'IPv4',
      prefixLength: 8,
      first: 0x0a000000n,
      last: 0x0affffffn,
    });
  });

  it.each([
    ['', 'no /prefix length'],
    ['10.0.0.0', 'no /prefix length'],
    ['10.0.0/8', 'four parts'],
    ['10.0.0.256/8', 'octet'],
    ['10.0.0.01/8', 'octet'],
    ['10.0.0.0/33', 'prefix length'],
    ['10.0.0.0/', 'prefix length'],
    ['10.0.0.0/-1', 'prefix length'],
    [' 10.0.0.0/8', 'octet'],
    ['::/129', 'prefix length'],
    ['1::2::3/64', 'only once'],
    ['1:2:3:4:5:6:7/64', '8 groups'],
    ['1:2:3:4:5:6:7:8:9/64', '8 groups'],
    ['1:2:3:4::5:6:7:8/64', '8 groups'],
    ['12345::/16', 'IPv6 group'],
    ['fe80::1%eth0/64', 'IPv6 group'],
    ['g::/16', 'IPv6 group'],
    ['1.2.3.4::/64', 'IPv6 group'],
  ])('refuses %j, saying why (%s)', (cidr, why) => {
    // Act
    const parse = () => parseCidr(cidr);
    // Assess
    expect(parse).toThrow(InvalidCidrError);
    expect(parse).toThrow(why);
    expect(parse).toThrow(JSON.stringify(cidr));
  });
});
