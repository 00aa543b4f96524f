import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { ApiError, unexpectedError } from '../lib/errors.ts';
import { callTool, type ToolCallContext } from '../tools/call.ts';

/** A `tools/call` result as the MCP spec shapes it; its one text block is the JSON of `structuredContent`. */
export interface McpToolResult {
  [key: string]: unknown;
  content: ({ type: 'text'; text: string } | { type: 'image'; data: string; mimeType: string })[];
  structuredContent: Record<string, unknown>;
  isError?: true;
}

/**
 * A tool's answer: `structuredContent` is the REST answer without `success` and `points` (the
 * Atlassian points the call cost go in the result's `_meta`, outside what the output schema
 * describes), and the one text block
 * carries the same JSON for clients that show the model only text. Page bodies stay as Confluence
 * encoded them (raw-json.ts), so the text costs one pass over the answer, not a re-escape of each body.
 */
export function toolResult(result: Record<string, unknown>, points?: number): McpToolResult {
  const meta = points === undefined ? {} : { _meta: { points } };
  const image = imageOf(result);
  if (!image)
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result, ...meta };
  // An image (get_confluence_attachment_content) goes to the model as an image block; the text
  // block describes it without repeating the base64.
  const described = {
    ...result,
    image: { media_type: image.media_type, data_base64: '(in the image block)' },
  };
  return {
    content: [
      { type: 'text', text: JSON.stringify(described) },
      { type: 'image', data: image.data_base64, mimeType: image.media_type },
    ],
    structuredContent: result,
    ...meta,
  };
}

function imageOf(result: Record<string, unknown>): { media_type: string; data_base64: string } | undefined {
  const image = result.image as { media_type?: unknown; data_base64?: unknown } | undefined;
  return typeof image?.media_type === 'string' && typeof image.data_base64 === 'string'
    ? { media_type: image.media_type, data_base64: image.data_base64 }
    : undefined;
}

/**
 * A tool's failure (not found, version conflict, needs_reauth, rate limited, upstream trouble, bad
 * arguments): a result the model reads and can act on, carrying the REST error's fields unchanged.
 */
export function toolErrorResult(error: ApiError): McpToolResult {
  const { success: _, ...body } = error.toJSON();
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError: true };
}

/**
 * `tools/call`: callTool, its answer or failure rendered as a result. An unknown tool is thrown as
 * the protocol error the spec names (-32602); every other failure, arguments that fail the schema
 * included (SEP-1303, spec 2025-11-25 on), is an isError result the model reads and can act on.
 */
export async function mcpToolCall(
  toolCall: ToolCallContext,
  name: string,
  args: Record<string, unknown>,
): Promise<McpToolResult> {
  try {
    const { result, points } = await callTool(toolCall, name, args);
    return toolResult(result, points);
  } catch (error) {
    const failure = error instanceof ApiError ? error : unexpectedError(error, 'mcp tools/call');
    if (failure.code === 'unknown_tool')
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, failure.message);
    return toolErrorResult(failure);
  }
}
