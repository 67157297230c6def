/**
 * The AWS Config custom-rule invocation, validated. `invokingEvent` and `ruleParameters` arrive as JSON
 * strings; each problem is reported with its path (e.g. `invokingEvent.configurationItem.resourceId`).
 */
import * as z from 'zod/mini';
import { InputError, type InputProblem, parseInput } from '../validation.js';

const nonEmpty = z.string().check(z.minLength(1, { error: 'must not be empty' }));
const accountId = z.string().check(z.regex(/^\d{12}$/, { error: 'expected 12 digits' }));
const isoTime = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 time' });
const ITEM_STATUSES = [
  'OK',
  'ResourceDiscovered',
  'ResourceNotRecorded',
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
] as const;

/** What the rule needs of a configuration item (full or summary); Config sends many more members. */
const ITEM = z.looseObject({
  configurationItemCaptureTime: isoTime,
  configurationItemStatus: z.enum(ITEM_STATUSES),
  resourceType: nonEmpty,
  resourceId: nonEmpty,
  resourceName: z.optional(z.string()),
  awsRegion: nonEmpty,
  awsAccountId: accountId,
});

const INVOKING_EVENT = z.discriminatedUnion('messageType', [
  z.looseObject({
    messageType: z.literal('ConfigurationItemChangeNotification'),
    notificationCreationTime: isoTime,
    // Null when a deleted resource was never recorded.
    configurationItem: z.nullable(ITEM),
  }),
  z.looseObject({
    messageType: z.literal('OversizedConfigurationItemChangeNotification'),
    notificationCreationTime: isoTime,
    configurationItemSummary: ITEM,
  }),
  z.looseObject({
    messageType: z.literal('ScheduledNotification'),
    notificationCreationTime: isoTime,
    awsAccountId: accountId,
  }),
]);

const EVENT = z.looseObject({
  invokingEvent: nonEmpty,
  ruleParameters: z.optional(z.string()),
  resultToken: nonEmpty,
  eventLeftScope: z._default(z.boolean(), false),
  executionRoleArn: z.optional(z.string()),
  configRuleArn: z.string().check(
    z.regex(/^arn:[a-z-]+:config:[a-z0-9-]+:\d{12}:config-rule\/.+$/, {
      error:
        'expected a Config rule ARN such as arn:aws:config:eu-west-1:111111111111:config-rule/config-rule-0abc',
    }),
  ),
  configRuleName: nonEmpty,
  accountId,
});

export type ConfigItem = z.output<typeof ITEM>;
export type InvokingEvent = z.output<typeof INVOKING_EVENT>;

export interface ConfigRuleEvent {
  readonly invokingEvent: InvokingEvent;
  /** Rule parameters as Config passes them: strings. */
  readonly ruleParameters: Readonly<Record<string, string>>;
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  readonly executionRoleArn?: string;
  readonly configRuleName: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

const SOURCE = 'Config rule event';

/** Parses a member that Config sends as a JSON string, reporting a bad one under its own name. */
function parseJsonMember(text: string, member: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(
      [{ path: '(root)', message: `${member} is not valid JSON: ${(error as Error).message}` }],
      SOURCE,
    );
  }
}

/** Re-roots the problems of a nested parse under the member they came from. */
function within<T>(member: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const problems: InputProblem[] = error.problems.map((problem) => ({
      path:
        problem.path === '(root)'
          ? member
          : `${member}${problem.path.startsWith('[') ? '' : '.'}${problem.path}`,
      message: problem.message,
    }));
    throw new InputError(problems, SOURCE);
  }
}

export function parseConfigRuleEvent(input: unknown): ConfigRuleEvent {
  const event = parseInput(EVENT, input, SOURCE);
  const invokingEvent = within('invokingEvent', () =>
    parseInput(INVOKING_EVENT, parseJsonMember(event.invokingEvent, 'invokingEvent'), SOURCE),
  );
  const ruleParameters = within('ruleParameters', () =>
    parseInput(
      z.record(
        z.string(),
        z.string({ error: 'expected a string (Config passes rule parameters as strings)' }),
      ),
      event.ruleParameters === undefined || event.ruleParameters === ''
        ? {}
        : parseJsonMember(event.ruleParameters, 'ruleParameters'),
      SOURCE,
    ),
  );
  const [, partition = 'aws', , region = ''] = event.configRuleArn.split(':');
  return {
    invokingEvent,
    ruleParameters,
    resultToken: event.resultToken,
    eventLeftScope: event.eventLeftScope,
    ...(event.executionRoleArn === undefined ? {} : { executionRoleArn: event.executionRoleArn }),
    configRuleName: event.configRuleName,
    accountId: event.accountId,
    partition,
    region,
  };
}
