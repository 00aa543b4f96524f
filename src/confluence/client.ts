import { requireConfig } from '../config.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { getAccessToken } from '../vault/access-token.ts';
import type { IntegrationRecord } from '../vault/integrations.ts';
import {
  answerTooLarge,
  type FailedCall,
  isScopeFailure,
  rejectedAfterRefresh,
  retryAfterSeconds,
  type UpstreamAnswer,
  upstreamError,
} from './errors.ts';
import { type ParsedWithSources, parseKeepingLargeStrings } from './raw-json.ts';
import { mayHaveDied } from './token-liveness.ts';

/** Query parameters; an array repeats the parameter (`status=current&status=draft`), as the specs' form style does. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** One call to Confluence, as an operation in api.ts describes it. */
export interface Call extends FailedCall {
  method: 'GET' | 'POST' | 'PUT';
  query?: Query;
  body?: unknown;
}

/** A rate-limit wait this short is waited out inside the call, once; a longer one goes to the caller. */
const MAX_INLINE_RETRY_SECONDS = 2;

/**
 * The one HTTP client for Confluence through api.atlassian.com (`/ex/confluence/{cloudId}/…`).
 *
 * Per call: the integration's access token (isolate cache, then KV, then the TokenRefresher), one
 * attempt under a timeout, and at most two retries, each for a reason that a retry fixes:
 * - a 401 that is not a scope failure, or a 404/403 that token-liveness.ts finds may be a dead token
 *   in disguise: the token was rejected early (revoked, rotated, clock skew), so the refresher is
 *   told which token failed and the call is repeated once with a new one;
 * - a 429 (or a 503 to a GET) whose Retry-After is at most 2 s: waited out once. A 503 to a write is
 *   not repeated, since Confluence may have applied it.
 * Every other failure becomes an ApiError (errors.ts). Each answer body is read and parsed once.
 */
export class ConfluenceClient {
  readonly #env: Env;
  readonly #integration: IntegrationRecord;
  readonly #apiBaseUrl: string;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;

  constructor(env: Env, integration: IntegrationRecord) {
    const config = requireConfig(env, [
      'ATLASSIAN_API_BASE_URL',
      'CONFLUENCE_TIMEOUT_MS',
      'CONFLUENCE_MAX_RESPONSE_BYTES',
    ]);
    this.#env = env;
    this.#integration = integration;
    this.#apiBaseUrl = config.ATLASSIAN_API_BASE_URL;
    this.#base = `${config.ATLASSIAN_API_BASE_URL}/ex/confluence/${encodeURIComponent(integration.site.cloud_id)}`;
    this.#timeoutMs = config.CONFLUENCE_TIMEOUT_MS;
    this.#maxResponseBytes = config.CONFLUENCE_MAX_RESPONSE_BYTES;
  }

  /** The integration this client acts for. */
  get integrationId(): string {
    return this.#integration.id;
  }

  /** The web address of a site-relative Confluence UI path such as a page's `_links.webui`. */
  webUrl(webui: string | undefined): string | undefined {
    return webui ? `${this.#integration.site.url}/wiki${webui}` : undefined;
  }

  request<T>(call: Call): Promise<T> {
    return this.#send(call, (text) => JSON.parse(text) as T);
  }

  /** As request, keeping the JSON source of large strings so an answer can embed them as sent (raw-json.ts). */
  requestKeepingLargeStrings<T>(call: Call, worthUpTo?: number): Promise<ParsedWithSources<T>> {
    return this.#send(call, (text) => parseKeepingLargeStrings<T>(text, worthUpTo));
  }

