import type { ApiError } from '../errors.ts';

/** A `tools/call` result as the MCP spec shapes it. */
export interface McpToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent: Record<string, unknown>;
  isError?: true;
}

/**
 * A tool's answer: `structuredContent` is the REST answer without `success`, and the one text block
 * carries the same JSON for clients that show the model only text. Page bodies stay as Confluence
 * encoded them (raw-json.ts), so the text costs one pass over the answer, not a re-escape of each body.
 */
export function toolResult(result: Record<string, unknown>): McpToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
}

/**
 * A tool's failure (not found, version conflict, needs_reauth, rate limited, upstream trouble, bad
 * arguments): a result the model reads and can act on, carrying the REST error's fields unchanged.
 */
export function toolErrorResult(error: ApiError): McpToolResult {
  const { success: _, ...body } = error.toJSON();
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError: true };
}
