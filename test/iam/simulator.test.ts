/**
 * Resource scoping and conditions, checked with an IAM policy simulator (@cloud-copilot/iam-simulate):
 * the scanner enters only the organization, and the member role reaches only what the checks read and
 * publishes only its own findings.
 */

import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from '@jest/globals';
import { memberRoleTemplate } from '../../deploy/member-role.js';
import { NOTE_AUTHOR } from '../../lib/publish/asff.js';

const require = (await import('node:module')).createRequire(import.meta.url);
const { assumeMemberRole } = require('../../deploy/stage-params.cjs') as {
  assumeMemberRole(resolver: { resolveVariable(name: string): Promise<string> }): Promise<unknown>;
};

const ACCOUNT = '222222222222';
const PARTITION = 'aws';
const ORGANIZATION = 'o-abcdefghij';
const REGION = 'eu-west-1';

/** CloudFormation's Fn::Sub and Fn::If resolved for one account (Suppressions Enabled). */
function resolve(value: unknown, account: string): unknown {
  if (Array.isArray(value))
    return value.map((entry) => resolve(entry, account)).filter((v) => v !== undefined);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (typeof record['Fn::Sub'] === 'string')
    return record['Fn::Sub'].replace(/\$\{AWS::(\w+)\}/g, (whole, name: string) =>
      name === 'Partition' ? PARTITION : name === 'AccountId' ? account : name === 'Region' ? REGION : whole,
    );
  if (Array.isArray(record['Fn::If'])) return resolve(record['Fn::If'][1], account);
  if (record.Ref === 'AWS::NoValue') return undefined;
  return Object.fromEntries(Object.entries(record).map(([key, entry]) => [key, resolve(entry, account)]));
}

const memberPolicy = () => {
  const role = memberRoleTemplate().Resources.ScannerRole as unknown as {
    Properties: { Policies: { PolicyDocument: unknown }[] };
  };
  return resolve(role.Properties.Policies[0]?.PolicyDocument, ACCOUNT) as Record<string, unknown>;
};

