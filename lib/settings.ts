/**
 * Deployment settings, read once from the function's environment and validated: a typo in a stage
 * parameter fails the cold start with the variable's name, instead of misbehaving later.
 */
import { z } from 'zod';
import { parseInput } from './validation.js';

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

const SETTINGS = z.looseObject({
  /** Role assumed in member accounts; unset: the account of the event's own execution role. */
  MEMBER_ROLE_NAME: z
    .string()
    .regex(ROLE_NAME, { error: 'expected an IAM role name' })
    .optional()
    .transform((value) => (value === '' ? undefined : value)),
});

export interface Settings {
  readonly memberRoleName?: string;
}

export function readSettings(environment: Readonly<Record<string, string | undefined>>): Settings {
  const parsed = parseInput(SETTINGS, environment, 'function settings (environment variables)');
  return parsed.MEMBER_ROLE_NAME === undefined ? {} : { memberRoleName: parsed.MEMBER_ROLE_NAME };
}
