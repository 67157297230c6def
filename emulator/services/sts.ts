/** STS (query): the caller's identity, and AssumeRole into the estate's accounts. */
import { AwsError } from '../protocols.js';
import { accountOf, type Handler } from './context.js';

const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(.+)$/;

export const stsHandlers: Readonly<Record<string, Handler>> = {
  GetCallerIdentity: (_input, context) => ({
    Account: context.account,
    Arn: `arn:${context.estate.partition ?? 'aws'}:iam::${context.account}:user/eks-scan`,
    UserId: `AIDA${context.account}`,
  }),
  AssumeRole: (input: { RoleArn: string; RoleSessionName: string; DurationSeconds?: number }, context) => {
    const match = ROLE_ARN.exec(input.RoleArn ?? '');
    const target = match ? accountOf(context, match[2]) : undefined;
    if (!match || !target || target.assumeRole === 'deny' || target.state !== 'ACTIVE') {
      throw new AwsError(
        'AccessDenied',
        `User: arn:aws:iam::${context.account}:user/eks-scan is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
        403,
      );
    }
    const [, partition, accountId, roleName] = match;
    return {
      Credentials: {
        ...context.issueCredentials(accountId as string, input.RoleArn),
        Expiration: new Date(Date.now() + (input.DurationSeconds ?? 3600) * 1000),
      },
      AssumedRoleUser: {
        AssumedRoleId: `AROA${accountId}:${input.RoleSessionName}`,
        Arn: `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${input.RoleSessionName}`,
      },
    };
  },
};
