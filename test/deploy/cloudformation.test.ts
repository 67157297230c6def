/**
 * The packaged CloudFormation template (and the member role template) checked structurally against
 * the CloudFormation resource specification (@aws-cdk/aws-service-spec), offline.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, ResourceProperties, SpecDatabase } from '@aws-cdk/service-spec-types';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { load } from 'js-yaml';
import { packageService } from '../../deploy/package-service.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface CfnResource {
  readonly Type?: unknown;
  readonly Properties?: unknown;
  readonly DependsOn?: unknown;
  readonly Condition?: unknown;
  readonly [key: string]: unknown;
}
interface Template {
  readonly Parameters?: Record<string, unknown>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, unknown>;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'CreationPolicy',
  'UpdatePolicy',
]);
/** Resource types whose values are also checked for exact primitive kinds and allowed values. */
const STRICT_TYPES = new Set([
  'AWS::Config::ConfigRule',
  'AWS::Config::OrganizationConfigRule',
  'AWS::Lambda::Permission',
]);
const STRING = { type: { type: 'string' as const }, required: true };
/**
 * Types CloudFormation documents that this release of the spec lacks, from the CloudFormation template
 * reference (docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/<type page>).
 */
const SUPPLEMENT: Readonly<Record<string, Pick<Resource, 'properties' | 'attributes'>>> = {
  // aws-resource-securityhub-actiontarget.html: Ref and Fn::GetAtt ActionTargetArn give the ARN.
  'AWS::SecurityHub::ActionTarget': {
    properties: { Description: STRING, Id: STRING, Name: STRING },
    attributes: { ActionTargetArn: { type: { type: 'string' } } },
  },
};
const isCustom = (type: string) =>
  type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** `{ Ref }`, `{ "Fn::..." }` or (inside Fn::If and friends) `{ Condition }`: a value CloudFormation computes. */
function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || !!keys[0]?.startsWith('Fn::'));
}

/**
 * Checks a template against the specification. Every problem names where it is, e.g.
 * `Resources.Foo (AWS::Lambda::Permission).Properties.Principal: expected string, got 3`.
 */
class TemplateChecker {
  constructor(private readonly db: SpecDatabase) {}

  private resourceSpec(type: string): Pick<Resource, 'properties' | 'attributes'> | undefined {
    return this.db.lookup('resource', 'cloudFormationType', 'equals', type)[0] ?? SUPPLEMENT[type];
  }

  /** Every resource has a known type (custom resources aside) and only CloudFormation's keys. */
  types(template: Template): string[] {
    return Object.entries(template.Resources ?? {}).flatMap(([id, resource]) => {
      const problems = Object.keys(resource)
        .filter((key) => !RESOURCE_KEYS.has(key))
        .map((key) => `Resources.${id}: unknown resource attribute ${key}`);
      if (typeof resource.Type !== 'string') return [...problems, `Resources.${id}: no Type`];
      if (!isCustom(resource.Type) && this.resourceSpec(resource.Type) === undefined)
        problems.push(`Resources.${id}: type ${resource.Type} does not exist in the CloudFormation spec`);
      return problems;
    });
  }

  /** Every property exists for the type, every required one is present, values are of the declared types. */
  properties(template: Template): string[] {
    return Object.entries(template.Resources ?? {}).flatMap(([id, resource]) => {
      if (typeof resource.Type !== 'string' || isCustom(resource.Type)) return [];
      const spec = this.resourceSpec(resource.Type);
      if (spec === undefined) return [];
      const strict = STRICT_TYPES.has(resource.Type);
      return this.object(
        resource.Properties ?? {},
        spec.properties,
        `Resources.${id} (${resource.Type}).Properties`,
        strict,
      );
    });
  }

