/**
 * The AWS Config rules of the deployment, generated from the check declarations: one rule per check
 * that reports on clusters, named from its id, with the check's parameters as InputParameters. An
 * account-level AWS::Config::ConfigRule, or (deployment flag) an AWS::Config::OrganizationConfigRule.
 */
import { CHECKS } from '../lib/checks/registry.js';
import type { Check } from '../lib/checks/types.js';
import { CLUSTER_CONFIG_TYPE, configRuleName, hasConfigRule } from '../lib/publish/config-evaluations.js';

/** The Lambda function resource serverless generates for `functions.configRule`. */
const FUNCTION_ARN = { 'Fn::GetAtt': ['ConfigRuleLambdaFunction', 'Arn'] };
const MESSAGE_TYPES = [
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
  'ScheduledNotification',
] as const;
const FREQUENCY = '${param:configRuleFrequency}';

const logicalId = (check: Check, suffix: string) =>
  `${check.id
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}${suffix}`;

/** The rule parameters: which check, and each of its parameters at its default. */
export function inputParameters(check: Check): Record<string, string> {
  return {
    checkId: check.id,
    ...Object.fromEntries(
      Object.entries(check.parameters).map(([name, declaration]) => [
        name,
        declaration.format(declaration.default),
      ]),
    ),
  };
}

function accountRule(check: Check) {
  return {
    Type: 'AWS::Config::ConfigRule',
    Condition: 'AccountConfigRules',
    DependsOn: ['ConfigRuleInvokePermission'],
    Properties: {
      ConfigRuleName: configRuleName(check),
      Description: check.title,
      Scope: { ComplianceResourceTypes: [CLUSTER_CONFIG_TYPE] },
      InputParameters: inputParameters(check),
      MaximumExecutionFrequency: FREQUENCY,
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: FUNCTION_ARN,
        SourceDetails: MESSAGE_TYPES.map((MessageType) => ({
          EventSource: 'aws.config',
          MessageType,
          ...(MessageType === 'ScheduledNotification' ? { MaximumExecutionFrequency: FREQUENCY } : {}),
        })),
      },
    },
  };
}

function organizationRule(check: Check) {
  return {
    Type: 'AWS::Config::OrganizationConfigRule',
    Condition: 'OrganizationConfigRules',
    DependsOn: ['ConfigRuleOrganizationInvokePermission'],
    Properties: {
      OrganizationConfigRuleName: configRuleName(check),
      OrganizationCustomRuleMetadata: {
        Description: check.title,
        LambdaFunctionArn: FUNCTION_ARN,
        OrganizationConfigRuleTriggerTypes: [...MESSAGE_TYPES],
        ResourceTypesScope: [CLUSTER_CONFIG_TYPE],
        MaximumExecutionFrequency: FREQUENCY,
        // The organization variant takes its parameters as one JSON string.
        InputParameters: JSON.stringify(inputParameters(check)),
      },
    },
  };
}

export function configRuleResources() {
  const checks = CHECKS.filter(hasConfigRule);
  return {
    Conditions: {
      OrganizationConfigRules: { 'Fn::Equals': ['${param:organizationConfigRules}', 'true'] },
      AccountConfigRules: { 'Fn::Not': [{ Condition: 'OrganizationConfigRules' }] },
    },
    Resources: {
      // Config may invoke the function only for rules of this account...
      ConfigRuleInvokePermission: {
        Type: 'AWS::Lambda::Permission',
        Condition: 'AccountConfigRules',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: FUNCTION_ARN,
          Principal: 'config.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
        },
      },
      // ...or, for organization rules, of the member accounts: their own Config service invokes the
      // central function (principal config.amazonaws.com, source account the member account, as in
      // https://aws.amazon.com/blogs/devops/how-to-centrally-manage-aws-config-rules-across-multiple-aws-accounts/
      // "Authorize Config Rules in the managed-account to invoke a Lambda function in the admin-account").
      // PrincipalOrgID never matches a service principal, and a Lambda permission takes one source
      // account, so the permission names Config rules of any account; the function itself can enter
      // only the organization's accounts (the AssumeRole fence) and report nothing elsewhere.
      ConfigRuleOrganizationInvokePermission: {
        Type: 'AWS::Lambda::Permission',
        Condition: 'OrganizationConfigRules',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: FUNCTION_ARN,
          Principal: 'config.amazonaws.com',
          SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:config:*:*:config-rule/*' },
        },
      },
      ...Object.fromEntries(checks.map((check) => [logicalId(check, 'ConfigRule'), accountRule(check)])),
      ...Object.fromEntries(
        checks.map((check) => [logicalId(check, 'OrganizationConfigRule'), organizationRule(check)]),
      ),
    },
  };
}
