/**
 * Organizations (JSON): ListAccounts for the management account, serving every estate account as a
 * member of the organization `o-emulator`.
 */
import { AwsError } from '../protocols.js';
import { type EmulatorContext, type Handler, page } from './context.js';

/** ListAccounts takes MaxResults 1 to 20. */
const MAX_RESULTS = 20;
const ORGANIZATION_ID = 'o-emulator';
/** The estate has no join dates: every account reads as created in the organization at this time. */
const JOINED = '2020-01-01T00:00:00.000Z';

/** The retired `Status` mirrors `State`; a CLOSED account showed as SUSPENDED there. */
const LEGACY_STATUS: Readonly<Record<string, string>> = {
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
  PENDING_CLOSURE: 'PENDING_CLOSURE',
  CLOSED: 'SUSPENDED',
};

function managementAccountOf(context: EmulatorContext): string {
  const management = context.estate.organization?.managementAccountId;
  if (management === undefined) {
    throw new AwsError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  }
  if (context.account !== management) {
    throw new AwsError('AccessDeniedException', "You don't have permissions to access this resource.");
  }
  return management;
}

export const organizationsHandlers: Readonly<Record<string, Handler>> = {
  ListAccounts: (input: { MaxResults?: number; NextToken?: string }, context) => {
    const management = managementAccountOf(context);
    const accounts = context.estate.accounts.map((account) => {
      const name = account.name ?? account.accountId;
      return {
        Id: account.accountId,
        Arn: `arn:${context.estate.partition}:organizations::${management}:account/${ORGANIZATION_ID}/${account.accountId}`,
        Email: `${name}@example.com`,
        Name: name,
        State: account.state,
        Status: LEGACY_STATUS[account.state],
        JoinedMethod: 'CREATED',
        JoinedTimestamp: JOINED,
      };
    });
    const { items, nextToken } = page(
      accounts,
      {
        maxResults: input.MaxResults,
        nextToken: input.NextToken,
        cap: MAX_RESULTS,
        invalidTokenCode: 'InvalidInputException',
        validationCode: 'InvalidInputException',
      },
      context,
    );
    return { Accounts: items, NextToken: nextToken };
  },
};