  private object(value: unknown, properties: ResourceProperties, path: string, strict: boolean): string[] {
    if (isIntrinsic(value)) return [];
    if (!isObject(value)) return [`${path}: expected an object, got ${JSON.stringify(value)}`];
    const problems = Object.keys(value)
      .filter((name) => properties[name] === undefined)
      .map((name) => `${path}.${name}: no such property`);
    for (const [name, property] of Object.entries(properties)) {
      const given = value[name];
      if (given === undefined) {
        if (property.required) problems.push(`${path}.${name}: required property missing`);
        continue;
      }
      // A value of the current type or of any type the property had before is accepted.
      const attempts = [property.type, ...(property.previousTypes ?? [])].map((type) =>
        this.value(given, type, `${path}.${name}`, strict),
      );
      if (!attempts.some((attempt) => attempt.length === 0)) problems.push(...fewest(attempts));
    }
    return problems;
  }

  private value(value: unknown, type: PropertyType, path: string, strict: boolean): string[] {
    if (isIntrinsic(value)) return [];
    const got = `got ${JSON.stringify(value)}`;
    switch (type.type) {
      case 'string': {
        const ok = typeof value === 'string' || (!strict && ['number', 'boolean'].includes(typeof value));
        if (!ok) return [`${path}: expected a string, ${got}`];
        if (strict && type.allowedValues !== undefined && !type.allowedValues.includes(String(value)))
          return [`${path}: expected one of ${type.allowedValues.join(', ')}, ${got}`];
        return [];
      }
      case 'number':
      case 'integer': {
        const number = typeof value === 'number' ? value : strict ? Number.NaN : Number(value);
        const ok =
          (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) &&
          Number.isFinite(number) &&
          (type.type === 'number' || Number.isInteger(number));
        return ok ? [] : [`${path}: expected ${type.type === 'integer' ? 'an integer' : 'a number'}, ${got}`];
      }
      case 'boolean':
        return typeof value === 'boolean' || (!strict && (value === 'true' || value === 'false'))
          ? []
          : [`${path}: expected a boolean, ${got}`];
      case 'date-time':
        return typeof value === 'string' ? [] : [`${path}: expected a date-time string, ${got}`];
      case 'null':
        return value === null ? [] : [`${path}: expected null, ${got}`];
      case 'json':
        return value === null ? [`${path}: expected JSON, got null`] : [];
      case 'tag':
        return this.object(
          value,
          {
            Key: { type: { type: 'string' }, required: true },
            Value: { type: { type: 'string' }, required: true },
          },
          path,
          strict,
        );
      case 'array':
        return Array.isArray(value)
          ? value.flatMap((element, index) => this.value(element, type.element, `${path}[${index}]`, strict))
          : [`${path}: expected a list, ${got}`];
      case 'map':
        return isObject(value)
          ? Object.entries(value).flatMap(([key, element]) =>
              this.value(element, type.element, `${path}.${key}`, strict),
            )
          : [`${path}: expected a map, ${got}`];
      case 'ref':
        return this.object(value, this.db.get('typeDefinition', type.reference).properties, path, strict);
      case 'union': {
        const attempts = type.types.map((member) => this.value(value, member, path, strict));
        return attempts.some((attempt) => attempt.length === 0) ? [] : fewest(attempts);
      }
      default:
        return [`${path}: unknown spec type ${JSON.stringify(type)}`];
    }
  }

  /** Every Fn::GetAtt (also `${A.B}` in Fn::Sub) names a resource of the template and an attribute of its type. */
  attributes(template: Template): string[] {
    return references(template).flatMap(({ path, kind, name, attribute }) => {
      if (kind !== 'GetAtt') return [];
      const resource = template.Resources?.[name];
      if (resource === undefined)
        return [`${path}: Fn::GetAtt of ${name}, which is not a resource of the template`];
      if (attribute === undefined || typeof resource.Type !== 'string' || isCustom(resource.Type)) return [];
      const spec = this.resourceSpec(resource.Type);
      if (spec === undefined || spec.attributes[attribute] !== undefined) return [];
      if (resource.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) return [];
      return [
        `${path}: Fn::GetAtt ${name}.${attribute}: ${resource.Type} has no attribute ${attribute} ` +
          `(it has ${Object.keys(spec.attributes).join(', ') || 'none'})`,
      ];
    });
  }
}

