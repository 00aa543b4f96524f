import { ProtocolError } from '@modelcontextprotocol/server';
import type { ToolCallContext } from '../tools/call.ts';
import { mcpToolCall } from './results.ts';
import { SERVER_INFO } from './server.ts';

/**
 * `tools/call` answered without the SDK's per-request machinery. The SDK serves every MCP request
 * correctly, but for one tool call it builds a server, a transport, validates the message and the
 * result with zod and streams the answer: about 0.3 ms of CPU, which would make an MCP call cost
 * ~1.4× the same REST call. So the one hot message, in its plain well-formed shape, is answered
 * here with the same result (mcpToolCall) in the envelope the SDK gives it; anything else (the
 * handshake, discovery, tools/list, a header that disagrees with the body, a malformed message)
 * goes to the SDK, which owns validation and every error. The tests hold both answers equal.
 */

const MODERN = '2026-07-28';
const LEGACY = new Set(['2025-11-25', '2025-06-18', '2025-03-26']);
const PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';

/** What a 2026-07-28 result carries besides the tool's result. */
const MODERN_RESULT_FIELDS = {
  resultType: 'complete',
  _meta: { 'io.modelcontextprotocol/serverInfo': SERVER_INFO },
};

/** A tools/call the direct path may answer. */
export interface DirectToolCall {
  era: 'legacy' | 'modern';
  id: string | number;
  name: string;
  args: Record<string, unknown>;
}

/** The request as a tools/call in its plain shape, or undefined: then the SDK serves it. */
export function directToolCall(headers: Headers, body: unknown): DirectToolCall | undefined {
  const accept = headers.get('accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (!isObject(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call') return undefined;
  const { id, params } = body;
  if (!(typeof id === 'string' || Number.isSafeInteger(id)) || !isObject(params)) return undefined;
  const { name, arguments: args = {}, _meta: meta } = params;
  if (typeof name !== 'string' || !isObject(args) || !(meta === undefined || isObject(meta)))
    return undefined;
  const version = headers.get('mcp-protocol-version');
  const era = meta?.[PROTOCOL_VERSION] === undefined ? 'legacy' : 'modern';
  if (era === 'legacy' ? !LEGACY.has(version ?? '') : !isModernEnvelope(headers, meta, name))
    return undefined;
  return { era, id: id as string | number, name, args };
}

/** The JSON-RPC answer, as the SDK would give it for that era (a legacy one as JSON, not SSE). */
export async function answerToolCall(call: DirectToolCall, toolCall: ToolCallContext): Promise<Response> {
  try {
    const {
      content,
      structuredContent,
      _meta: meta,
      ...flags
    } = await mcpToolCall(toolCall, call.name, call.args);
    // A lone text block is the JSON of structuredContent (results.ts), so that JSON goes into the
    // answer as it is: a page body is escaped once for the text, not serialised a third time. Beside
    // an image block the text describes the image instead, so structuredContent is written out.
    const [first] = content;
    const structured =
      content.length === 1 && first?.type === 'text' ? first.text : JSON.stringify(structuredContent);
    const fields = JSON.stringify({
      content,
      ...flags,
      ...(call.era === 'modern' && { resultType: MODERN_RESULT_FIELDS.resultType }),
      ...((meta || call.era === 'modern') && {
        _meta: { ...(meta as object | undefined), ...(call.era === 'modern' && MODERN_RESULT_FIELDS._meta) },
      }),
    });
    const body = `{"jsonrpc":"2.0","id":${JSON.stringify(call.id)},"result":{"structuredContent":${structured},${fields.slice(1)}}`;
    return new Response(body, { headers: { 'content-type': 'application/json' } });
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return Response.json({
      jsonrpc: '2.0',
      id: call.id,
      error: { code: error.code, message: error.message },
    });
  }
}

/** 2026-07-28: the version in the header and in `_meta`, and the Mcp-Method / Mcp-Name headers, agree with the body. */
function isModernEnvelope(
  headers: Headers,
  meta: Record<string, unknown> | undefined,
  name: string,
): boolean {
  return (
    meta?.[PROTOCOL_VERSION] === MODERN &&
    headers.get('mcp-protocol-version') === MODERN &&
    headers.get('mcp-method') === 'tools/call' &&
    headers.get('mcp-name') === name &&
    isObject(meta['io.modelcontextprotocol/clientInfo']) &&
    isObject(meta['io.modelcontextprotocol/clientCapabilities'])
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
