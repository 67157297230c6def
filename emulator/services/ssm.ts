/**
 * Systems Manager Parameter Store (JSON): GetParameters. AWS public parameters (`/aws/service/...`)
 * are readable from every account of a Region, so they come from that Region of whichever estate
 * account defines them; any other parameter belongs to the caller's account and Region only.
 */
import { AwsError } from '../protocols.js';
import { type EmulatorContext, type Handler, page, regionOf } from './context.js';

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

/** DescribeInstanceInformation: MaxResults 5 to 50, 10 when the request names none (SSM API reference). */
const INSTANCE_INFORMATION_RANGE = { min: 5, max: 50, default: 10 } as const;

type EstateInstanceInformation = NonNullable<
  NonNullable<ReturnType<typeof regionOf>>['ssm']['instanceInformation']
>[number];

/** The `Filters` keys the emulator evaluates, by what they read of a managed node. */
const INSTANCE_INFORMATION_FILTERS: Readonly<
  Record<string, (node: EstateInstanceInformation) => string | undefined>
> = {
  InstanceIds: (node) => node.InstanceId,
  ResourceType: (node) => node.ResourceType,
  PingStatus: (node) => node.PingStatus,
  PlatformTypes: (node) => node.PlatformType,
  AgentVersion: (node) => node.AgentVersion,
};

/** SSM's message for a request member outside its constraint. */
const constraintError = (value: unknown, member: string, constraint: string) =>
  new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must ${constraint}`,
  );

export const ssmHandlers: Readonly<Record<string, Handler>> = {
  /**
   * The Region's managed nodes (estate `ssm.instanceInformation`), Filters ANDed and values ORed. A
   * registered-id check, as SSM does for an InstanceIds filter naming a node it does not manage, fails the
   * whole call: the reason the scanner lists the Region instead (aws-facts, "The 2026 estate").
   */
  DescribeInstanceInformation: (
    input: {
      Filters?: { Key?: string; Values?: string[] }[];
      InstanceInformationFilterList?: unknown[];
      MaxResults?: number;
      NextToken?: string;
    },
    context,
  ) => {
    const { MaxResults } = input;
    if (MaxResults !== undefined && MaxResults < INSTANCE_INFORMATION_RANGE.min) {
      throw constraintError(
        MaxResults,
        'maxResults',
        `have value greater than or equal to ${INSTANCE_INFORMATION_RANGE.min}`,
      );
    }
    if (MaxResults !== undefined && MaxResults > INSTANCE_INFORMATION_RANGE.max) {
      throw constraintError(
        MaxResults,
        'maxResults',
        `have value less than or equal to ${INSTANCE_INFORMATION_RANGE.max}`,
      );
    }
    if (input.InstanceInformationFilterList !== undefined && input.Filters !== undefined) {
      throw new AwsError(
        'InvalidInstanceInformationFilterValue',
        'InstanceInformationFilterList and Filters cannot be used in the same request.',
      );
    }
    const nodes = regionOf(context)?.ssm.instanceInformation ?? [];
    let selected = [...nodes];
    for (const filter of input.Filters ?? []) {
      const key = filter.Key ?? '';
      const read = INSTANCE_INFORMATION_FILTERS[key];
      if (read === undefined) {
        throw new AwsError('InvalidFilterKey', `The filter key ${key} is not valid.`);
      }
      const values = filter.Values ?? [];
      if (values.length === 0) {
        throw constraintError('[]', 'filters.member.values', 'have length greater than or equal to 1');
      }
      if (key === 'InstanceIds') {
        const known = new Set(nodes.map((node) => node.InstanceId));
        const unknown = values.filter((id) => !known.has(id));
        if (unknown.length > 0) {
          throw new AwsError(
            'InvalidInstanceId',
            `Instances [[${unknown.join(', ')}]] not in a valid state for account ${context.account}`,
          );
        }
      }
      selected = selected.filter((node) => values.includes(read(node) ?? ''));
    }
    const { items, nextToken } = page(
      selected,
      {
        maxResults: MaxResults,
        nextToken: input.NextToken,
        cap: INSTANCE_INFORMATION_RANGE.max,
        defaultSize: INSTANCE_INFORMATION_RANGE.default,
        invalidTokenCode: 'InvalidNextToken',
      },
      context,
    );
    return { InstanceInformationList: items, NextToken: nextToken };
  },
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
