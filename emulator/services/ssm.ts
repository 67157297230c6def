/**
 * Systems Manager Parameter Store (JSON): GetParameters. AWS public parameters (`/aws/service/...`)
 * are readable from every account of a Region, so they come from that Region of whichever estate
 * account defines them; any other parameter belongs to the caller's account and Region only.
 */
import { AwsError } from '../protocols.js';
import { type EmulatorContext, type Handler, regionOf } from './context.js';

/** GetParameters takes at most 10 names. */
const MAX_NAMES = 10;
const PUBLIC_PREFIX = '/aws/service/';
/** The estate records values only; every parameter reads as version 1 written at this fixed time. */
const LAST_MODIFIED = '2026-01-01T00:00:00.000Z';

const isPublic = (name: string) => name.startsWith(PUBLIC_PREFIX);

function parameterValue(context: EmulatorContext, name: string): string | undefined {
  const own = regionOf(context)?.ssm.parameters[name];
  if (own !== undefined || !isPublic(name)) return own;
  for (const account of context.estate.accounts) {
    const value = account.regions[context.region]?.ssm.parameters[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Public parameters have no account in their ARN; a name without a leading slash gets one. */
function arnOf(context: EmulatorContext, name: string): string {
  const account = isPublic(name) ? '' : context.account;
  const path = name.startsWith('/') ? name : `/${name}`;
  return `arn:${context.estate.partition}:ssm:${context.region}:${account}:parameter${path}`;
}

export const ssmHandlers: Readonly<Record<string, Handler>> = {
  GetParameters: (input: { Names?: string[]; WithDecryption?: boolean }, context) => {
    const names = [...new Set(input.Names ?? [])];
    if (names.length === 0) {
      throw new AwsError(
        'ValidationException',
        "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    }
    if ((input.Names ?? []).length > MAX_NAMES) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to ${MAX_NAMES}`,
      );
    }
    const found = names.flatMap((name) => {
      const value = parameterValue(context, name);
      return value === undefined
        ? []
        : [
            {
              Name: name,
              Type: 'String',
              Value: value,
              Version: 1,
              LastModifiedDate: LAST_MODIFIED,
              ARN: arnOf(context, name),
              DataType: 'text',
            },
          ];
    });
    const invalid = names.filter((name) => parameterValue(context, name) === undefined);
    return { Parameters: found, InvalidParameters: invalid };
  },
};
