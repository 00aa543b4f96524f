/**
 * Re-serialising a page body is the most expensive thing a read does: JSON.stringify escapes every
 * quote of a 50 KB storage-format body again, though Confluence sent it already escaped. So for
 * answers that carry large strings, the parse keeps each large string's JSON source text, and the
 * answer embeds that text unchanged with JSON.rawJSON. The result is byte-for-byte valid JSON with
 * the same value; only the work is skipped.
 */
const LARGE_STRING = 4096;

interface RawJson {
  readonly rawJSON: string;
}

// Types for JSON.parse source text access and JSON.rawJSON (TC39 stage 4, V8 ≥ 11.4), which the
// TypeScript libs do not describe yet.
type ReviverWithSource = (
  this: unknown,
  key: string,
  value: unknown,
  context: { source?: string },
) => unknown;
const parseWithSource = JSON.parse as (text: string, reviver: ReviverWithSource) => unknown;
const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => RawJson }).rawJSON;

/** Parsed JSON plus the source text of every string of at least 4 KiB in it. */
export interface ParsedWithSources<T> {
  value: T;
  /** The value to put in an answer for `text`: its original JSON source when known, else `text`. */
  encoded(text: string): string | RawJson;
}

/**
 * Keeping sources costs a reviver call per value, so it is skipped for texts longer than
 * `worthUpTo`: a caller that will cut the large strings anyway says how long a text can be and
 * still have them sent whole.
 */
export function parseKeepingLargeStrings<T>(
  text: string,
  worthUpTo = Number.POSITIVE_INFINITY,
): ParsedWithSources<T> {
  if (!rawJSON || text.length > worthUpTo) return { value: JSON.parse(text) as T, encoded: (s) => s };
  const sources = new Map<string, string>();
  const value = parseWithSource(text, (_key, parsed, context) => {
    if (typeof parsed === 'string' && parsed.length >= LARGE_STRING && context.source)
      sources.set(parsed, context.source);
    return parsed;
  }) as T;
  return {
    value,
    encoded: (s) => {
      const source = sources.get(s);
      return source === undefined ? s : rawJSON(source);
    },
  };
}
