import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code an answer can carry, with its HTTP status (docs/reference/CONTRACT.md). */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_arguments: 400,
  unauthorized: 401,
  forbidden: 403,
  integration_not_found: 404,
  not_found: 404,
  unknown_tool: 404,
  method_not_allowed: 405,
  version_conflict: 409,
  needs_reauth: 409,
  conflict: 409,
  content_loss: 409,
  payload_too_large: 413,
  rate_limited: 429,
  /** Atlassian's points quota: the integration's share, or the app's pool, is spent until the reset. */
  quota_exhausted: 429,
  internal_error: 500,
  upstream_error: 502,
  /** Atlassian removed the endpoint an operation uses (410 Gone): the gateway needs an update. */
  upstream_gone: 502,
  misconfigured: 503,
  upstream_timeout: 504,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'rate_limited',
  'quota_exhausted',
  'upstream_error',
  'upstream_timeout',
]);

/**
 * An error that becomes an answer: `{success:false, error:{code, message, retryable, …}}`. The message
 * is written for whoever reads it next (often an agent): what went wrong and what to do instead.
 * It never contains a secret or a token.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: ContentfulStatusCode;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;
  readonly code: ErrorCode;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retryable?: boolean;
      retryAfterSeconds?: number;
      details?: Record<string, unknown>;
      status?: ContentfulStatusCode;
    } = {},
  ) {
    super(message);
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.retryable = options.retryable ?? RETRYABLE.has(code);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  toJSON() {
    return {
      success: false as const,
      error: {
        code: this.code,
        message: this.message,
        retryable: this.retryable,
        ...(this.retryAfterSeconds !== undefined && { retry_after_seconds: this.retryAfterSeconds }),
        ...this.details,
      },
    };
  }
}

/** 409 needs_reauth: the user must reconnect; the answer says how. */
export function needsReauth(message: string): ApiError {
  return new ApiError('needs_reauth', message, {
    details: {
      reconnect: 'POST /api/v1/connect-sessions with {"owner_id", "integration_id"} and open its connect_url',
    },
  });
}

/**
 * What an unexpected exception becomes for the caller: 500 internal_error, retryable. Only the
 * error's name is logged, never its message, which could quote a request.
 */
export function unexpectedError(error: unknown, route: string | undefined): ApiError {
  const name = error instanceof Error ? error.name : typeof error;
  console.error(JSON.stringify({ event: 'unhandled_error', route, error: name }));
  return new ApiError('internal_error', 'The gateway failed unexpectedly; retry shortly.', {
    retryable: true,
  });
}
