import { requireConfig } from '../config.ts';
import type { IntegrationRecord } from '../integrations/records.ts';
import { ApiError } from '../lib/errors.ts';
import { declaredOver, readBounded } from '../lib/streams.ts';
import { quotaRefusal, readQuotaHeaders } from '../quota/headers.ts';
import type { QuotaMeter, Reservation } from '../quota/meter.ts';
import { chargedPoints, predictPoints } from '../quota/pricing.ts';
import { quotaExhausted } from '../quota/refusal.ts';
import { getAccessToken } from '../vault/access-token.ts';
import {
  answerTooLarge,
  DEFAULT_RETRY_AFTER_SECONDS,
  type FailedCall,
  isScopeFailure,
  rejectedAfterRefresh,
  retryAfterSeconds,
  type UpstreamAnswer,
  upstreamError,
} from './errors.ts';
import { type ParsedWithSources, parseKeepingLargeStrings } from './raw-json.ts';
import type { ReadCache } from './read-cache.ts';
import { mayHaveDied } from './token-liveness.ts';

/** Query parameters; an array repeats the parameter (`status=current&status=draft`), as the specs' form style does. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** One call to Confluence, as an operation in api.ts describes it. */
export interface Call extends FailedCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  /** A JSON body, or a multipart form (fetch sets its content type with the boundary). */
  body?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** A GET that must see Confluence's current answer: never answered from the read cache. */
  fresh?: boolean;
}

/** The first bytes of a download, and whether they are all of it. */
export interface Download {
  bytes: Uint8Array;
  complete: boolean;
  contentType: string | null;
}

/** Reads a success; `readText` reads a body as text under CONFLUENCE_MAX_RESPONSE_BYTES. */
type Reader<R> = (response: Response, readText: (response: Response) => Promise<string>) => Promise<R>;

/** A rate-limit wait this short is waited out inside the call, once; a longer one goes to the caller. */
const MAX_INLINE_RETRY_SECONDS = 2;

/** What a tool call adds to its client: the points meter and the read cache (both optional). */
export interface ClientExtras {
  meter?: QuotaMeter;
  readCache?: ReadCache;
}

/** One attempt's outcome: a success read, or a failure read as text; with the answer's status and headers. */
type Attempt<R> = ({ value: R; text?: string } | UpstreamAnswer) & { status: number; headers: Headers };

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
 * Every other failure becomes an ApiError (errors.ts). Each answer body is read and parsed once, as
 * it streams, up to CONFLUENCE_MAX_RESPONSE_BYTES (downloads have their own cap).
 *
 * With a meter, each attempt first reserves its predicted Atlassian points (quota/meter.ts: refused
 * with 429 quota_exhausted before anything is sent) and is charged what its answer cost; a 429 of
 * Atlassian's spent pool becomes quota_exhausted and the ledger learns the pool is empty. With a read
 * cache, a GET repeated within its time is answered from it, and a write drops what it holds.
 */
export class ConfluenceClient {
  readonly #env: Env;
  readonly #integration: IntegrationRecord;
  readonly #apiBaseUrl: string;
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #meter: QuotaMeter | undefined;
  readonly #readCache: ReadCache | undefined;

  constructor(env: Env, integration: IntegrationRecord, extras: ClientExtras = {}) {
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
    this.#meter = extras.meter;
    this.#readCache = extras.readCache;
  }

  /** The integration this client acts for. */
  get integrationId(): string {
    return this.#integration.id;
  }

  /** The web address of a site-relative Confluence UI path such as a page's `_links.webui`. */
  webUrl(webui: string | undefined): string | undefined {
    return webui ? `${this.#integration.site.url}/wiki${webui}` : undefined;
  }

  /**
   * A web address for content known only by id and type (tree listings carry no links): a page's
   * viewpage address, else Confluence's tiny link (`/x/…`: the id's little-endian bytes in base64).
   */
  contentUrl(id: string, type: string | undefined): string | undefined {
    if (type === undefined || type === 'page') return this.webUrl(`/pages/viewpage.action?pageId=${id}`);
    let value = BigInt(id);
    let bytes = '';
    while (value > 0n) {
      bytes += String.fromCharCode(Number(value & 0xffn));
      value >>= 8n;
    }
    const tiny = btoa(bytes).replace(/=+$/, '').replace(/\//g, '-').replace(/\+/g, '_');
    return this.webUrl(`/x/${tiny}`);
  }

  request<T>(call: Call): Promise<T> {
    return this.#send(
      call,
      jsonReader(call, (text) => JSON.parse(text) as T),
      (value) => value,
    );
  }

