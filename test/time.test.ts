import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { awsTimeValue, DAY_MS, parseAwsTime, readTime, wholeDaysBetween } from '../lib/time.js';

const ZONE_REQUIRED = { unstatedZone: 'problem', dateOnly: false } as const;

/** Instants whose ISO form, shifted by any offset, stays within the four-digit years ISO-8601 allows. */
const instant = fc.date({
  min: new Date('0001-01-02T00:00:00.000Z'),
  max: new Date('9998-12-30T23:59:59.999Z'),
  noInvalidDate: true,
});

/** An offset within ±23:59, in minutes. */
const offsetMinutes = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });

const pad = (value: number) => String(value).padStart(2, '0');

/** `time` as the wall-clock time at `offset` minutes from UTC, with that offset stated (`+05:30`). */
function withOffset(time: Date, offset: number): string {
  const wallClock = new Date(time.getTime() + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset < 0 ? '-' : '+';
  return `${wallClock}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysIn = (year: number, month: number) =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
const year = fc.integer({ min: 0, max: 9999 });
const month = fc.integer({ min: 1, max: 12 });
const isoDate = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;

describe('parseAwsTime and readTime', () => {
  it('round-trips any valid instant, written in UTC or with any offset', () => {
    fc.assert(
      fc.property(instant, offsetMinutes, (time, offset) => {
        // Act
        const fromUtc = parseAwsTime(time.toISOString());
        const fromOffset = readTime(withOffset(time, offset), ZONE_REQUIRED);
        // Assess
        expect(fromUtc?.getTime()).toBe(time.getTime());
        expect(fromOffset).toEqual({ time });
      }),
    );
  });

  it('reads a time without a zone as UTC, and refuses it where a zone is required', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(23, 19, 16), (time, length) => {
        // Prepare: with milliseconds, seconds, or minutes only
        const zoneless = time.toISOString().slice(0, length);
        // Act
        const asUtc = parseAwsTime(zoneless);
        const withZ = parseAwsTime(`${zoneless}Z`);
        const required = readTime(zoneless, ZONE_REQUIRED);
        // Assess
        expect(withZ).toBeDefined();
        expect(asUtc).toEqual(withZ);
        expect(required).toEqual({ problem: expect.stringContaining('states no zone') });
      }),
    );
  });

  it('reads a bare date as the start of that UTC day, where dates are allowed', () => {
    fc.assert(
      fc.property(year, month, fc.integer({ min: 1, max: 28 }), (y, m, d) => {
        // Act
        const time = parseAwsTime(isoDate(y, m, d));
        const asTime = readTime(isoDate(y, m, d), ZONE_REQUIRED);
        // Assess
        expect(time?.toISOString().slice(0, 10)).toBe(isoDate(y, m, d));
        expect(time?.getUTCHours()).toBe(0);
        expect(asTime).toEqual({ problem: expect.stringContaining('a date without a time') });
      }),
    );
  });

  it('rejects days a month does not have, such as 2026-02-30 and 2027-02-29', () => {
    fc.assert(
      fc.property(year, month, fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        fc.pre(d === 0 || d > daysIn(y, m));
        // Act
        const reading = readTime(`${isoDate(y, m, d)}T12:00:00Z`, ZONE_REQUIRED);
        // Assess
        expect(reading).toHaveProperty('problem');
        expect(parseAwsTime(`${isoDate(y, m, d)}T12:00:00`)).toBeUndefined();
      }),
    );
    expect(readTime('2026-02-30T00:00:00Z', ZONE_REQUIRED)).toEqual({
      problem: '"2026-02-30T00:00:00Z" names a day that does not exist (February 2026 has 28 days)',
    });
    expect(parseAwsTime('2028-02-29T00:00:00Z')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseAwsTime('2100-02-29')).toBeUndefined();
    expect(parseAwsTime('2000-02-29')).toBeDefined();
  });

  it('rejects months, hours, minutes and seconds out of range', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('month', 'hour', 'minute', 'second'),
        fc.integer({ min: 0, max: 99 }),
        (part, value) => {
          const outOfRange = {
            month: value < 1 || value > 12,
            hour: value > 23,
            minute: value > 59,
            second: value > 59,
          };
          fc.pre(outOfRange[part]);
          // Prepare
          const v = pad(value);
          const text = {
            month: `2026-${v}-01T00:00:00Z`,
            hour: `2026-01-01T${v}:00:00Z`,
            minute: `2026-01-01T00:${v}:00Z`,
            second: `2026-01-01T00:00:${v}Z`,
          }[part];
          // Act
          const reading = readTime(text, ZONE_REQUIRED);
          // Assess
          expect(reading).toHaveProperty('problem');
        },
      ),
    );
  });

  it('rejects offsets beyond ±23:59 and offsets not written ±hh:mm', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('+', '-'),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (sign, hours, minutes) => {
          fc.pre(hours > 23 || minutes > 59);
          // Act
          const reading = readTime(`2026-11-22T12:00:00${sign}${pad(hours)}:${pad(minutes)}`, ZONE_REQUIRED);
          // Assess
          expect(reading).toEqual({ problem: expect.stringContaining('impossible offset') });
        },
      ),
    );
    for (const text of ['2026-11-22T12:00:00+0530', '2026-11-22T12:00:00+5:30', '2026-11-22T12:00:00 Z']) {
      expect(readTime(text, ZONE_REQUIRED)).toEqual({
        problem: expect.stringContaining('is not an ISO-8601 time'),
      });
    }
  });

  it.each([
    ['a word', 'yesterday'],
    ['a space instead of T', '2026-11-22 12:00:00Z'],
    ['a lower-case t', '2026-11-22t12:00:00Z'],
    ['a two-digit year', '26-11-22T12:00:00Z'],
    ['epoch milliseconds', '1795000000000'],
    ['an empty string', ''],
  ])('rejects %s', (_, text) => {
    // Act
    const reading = readTime(text, { unstatedZone: 'utc', dateOnly: true });
    // Assess
    expect(reading).toEqual({
      problem: expect.stringContaining(`${JSON.stringify(text)} is not an ISO-8601 time`),
    });
  });

  it('keeps years before 100 as written (Date.UTC would move them to the 1900s)', () => {
    // Act
    const time = parseAwsTime('0050-06-01T00:00:00Z');
    // Assess
    expect(time?.toISOString()).toBe('0050-06-01T00:00:00.000Z');
  });

  it('truncates fractions beyond milliseconds', () => {
    // Act
    const time = parseAwsTime('2026-11-22T12:00:00.123456789+01:00');
    // Assess
    expect(time?.toISOString()).toBe('2026-11-22T11:00:00.123Z');
  });

  describe('under other process time zones', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it('gives the same instants in Tokyo, Los Angeles, Kathmandu and UTC', () => {
      fc.assert(
        fc.property(instant, fc.constantFrom(23, 19, 10), (time, length) => {
          // Prepare: zone-less times and bare dates are where JavaScript's parsers use local time
          const text = time.toISOString().slice(0, length);
          const readings = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kathmandu'].map((zone) => {
            process.env.TZ = zone;
            // Act
            return parseAwsTime(text)?.getTime();
          });
          // Assess
          expect(new Set(readings).size).toBe(1);
          expect(readings[0]).toBe(Date.parse(`${text.length === 10 ? `${text}T00:00:00` : text}Z`));
        }),
        { numRuns: 50 },
      );
    });
  });
});

describe('awsTimeValue', () => {
  it.each([
    ['a Date from the SDK', new Date('2026-11-26T00:00:00Z'), '2026-11-26T00:00:00.000Z'],
    ['an ISO string from an estate file', '2026-11-26T00:00:00Z', '2026-11-26T00:00:00.000Z'],
    ['a zone-less string', '2026-11-26T00:00:00', '2026-11-26T00:00:00.000Z'],
    ['a string with an offset', '2026-11-26T09:00:00+09:00', '2026-11-26T00:00:00.000Z'],
  ])('reads %s', (_, value, expected) => {
    // Act
    const time = awsTimeValue(value);
    // Assess
    expect(time?.toISOString()).toBe(expected);
  });

  it.each([
    ['absent', undefined],
    ['an invalid Date', new Date(Number.NaN)],
    ['an impossible date', '2026-02-30T00:00:00Z'],
  ])('is undefined for %s', (_, value) => {
    // Act
    const time = awsTimeValue(value);
    // Assess
    expect(time).toBeUndefined();
  });
});

describe('wholeDaysBetween', () => {
  it('counts whole 24-hour UTC days elapsed, negative when the second time is earlier', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -4000, max: 4000 }),
        fc.integer({ min: 0, max: DAY_MS - 1 }),
        (from, days, rest) => {
          // Prepare
          const to = new Date(from.getTime() + days * DAY_MS + rest);
          // Act
          const elapsed = wholeDaysBetween(from, to);
          // Assess
          expect(elapsed).toBe(days);
        },
      ),
    );
  });
});
