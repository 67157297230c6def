/**
 * The AWS wire protocols, driven by the SDK's own smithy schemas: requests are decoded into SDK-shaped
 * inputs and SDK-shaped outputs are encoded exactly as the service would, so the real SDK clients
 * parse them with their real deserializers. One table says which protocol each service speaks.
 */
import * as autoScaling from '@aws-sdk/client-auto-scaling';
import * as config from '@aws-sdk/client-config-service';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecr from '@aws-sdk/client-ecr';
import * as eks from '@aws-sdk/client-eks';
import * as guardduty from '@aws-sdk/client-guardduty';
import * as iam from '@aws-sdk/client-iam';
import * as inspector2 from '@aws-sdk/client-inspector2';
import * as organizations from '@aws-sdk/client-organizations';
import * as securityHub from '@aws-sdk/client-securityhub';
import * as ssm from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import { JsonShapeDeserializer, JsonShapeSerializer, XmlShapeSerializer } from '@aws-sdk/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { parseAwsTime } from '../lib/time.js';
import { checkShape, isPlainObject, type SdkModels } from './sdk-shapes.js';

type Protocol = 'restJson1' | 'awsJson1_1' | 'awsQuery' | 'ec2Query';

interface ServiceProtocol extends SdkModels {
  readonly protocol: Protocol;
  /** X-Amz-Target prefix (JSON RPC) or XML namespace (query protocols). */
  readonly target?: string;
  readonly xmlNamespace?: string;
}

/** Keyed by the SigV4 signing name, which routes every request. */
/** `client` is the SDK client module: its `<Operation>$` exports are the operation schemas. */
export const SERVICES: Readonly<Record<string, ServiceProtocol>> = {
  eks: { protocol: 'restJson1', client: eks, packageName: '@aws-sdk/client-eks' },
  inspector2: { protocol: 'restJson1', client: inspector2, packageName: '@aws-sdk/client-inspector2' },
  securityhub: { protocol: 'restJson1', client: securityHub, packageName: '@aws-sdk/client-securityhub' },
  ssm: { protocol: 'awsJson1_1', client: ssm, packageName: '@aws-sdk/client-ssm', target: 'AmazonSSM' },
  guardduty: { protocol: 'restJson1', client: guardduty, packageName: '@aws-sdk/client-guardduty' },
  ecr: {
    protocol: 'awsJson1_1',
    client: ecr,
    packageName: '@aws-sdk/client-ecr',
    target: 'AmazonEC2ContainerRegistry_V20150921',
  },
  organizations: {
    protocol: 'awsJson1_1',
    client: organizations,
    packageName: '@aws-sdk/client-organizations',
    target: 'AWSOrganizationsV20161128',
  },
  config: {
    protocol: 'awsJson1_1',
    client: config,
    packageName: '@aws-sdk/client-config-service',
    target: 'StarlingDoveService',
  },
  ec2: {
    protocol: 'ec2Query',
    client: ec2,
    packageName: '@aws-sdk/client-ec2',
    xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  },
  autoscaling: {
    protocol: 'awsQuery',
    client: autoScaling,
    packageName: '@aws-sdk/client-auto-scaling',
    xmlNamespace: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  },
  sts: {
    protocol: 'awsQuery',
    client: sts,
    packageName: '@aws-sdk/client-sts',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  },
  iam: {
    protocol: 'awsQuery',
    client: iam,
    packageName: '@aws-sdk/client-iam',
    xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
  },
};

// Smithy timestamp formats: date-time for XML protocols, epoch seconds for JSON protocols.
const DATE_TIME = 5;
const EPOCH_SECONDS = 7;

/** An operation schema: [9, namespace, name, traits, input, output]. */
type OperationSchema = readonly [9, string, string, Record<string, unknown>, () => unknown, () => unknown];

