import { ApiError, needsReauth } from '../lib/errors.ts';

/** What the client knows about the call that failed, so the message can say what to do next. */
export interface FailedCall {
  method: string;
  /** Site-relative, e.g. `/wiki/api/v2/pages/123`. */
  path: string;
  /** The scope Atlassian requires for the operation, named when a token lacks it. */
  scope: string;
  /** The sentence a 404 becomes, e.g. "Page 123 does not exist or the connected user may not view it." */
  notFound: string;
  /**
   * Advice for a 400, each given only when Confluence's message matches `when` (a duplicate title is
   * not told about XHTML, bad CQL is not told about cursors). With none matching, the generic line.
   */
  badRequestHints?: readonly BadRequestHint[];
  /** Advice appended when the answer is over CONFLUENCE_MAX_RESPONSE_BYTES, e.g. another body format. */
  tooLargeHint?: string;
}

export interface BadRequestHint {
  when: RegExp;
  say: string;
}

/** An upstream answer that was not a success, read once. */
export interface UpstreamAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** The wait a 429/503 asks for, when it does not say. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Atlassian's error answer, as one of the codes of docs/reference/CONTRACT.md with a message an agent can act on.
 * Bodies come in three shapes (v2 `{errors:[{title}]}`, v1 `{message}`, the API gateway's
 * `{code, message}`) or as text/plain or HTML; none is assumed.
 */
export function upstreamError(answer: UpstreamAnswer, call: FailedCall): ApiError {
  const { status } = answer;
  const said = atlassianMessage(answer.text);
  const quoted = said ? ` Confluence said: "${said}".` : '';
  if (status === 400) {
    const hints = (call.badRequestHints ?? []).filter((hint) => hint.when.test(said ?? '')).map((h) => h.say);
    return new ApiError(
      'invalid_arguments',
      `Confluence refused the request as invalid.${quoted} ${hints.length ? hints.join(' ') : 'Fix the arguments and retry.'}`,
    );
  }
  if (status === 401 && isScopeFailure(answer)) {
    return new ApiError(
      'forbidden',
      `This integration was not granted the scope "${call.scope}" this operation needs. Ask the user to reconnect the integration so the gateway can request it; retrying will not help.`,
      { details: { required_scope: call.scope } },
    );
  }
  if (status === 401) return rejectedAfterRefresh();
  if (status === 403) {
    return new ApiError(
      'forbidden',
      `The connected Confluence user is not allowed to do this (for example, no edit or comment permission in this space).${quoted} Ask a space admin for access or choose other content.`,
    );
  }
  if (status === 404) return new ApiError('not_found', call.notFound);
  if (status === 410) {
    const operation = operationName(call);
    return new ApiError(
      'upstream_gone',
      `Confluence has removed the endpoint this operation uses (${operation} answered 410 Gone).${quoted} The gateway needs an update to use its replacement; retrying will not help, and other tools still work. Tell the gateway's operator.`,
      { details: { operation }, retryable: false },
    );
  }
  if (status === 409) {
    return new ApiError(
      'version_conflict',
      `Confluence reported a conflict.${quoted} Re-read the content and retry with its current version.`,
    );
  }
  if (status === 413) {
    return new ApiError(
      'invalid_arguments',
      'The body is over Confluence’s 5 MB limit. Shorten it or split the content across several pages.',
    );
  }
  if (status === 429 || status === 503) {
    const wait = retryAfterSeconds(answer.headers) ?? DEFAULT_RETRY_AFTER_SECONDS;
    return new ApiError(
      'rate_limited',
      status === 429
        ? `Confluence is rate-limiting this site or app. Wait ${wait} s, then retry the same call.`
        : `Confluence is temporarily unavailable. Wait ${wait} s, then retry the same call.`,
      { retryable: true, retryAfterSeconds: wait },
    );
  }
  if (status >= 500) {
    return new ApiError(
      'upstream_error',
      `Confluence failed with HTTP ${status}.${quoted} Retry shortly${call.method === 'GET' ? '' : '; the change may or may not have been applied, so check before repeating it'}.`,
      { retryable: true },
    );
  }
  return new ApiError('upstream_error', `Confluence answered HTTP ${status}.${quoted}`, {
    retryable: false,
  });
}

/** An answer over CONFLUENCE_MAX_RESPONSE_BYTES: it was not read to the end, so nothing of it is used. */
export function answerTooLarge(call: FailedCall, maxBytes: number): ApiError {
  return new ApiError(
    'upstream_error',
    `Confluence's answer to ${operationName(call)} is larger than the ${formatBytes(maxBytes)} the gateway reads (CONFLUENCE_MAX_RESPONSE_BYTES), so it was dropped.${call.tooLargeHint ? ` ${call.tooLargeHint}` : ' Ask for less, for example with a smaller limit.'}`,
    { retryable: false, details: { max_response_bytes: maxBytes } },
  );
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** A second 401, after a freshly refreshed token: the grant itself is no longer good for this site. */
export function rejectedAfterRefresh(): ApiError {
  return needsReauth(
    'Confluence rejected a freshly refreshed access token for this site (the user may have revoked the app or lost access to the site). Ask the user to reconnect the integration; retrying will not help.',
  );
}

/** The route a call took, ids replaced, e.g. `GET /wiki/api/v2/pages/{id}`: names an endpoint without its data. */
export function operationName(call: Pick<FailedCall, 'method' | 'path'>): string {
  return `${call.method} ${call.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
}

/** api.atlassian.com's own 401 for a token without the operation's scope (not an expired token). */
export function isScopeFailure(answer: UpstreamAnswer): boolean {
  return answer.status === 401 && /scope does not match/i.test(answer.text);
}

/** `Retry-After` in seconds (delta or HTTP date), or undefined when absent or unreadable. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The human part of an Atlassian error body, short and on one line; undefined when there is none. */
function atlassianMessage(text: string): string | undefined {
  let message: unknown;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const first = Array.isArray(body.errors) ? (body.errors[0] as Record<string, unknown>) : undefined;
    message = first?.title ?? first?.detail ?? body.message ?? body.error_description;
  } catch {
    // Not JSON: a text/plain line is worth quoting, an HTML page is not.
    message = /^\s*</.test(text) ? undefined : text;
  }
  if (typeof message !== 'string' || !message.trim()) return undefined;
  // v1 prefixes its messages with a Java exception class, which tells an agent nothing.
  const line = message
    .replace(/^[\w.$]+(?:Exception|Error):\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
