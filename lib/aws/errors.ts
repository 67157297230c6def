/** Turns whatever an SDK call threw into the failure a snapshot records. */
import type { HttpHandler, HttpHandlerExtensionConfiguration } from '@smithy/core/protocols';
import { ScannerError } from '../errors.js';
import type { CollectionFailure } from '../snapshot/types.js';

/** A response that lacks what the call exists for (e.g. DescribeCluster without `cluster`). */
export class IncompleteResponseError extends ScannerError {
  override name = 'IncompleteResponseError';
}

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** How much of a response body that is not an AWS error an error message quotes. */
const BODY_EXCERPT_CHARS = 200;

/**
 * Codes the SDK gives an error response it could not read as the service's error: a body that is not
 * JSON (SyntaxError, JSON protocols) or an XML body without an error code (`Unknown`, query protocols),
 * such as the HTML page of a proxy or load balancer.
 */
const UNREADABLE_ERROR_NAMES = new Set(['SyntaxError', 'Unknown', 'UnknownError']);

/**
 * The failure of `operation` (`<service>:<Operation>`). The code is the AWS error code: SDK service
 * exceptions carry it as their name (some protocols also as `Code`); Node's network errors carry it
 * as `code` (ECONNREFUSED...). An error response the SDK could not read keeps its HTTP status as the
 * code (`HTTP502`) and quotes the start of its body.
 */
export function toCollectionFailure(operation: string, error: unknown): CollectionFailure {
  if (typeof error !== 'object' || error === null) {
    return { operation, code: 'UnknownError', message: String(error) };
  }
  const fields = error as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $response?: { body?: unknown };
  };
  const name = nonEmptyString(fields.name);
  const status = fields.$metadata?.httpStatusCode;
  if (name !== undefined && UNREADABLE_ERROR_NAMES.has(name) && typeof status === 'number') {
    return { operation, code: `HTTP${status}`, message: unreadableResponse(status, fields.$response?.body) };
  }
  const code =
    (name !== 'Error' ? name : undefined) ??
    nonEmptyString(fields.Code) ??
    nonEmptyString(fields.code) ??
    name ??
    'UnknownError';
  const message = nonEmptyString(fields.message) ?? code;
  return { operation, code, message };
}

function unreadableResponse(status: number, body: unknown): string {
  const text =
    typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : '';
  const excerpt = text.replace(/\s+/g, ' ').trim();
  if (excerpt === '') return `HTTP ${status} with a body that is not an AWS error response.`;
  const shown = excerpt.length > BODY_EXCERPT_CHARS ? `${excerpt.slice(0, BODY_EXCERPT_CHARS)}...` : excerpt;
  return `HTTP ${status} with a body that is not an AWS error response: ${shown}`;
}

/**
 * A client extension that reads the body of every error response (status 300 or more) before the
 * SDK parses it, and leaves it on the response as bytes. The SDK consumes the body stream when it
 * parses it, so without this an error whose body it cannot read (a proxy's HTML page) reaches
 * `toCollectionFailure` with nothing but a SyntaxError; with it, `$response.body` still holds the text.
 */
export const keepErrorBodies = {
  configure(extension: HttpHandlerExtensionConfiguration): void {
    const inner = extension.httpHandler();
    const keeping: HttpHandler = {
      handle: async (request, options) => {
        const output = await inner.handle(request, options);
        const { response } = output;
        if (response.statusCode >= 300) response.body = await bytesOf(response.body);
        return output;
      },
      destroy: () => inner.destroy?.(),
      updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key, value),
      httpHandlerConfigs: () => inner.httpHandlerConfigs(),
      ...(inner.metadata === undefined ? {} : { metadata: inner.metadata }),
    };
    extension.setHttpHandler(keeping);
  },
};

async function bytesOf(body: unknown): Promise<unknown> {
  if (body === undefined || body === null || body instanceof Uint8Array || typeof body === 'string') {
    return body;
  }
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
