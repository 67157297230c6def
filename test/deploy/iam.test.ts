/**
 * Least privilege, proven: the member role grants exactly what the checks, the collector and the
 * publishers declare, and the central roles of the packaged template grant no more than they need.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import {
  MEMBER_READ_PERMISSIONS,
  MEMBER_ROLE_PERMISSIONS,
  memberRoleTemplate,
  memberRoleYaml,
} from '../../deploy/member-role.js';
import { packageService } from '../../deploy/package-service.js';
import { CHECKS, permissionsOf } from '../../lib/checks/registry.js';
import { DEFAULT_ROLE_NAME } from '../../lib/discover.js';
import { CONFIG_PERMISSIONS, hasConfigRule } from '../../lib/publish/config-evaluations.js';
import { SECURITY_HUB_PERMISSIONS } from '../../lib/publish/security-hub.js';
import { LISTING_PERMISSIONS } from '../../lib/snapshot/types.js';
import { type Grant, grantedGrants, neededGrants } from './state-machine-needs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}
interface PolicyDocument {
  readonly Statement: Statement | Statement[];
}
interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
interface Template {
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Resources: Record<string, CfnResource>;
}

const toArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const statementsOf = (document: PolicyDocument | undefined): Statement[] => toArray(document?.Statement);
const actionsOf = (statements: readonly Statement[]): string[] =>
  statements.flatMap((s) => toArray(s.Action));
/** Describe*, List*, Get*, BatchGet*: the IAM actions that only read. */
const READ = /^[a-z0-9-]+:(Describe|List|Get|BatchGet)[A-Z]/;

/**
 * The discovery calls made with member credentials: `enabledRegions` (lib/discover.ts) from lib/scan.ts
 * and from the state machine's ListRegions task (lib/orchestration/tasks.ts).
 */
const MEMBER_DISCOVERY = ['ec2:DescribeRegions'];
/** Calls the code makes with the scanner's own credentials only: never granted to the member role. */
const SCANNER_ONLY = [
  'organizations:ListAccounts',
  's3:GetObject',
  // PlanScan writes the run's accounts for the Distributed Map (writeMapItems, lib/collect/map-results.ts).
  's3:PutObject',
  'sts:AssumeRole',
  'sts:GetCallerIdentity',
];
/** IAM prefixes of the SDK clients whose package name differs from the prefix. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  'auto-scaling': 'autoscaling',
  'cloudwatch-logs': 'logs',
  'config-service': 'config',
  sfn: 'states',
};
/** Writes that IAM cannot scope to a resource, so `Resource: "*"` is the only way to grant them. */
const UNSCOPABLE_WRITES = new Set([
  // Step Functions execution logging: the log delivery actions take no resource.
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'cloudwatch:PutMetricData',
  'config:PutEvaluations',
  'securityhub:BatchImportFindings',
  'securityhub:BatchUpdateFindings',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
]);

