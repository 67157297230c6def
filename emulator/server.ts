/**
 * The local AWS endpoint: one HTTP server on loopback serving every operation the scanner calls,
 * backed by an estate file. Requests are routed by the SigV4 credential scope (service, Region) and by
 * the account of the credentials; faults from the estate are injected per call; writes are recorded.
 * Product code never imports this module: it reaches the emulator only through the SDK's endpoint
 * settings.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Estate, type EstateFault, homeAccountId, parseEstate } from './estate.js';
import {
  AwsError,
  type DecodedRequest,
  decodeRequest,
  encodeError,
  encodeResponse,
  SERVICES,
  UnknownOperationError,
  unknownOperation,
} from './protocols.js';
import { type EmulatorContext, WrittenState } from './services/context.js';
import { SERVICE_HANDLERS } from './services/index.js';

export interface EmulatorOptions {
  readonly estate: Estate;
  /** Loopback port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Caps every page of every paginated list, so tests exercise paging. */
  readonly maxPageSize?: number;
  /** The random source for fault rates; seed it for reproducible runs. */
  readonly random?: () => number;
  /** How injected latency and timeouts wait (default: a timer); a test can observe them. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>`: give it to the SDK as AWS_ENDPOINT_URL or `endpoint`. */
  readonly endpoint: string;
  /** Access key / secret the emulator attributes to the estate's home account. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  stop(): Promise<void>;
}

/** Credentials the emulator did not issue belong to the home account; these are the ones it documents. */
export const HOME_CREDENTIALS = {
  accessKeyId: 'AKIAEMULATORHOME0000',
  secretAccessKey: 'emulator-secret',
} as const;

/** Throttling and error codes as each service names them, so the SDK classifies them as AWS would. */
const FAULT_ERRORS: Readonly<Record<string, { throttle: string; denied: string; server: string }>> = {
  eks: { throttle: 'ThrottlingException', denied: 'AccessDeniedException', server: 'ServerException' },
  ec2: { throttle: 'RequestLimitExceeded', denied: 'UnauthorizedOperation', server: 'InternalError' },
  autoscaling: { throttle: 'Throttling', denied: 'AccessDenied', server: 'InternalFailure' },
  inspector2: {
    throttle: 'ThrottlingException',
    denied: 'AccessDeniedException',
    server: 'InternalServerException',
  },
  ssm: { throttle: 'ThrottlingException', denied: 'AccessDeniedException', server: 'InternalServerError' },
  sts: { throttle: 'Throttling', denied: 'AccessDenied', server: 'InternalFailure' },
  organizations: {
    throttle: 'TooManyRequestsException',
    denied: 'AccessDeniedException',
    server: 'ServiceException',
  },
  securityhub: {
    throttle: 'TooManyRequestsException',
    denied: 'AccessDeniedException',
    server: 'InternalException',
  },
  config: { throttle: 'ThrottlingException', denied: 'AccessDeniedException', server: 'InternalFailure' },
  iam: { throttle: 'Throttling', denied: 'AccessDenied', server: 'ServiceFailure' },
  guardduty: {
    throttle: 'ThrottlingException',
    denied: 'AccessDeniedException',
    server: 'InternalServerErrorException',
  },
  ecr: { throttle: 'ThrottlingException', denied: 'AccessDeniedException', server: 'ServerException' },
};

const SIGV4_SCOPE = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const matches = (pattern: string | undefined, value: string) =>
  pattern === undefined || pattern === '*' || pattern === value;