export interface IncomingRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface DecodedRequest {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

export interface EncodedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An AWS error as the service would return it. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

/** A call to an operation the service does not have, or the emulator does not serve. */
export class UnknownOperationError extends AwsError {
  constructor(
    /** The operation as the request names it: the X-Amz-Target operation, the Action, or method and path. */
    readonly operation: string,
    code: string,
    message: string,
    status: number,
  ) {
    super(code, message, status);
    this.name = 'UnknownOperationError';
  }
}

/**
 * The service's answer to an operation it does not know: JSON protocols `UnknownOperationException`
 * (REST with 404, as no route matches), query protocols `InvalidAction` (AWS Common Errors, and the
 * EC2 API error codes).
 */
export function unknownOperation(service: string, operation: string): UnknownOperationError {
  switch (SERVICES[service]?.protocol) {
    case 'awsQuery':
    case 'ec2Query':
      return new UnknownOperationError(
        operation,
        'InvalidAction',
        `The action ${operation} is not valid for this web service.`,
        400,
      );
    case 'awsJson1_1':
      return new UnknownOperationError(
        operation,
        'UnknownOperationException',
        `Unknown operation ${operation}.`,
        400,
      );
    default:
      return new UnknownOperationError(
        operation,
        'UnknownOperationException',
        `No operation matches ${operation}.`,
        404,
      );
  }
}

const operationsCache = new Map<string, Map<string, OperationSchema>>();

function operationsOf(service: string): Map<string, OperationSchema> {
  const cached = operationsCache.get(service);
  if (cached) return cached;
  const models = SERVICES[service]?.client ?? {};
  const operations = new Map<string, OperationSchema>();
  for (const [exportName, value] of Object.entries(models)) {
    if (exportName.endsWith('$') && Array.isArray(value) && value[0] === 9) {
      operations.set(String(value[2]), value as unknown as OperationSchema);
    }
  }
  operationsCache.set(service, operations);
  return operations;
}

const inputSchema = (operation: OperationSchema) => NormalizedSchema.of(operation[4]() as never);
const outputSchema = (operation: OperationSchema) => NormalizedSchema.of(operation[5]() as never);

const header = (request: IncomingRequest, name: string) => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** Decodes a request into the operation name and its SDK-shaped input. */
export async function decodeRequest(service: string, request: IncomingRequest): Promise<DecodedRequest> {
  const protocol = SERVICES[service];
  if (!protocol) throw new AwsError('UnknownServiceException', `The emulator does not serve ${service}.`);
  const operations = operationsOf(service);
  switch (protocol.protocol) {
    case 'awsJson1_1': {
      const target = header(request, 'x-amz-target') ?? '';
      const name = target.slice(target.indexOf('.') + 1);
      const operation = operations.get(name);
      if (!target.startsWith(`${protocol.target}.`) || !operation) {
        throw unknownOperation(service, target === '' ? '(no X-Amz-Target)' : target);
      }
      return {
        operation: name,
        input: await readJson(protocol, operation, request.body, false),
      };
    }
    case 'restJson1':
      return decodeRestJson(service, protocol, operations, request);
    case 'awsQuery':
    case 'ec2Query': {
      const form = new URLSearchParams(request.body);
      const name = form.get('Action') ?? '';
      const operation = operations.get(name);
      if (!operation) throw unknownOperation(service, name);
      const input = decodeQueryStruct(inputSchema(operation), form, '', protocol.protocol);
      rejectInvalidInput(protocol, operation, input, []);
      return { operation: name, input };
    }
  }
}

/**
 * Rejects an input whose members have the wrong types for the operation's input shape (no service
 * code gets to see those), with the protocol's error: JSON protocols `SerializationException`,
 * awsQuery `ValidationError`, EC2 `InvalidParameterValue`. `bound` names members that arrive outside
 * the body (REST labels, query strings).
 */
function rejectInvalidInput(
  protocol: ServiceProtocol,
  operation: OperationSchema,
  input: unknown,
  bound: readonly string[],
) {
  if (!isPlainObject(input)) throw validationError(protocol, 'expected a JSON object as the request body');
  const problems = checkShape(operation[4](), protocol, input, { mode: 'request', skip: bound });
  if (problems.length === 0) return;
  const details = problems
    .slice(0, 10)
    .map((problem) => `${problem.path.map(String).join('.')}: ${problem.message}`);
  throw validationError(
    protocol,
    `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${details.join('; ')}`,
  );
}

function validationError(protocol: Pick<ServiceProtocol, 'protocol'>, message: string) {
  switch (protocol.protocol) {
    case 'ec2Query':
      return new AwsError('InvalidParameterValue', message);
    case 'awsQuery':
      return new AwsError('ValidationError', message);
    default:
      return new AwsError('SerializationException', message);
  }
}

async function readJson(
  protocol: ServiceProtocol,
  operation: OperationSchema,
  body: string,
  jsonName: boolean,
  bound: readonly string[] = [],
) {
  let parsed: unknown = {};
  if (body.trim() !== '') {
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new AwsError('SerializationException', `Malformed request body: ${(error as Error).message}`);
    }
  }
  rejectInvalidInput(protocol, operation, parsed, bound);
  const deserializer = new JsonShapeDeserializer({
    jsonName,
    timestampFormat: { useTrait: true, default: EPOCH_SECONDS },
  });
  try {
    return ((await deserializer.read(inputSchema(operation), body.trim() === '' ? '{}' : body)) ??
      {}) as Record<string, unknown>;
  } catch (error) {
    throw new AwsError('SerializationException', `Malformed request body: ${(error as Error).message}`);
  }
}

