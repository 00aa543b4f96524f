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
      const nearMiss = given === undefined ? nearMissFor(input, issue.path) : undefined;
      return `${path}: ${issue.message} (got ${shown}${nearMiss ? `; you sent "${nearMiss}": did you mean "${String(issue.path.at(-1))}"?` : ''})`;
    })
    .join('; ');
}

export function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  code: ErrorCode = 'invalid_request',
  { forgiveScalars = false } = {},
): z.output<T> {
  let result = schema.safeParse(input);
  if (!result.success && forgiveScalars) {
    const repaired = repairScalars(input, result.error.issues);
    if (repaired !== undefined) result = schema.safeParse(repaired);
  }
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

/**
 * LLMs often send an id as a number (`{"page_id": 65538}`) or an integer as a string (`{"limit": "2"}`).
 * Where the schema said string and got an integer, or said number and got a numeric string, the value
 * is rewritten and the input parsed once more; the schemas (and so the published JSON Schemas) stay
 * exact, and nothing else is guessed. Undefined when there is nothing to repair.
 */
function repairScalars(input: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  let repaired = input;
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || issue.path.length === 0) continue;
    const value = valueAt(input, issue.path);
    let fixed: unknown;
    if (issue.expected === 'string' && typeof value === 'number' && Number.isSafeInteger(value)) {
      fixed = String(value);
    } else if (
      issue.expected === 'number' &&
      typeof value === 'string' &&
      /^-?\d+(\.\d+)?$/.test(value.trim())
    ) {
      fixed = Number(value);
    } else continue;
    repaired = withValueAt(repaired, issue.path, fixed);
    changed = true;
  }
  return changed ? repaired : undefined;
}

/** A copy of `input` with `value` at `path`, copying only the objects along the path. */
function withValueAt(input: unknown, path: readonly PropertyKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (Array.isArray(input) ? [...input] : { ...(input as object) }) as Record<
    PropertyKey,
    unknown
  >;
  container[head as PropertyKey] = withValueAt(container[head as PropertyKey], rest, value);
  return container;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A key sent beside a missing field that differs from it only in case, `_` or `-` (`ownerId` for
 * `owner_id`): unknown keys are otherwise ignored, so naming the near miss saves the caller a turn.
 */
function nearMissFor(input: unknown, path: readonly PropertyKey[]): string | undefined {
  const field = path.at(-1);
  if (typeof field !== 'string') return undefined;
  const parent = valueAt(input, path.slice(0, -1));
  if (typeof parent !== 'object' || parent === null) return undefined;
  const wanted = squash(field);
  return Object.keys(parent).find((key) => key !== field && squash(key) === wanted);
}

function squash(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}