/** The in-process emulator: its state and the request handling, independent of the HTTP server. */
export class Emulator {
  #estate: Estate;
  readonly #calls = new Map<string, number>();
  /** The same calls, also keyed by the principal that made them (see callsByPrincipal). */
  readonly #principalCalls = new Map<string, number>();
  readonly #written = new WrittenState();
  /** S3 objects by `bucket/key`. */
  readonly #objects = new Map<string, string>();
  /** Access keys the emulator issued through AssumeRole, mapped to their account and role. */
  readonly #issuedKeys = new Map<string, { account: string; roleArn: string }>();
  readonly #maxPageSize: number | undefined;
  readonly #random: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: Omit<EmulatorOptions, 'port'>) {
    this.#estate = options.estate;
    this.#maxPageSize = options.maxPageSize;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? sleep;
  }

  get estate(): Estate {
    return this.#estate;
  }

  /** Replaces the estate and keeps what was written (findings, evaluations). */
  replaceEstate(estate: Estate) {
    this.#estate = estate;
  }

  /** Forgets calls and written state. */
  reset() {
    this.#calls.clear();
    this.#principalCalls.clear();
    this.#written.clear();
    this.#objects.clear();
  }

  calls() {
    return [...this.#calls].map(([key, count]) => {
      const [account, region, service, operation] = JSON.parse(key) as string[];
      return { account, region, service, operation, count };
    });
  }

  /**
   * Every call with who made it: the role ARN for credentials the emulator issued by AssumeRole, or
   * else the caller's access key id (the credentials a test or function started with).
   */
  callsByPrincipal() {
    return [...this.#principalCalls].map(([key, count]) => {
      const [principal, account, region, service, operation] = JSON.parse(key) as string[];
      return { principal, account, region, service, operation, count };
    });
  }

  state() {
    return this.#written.toJSON();
  }

  async handle(request: IncomingMessage, body: string, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/_emulator/'))
      return this.#admin(request.method ?? 'GET', url.pathname, body, response);

    const scope = SIGV4_SCOPE.exec(String(request.headers.authorization ?? ''));
    if (!scope) {
      return send(response, {
        status: 403,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': 'MissingAuthenticationTokenException',
        },
        body: JSON.stringify({ message: 'Missing Authentication Token' }),
      });
    }
    const [, accessKeyId = '', region = '', service = ''] = scope;
    const issued = this.#issuedKeys.get(accessKeyId);
    const account = issued?.account ?? homeAccountId(this.#estate);
    if (service === 's3')
      return this.#s3(
        request.method ?? 'GET',
        url.pathname,
        body,
        {
          account,
          region,
          principal: issued?.roleArn ?? accessKeyId,
        },
        response,
      );
    if (!SERVICES[service]) {
      return send(
        response,
        encodeError('eks', new AwsError('UnknownServiceException', `Unknown service ${service}.`)),
      );
    }
    try {
      // A call to an operation nobody serves is still a call: recorded, delayed and faulted like any.
      let decoded: DecodedRequest | UnknownOperationError;
      try {
        decoded = await decodeRequest(service, {
          method: request.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body,
        });
      } catch (error) {
        if (!(error instanceof UnknownOperationError)) throw error;
        decoded = error;
      }
      const { operation } = decoded;
      const handler = SERVICE_HANDLERS[service]?.[operation];
      const callKey = JSON.stringify([account, region, service, operation]);
      this.#calls.set(callKey, (this.#calls.get(callKey) ?? 0) + 1);
      const principalKey = JSON.stringify([
        issued?.roleArn ?? accessKeyId,
        account,
        region,
        service,
        operation,
      ]);
      this.#principalCalls.set(principalKey, (this.#principalCalls.get(principalKey) ?? 0) + 1);
      const fault = await this.#injectFaults(service, operation, account, region);
      const findingFailureRate = this.#findingFailureRate(service, operation, account, region);
      if (fault === 'timeout') {
        request.socket.destroy();
        return;
      }
      if (decoded instanceof UnknownOperationError) throw decoded;
      if (!handler) throw unknownOperation(service, operation);
      const context: EmulatorContext = {
        estate: this.#estate,
        account,
        region,
        maxPageSize: this.#maxPageSize,
        written: this.#written,
        issueCredentials: (targetAccount, roleArn) => this.#issueCredentials(targetAccount, roleArn),
        failsFinding: () => findingFailureRate > 0 && this.#random() < findingFailureRate,
      };
      const output = await handler(decoded.input, context);
      send(response, encodeResponse(service, decoded.operation, output));
    } catch (error) {
      if (error instanceof AwsError) return send(response, encodeError(service, error));
      send(response, encodeError(service, new AwsError('InternalFailure', (error as Error).message, 500)));
    }
  }

  /**
   * The two S3 calls a scan run makes in its own account (path-style, as the SDK addresses an IP
   * endpoint): PutObject and GetObject of the run's items and Distributed Map results, kept in memory.
   */
  #s3(
    method: string,
    path: string,
    body: string,
    caller: { readonly account: string; readonly region: string; readonly principal: string },
    response: ServerResponse,
  ) {
    const { account, region, principal } = caller;
    const operation = method === 'PUT' ? 'PutObject' : method === 'GET' ? 'GetObject' : method;
    const callKey = JSON.stringify([account, region, 's3', operation]);
    this.#calls.set(callKey, (this.#calls.get(callKey) ?? 0) + 1);
    const principalKey = JSON.stringify([principal, account, region, 's3', operation]);
    this.#principalCalls.set(principalKey, (this.#principalCalls.get(principalKey) ?? 0) + 1);
    const xmlError = (status: number, code: string, message: string) =>
      send(response, {
        status,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
      });
    let segments: string[];
    try {
      segments = path.split('/').map(decodeURIComponent);
    } catch {
      // A malformed percent-encoding is the caller's error, as S3 answers it, never an internal one.
      return xmlError(400, 'InvalidURI', "Couldn't parse the specified URI.");
    }
    const [, bucket = '', ...key] = segments;
    const name = `${bucket}/${key.join('/')}`;
    if (bucket === '' || key.length === 0) return xmlError(400, 'InvalidRequest', 'Bucket and key required.');
    if (operation === 'PutObject') {
      this.#objects.set(name, body);
      return send(response, { status: 200, headers: { etag: `"${name.length}"` }, body: '' });
    }
    if (operation === 'GetObject') {
      const stored = this.#objects.get(name);
      if (stored === undefined) return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
      return send(response, { status: 200, headers: { 'content-type': 'application/json' }, body: stored });
    }
    return xmlError(501, 'NotImplemented', `The emulator does not implement s3 ${method}.`);
  }

  #faultsFor(service: string, operation: string, account: string, region: string) {
    return (this.#estate.faults ?? []).filter(
      (fault: EstateFault) =>
        matches(fault.service, service) &&
        matches(fault.operation, operation) &&
        matches(fault.account, account) &&
        matches(fault.region, region),
    );
  }

  /** The share of findings a `failed-findings` fault makes BatchImportFindings refuse (0: none). */
  #findingFailureRate(service: string, operation: string, account: string, region: string): number {
    const fault = this.#faultsFor(service, operation, account, region).find(
      (candidate) => candidate.kind === 'failed-findings',
    );
    return fault !== undefined && fault.kind !== 'latency' ? fault.rate : 0;
  }

  /** Applies latency, then the first error fault that fires. Returns 'timeout' when the call must hang up. */
  async #injectFaults(service: string, operation: string, account: string, region: string) {
    const applicable = this.#faultsFor(service, operation, account, region);
    for (const fault of applicable) if (fault.kind === 'latency') await this.#sleep(fault.ms ?? 0);
    for (const fault of applicable) {
      if (fault.kind === 'latency' || fault.kind === 'failed-findings') continue;
      if (this.#random() >= (fault.rate ?? 1)) continue;
      const codes = FAULT_ERRORS[service] ?? {
        throttle: 'ThrottlingException',
        denied: 'AccessDenied',
        server: 'InternalFailure',
      };
      switch (fault.kind) {
        case 'throttle':
          throw new AwsError(codes.throttle, 'Rate exceeded', service === 'ec2' ? 503 : 400);
        case 'access-denied':
          throw new AwsError(codes.denied, `User is not authorized to perform ${service}:${operation}`, 403);
        case 'server-error':
          throw new AwsError(codes.server, 'An internal error occurred.', 500);
        case 'timeout':
          await this.#sleep(fault.ms ?? 50);
          return 'timeout';
      }
    }
    return undefined;
  }

  #issueCredentials(account: string, roleArn: string) {
    const suffix = Math.random().toString(36).slice(2, 12).toUpperCase().padEnd(10, '0');
    const accessKeyId = `ASIA${account.slice(-6)}${suffix}`;
    this.#issuedKeys.set(accessKeyId, { account, roleArn });
    return {
      AccessKeyId: accessKeyId,
      SecretAccessKey: `secret-${suffix}`,
      SessionToken: `token-${account}-${suffix}`,
    };
  }

  #admin(method: string, path: string, body: string, response: ServerResponse) {
    const json = (status: number, value: unknown) =>
      send(response, {
        status,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(value),
      });
    const route = `${method} ${path}`;
    try {
      switch (route) {
        case 'GET /_emulator/calls':
          return json(200, this.calls());
        case 'GET /_emulator/calls-by-principal':
          return json(200, this.callsByPrincipal());
        case 'GET /_emulator/state':
          return json(200, this.state());
        case 'PUT /_emulator/estate':
          this.replaceEstate(parseEstate(JSON.parse(body)));
          return json(200, { replaced: true });
        case 'POST /_emulator/reset':
          this.reset();
          return json(200, { reset: true });
        default:
          return json(404, { message: `No admin route ${route}.` });
      }
    } catch (error) {
      return json(400, { message: (error as Error).message });
    }
  }
}

function send(
  response: ServerResponse,
  encoded: { status: number; headers: Record<string, string>; body: string },
) {
  response.writeHead(encoded.status, {
    ...encoded.headers,
    'content-length': Buffer.byteLength(encoded.body),
  });
  response.end(encoded.body);
}

/** Starts the emulator on loopback. */
export async function startEmulator(
  options: EmulatorOptions,
): Promise<RunningEmulator & { emulator: Emulator }> {
  const emulator = new Emulator(options);
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      emulator.handle(request, Buffer.concat(chunks).toString('utf8'), response).catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    emulator,
    endpoint: `http://127.0.0.1:${port}`,
    credentials: HOME_CREDENTIALS,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