async function decodeRestJson(
  service: string,
  protocol: ServiceProtocol,
  operations: Map<string, OperationSchema>,
  request: IncomingRequest,
): Promise<DecodedRequest> {
  for (const [name, operation] of operations) {
    const http = operation[3].http as [string, string, number] | undefined;
    if (!http || http[0] !== request.method) continue;
    const labels = matchPath(http[1], request.path);
    if (!labels) continue;
    const schema = inputSchema(operation);
    const bound = [...schema.structIterator()]
      .filter(([, memberSchema]) => {
        const traits = memberSchema.getMergedTraits();
        return (
          traits.httpLabel !== undefined || traits.httpQuery !== undefined || traits.httpHeader !== undefined
        );
      })
      .map(([member]) => member);
    const input: Record<string, unknown> = await readJson(protocol, operation, request.body, true, bound);
    for (const [member, memberSchema] of schema.structIterator()) {
      const traits = memberSchema.getMergedTraits();
      if (traits.httpLabel !== undefined && labels[member] !== undefined) input[member] = labels[member];
      if (typeof traits.httpQuery === 'string') {
        const values = request.query.getAll(traits.httpQuery);
        if (values.length > 0) {
          input[member] = memberSchema.isListSchema()
            ? values.map((value) =>
                coerceScalar(memberSchema.getValueSchema(), value, traits.httpQuery as string, 'restJson1'),
              )
            : coerceScalar(memberSchema, values[0] as string, traits.httpQuery as string, 'restJson1');
        }
      }
    }
    return { operation: name, input };
  }
  throw unknownOperation(service, `${request.method} ${request.path}`);
}

/** Matches `/clusters/{name}/node-groups/{nodegroupName}` against a path, returning the labels. */
function matchPath(template: string, path: string): Record<string, string> | undefined {
  const templateParts = template.split('?')[0]?.split('/') ?? [];
  const pathParts = path.split('/');
  if (templateParts.length !== pathParts.length) return undefined;
  const labels: Record<string, string> = {};
  for (const [index, part] of templateParts.entries()) {
    const actual = pathParts[index] ?? '';
    const label = /^\{(\w+)\+?\}$/.exec(part);
    if (label) {
      if (actual === '') return undefined;
      labels[label[1] as string] = decodeLabel(actual);
    } else if (part !== actual) return undefined;
  }
  return labels;
}

/** A timestamp as an estate file or a request holds it: ISO text (no zone means UTC) or epoch milliseconds. */
const awsTimestamp = (value: string | number) =>
  typeof value === 'number' ? new Date(value) : (parseAwsTime(value) ?? new Date(Number.NaN));

function decodeLabel(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError('SerializationException', `Malformed percent-encoding in the path segment ${text}.`);
  }
}

/** A query or form value as its member's type; a value of another type is the protocol's validation error. */
function coerceScalar(schema: NormalizedSchema, raw: string, key: string, protocol: Protocol): unknown {
  const invalid = (expected: string) =>
    validationError(
      { protocol },
      `1 validation error detected: ${key}: expected ${expected}, got ${JSON.stringify(raw)}`,
    );
  if (schema.isNumericSchema()) {
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value)) throw invalid('a number');
    return value;
  }
  if (schema.isBooleanSchema()) {
    if (raw !== 'true' && raw !== 'false') throw invalid('true or false');
    return raw === 'true';
  }
  if (schema.isTimestampSchema()) {
    const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : parseAwsTime(raw);
    if (date === undefined) throw invalid('a timestamp');
    return date;
  }
  return raw;
}

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The form key of a member: EC2 uses ec2QueryName (else the capitalized xmlName), awsQuery the xmlName. */
function queryName(member: string, schema: NormalizedSchema, protocol: 'awsQuery' | 'ec2Query'): string {
  const traits = schema.getMergedTraits();
  if (protocol === 'ec2Query') {
    if (typeof traits.ec2QueryName === 'string') return traits.ec2QueryName;
    return typeof traits.xmlName === 'string' ? capitalize(traits.xmlName) : capitalize(member);
  }
  return typeof traits.xmlName === 'string' ? traits.xmlName : member;
}

function decodeQueryStruct(
  schema: NormalizedSchema,
  form: URLSearchParams,
  prefix: string,
  protocol: 'awsQuery' | 'ec2Query',
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [member, memberSchema] of schema.structIterator()) {
    const value = decodeQueryValue(
      memberSchema,
      form,
      `${prefix}${queryName(member, memberSchema, protocol)}`,
      protocol,
    );
    if (value !== undefined) result[member] = value;
  }
  return result;
}