async function decide(
  policy: Record<string, unknown>,
  action: string,
  resource: string,
  contextVariables: Record<string, string | string[]> = {},
  principalAccount = ACCOUNT,
) {
  const principal = `arn:${PARTITION}:iam::${principalAccount}:role/tested`;
  // A role in another account must trust the caller too: the member role's trust allows the scanner,
  // so the identity policy under test is what decides.
  const trust =
    action === 'sts:AssumeRole'
      ? {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: action }],
        }
      : undefined;
  const response = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: resource.split(':')[4] || principalAccount },
        contextVariables,
      },
      identityPolicies: [{ name: 'tested', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(trust === undefined ? {} : { resourcePolicy: trust }),
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

describe('the scanner roles assume only the member role, only in the organization', () => {
  const scannerPolicy = async (params: Record<string, string>) => {
    const statement = await assumeMemberRole({
      resolveVariable: async (name) =>
        ({ memberRoleName: 'EksComplianceScannerRole', organizationConfigRules: 'false', ...params })[
          name.replace('param:', '')
        ] ?? '',
    });
    return { Version: '2012-10-17', Statement: [resolve(statement, '111111111111')] };
  };
  const member = (account: string) => `arn:aws:iam::${account}:role/EksComplianceScannerRole`;

  it('organization mode: the member role of an account of the organization, and nothing else', async () => {
    // Arrange
    const policy = await scannerPolicy({ organizationId: ORGANIZATION });
    const inside = { 'aws:ResourceOrgID': ORGANIZATION };
    // Act
    const decisions = await Promise.all([
      decide(policy, 'sts:AssumeRole', member(ACCOUNT), inside, '111111111111'),
      decide(
        policy,
        'sts:AssumeRole',
        member('999999999999'),
        { 'aws:ResourceOrgID': 'o-zzzzzzzzzz' },
        '111111111111',
      ),
      decide(policy, 'sts:AssumeRole', 'arn:aws:iam::222222222222:role/Admin', inside, '111111111111'),
    ]);
    // Assess
    expect(decisions).toEqual(['Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  it('account list mode: only the listed accounts; no organization and no list: this account only', async () => {
    // Act
    const listed = await scannerPolicy({ accounts: '222222222222,333333333333' });
    const alone = await scannerPolicy({});
    const decisions = await Promise.all([
      decide(listed, 'sts:AssumeRole', member('333333333333'), {}, '111111111111'),
      decide(listed, 'sts:AssumeRole', member('444444444444'), {}, '111111111111'),
      decide(alone, 'sts:AssumeRole', member('111111111111'), {}, '111111111111'),
      decide(alone, 'sts:AssumeRole', member('222222222222'), {}, '111111111111'),
    ]);
    // Assess
    expect(decisions).toEqual(['Allowed', 'ImplicitlyDenied', 'Allowed', 'ImplicitlyDenied']);
  });

  it('rejects a placeholder organization id, and organization rules without one, at package time', async () => {
    // Act / Assess
    await expect(scannerPolicy({ organizationId: 'o-none' })).rejects.toThrow(/param organizationId/);
    await expect(scannerPolicy({ organizationConfigRules: 'true' })).rejects.toThrow(/param organizationId/);
    await expect(scannerPolicy({ accounts: '12345' })).rejects.toThrow(/param accounts/);
  });
});

describe('the member role reaches only what the checks read and its own findings', () => {
  const policy = memberPolicy();
  const hub = `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`;

  it('reads the public EKS and Bottlerocket parameters, never a secret parameter', async () => {
    // Act (public parameters' ARNs name no account, which the simulator's ARN pattern requires: the
    // policy's account is "*", so the owner does not matter)
    const decisions = await Promise.all([
      decide(
        policy,
        'ssm:GetParameters',
        `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/aws/service/eks/optimized-ami/1.31/amazon-linux-2023/x86_64/standard/recommended/release_version`,
      ),
      decide(
        policy,
        'ssm:GetParameters',
        `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/aws/service/bottlerocket/aws-k8s-1.31/x86_64/latest/image_version`,
      ),
      decide(policy, 'ssm:GetParameters', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db-password`),
    ]);
    // Assess
    expect(decisions).toEqual(['Allowed', 'Allowed', 'ImplicitlyDenied']);
  });

  it("imports findings only as its own account's default product", async () => {
    // Act
    const own = await decide(
      policy,
      'securityhub:BatchImportFindings',
      `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
    );
    const other = await decide(
      policy,
      'securityhub:BatchImportFindings',
      `arn:aws:securityhub:${REGION}:333333333333:product/333333333333/default`,
    );
    // Assess
    expect([own, other]).toEqual(['Allowed', 'ImplicitlyDenied']);
  });

  it('updates findings only to set or lift its own suppression', async () => {
    // Arrange
    const suppress = {
      'securityhub:ASFFSyntaxPath/Workflow.Status': 'SUPPRESSED',
      'securityhub:ASFFSyntaxPath/Note.Text': 'Suppressed by a tag.',
      'securityhub:ASFFSyntaxPath/Note.UpdatedBy': NOTE_AUTHOR,
    };
    // Act
    const decisions = await Promise.all([
      decide(policy, 'securityhub:BatchUpdateFindings', hub, suppress),
      decide(policy, 'securityhub:BatchUpdateFindings', hub, {
        ...suppress,
        'securityhub:ASFFSyntaxPath/Workflow.Status': 'NEW',
      }),
      decide(policy, 'securityhub:BatchUpdateFindings', hub, {
        ...suppress,
        'securityhub:ASFFSyntaxPath/Workflow.Status': 'RESOLVED',
      }),
      decide(policy, 'securityhub:BatchUpdateFindings', hub, {
        ...suppress,
        'securityhub:ASFFSyntaxPath/Note.UpdatedBy': 'someone',
      }),
      decide(policy, 'securityhub:BatchUpdateFindings', hub, {
        ...suppress,
        'securityhub:ASFFSyntaxPath/Severity.Label': 'LOW',
      }),
    ]);
    // Assess
    expect(decisions).toEqual([
      'Allowed',
      'Allowed',
      'ImplicitlyDenied',
      'ImplicitlyDenied',
      'ExplicitlyDenied',
    ]);
  });
});
