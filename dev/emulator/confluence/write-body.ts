import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { toStorage } from './body-formats.ts';
import { v2BadParameter, v2Error } from './errors.ts';
import { xhtmlProblem } from './xhtml-check.ts';

/** Atlassian refuses requests over 5 MB with 413. */
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;

/** The JSON object a write sent, or the 400/413 answer to give instead. */
export function readWriteRequest(c: Context<EmulatorEnv>): Record<string, unknown> | Response {
  const raw = c.get('rawBody');
  if (Buffer.byteLength(raw, 'utf8') > MAX_REQUEST_BYTES) {
    return v2Error(c, 413, 'REQUEST_ENTITY_TOO_LARGE', 'Request entity too large: the limit is 5 MB');
  }
  try {
    const parsed = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    // fall through
  }
  return v2BadParameter(c, 'Request body is not a JSON object');
}

const REPRESENTATIONS = ['storage', 'atlas_doc_format', 'wiki'];

/**
 * A written body as storage: `{representation, value}` or the nested `{storage: {…}}` form.
 * Returns undefined when there is no body, or a message when it is malformed.
 */
export function storageOf(body: unknown): { storage?: string; error?: string } {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object') return { error: 'body must be an object' };
  const record = body as Record<string, unknown>;
  const nestedKey = REPRESENTATIONS.find((r) => record[r] && typeof record[r] === 'object');
  const written = (nestedKey ? record[nestedKey] : record) as Record<string, unknown>;
  const representation = written.representation ?? nestedKey;
  if (typeof representation !== 'string' || !REPRESENTATIONS.includes(representation)) {
    return { error: `Unsupported body representation: ${String(representation)}` };
  }
  if (typeof written.value !== 'string') return { error: 'body.value must be a string' };
  const storage = toStorage(representation, written.value);
  if (storage === undefined) return { error: 'body.value is not valid atlas_doc_format' };
  // As Confluence: a storage body that does not parse as XHTML is refused, never stored.
  const problem = representation === 'storage' ? xhtmlProblem(storage) : undefined;
  return problem === undefined ? { storage } : { error: `Error parsing xhtml: ${problem}` };
}