function decodeQueryValue(
  schema: NormalizedSchema,
  form: URLSearchParams,
  key: string,
  protocol: 'awsQuery' | 'ec2Query',
): unknown {
  if (schema.isStructSchema()) {
    const hasAny = [...form.keys()].some((formKey) => formKey.startsWith(`${key}.`));
    return hasAny ? decodeQueryStruct(schema, form, `${key}.`, protocol) : undefined;
  }
  if (schema.isListSchema()) {
    // EC2 lists are always flattened (Filter.1.Name); awsQuery lists use `.member.N` unless flattened.
    const flattened = protocol === 'ec2Query' || schema.getMergedTraits().xmlFlattened === 1;
    const itemPrefix = flattened ? `${key}.` : `${key}.member.`;
    const items: unknown[] = [];
    for (let index = 1; ; index += 1) {
      const item = decodeQueryValue(schema.getValueSchema(), form, `${itemPrefix}${index}`, protocol);
      if (item === undefined) break;
      items.push(item);
    }
    if (items.length === 0 && form.has(key)) return [];
    return items.length > 0 ? items : undefined;
  }
  const raw = form.get(key);
  return raw === null ? undefined : coerceScalar(schema, raw, key, protocol);
}

/** Converts ISO strings (as estate files hold dates) into Dates wherever the schema has a timestamp. */
function reviveTimestamps(schema: NormalizedSchema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  // Estate timestamps are validated ISO-8601 text; one without a zone is UTC.
  if (schema.isTimestampSchema())
    return typeof value === 'string' || typeof value === 'number' ? awsTimestamp(value) : value;
  if (schema.isListSchema() && Array.isArray(value)) {
    const member = schema.getValueSchema();
    return value.map((item) => reviveTimestamps(member, item));
  }
  if (schema.isMapSchema() && typeof value === 'object') {
    const member = schema.getValueSchema();
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, reviveTimestamps(member, item)]),
    );
  }
  if (schema.isStructSchema() && typeof value === 'object') {
    const members = schema.getMemberSchemas();
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        members[key] ? reviveTimestamps(members[key], item) : item,
      ]),
    );
  }
  return value;
}

const requestIdOf = () => `${Date.now().toString(16)}-${Math.random().toString(16).slice(2, 10)}`;

/** Encodes an SDK-shaped output as the service's response. */
export function encodeResponse(service: string, operationName: string, output: unknown): EncodedResponse {
  const protocol = SERVICES[service] as ServiceProtocol;
  const operation = operationsOf(service).get(operationName) as OperationSchema;
  const schema = outputSchema(operation);
  const value = reviveTimestamps(schema, output ?? {});
  const requestId = requestIdOf();
  switch (protocol.protocol) {
    case 'restJson1':
    case 'awsJson1_1': {
      const serializer = new JsonShapeSerializer({
        jsonName: protocol.protocol === 'restJson1',
        timestampFormat: { useTrait: true, default: EPOCH_SECONDS },
      });
      serializer.write(schema, value);
      const type = protocol.protocol === 'restJson1' ? 'application/json' : 'application/x-amz-json-1.1';
      const status = (operation[3].http as [string, string, number] | undefined)?.[2] ?? 200;
      return {
        status,
        headers: { 'content-type': type, 'x-amzn-requestid': requestId },
        body: serializer.flush(),
      };
    }
    case 'awsQuery':
    case 'ec2Query': {
      const inner = serializeXmlMembers(schema, value, protocol);
      const body =
        protocol.protocol === 'ec2Query'
          ? `<?xml version="1.0" encoding="UTF-8"?>\n<${operationName}Response xmlns="${protocol.xmlNamespace}"><requestId>${requestId}</requestId>${inner}</${operationName}Response>`
          : `<${operationName}Response xmlns="${protocol.xmlNamespace}"><${operationName}Result>${inner}</${operationName}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operationName}Response>`;
      return { status: 200, headers: { 'content-type': 'text/xml' }, body };
    }
  }
}

/** The members of a structure as XML elements (the serializer's root element stripped). */
function serializeXmlMembers(schema: NormalizedSchema, value: unknown, protocol: ServiceProtocol): string {
  const serializer = new XmlShapeSerializer({
    xmlNamespace: protocol.xmlNamespace ?? '',
    serviceNamespace: '',
    timestampFormat: { useTrait: true, default: DATE_TIME },
  });
  serializer.write(schema, value);
  const xml = String(serializer.flush());
  const open = xml.indexOf('>');
  if (xml.charAt(open - 1) === '/') return '';
  return xml.slice(open + 1, xml.lastIndexOf('</'));
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Encodes an error in the service's own error shape, so the SDK raises the same exception class. */
export function encodeError(service: string, error: AwsError): EncodedResponse {
  const protocol = SERVICES[service]?.protocol ?? 'restJson1';
  const requestId = requestIdOf();
  switch (protocol) {
    case 'restJson1':
      return {
        status: error.status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': error.code,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ message: error.message }),
      };
    case 'awsJson1_1':
      return {
        status: error.status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    case 'awsQuery':
      return {
        status: error.status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse xmlns="${SERVICES[service]?.xmlNamespace}"><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'ec2Query':
      return {
        status: error.status,
        headers: { 'content-type': 'text/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
  }
}