/** The candidate with the fewest problems: the branch of a union the value most likely meant. */
const fewest = (attempts: string[][]): string[] =>
  attempts.reduce((best, attempt) => (attempt.length < best.length ? attempt : best));

interface Reference {
  readonly path: string;
  readonly kind: 'Ref' | 'GetAtt' | 'Condition';
  readonly name: string;
  readonly attribute?: string;
}

/** Every Ref, Fn::GetAtt, Fn::Sub variable, condition name and DependsOn of the template. */
function references(template: Template): Reference[] {
  const found: Reference[] = [];
  const walk = (value: unknown, path: string, subVariables: ReadonlySet<string> = new Set()): void => {
    if (Array.isArray(value)) {
      value.forEach((element, index) => {
        walk(element, `${path}[${index}]`, subVariables);
      });
      return;
    }
    if (!isObject(value)) return;
    for (const [key, argument] of Object.entries(value)) {
      const here = `${path}.${key}`;
      if (key === 'Ref' && typeof argument === 'string') found.push({ path, kind: 'Ref', name: argument });
      else if (key === 'Fn::GetAtt') {
        const [name, attribute] = Array.isArray(argument)
          ? argument
          : typeof argument === 'string'
            ? [argument.slice(0, argument.indexOf('.')), argument.slice(argument.indexOf('.') + 1)]
            : [];
        if (typeof name === 'string')
          found.push({ path, kind: 'GetAtt', name, ...(typeof attribute === 'string' ? { attribute } : {}) });
        walk(argument, here);
      } else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
        const own = new Set(isObject(variables) ? Object.keys(variables) : []);
        if (typeof text === 'string') {
          for (const [, variable = ''] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            if (own.has(variable)) continue;
            const dot = variable.indexOf('.');
            if (dot < 0 || PSEUDO_PARAMETERS.has(variable)) found.push({ path, kind: 'Ref', name: variable });
            else
              found.push({
                path,
                kind: 'GetAtt',
                name: variable.slice(0, dot),
                attribute: variable.slice(dot + 1),
              });
          }
        }
        walk(variables, here);
      } else if (key === 'Fn::If' && Array.isArray(argument)) {
        if (typeof argument[0] === 'string') found.push({ path, kind: 'Condition', name: argument[0] });
        walk(argument.slice(1), here);
      } else if (key === 'Condition' && typeof argument === 'string') {
        found.push({ path, kind: 'Condition', name: argument });
      } else walk(argument, here, subVariables);
    }
  };
  for (const section of ['Conditions', 'Resources', 'Outputs'] as const) walk(template[section], section);
  return found;
}

/** Every Ref, Fn::Sub variable, condition and DependsOn names something the template has. */
function dangling(template: Template): string[] {
  const resources = template.Resources ?? {};
  const problems = references(template).flatMap(({ path, kind, name }) => {
    if (
      kind === 'Ref' &&
      !(name in resources) &&
      !(name in (template.Parameters ?? {})) &&
      !PSEUDO_PARAMETERS.has(name)
    )
      return [`${path}: Ref ${name}: no such resource, parameter or pseudo parameter`];
    if (kind === 'Condition' && !(name in (template.Conditions ?? {})))
      return [`${path}: condition ${name} is not declared in Conditions`];
    return [];
  });
  for (const [id, resource] of Object.entries(resources)) {
    const dependsOn = Array.isArray(resource.DependsOn)
      ? resource.DependsOn
      : [resource.DependsOn ?? []].flat();
    for (const target of dependsOn)
      if (typeof target !== 'string' || !(target in resources))
        problems.push(
          `Resources.${id}.DependsOn: ${JSON.stringify(target)} is not a resource of the template`,
        );
  }
  return problems;
}

