import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** The REST v2 error shape: `{"errors":[{status, code, title, detail}]}`. */
export function v2ErrorBody(status: number, code: string, title: string) {
  return { errors: [{ status, code, title, detail: null }] };
}

export function v2Error(c: Context, status: ContentfulStatusCode, code: string, title: string) {
  return c.json(v2ErrorBody(status, code, title), status);
}

export const v2NotFound = (c: Context) => v2Error(c, 404, 'NOT_FOUND', 'Not Found');

export const v2BadParameter = (c: Context, title: string) =>
  v2Error(c, 400, 'INVALID_REQUEST_PARAMETER', title);

/** The REST v1 error shape: `{"statusCode", "message", "reason"}`. */
export function v1ErrorBody(status: number, message: string) {
  return { statusCode: status, message, reason: reasonPhrase(status) };
}

export function v1Error(c: Context, status: ContentfulStatusCode, message: string) {
  return c.json(v1ErrorBody(status, message), status);
}

/** What api.atlassian.com itself answers before Confluence sees the call (bad token, wrong scope). */
export function gatewayError(c: Context, status: 401 | 404, message: string) {
  return c.json({ code: status, message }, status);
}