/** Every AWS SDK operation a file calls (`new XCommand`, `paginateX`), as IAM actions. */
async function sdkCallsIn(file: string): Promise<string[]> {
  const source = await readFile(file, 'utf8');
  const calls: string[] = [];
  for (const [, names = '', client = ''] of source.matchAll(
    /import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g,
  )) {
    const prefix = IAM_PREFIX[client] ?? client;
    for (const name of names.split(',').map((entry) => entry.trim().split(/\s+/)[0] ?? '')) {
      const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
      if (operation !== undefined) calls.push(`${prefix}:${operation}`);
    }
  }
  return calls;
}

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The text of an ARN-valued Resource, when it is a literal, a Fn::Sub or a Fn::Join of literals. */
function resourceText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const sub = (value as Record<string, unknown>)['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') {
    const variables = (sub[1] ?? {}) as Record<string, unknown>;
    return sub[0].replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
      const variable = variables[name];
      return typeof variable === 'string' ? variable : whole;
    });
  }
  const join = (value as Record<string, unknown>)['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(resourceText);
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

const memberRoleResource = new RegExp(
  `^arn:(\\$\\{AWS::Partition\\}|aws(-[a-z]+)*):iam::(\\*|\\d{12}|\\$\\{AWS::AccountId\\}):role/${DEFAULT_ROLE_NAME}$`,
);

describe('the member role (resources/member-role.yml)', () => {
  const template = memberRoleTemplate() as unknown as Template;
  const role = template.Resources.ScannerRole;
  const policies = (role?.Properties?.Policies ?? []) as { PolicyDocument: PolicyDocument }[];
  // Statements present only with Suppressions Enabled are read as present; Deny statements narrow the
  // allowed suppression (test/iam/simulator.test.ts) and grant nothing.
  const statements = policies
    .flatMap((policy) => statementsOf(policy.PolicyDocument))
    .map((statement) => (statement as { 'Fn::If'?: [string, Statement] })['Fn::If']?.[1] ?? statement)
    .filter((statement) => statement.Effect === 'Allow');
  const trust = statementsOf(role?.Properties?.AssumeRolePolicyDocument as PolicyDocument);

  it('is what `npm run generate` writes from deploy/member-role.ts', async () => {
    // Act
    const committed = await readFile(join(ROOT, 'resources/member-role.yml'), 'utf8');
    // Assess
    expect(committed).toBe(memberRoleYaml());
    expect(committed).toMatch(/^# GENERATED by `npm run generate`/);
    expect(load(committed)).toEqual(JSON.parse(JSON.stringify(template)));
  });

  it('is StackSet-ready: parameters only, nothing specific to one account, Region or organization', () => {
    // Act
    const text = memberRoleYaml().replace(/^#.*$/gm, '');
    // Assess
    expect(Object.keys(template.Parameters ?? {}).sort()).toEqual([
      'OrganizationId',
      'RoleName',
      'ScannerRoleArn',
      'Suppressions',
    ]);
    expect(text).not.toMatch(/\d{12}/);
    expect(text).not.toMatch(/arn:aws/);
    expect(text).not.toMatch(/\bo-[a-z0-9]{10,32}\b/);
    expect(text).not.toMatch(/\b[a-z]{2}(-gov)?-[a-z]+-\d\b/);
    expect(template.Parameters?.RoleName?.Default).toBe(DEFAULT_ROLE_NAME);
    expect(role?.Properties?.RoleName).toEqual({ Ref: 'RoleName' });
  });

  it('allows exactly what the checks read, listing, discovery with member credentials and publishing', () => {
    // Act
    const granted = actionsOf(statements);
    // Assess
    const expected = new Set([
      ...CHECKS.flatMap(permissionsOf),
      ...LISTING_PERMISSIONS,
      ...SECURITY_HUB_PERMISSIONS,
      ...CONFIG_PERMISSIONS,
      ...MEMBER_DISCOVERY,
    ]);
    expect([...granted].sort()).toEqual([...expected].sort());
    expect(new Set(granted).size).toBe(granted.length);
    expect(MEMBER_ROLE_PERMISSIONS).toEqual([...expected].sort());
    // Resource scoping (public parameters, own product and hub) is checked by test/iam/simulator.test.ts.
    expect(statements.every((statement) => statement.Resource !== undefined)).toBe(true);
  });

  it('covers every AWS call of the code that is not made with the scanner’s own credentials', async () => {
    // Act
    const files = (
      await Promise.all(['lib', 'functions', 'cli'].map(async (folder) => sourceFiles(join(ROOT, folder))))
    ).flat();
    const calls = (await Promise.all(files.map(async (file) => sdkCallsIn(file)))).flat();
    // Assess
    expect(calls).toEqual(expect.arrayContaining(['eks:ListClusters', 'ec2:DescribeRegions']));
    const unclassified = [...new Set(calls)].filter(
      (call) => !MEMBER_ROLE_PERMISSIONS.includes(call) && !SCANNER_ONLY.includes(call),
    );
    // A call listed here needs a decision: grant it to the member role, or add it to SCANNER_ONLY.
    expect(unclassified).toEqual([]);
  });

  it('trusts only the scanner role(s) given, within the organization, never a wildcard principal', () => {
    // Act
    const principals = trust.map((statement) => statement.Principal);
    // Assess
    expect(trust.length).toBeGreaterThan(0);
    for (const statement of trust) {
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: { Ref: 'ScannerRoleArn' } },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
      });
    }
    expect(JSON.stringify(principals)).not.toContain('*');
    expect(template.Parameters?.ScannerRoleArn).not.toHaveProperty('Default');
    expect(template.Parameters?.OrganizationId).not.toHaveProperty('Default');
  });

  it('reads with read-only actions: its only writes are the findings and the Config evaluations', () => {
    // Act
    const read = statements.find((statement) => statement.Sid === 'ReadEksEstate');
    const writes = MEMBER_ROLE_PERMISSIONS.filter((action) => !READ.test(action));
    // Assess
    expect(toArray(read?.Action)).toEqual(
      MEMBER_READ_PERMISSIONS.filter((action) => action !== 'ssm:GetParameters'),
    );
    expect(MEMBER_READ_PERMISSIONS.filter((action) => !READ.test(action))).toEqual([]);
    expect(writes).toEqual([
      'config:PutEvaluations',
      'securityhub:BatchImportFindings',
      'securityhub:BatchUpdateFindings',
    ]);
  });
});