  async #send<R>(call: Call, parse: (text: string) => R): Promise<R> {
    const id = this.#integration.id;
    let token = await getAccessToken(this.#env, id);
    let refreshed = false;
    let waited = false;
    for (;;) {
      const answer = await this.#attempt(call, token.accessToken);
      if (answer.status >= 200 && answer.status < 300) return parseSuccess(answer, call, parse);
      const rejected =
        (answer.status === 401 && !isScopeFailure(answer)) ||
        (!refreshed &&
          (answer.status === 404 || answer.status === 403) &&
          (await mayHaveDied(this.#apiBaseUrl, id, token)));
      if (rejected) {
        if (refreshed) {
          logFailure(call, 401);
          throw rejectedAfterRefresh();
        }
        refreshed = true;
        token = await getAccessToken(this.#env, id, { rejected: token.accessToken });
        continue;
      }
      const limited = answer.status === 429 || (answer.status === 503 && call.method === 'GET');
      const wait = limited ? retryAfterSeconds(answer.headers) : undefined;
      if (!waited && wait !== undefined && wait <= MAX_INLINE_RETRY_SECONDS) {
        waited = true;
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      logFailure(call, answer.status);
      throw upstreamError(answer, call);
    }
  }

  async #attempt(call: Call, token: string): Promise<UpstreamAnswer> {
    const url = this.#base + call.path + queryString(call.query);
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    // Aborted when an answer passes the byte cap: the connection is dropped rather than drained.
    const tooLarge = new AbortController();
    try {
      const response = await fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.any([timeout, tooLarge.signal]),
      });
      const text = await readText(response, this.#maxResponseBytes);
      if (text === undefined) {
        tooLarge.abort();
        logFailure(call, 'too_large');
        throw answerTooLarge(call, this.#maxResponseBytes);
      }
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (error instanceof ApiError) throw error;
      logFailure(call, timeout.aborted ? 'timeout' : 'network');
      if (timeout.aborted) throw timedOut(call, this.#timeoutMs);
      throw new ApiError(
        'upstream_error',
        `Could not reach Confluence (${error instanceof Error ? error.name : 'network error'}). Retry shortly${writeCaveat(call)}.`,
        { retryable: true },
      );
    }
  }
}

/**
 * The body as text, or undefined once it passes `maxBytes` (the caller then aborts the request, so
 * the rest is never read): an answer of any size costs at most `maxBytes` of memory.
 */
async function readText(response: Response, maxBytes: number): Promise<string | undefined> {
  const length = response.headers.get('content-length');
  const declared = Number(length);
  if (!response.body) return '';
  if (declared > maxBytes) return undefined;
  // A declared length the runtime reads to and no further bounds the body already: one native read
  // then costs a third of the loop below on a 50 KB page (the bench's profile). Not for an encoded
  // body, whose decoded size the declared length does not bound.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  if (length !== null && Number.isSafeInteger(declared) && !encoded) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) return undefined;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function parseSuccess<R>(answer: UpstreamAnswer, call: Call, parse: (text: string) => R): R {
  if (answer.status === 204 || answer.text === '') return undefined as R;
  try {
    return parse(answer.text);
  } catch {
    logFailure(call, 'malformed_json');
    throw new ApiError(
      'upstream_error',
      `Confluence answered with a body that is not valid JSON (a cut-off or garbled response). Retry shortly${writeCaveat(call)}.`,
      { retryable: true },
    );
  }
}

function timedOut(call: Call, timeoutMs: number): ApiError {
  return new ApiError(
    'upstream_timeout',
    `Confluence did not answer within ${timeoutMs / 1000} s. Retry shortly${writeCaveat(call)}.`,
    { retryable: true },
  );
}

/** For a write whose outcome is unknown: say so, so the agent does not create a page twice. */
function writeCaveat(call: Call): string {
  return call.method === 'GET'
    ? ''
    : '; the change may or may not have been applied, so read the content first before repeating it';
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value) params.append(name, item);
    else if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Operations and statuses only: never a URL with a query, a body or a token. */
function logFailure(call: Call, outcome: number | string): void {
  console.warn(
    JSON.stringify({ event: 'confluence_call_failed', method: call.method, scope: call.scope, outcome }),
  );
}
