import { ApiError } from '../lib/errors.ts';
import { declaredOver, readBounded } from '../lib/streams.ts';

/** The largest delivery body accepted, in bytes (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Deeper bodies are refused: canonical hashing and storage walk the tree recursively. */
const MAX_DEPTH = 64;

/**
 * The request body, abandoned as soon as it passes `limit` bytes: an oversized delivery costs at most
 * `limit` bytes, however large it claims to be.
 */
export async function readBodyWithin(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  if (declaredOver(request.headers, limit)) throw tooLarge(limit);
  const { bytes, complete } = await readBounded(request.body, limit);
  if (!complete) throw tooLarge(limit);
  return bytes;
}

/** The body as a JSON object, or 400 saying what was sent instead. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid('The body is not UTF-8 text. Send a JSON object encoded as UTF-8.');
  }
  if (text.trim() === '') {
    throw invalid(
      'The body is empty. Send a JSON object, e.g. {"event": "page_updated", "page": {"id": "123"}}.',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(
      'The body is not valid JSON. In the automation rule, set the web request body to "Custom data" holding a JSON object, and quote smart values that yield text ("{{page.title}}").',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw invalid(`The body must be a JSON object ({…}), got ${got}.`);
  }
  if (!withinDepth(value, MAX_DEPTH)) {
    throw invalid(`The body nests deeper than ${MAX_DEPTH} levels; send a flatter JSON object.`);
  }
  return value as Record<string, unknown>;
}

function withinDepth(value: unknown, levelsLeft: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (levelsLeft === 0) return false;
  return Object.values(value).every((item) => withinDepth(item, levelsLeft - 1));
}

/**
 * JSON with object keys sorted at every level and no whitespace: two bodies that differ only in key
 * order or formatting have the same canonical text, hence the same deduplication hash. The value
 * comes from `parseJsonObject`, so its depth is bounded.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(
    'payload_too_large',
    `The body is larger than ${limit / 1024} KiB. Send less in the automation rule's custom data (e.g. ids and titles, not page bodies).`,
  );
}

function invalid(message: string): ApiError {
  return new ApiError('invalid_request', message);
}