  /** As request, keeping the JSON source of large strings so an answer can embed them as sent (raw-json.ts). */
  requestKeepingLargeStrings<T>(call: Call, worthUpTo?: number): Promise<ParsedWithSources<T>> {
    return this.#send(
      call,
      jsonReader(call, (text) => parseKeepingLargeStrings<T>(text, worthUpTo)),
      (answer) => answer.value,
    );
  }

  /** The answer the read cache holds for this GET, or undefined; Confluence is not asked. */
  async cached<T>(call: Call): Promise<T | undefined> {
    if (!this.#readCache || call.method !== 'GET') return undefined;
    const hit = await this.#readCache.get(call.path + queryString(call.query));
    if (!hit) return undefined;
    this.#meter?.savedByCache(hit.points);
    return JSON.parse(hit.text) as T;
  }

  /**
   * A file's bytes, at most `maxBytes` of them: the stream is cancelled past the cap, never buffered
   * whole. Confluence answers a download with a redirect to its media service, whose signed URL
   * needs no token; the redirect is followed here, without the Authorization header.
   */
  download(call: Call, maxBytes: number): Promise<Download> {
    return this.#send(
      { ...call, redirect: true },
      async (response) => {
        const location = response.headers.get('location');
        if (response.status < 300 || !location) return readCapped(response, maxBytes);
        await response.body?.cancel();
        const media = await fetch(new URL(location, this.#base), {
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        if (!media.ok) {
          await media.body?.cancel();
          logFailure(call, `media_${media.status}`);
          throw new ApiError(
            'upstream_error',
            `Confluence's file service answered HTTP ${media.status} for this download. Retry shortly.`,
            { retryable: media.status >= 500 || media.status === 429 },
          );
        }
        return readCapped(media, maxBytes);
      },
      () => undefined,
    );
  }

  async #send<R>(
    call: Call & { redirect?: boolean },
    read: Reader<R>,
    objectsOf: (value: R) => unknown,
  ): Promise<R> {
    const cacheKey =
      this.#readCache && call.method === 'GET' && !call.redirect && !call.fresh
        ? call.path + queryString(call.query)
        : undefined;
    if (cacheKey !== undefined) {
      const hit = await this.#readCache?.get(cacheKey);
      if (hit) {
        this.#meter?.savedByCache(hit.points);
        return read(new Response(hit.text), (response) => response.text());
      }
    }
    const id = this.#integration.id;
    const need = predictPoints(call);
    let reservation = await this.#meter?.reserve(need);
    let token = await getAccessToken(this.#env, id);
    let refreshed = false;
    let waited = false;
    for (;;) {
      reservation ??= await this.#meter?.reserve(need);
      let answer: Attempt<R>;
      try {
        answer = await this.#attempt(call, token.accessToken, read, cacheKey !== undefined);
      } catch (error) {
        // No answer (a timeout, a dropped connection): Atlassian's base point is the likely cost.
        if (reservation) this.#meter?.settle(reservation, 1, undefined);
        throw error;
      } finally {
        // A write may have changed what the cache holds, whatever came of it.
        if (call.method !== 'GET') await this.#readCache?.drop();
      }
      const spent = reservation;
      reservation = undefined;
      if ('value' in answer) {
        const charged = chargedPoints(call, answer.status, objectsOf(answer.value));
        if (spent) this.#meter?.settle(spent, charged, readQuotaHeaders(answer.headers));
        if (cacheKey !== undefined && answer.text !== undefined)
          this.#readCache?.put(cacheKey, answer.text, charged);
        return answer.value;
      }
      const spentPool = quotaRefusal(answer.status, answer.headers);
      if (spentPool) throw await this.#quotaRefused(call, answer, spentPool, spent);
      if (spent)
        this.#meter?.settle(
          spent,
          chargedPoints(call, answer.status, undefined),
          readQuotaHeaders(answer.headers),
        );
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

  /**
   * Atlassian answered 429 because its points pool is spent (another deployment of the app spent it,
   * or the gateway's count drifted): quota_exhausted with Atlassian's Retry-After, and the ledger
   * learns that the pool is empty until then.
   */
  async #quotaRefused(
    call: Call,
    answer: UpstreamAnswer,
    tier: 'global' | 'tenant',
    reservation: Reservation | undefined,
  ): Promise<ApiError> {
    logFailure(call, 'quota_429');
    const wait = retryAfterSeconds(answer.headers) ?? DEFAULT_RETRY_AFTER_SECONDS;
    const reading = readQuotaHeaders(answer.headers);
    if (reservation && this.#meter) {
      this.#meter.settle(reservation, 0, undefined);
      return this.#meter.exhausted(reservation, tier, wait, reading);
    }
    return quotaExhausted(
      { scope: 'app', resetsAt: Date.now() + wait * 1000, tier, fromAtlassian: true },
      predictPoints(call),
      this.#integration.id,
      {},
    );
  }

  /**
   * One request: a success is read with `read` (under the same timeout); a failure is read as text.
   * Text is read under the byte cap: past it the request is aborted, so the connection is dropped
   * rather than drained, and the call answers 502 upstream_error naming the cap. `keepText` keeps a
   * success's text as well (for the read cache).
   */
  async #attempt<R>(
    call: Call & { redirect?: boolean },
    token: string,
    read: Reader<R>,
    keepText: boolean,
  ): Promise<Attempt<R>> {
    const url = this.#base + call.path + queryString(call.query);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...call.headers,
      authorization: `Bearer ${token}`,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const tooLarge = new AbortController();
    const readText = async (response: Response): Promise<string> => {
      const text = await readTextWithin(response, this.#maxResponseBytes);
      if (text !== undefined) return text;
      tooLarge.abort();
      logFailure(call, 'too_large');
      throw answerTooLarge(call, this.#maxResponseBytes);
    };
    try {
      const response = await fetch(url, {
        method: call.method,
        headers,
        body: call.form ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
        redirect: call.redirect ? 'manual' : 'follow',
        signal: AbortSignal.any([timeout, tooLarge.signal]),
      });
      const { status } = response;
      const success = status >= 200 && status < (call.redirect ? 400 : 300);
      if (success && keepText) {
        const text = await readText(response);
        return {
          value: await read(new Response(text), (copy) => copy.text()),
          text,
          status,
          headers: response.headers,
        };
      }
      if (success) return { value: await read(response, readText), status, headers: response.headers };
      return { status, headers: response.headers, text: await readText(response) };
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

/** Reads a success as JSON (nothing for a 204 or an empty body). */
function jsonReader<R>(call: Call, parse: (text: string) => R): Reader<R> {
  return async (response, readText) => parseSuccess(await readText(response), call, parse);
}

/**
 * The body as text, or undefined once it passes `maxBytes` (the caller then aborts the request, so
 * the rest is never read): an answer of any size costs at most `maxBytes` of memory.
 */
async function readTextWithin(response: Response, maxBytes: number): Promise<string | undefined> {
  if (declaredOver(response.headers, maxBytes)) return undefined;
  // A declared length the runtime reads to and no further bounds the body already: one native read
  // then costs a third of the chunk loop on a 50 KB page (the bench's profile). Not for an encoded
  // body, whose decoded size the declared length does not bound.
  const length = response.headers.get('content-length');
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  if (length !== null && Number.isSafeInteger(Number(length)) && !encoded) return response.text();
  const { bytes, complete } = await readBounded(response.body, maxBytes);
  return complete ? new TextDecoder().decode(bytes) : undefined;
}

function parseSuccess<R>(text: string, call: Call, parse: (text: string) => R): R {
  if (text === '') return undefined as R;
  try {
    return parse(text);
  } catch {
    logFailure(call, 'malformed_json');
    throw new ApiError(
      'upstream_error',
      `Confluence answered with a body that is not valid JSON (a cut-off or garbled response). Retry shortly${writeCaveat(call)}.`,
      { retryable: true },
    );
  }
}

/** Up to `maxBytes` of a download, cancelling the stream once the cap is reached. */
async function readCapped(response: Response, maxBytes: number): Promise<Download> {
  const { bytes, complete } = await readBounded(response.body, maxBytes);
  return { bytes, complete, contentType: response.headers.get('content-type') };
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
