/**
 * Times from AWS and from people, read without the machine's time zone. JavaScript's own parsers read
 * a time without a zone as local time and roll impossible dates over (2026-02-30 becomes March 2), so a
 * scan's verdicts would depend on where it runs. Here a time is strict ISO-8601 (RFC 3339 profile):
 * a stated zone (Z or ±hh:mm) is honoured, and a missing one is either UTC (AWS writes its string dates,
 * such as EC2 Image.CreationDate, in UTC) or a problem, as the caller decides.
 */

/** A UTC day: UTC has no daylight saving, and JavaScript time has no leap seconds. */
export const DAY_MS = 86_400_000;

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):(\d{2}))?)?$/;

const FORMAT = 'YYYY-MM-DDThh:mm[:ss[.fff]] followed by Z or an offset such as +09:00';

export interface TimeRules {
  /** What a time that states no zone means: UTC (data from AWS), or a problem (input from a person). */
  readonly unstatedZone: 'utc' | 'problem';
  /** Whether a bare date (2027-01-31) is accepted, as the start of that day in UTC. */
  readonly dateOnly: boolean;
}

export type TimeReading = { readonly time: Date } | { readonly problem: string };

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Reads `text` as an ISO-8601 time under `rules`: the instant it names, or why it names none. */
export function readTime(text: string, rules: TimeRules): TimeReading {
  const match = ISO_TIME.exec(text);
  if (match === null) return { problem: `${JSON.stringify(text)} is not an ISO-8601 time (${FORMAT})` };
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fraction, zone, sign] = match;
  const [year, month, day] = [yearText, monthText, dayText].map(Number) as [number, number, number];
  if (month < 1 || month > 12) return { problem: `${JSON.stringify(text)} has no month ${month}` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return {
      problem: `${JSON.stringify(text)} names a day that does not exist (${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days)`,
    };
  }
  if (hourText === undefined && !rules.dateOnly) {
    return { problem: `${JSON.stringify(text)} is a date without a time and zone (${FORMAT})` };
  }
  const [hour, minute, second] = [hourText, minuteText, secondText].map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
  ];
  if (hour > 23 || minute > 59 || second > 59) {
    return { problem: `${JSON.stringify(text)} names a time of day that does not exist` };
  }
  let offsetMinutes = 0;
  if (zone === undefined && hourText !== undefined && rules.unstatedZone === 'problem') {
    return { problem: `${JSON.stringify(text)} states no zone (add Z for UTC, or an offset such as +09:00)` };
  }
  if (zone !== undefined && zone !== 'Z') {
    const [offsetHours, offsetMinutesPart] = [match[10], match[11]].map(Number) as [number, number];
    if (offsetHours > 23 || offsetMinutesPart > 59) {
      return { problem: `${JSON.stringify(text)} has an impossible offset ${zone} (at most ±23:59)` };
    }
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutesPart);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const time = new Date(0);
  time.setUTCFullYear(year, month - 1, day);
  time.setUTCHours(hour, minute - offsetMinutes, second, Number((fraction ?? '').padEnd(3, '0').slice(0, 3)));
  return { time };
}

const AWS_RULES: TimeRules = { unstatedZone: 'utc', dateOnly: true };

/** A time as AWS (or an estate file, which holds what AWS returns) writes it; undefined when it is none. */
export function parseAwsTime(text: string): Date | undefined {
  const reading = readTime(text, AWS_RULES);
  return 'time' in reading ? reading.time : undefined;
}

/**
 * A time member of an AWS response: the SDK gives a Date, an estate file read as plain JSON a string.
 * Undefined when absent or not a valid time.
 */
export function awsTimeValue(value: Date | string | undefined): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  return value === undefined ? undefined : parseAwsTime(value);
}

/** Whole UTC days (24 hours each) elapsed from `from` to `to`; negative when `to` is earlier. */
export const wholeDaysBetween = (from: Date, to: Date): number =>
  Math.floor((to.getTime() - from.getTime()) / DAY_MS);
