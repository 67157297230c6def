/**
 * Discovery: who the scanner runs as, which accounts of the organization to scan, how to get into
 * each, and which Regions each has enabled. Every function throws the SDK's error when its call
 * fails; the scan records it as the failure of that account or Region.
 */
import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { type OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { IncompleteResponseError, toCollectionFailure } from './aws/errors.js';
import { createStsClient } from './aws/sts.js';
import type { CollectionFailure } from './snapshot/types.js';

/** The session name member accounts see in CloudTrail for the scanner's calls. */
export const SESSION_NAME = 'eks-compliance-scanner';
/** Role chaining (a Lambda assuming a role) caps a session at one hour. */
export const SESSION_SECONDS = 3600;
/** ListAccounts returns at most 20 accounts a page. */
const ACCOUNTS_PAGE_SIZE = 20;

/**
 * The ids of the organization's ACTIVE accounts (management account or delegated administrator only).
 * Pages may come back empty before the last one, so paging goes on while there is a next token.
 */
export async function listAccounts(client: OrganizationsClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateListAccounts({ client }, { MaxResults: ACCOUNTS_PAGE_SIZE })) {
    for (const account of page.Accounts ?? []) {
      // `State` replaces the retired `Status`.
      if (account.State === 'ACTIVE' && account.Id !== undefined) ids.push(account.Id);
    }
  }
  return ids;
}

export interface CallerIdentity {
  readonly accountId: string;
  /** From the caller's ARN: aws, aws-cn, aws-us-gov... */
  readonly partition: string;
  readonly arn: string;
}

export async function callerIdentity(client: STSClient): Promise<CallerIdentity> {
  const { Account, Arn } = await client.send(new GetCallerIdentityCommand({}));
  const partition = Arn?.split(':')[1];
  if (Account === undefined || Arn === undefined || partition === undefined || partition === '') {
    throw new IncompleteResponseError(
      `GetCallerIdentity returned no usable account and ARN (Account ${Account}, Arn ${Arn}).`,
    );
  }
  return { accountId: Account, partition, arn: Arn };
}

/** The role the scanner assumes in each member account unless told otherwise (resources/member-role.yml). */
export const DEFAULT_ROLE_NAME = 'EksComplianceScannerRole';

export interface AssumeRoleRequest {
  /** The role to assume: the scanner role in a member account (`roleArn(...)`), or one an event names. */
  readonly roleArn: string;
  /** The Region whose STS endpoint is called (regional STS, never the global endpoint). */
  readonly region: string;
  /** The credentials that assume the role; otherwise the SDK's default chain. */
  readonly sourceCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly endpoint?: string;
}

export const roleArn = (role: { accountId: string; partition: string; roleName: string }): string =>
  `arn:${role.partition}:iam::${role.accountId}:role/${role.roleName}`;

/** Temporary credentials for the scanner role in the account, valid for one hour. */
export async function assumeRoleCredentials(request: AssumeRoleRequest): Promise<AwsCredentialIdentity> {
  const client = createStsClient({
    region: request.region,
    credentials: request.sourceCredentials,
    endpoint: request.endpoint,
  });
  try {
    const { Credentials } = await client.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: SESSION_NAME,
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    if (
      Credentials?.AccessKeyId === undefined ||
      Credentials.SecretAccessKey === undefined ||
      Credentials.SessionToken === undefined
    ) {
      throw new IncompleteResponseError(`AssumeRole into ${request.roleArn} returned no credentials.`);
    }
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      ...(Credentials.Expiration === undefined ? {} : { expiration: Credentials.Expiration }),
    };
  } finally {
    client.destroy();
  }
}

/** The Regions enabled for the account (opted-in or not requiring opt-in), sorted by name. */
export async function enabledRegions(client: EC2Client): Promise<string[]> {
  const { Regions } = await client.send(new DescribeRegionsCommand({ AllRegions: false }));
  return (Regions ?? [])
    .flatMap((region) => (region.RegionName === undefined ? [] : [region.RegionName]))
    .sort();
}

/**
 * Every Region of the account's partition with its opt-in status (`opt-in-not-required`, `opted-in`,
 * `not-opted-in`): DescribeRegions with AllRegions lists disabled Regions too.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 */
export async function regionOptInStatuses(client: EC2Client): Promise<Map<string, string>> {
  const { Regions } = await client.send(new DescribeRegionsCommand({ AllRegions: true }));
  return new Map(
    (Regions ?? []).flatMap((region) =>
      region.RegionName === undefined ? [] : [[region.RegionName, region.OptInStatus ?? 'unknown'] as const],
    ),
  );
}

/**
 * The accounts a scan covers: every ACTIVE account Organizations lists; the caller's own account when
 * Organizations is not available to it (not in an organization, or not its management or delegated
 * administrator account). Any other failure is returned, and the caller's own account still scanned.
 */
export async function accountsToScan(
  ownAccountId: string,
  organizations: OrganizationsClient,
): Promise<{ accounts: string[]; fromOrganization: boolean; failure?: CollectionFailure }> {
  try {
    const accounts = await listAccounts(organizations);
    return { accounts: accounts.length > 0 ? accounts : [ownAccountId], fromOrganization: true };
  } catch (error) {
    const failure = toCollectionFailure('organizations:ListAccounts', error);
    if (['AWSOrganizationsNotInUseException', 'AccessDeniedException'].includes(failure.code)) {
      return { accounts: [ownAccountId], fromOrganization: false };
    }
    return { accounts: [ownAccountId], fromOrganization: false, failure };
  }
}
