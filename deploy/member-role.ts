/**
 * The role every member account gets (resources/member-role.yml, written by `npm run generate`): the
 * central scanner assumes it to read the account's EKS estate and to publish there. Its permissions
 * derive from the same declarations as the central functions': nothing is listed by hand but the one
 * discovery call made with member credentials. The template takes parameters only, so one
 * service-managed StackSet deploys it to every account of the organization.
 */
import { dump } from 'js-yaml';
import { CHECKS, permissionsOf } from '../lib/checks/registry.js';
import { DEFAULT_ROLE_NAME } from '../lib/discover.js';
import { NOTE_AUTHOR } from '../lib/publish/asff.js';
import { CONFIG_PERMISSIONS } from '../lib/publish/config-evaluations.js';
import { SECURITY_HUB_PERMISSIONS } from '../lib/publish/security-hub.js';
import { LISTING_PERMISSIONS } from '../lib/snapshot/types.js';

/**
 * Discovery calls made with the member account's credentials: `enabledRegions` (lib/discover.ts), which
 * lib/scan.ts calls after assuming this role. AssumeRole, GetCallerIdentity and ListAccounts run as the
 * scanner itself.
 */
export const MEMBER_DISCOVERY_PERMISSIONS = ['ec2:DescribeRegions'] as const;

const sorted = (actions: Iterable<string>): string[] => [...new Set(actions)].sort();

/** Read-only: what the checks declare, listing the clusters, and listing the enabled Regions. */
export const MEMBER_READ_PERMISSIONS: readonly string[] = sorted([
  ...LISTING_PERMISSIONS,
  ...CHECKS.flatMap(permissionsOf),
  ...MEMBER_DISCOVERY_PERMISSIONS,
]);

/** The public SSM parameter trees the checks read (eks_nodegroup_ami_latest_release), and nothing else. */
export const PUBLIC_PARAMETER_PATHS = ['aws/service/eks/*', 'aws/service/bottlerocket/*'] as const;
const PARAMETER_ACTION = 'ssm:GetParameters';

/**
 * What the scanner's BatchUpdateFindings may set: the workflow status of its suppressions (set, or lifted
 * back to NEW) and a note signed by the scanner. Any other field a customer may update is denied
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchupdatefindings.html,
 * "Configuring access to BatchUpdateFindings": deny on securityhub:ASFFSyntaxPath/<field>).
 */
export const SUPPRESSION_WORKFLOW_STATUSES = ['NEW', 'SUPPRESSED'] as const;
export const DENIED_FINDING_FIELDS = [
  'Confidence',
  'Criticality',
  'RelatedFindings',
  'Severity.Label',
  'Types',
  'UserDefinedFields',
  'VerificationState',
] as const;

const IMPORT_ACTION = 'securityhub:BatchImportFindings';
const UPDATE_ACTION = 'securityhub:BatchUpdateFindings';
const ACCOUNT_PRODUCT =
  'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default';
const ACCOUNT_HUB = 'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:hub/default';

/** Every action the member role allows, sorted. */
export const MEMBER_ROLE_PERMISSIONS: readonly string[] = sorted([
  ...MEMBER_READ_PERMISSIONS,
  ...SECURITY_HUB_PERMISSIONS,
  ...CONFIG_PERMISSIONS,
]);

/** A statement present only when the Suppressions parameter is Enabled. */
const suppressionsOnly = (statement: Record<string, unknown>) => ({
  'Fn::If': ['SuppressionsEnabled', statement, { Ref: 'AWS::NoValue' }],
});

