import type { Context } from 'hono';
import type * as z from 'zod';
import { ApiError, type ErrorCode } from './errors.ts';

/**
 * One sentence per problem, naming the field, what was given and what is expected, e.g.
 * `limit: expected a number ≤ 250, got 500`. Written for an agent that will fix its call.
 */
export function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.join('.') : '(body)';
      const given = valueAt(input, issue.path);
      const shown = given === undefined ? 'nothing' : JSON.stringify(given)?.slice(0, 80);
      return `${path}: ${issue.message} (got ${shown})`;
    })
    .join('; ');
}

export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  code: ErrorCode = 'invalid_request',
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ApiError(
      code,
      `Invalid ${code === 'invalid_arguments' ? 'arguments' : 'request'}: ${describeIssues(result.error, input)}.`,
      {
        details: {
          issues: result.error.issues.map((issue) => ({
            path: issue.path.join('.'),
            message: issue.message,
          })),
        },
      },
    );
  }
  return result.data;
}

/** The request's JSON body: `{}` when empty, 400 when it is not JSON or not an object. */
export async function readJsonObject(
  c: Context,
  code: ErrorCode = 'invalid_request',
): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(
      code,
      'The body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(code, 'The body must be a JSON object, e.g. {"page_id": "123"}.');
  }
  return body as Record<string, unknown>;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