let checker: TemplateChecker;

beforeAll(async () => {
  checker = new TemplateChecker(await loadAwsServiceSpec());
}, 60_000);

describe('the template checker', () => {
  it('reports unknown types and properties, missing required ones, wrong kinds and bad references', () => {
    // Arrange
    const template: Template = {
      Conditions: { Yes: { 'Fn::Equals': ['a', 'a'] } },
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Role: 'arn', Code: { ZipFile: 'x' }, MemorySize: 'lots', Colour: 'blue' },
        },
        Invoke: {
          Type: 'AWS::Lambda::Permission',
          DependsOn: ['Nowhere'],
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: { 'Fn::GetAtt': ['Fn', 'Nope'] },
            Principal: 3,
          },
        },
        Rule: {
          Type: 'AWS::Config::ConfigRule',
          Condition: 'Maybe',
          Properties: {
            Source: { Owner: 'CUSTOM_LAMBDA', SourceIdentifier: { 'Fn::Sub': '${Missing.Arn}' } },
          },
        },
        Thing: { Type: 'AWS::Nothing::Here', Properties: {} },
        Ok: {
          Type: 'AWS::SNS::Topic',
          Properties: { TopicName: { Ref: 'AWS::StackName' }, Tags: [{ Key: 'k' }] },
        },
      },
      Outputs: { Out: { Value: { Ref: 'Gone' } } },
    };
    // Act
    const problems = [
      ...checker.types(template),
      ...checker.properties(template),
      ...checker.attributes(template),
      ...dangling(template),
    ];
    // Assess
    expect(problems).toEqual([
      'Resources.Thing: type AWS::Nothing::Here does not exist in the CloudFormation spec',
      'Resources.Fn (AWS::Lambda::Function).Properties.Colour: no such property',
      'Resources.Fn (AWS::Lambda::Function).Properties.MemorySize: expected an integer, got "lots"',
      'Resources.Invoke (AWS::Lambda::Permission).Properties.Principal: expected a string, got 3',
      'Resources.Ok (AWS::SNS::Topic).Properties.Tags[0].Value: required property missing',
      expect.stringContaining(
        'Resources.Invoke.Properties.FunctionName: Fn::GetAtt Fn.Nope: AWS::Lambda::Function has no attribute Nope',
      ),
      'Resources.Rule.Properties.Source.SourceIdentifier: Fn::GetAtt of Missing, which is not a resource of the template',
      'Resources.Rule: condition Maybe is not declared in Conditions',
      'Outputs.Out.Value: Ref Gone: no such resource, parameter or pseudo parameter',
      'Resources.Invoke.DependsOn: "Nowhere" is not a resource of the template',
    ]);
  });
});

describe.each([
  ['the packaged serverless template', async () => (await packageService<Template>()).template],
  [
    'resources/member-role.yml',
    async () => load(await readFile(join(ROOT, 'resources/member-role.yml'), 'utf8')) as Template,
  ],
] as const)('%s, against the CloudFormation spec', (_name, loadTemplate) => {
  let template: Template;

  beforeAll(async () => {
    template = await loadTemplate();
  }, 180_000);

  it('uses only resource types CloudFormation has', () => {
    // Act
    const problems = checker.types(template);
    // Assess
    expect(Object.keys(template.Resources ?? {}).length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('sets only properties the types have, every required one, each of its declared type', () => {
    // Act
    const problems = checker.properties(template);
    // Assess
    expect(problems).toEqual([]);
  });

  it('gets only attributes that the referenced resource types have', () => {
    // Act
    const problems = checker.attributes(template);
    // Assess
    expect(problems).toEqual([]);
  });

  it('refers only to resources, parameters and conditions it declares', () => {
    // Act
    const problems = dangling(template);
    // Assess
    expect(problems).toEqual([]);
  });
});
