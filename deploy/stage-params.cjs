/**
 * Stage parameters that shape IAM, checked when serverless resolves the configuration (`npm run
 * package` fails naming the parameter), so no placeholder ever reaches a template. serverless.yml reads
 * them as `${file(./deploy/stage-params.cjs):<name>}`; each export is called with serverless's resolver.
 * CommonJS because serverless `require`s variable files.
 */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/[\w+=,.@/-]+)|sts::\d{12}:assumed-role\/.+)$/;

const list = (value) =>
  String(value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

class StageParameterError extends Error {
  name = 'StageParameterError';
}

/** The parameters, validated: organizationId, accounts and scanRequesters. */
async function stageParams(resolveVariable) {
  const organizationId = String((await resolveVariable('param:organizationId')) ?? '').trim();
  const organizationRules = String(await resolveVariable('param:organizationConfigRules')) === 'true';
  const accounts = list(await resolveVariable('param:accounts'));
  const scanRequesters = list(await resolveVariable('param:scanRequesters'));
  if (organizationId !== '' && !ORGANIZATION_ID.test(organizationId))
    throw new StageParameterError(
      `param organizationId: '${organizationId}' is not an organization id (o- and 10 to 32 letters or digits).`,
    );
  if (organizationRules && organizationId === '')
    throw new StageParameterError(
      'param organizationId: required when organizationConfigRules is true (the rules and the fence of AssumeRole name the organization).',
    );
  const badAccount = accounts.find((account) => !ACCOUNT_ID.test(account));
  if (badAccount !== undefined)
    throw new StageParameterError(`param accounts: '${badAccount}' is not a 12-digit account id.`);
  const badRequester = scanRequesters.find((arn) => !PRINCIPAL_ARN.test(arn));
  if (badRequester !== undefined)
    throw new StageParameterError(
      `param scanRequesters: '${badRequester}' is not an IAM role, assumed-role or account root ARN.`,
    );
  return { organizationId, accounts, scanRequesters };
}

/**
 * The statement letting a function assume the member role, fenced: in the organization's accounts only
 * (aws:ResourceOrgID) when organizationId is set; else in the configured accounts; else in this
 * account only (a single-account deployment). Never role/* and never any account.
 */
async function assumeMemberRole({ resolveVariable }) {
  const { organizationId, accounts } = await stageParams(resolveVariable);
  const roleName = await resolveVariable('param:memberRoleName');
  const arn = (account) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::${account}:role/${roleName}` });
  if (organizationId !== '')
    return {
      Sid: 'AssumeMemberRoleInOrganization',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: arn('*'),
      Condition: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
    };
  return {
    Sid: 'AssumeMemberRoleInConfiguredAccounts',
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Resource: accounts.length > 0 ? accounts.map(arn) : [arn('${AWS::AccountId}')],
  };
}

/** The organization id, validated (empty when no organization is configured). */
async function organizationId({ resolveVariable }) {
  return (await stageParams(resolveVariable)).organizationId;
}

/**
 * Who may put on-demand scan requests on the scan request bus: the ARNs of scanRequesters, or else
 * this account's root, which delegates to IAM (only principals of this account whose own policy allows
 * events:PutEvents on the bus).
 */
async function scanRequesters({ resolveVariable }) {
  const { scanRequesters: arns } = await stageParams(resolveVariable);
  return arns.length > 0 ? arns : [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' }];
}

module.exports = { assumeMemberRole, organizationId, scanRequesters, StageParameterError };
