/** What a service handler sees: the estate, the caller's account and Region, the written state. */
import type { Estate } from '../estate.js';
import { AwsError } from '../protocols.js';

export interface EmulatorContext {
  readonly estate: Estate;
  /** The account of the caller's credentials. */
  readonly account: string;
  /** The Region of the request's SigV4 scope. */
  readonly region: string;
  readonly maxPageSize: number | undefined;
  readonly written: WrittenState;
  /** Credentials for the role (its ARN) in the account; calls made with them are recorded as the role's. */
  issueCredentials(
    account: string,
    roleArn: string,
  ): { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  /**
   * Whether an injected `failed-findings` fault fails the next item of a batch call: a finding of
   * BatchImportFindings, an evaluation of PutEvaluations.
   */
  failsFinding(): boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: inputs are SDK-shaped objects decoded by the protocol layer.
export type Handler = (input: any, context: EmulatorContext) => unknown;

export type EstateAccount = Estate['accounts'][number];
export type EstateRegion = EstateAccount['regions'][string];

export function accountOf(context: EmulatorContext, accountId = context.account): EstateAccount | undefined {
  return context.estate.accounts.find((account) => account.accountId === accountId);
}

/** The caller's account data in the request's Region; undefined when the estate has none (an empty Region). */
export function regionOf(context: EmulatorContext): EstateRegion | undefined {
  return accountOf(context)?.regions[context.region];
}

export interface PageRequest {
  readonly maxResults: number | undefined;
  readonly nextToken: string | undefined;
  /** The largest page the API allows; a larger request is a validation error, as in AWS. */
  readonly cap: number;
  /** The page size when the request names none. */
  readonly defaultSize?: number;
  readonly invalidTokenCode?: string;
  readonly validationCode?: string;
}

/** One page of a list, with the token of the next; tokens are opaque offsets. */
export function page<T>(items: readonly T[], request: PageRequest, context: EmulatorContext) {
  const { maxResults, nextToken, cap } = request;
  if (maxResults !== undefined && (maxResults < 1 || maxResults > cap)) {
    throw new AwsError(
      request.validationCode ?? 'ValidationException',
      `maxResults must be between 1 and ${cap}.`,
    );
  }
  let offset = 0;
  if (nextToken !== undefined && nextToken !== '') {
    offset = Number(
      Buffer.from(nextToken, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0 || offset > items.length) {
      throw new AwsError(
        request.invalidTokenCode ?? 'InvalidNextTokenException',
        'The pagination token is invalid.',
      );
    }
  }
  const size = Math.min(
    maxResults ?? request.defaultSize ?? cap,
    context.maxPageSize ?? Number.POSITIVE_INFINITY,
  );
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? Buffer.from(`offset:${end}`).toString('base64url') : undefined,
  };
}

const key = (...parts: string[]) => parts.join('|');

/** What writes left behind: Security Hub findings and Config evaluations, per account and Region. */
export class WrittenState {
  readonly findings = new Map<string, Map<string, Record<string, unknown>>>();
  readonly evaluations = new Map<string, Map<string, Record<string, unknown>>>();

  findingsOf(account: string, region: string): Map<string, Record<string, unknown>> {
    return this.#bucket(this.findings, key(account, region));
  }

  evaluationsOf(account: string, region: string): Map<string, Record<string, unknown>> {
    return this.#bucket(this.evaluations, key(account, region));
  }

  clear() {
    this.findings.clear();
    this.evaluations.clear();
  }

  toJSON() {
    const nest = (store: Map<string, Map<string, Record<string, unknown>>>) => {
      const result: Record<string, Record<string, Record<string, unknown>[]>> = {};
      for (const [bucketKey, bucket] of store) {
        const [account = '', region = ''] = bucketKey.split('|');
        result[account] ??= {};
        result[account][region] = [...bucket.values()];
      }
      return result;
    };
    return { securityHub: nest(this.findings), config: nest(this.evaluations) };
  }

  #bucket(store: Map<string, Map<string, Record<string, unknown>>>, bucketKey: string) {
    let bucket = store.get(bucketKey);
    if (!bucket) {
      bucket = new Map();
      store.set(bucketKey, bucket);
    }
    return bucket;
  }
}