export function memberRoleTemplate() {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'eks-compliance-scanner member role: read-only access to the EKS estate, plus publishing findings ' +
      'to Security Hub and evaluations to AWS Config, for the central scanner of the organization.',
    Parameters: {
      ScannerRoleArn: {
        Type: 'CommaDelimitedList',
        Description:
          'ARN of the central scanner role allowed to assume this role, or several ARNs separated by ' +
          'commas (e.g. the scan functions role and the Config rule function role).',
      },
      OrganizationId: {
        Type: 'String',
        Description:
          'The AWS Organizations id (o-...): only principals of this organization may assume the role.',
        AllowedPattern: '^o-[a-z0-9]{10,32}$',
      },
      RoleName: {
        Type: 'String',
        Description: 'Name of the role; the scanner assumes role/<RoleName> (its memberRoleName parameter).',
        Default: DEFAULT_ROLE_NAME,
        AllowedPattern: '^[\\w+=,.@-]{1,64}$',
      },
      Suppressions: {
        Type: 'String',
        Description:
          'Enabled: the scanner may set and lift its suppressions of existing findings (BatchUpdateFindings, ' +
          'workflow and its own note only). Disabled: it cannot, and reports those updates as failed.',
        Default: 'Enabled',
        AllowedValues: ['Enabled', 'Disabled'],
      },
    },
    Conditions: {
      SuppressionsEnabled: { 'Fn::Equals': [{ Ref: 'Suppressions' }, 'Enabled'] },
    },
    Resources: {
      ScannerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { Ref: 'RoleName' },
          Description: 'Assumed by the eks-compliance-scanner to scan this account.',
          // Role chaining caps sessions at one hour anyway (lib/discover.ts SESSION_SECONDS).
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'CentralScanner',
                Effect: 'Allow',
                Principal: { AWS: { Ref: 'ScannerRoleArn' } },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'eks-compliance-scanner',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'ReadEksEstate',
                    Effect: 'Allow',
                    Action: MEMBER_READ_PERMISSIONS.filter((action) => action !== PARAMETER_ACTION),
                    Resource: '*',
                  },
                  {
                    Sid: 'ReadPublicParameters',
                    Effect: 'Allow',
                    Action: PARAMETER_ACTION,
                    Resource: PUBLIC_PARAMETER_PATHS.map((path) => ({
                      // Public parameters' ARNs name no account ("::"); "*" matches that, and no
                      // account can create parameters under /aws/ (a reserved prefix).
                      'Fn::Sub': `arn:\${AWS::Partition}:ssm:*:*:parameter/${path}`,
                    })),
                  },
                  // Only as this account's own default product: findings about this account.
                  {
                    Sid: 'ImportFindings',
                    Effect: 'Allow',
                    Action: IMPORT_ACTION,
                    Resource: { 'Fn::Sub': ACCOUNT_PRODUCT },
                  },
                  {
                    Sid: 'ReadFindings',
                    Effect: 'Allow',
                    Action: sorted(SECURITY_HUB_PERMISSIONS).filter(
                      (action) => action !== IMPORT_ACTION && action !== UPDATE_ACTION,
                    ),
                    Resource: { 'Fn::Sub': ACCOUNT_HUB },
                  },
                  suppressionsOnly({
                    Sid: 'SuppressFindings',
                    Effect: 'Allow',
                    Action: UPDATE_ACTION,
                    Resource: { 'Fn::Sub': ACCOUNT_HUB },
                    Condition: {
                      StringEquals: {
                        'securityhub:ASFFSyntaxPath/Workflow.Status': [...SUPPRESSION_WORKFLOW_STATUSES],
                        'securityhub:ASFFSyntaxPath/Note.UpdatedBy': NOTE_AUTHOR,
                      },
                    },
                  }),
                  // One statement per field: keys of one Null block must all match (AND), these are OR.
                  ...DENIED_FINDING_FIELDS.map((field) =>
                    suppressionsOnly({
                      Sid: `SuppressFindingsWithout${field.replace(/\W/g, '')}`,
                      Effect: 'Deny',
                      Action: UPDATE_ACTION,
                      Resource: '*',
                      Condition: { Null: { [`securityhub:ASFFSyntaxPath/${field}`]: 'false' } },
                    }),
                  ),
                  {
                    Sid: 'ReportConfigEvaluations',
                    Effect: 'Allow',
                    Action: sorted(CONFIG_PERMISSIONS),
                    Resource: '*',
                  },
                ],
              },
            },
          ],
        },
      },
    },
    Outputs: {
      RoleArn: {
        Description: 'The role the scanner assumes in this account.',
        Value: { 'Fn::GetAtt': ['ScannerRole', 'Arn'] },
      },
    },
  };
}

const HEADER = `# GENERATED by \`npm run generate\` from deploy/member-role.ts: do not edit (a test keeps it current).
#
# The role the eks-compliance-scanner assumes in every member account. StackSet-ready (parameters only):
#   ScannerRoleArn  the central scanner role ARN, or several separated by commas
#   OrganizationId  only principals of this organization may assume the role (aws:PrincipalOrgID)
#   RoleName        default ${DEFAULT_ROLE_NAME}; must match the scanner's memberRoleName
#   Suppressions    Enabled (default) or Disabled: whether the scanner may suppress existing findings
# Deploy the central scanner first: IAM rejects a trust policy that names a role which does not exist.
`;

/** The text of resources/member-role.yml. */
export const memberRoleYaml = (): string =>
  `${HEADER}${dump(memberRoleTemplate(), { lineWidth: -1, noRefs: true, quotingType: '"' })}`;
