/**
 * Validating input people write (estate files, suppression lists, events, settings): every problem is
 * reported at once, each with the JSON path of the field and what was expected instead.
 */
import type * as core from 'zod/v4/core';
import { config, globalConfig, safeParse } from 'zod/v4/core';
import { en } from 'zod/v4/locales';
import { ScannerError } from './errors.js';

// Zod's own English messages, for the issues `describeIssue` leaves alone (and for direct `.parse` calls):
// classic `zod` installs them when its first schema is built, `zod/mini` (what the Lambda functions
// bundle) never does. As classic does, only when no locale was chosen.
if (globalConfig.localeError === undefined) config(en());

export interface InputProblem {
  /** Where in the input, e.g. `accounts[1].regions.eu-west-1.clusters[0].cluster.name`. */
  readonly path: string;
  readonly message: string;
}

/** Input that does not validate; `problems` lists every problem found, not only the first. */
export class InputError extends ScannerError {
  override name = 'InputError';

  constructor(
    readonly problems: readonly InputProblem[],
    readonly source: string,
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Invalid ${source} (${count}):\n${problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n')}`,
    );
  }
}

/** A value as a message quotes it. */
export const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));

/** A JSON path as people read it: `accounts[1].regions.eu-west-1.ssm.parameters["/aws/..."]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(segment)))
      text += `${text === '' ? '' : '.'}${String(segment)}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? '(root)' : text;
}

/** Messages in the input's terms: what was expected and what the input holds. */
export const describeIssue: core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'required'
        : `expected ${issue.expected}, got ${Array.isArray(issue.input) ? 'an array' : show(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map(show).join(' | ')}, got ${show(issue.input)}`;
    case 'too_small':
      return issue.origin === 'number'
        ? `expected at least ${issue.minimum}, got ${show(issue.input)}`
        : undefined;
    case 'too_big':
      return issue.origin === 'number'
        ? `expected at most ${issue.maximum}, got ${show(issue.input)}`
        : undefined;
    default:
      return undefined;
  }
};

/** One problem per issue; unknown keys name the keys the input may have at the top level. */
export function problemsOf(
  issues: readonly core.$ZodIssue[],
  topLevelKeys?: readonly string[],
): InputProblem[] {
  return issues.flatMap((issue): InputProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      const allowed =
        issue.path.length === 0 && topLevelKeys !== undefined
          ? `; expected only ${topLevelKeys.join(', ')}`
          : '';
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown key ${show(key)}${allowed}`,
      }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The alternative that came closest explains the input best.
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      return problemsOf(
        closest.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })),
        topLevelKeys,
      );
    }
    if (issue.code === 'invalid_key') {
      return problemsOf(issue.issues).map((inner) => ({ ...inner, path: formatPath(issue.path) }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/**
 * Parses `input` with `schema` (classic `zod` or `zod/mini`), or throws an InputError naming every
 * problem.
 */
export function parseInput<S extends core.$ZodType>(
  schema: S,
  input: unknown,
  source: string,
  topLevelKeys?: readonly string[],
): core.output<S> {
  const result = safeParse(schema, input, { error: describeIssue });
  if (!result.success) throw new InputError(problemsOf(result.error.issues, topLevelKeys), source);
  return result.data;
}