describe('the central roles (serverless package)', () => {
  let template: Template;
  let roles: [string, CfnResource][];
  /** Every statement of every identity policy, with the role it applies to. */
  let statements: { role: string; statement: Statement }[];

  beforeAll(async () => {
    ({ template } = await packageService<Template>());
    const resources = Object.entries(template.Resources);
    roles = resources.filter(([, resource]) => resource.Type === 'AWS::IAM::Role');
    statements = [
      ...roles.flatMap(([role, resource]) =>
        ((resource.Properties?.Policies ?? []) as { PolicyDocument: PolicyDocument }[]).flatMap((policy) =>
          statementsOf(policy.PolicyDocument).map((statement) => ({ role, statement })),
        ),
      ),
      ...resources
        .filter(([, resource]) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(resource.Type))
        .flatMap(([policy, resource]) => {
          const attachedTo = toArray(resource.Properties?.Roles as unknown[]).map((role) =>
            typeof role === 'object' && role !== null && 'Ref' in role ? String(role.Ref) : `${policy}`,
          );
          return (attachedTo.length > 0 ? attachedTo : [policy]).flatMap((role) =>
            statementsOf(resource.Properties?.PolicyDocument as PolicyDocument).map((statement) => ({
              role,
              statement,
            })),
          );
        }),
    ];
  }, 180_000);

  it('has roles, and every statement allows named actions: no wildcard, NotAction or NotResource', () => {
    // Act
    const problems = statements.flatMap(({ role, statement }) => [
      ...(statement.Effect === 'Allow' || statement.Effect === 'Deny'
        ? []
        : [`${role}: Effect ${statement.Effect}`]),
      ...(statement.NotAction === undefined ? [] : [`${role}: NotAction`]),
      ...(statement.NotResource === undefined ? [] : [`${role}: NotResource`]),
      ...(statement.Resource === undefined ? [`${role}: no Resource`] : []),
      ...toArray(statement.Action)
        .filter((action) => typeof action !== 'string' || !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action))
        .map((action) => `${role}: action ${JSON.stringify(action)}`),
    ]);
    // Assess
    expect(roles.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('grants writes on every resource ("*") only where IAM cannot scope them', () => {
    // Act
    const problems = statements
      .filter(({ statement }) => toArray(statement.Resource).includes('*'))
      .flatMap(({ role, statement }) =>
        toArray(statement.Action)
          .filter((action) => !READ.test(action) && !UNSCOPABLE_WRITES.has(action))
          .map((action) => `${role}: ${action} on "*"`),
      );
    // Assess
    expect(problems).toEqual([]);
  });

  it(`assumes only role/${DEFAULT_ROLE_NAME}, the member role, never any role ("*")`, () => {
    // Act
    const assuming = statements.filter(({ statement }) =>
      toArray(statement.Action).some((action) => action.toLowerCase().startsWith('sts:assumerole')),
    );
    const problems = assuming.flatMap(({ role, statement }) =>
      toArray(statement.Resource)
        .filter((resource) => !memberRoleResource.test(resourceText(resource) ?? ''))
        .map((resource) => `${role}: sts:AssumeRole on ${JSON.stringify(resource)}`),
    );
    // Assess
    expect(assuming.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(
      assuming.flatMap(({ statement }) => toArray(statement.Action)).filter((a) => a !== 'sts:AssumeRole'),
    ).toEqual([]);
  });

  it('tells every function the member role name the member template deploys by default', () => {
    // Act
    const functions = Object.entries(template.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::Lambda::Function',
    );
    const names = functions.map(
      ([name, fn]) =>
        [
          name,
          (fn.Properties?.Environment as { Variables?: Record<string, unknown> })?.Variables
            ?.MEMBER_ROLE_NAME,
        ] as const,
    );
    // Assess
    expect(functions.length).toBeGreaterThan(0);
    expect(names.filter(([, roleName]) => roleName !== DEFAULT_ROLE_NAME)).toEqual([]);
  });

  it('trusts only AWS services: no wildcard, account or role principal', () => {
    // Act
    const problems = roles.flatMap(([role, resource]) =>
      statementsOf(resource.Properties?.AssumeRolePolicyDocument as PolicyDocument)
        .filter((statement) => {
          const principal = statement.Principal;
          return (
            typeof principal !== 'object' ||
            principal === null ||
            Object.keys(principal).join() !== 'Service' ||
            JSON.stringify(principal).includes('"*"')
          );
        })
        .map((statement) => `${role}: trusts ${JSON.stringify(statement.Principal)}`),
    );
    // Assess
    expect(problems).toEqual([]);
  });

  it('attaches no managed policy this test cannot read', () => {
    // Act
    const attached = roles.flatMap(([role, resource]) =>
      toArray(resource.Properties?.ManagedPolicyArns as unknown[]).map(
        (arn) => `${role}: ${JSON.stringify(arn)}`,
      ),
    );
    // Assess
    expect(attached).toEqual([]);
  });

  describe("the state machine's role, against the state machine it runs", () => {
    const machineAndRole = () => {
      const machine = Object.values(template.Resources).find(
        (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
      ) as CfnResource;
      const roleArn = machine.Properties?.RoleArn as { 'Fn::GetAtt'?: [string, string] } | undefined;
      const roleId = roleArn?.['Fn::GetAtt']?.[0];
      const planScan = template.Resources.PlanScanLambdaFunction?.Properties?.Environment as {
        Variables: Record<string, unknown>;
      };
      return {
        needed: neededGrants(machine, planScan.Variables.SCAN_RESULTS_BUCKET),
        role: template.Resources[String(roleId)] as CfnResource,
      };
    };
    const compare = (needed: readonly Grant[], granted: readonly Grant[]) => ({
      missing: needed.filter((grant) => !granted.includes(grant)),
      unused: granted.filter((grant) => !needed.includes(grant)),
    });

    it('grants exactly what the definition, its logging and tracing need: nothing missing, nothing more', () => {
      // Act
      const { needed, role } = machineAndRole();
      const granted = grantedGrants(role);
      // Assess
      expect(needed).toContain('lambda:InvokeFunction on {"Fn::GetAtt":["ListRegionsLambdaFunction","Arn"]}');
      expect(needed).toContain('s3:GetObject on {"Fn::Sub":"${ScanResultsBucket.Arn}/scan-items/*"}');
      expect(compare(needed, granted)).toEqual({ missing: [], unused: [] });
    });

    it('would fail if the role lost or gained an action', () => {
      // Prepare
      const { needed, role } = machineAndRole();
      const granted = grantedGrants(role);
      const [first, ...rest] = granted;
      // Act
      const lost = compare(needed, rest);
      const gained = compare(needed, [...granted, 'states:StartExecution on "*"']);
      // Assess
      expect(lost).toEqual({ missing: [first], unused: [] });
      expect(gained).toEqual({ missing: [], unused: ['states:StartExecution on "*"'] });
    });
  });

  it('grants the functions, together, every permission the checks with a Config rule declare, and listing', () => {
    // Act
    const functionRoles = new Set(
      Object.values(template.Resources)
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((fn) => {
          const role = fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
          return role?.['Fn::GetAtt']?.[0] ?? `unreadable role ${JSON.stringify(role)}`;
        }),
    );
    const granted = new Set(
      actionsOf(
        statements
          .filter(({ role, statement }) => functionRoles.has(role) && statement.Effect === 'Allow')
          .map(({ statement }) => statement),
      ),
    );
    // Assess
    expect([...functionRoles].filter((role) => template.Resources[role]?.Type !== 'AWS::IAM::Role')).toEqual(
      [],
    );
    // The scan functions read through the member role; only the Config rule reads as itself.
    const required = [
      ...new Set([...CHECKS.filter(hasConfigRule).flatMap(permissionsOf), ...LISTING_PERMISSIONS]),
    ].sort();
    expect(required.filter((action) => !granted.has(action))).toEqual([]);
  });
});
