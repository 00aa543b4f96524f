import { createMcpHandler, Server } from '@modelcontextprotocol/server';
import { callerPolicy, type ToolCallContext } from '../tools/call.ts';
import { mcpToolDefinitions } from './catalog.ts';
import { mcpToolCall } from './results.ts';

/** What the model is told about the tools as a whole, before it calls any (the server's `instructions`). */
const INSTRUCTIONS = [
  'These tools read and write one Confluence Cloud site on behalf of its user.',
  'Find pages with search_confluence_pages (CQL, e.g. text ~ "deploy" AND space = ENG) or browse with get_confluence_spaces and get_confluence_space_pages; list tools return has_more and next_cursor: call again with cursor = next_cursor to read on.',
  'Read a page with get_confluence_page before changing it: update_confluence_page needs the version_number you read, and a version_conflict error means someone else saved since; read again, merge, retry.',
  'Long pages come in slices: when page.truncated is true, call get_confluence_page again with offset = page.next_offset (max_chars sets the slice size).',
  'A failed call returns isError with error.code, error.message (what to do next), error.retryable and error.retry_after_seconds.',
  "Every call spends points of the app's hourly Atlassian quota, shared by all users (a page read 2, a list 1 per result, a write 1; each result's _meta.points says what it cost): ask for small pages of results. quota_exhausted means this integration's share or the shared pool is spent: use a smaller limit or a narrower search as the message says, or wait retry_after_seconds.",
].join(' ');

export const SERVER_INFO = { name: 'confluence-agent-gateway', version: '1.0.0' };

/** The per-request context the route hands to the server it asks for. */
interface CallerInfo {
  extra: { toolCall: ToolCallContext };
}

/**
 * One server per request, as a stateless endpoint wants, built from the low-level `Server`: its
 * two handlers serve the catalog built once per isolate and route every call through callTool.
 * (`McpServer.registerTool` would convert each zod schema to JSON Schema again on every request.)
 */
function serverFor(toolCall: ToolCallContext): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  // Only the tools of the selected toolsets that the policies allow (a KV read, cached per isolate).
  server.setRequestHandler('tools/list', async () => {
    const { tools } = await callerPolicy(
      toolCall.env,
      toolCall.caller,
      toolCall.integrationId,
      toolCall.toolsets,
    );
    return { tools: mcpToolDefinitions().filter((definition) => tools.has(definition.name)) };
  });
  server.setRequestHandler('tools/call', ({ params }) =>
    mcpToolCall(toolCall, params.name, params.arguments ?? {}),
  );
  return server;
}

/**
 * The Streamable HTTP handler, one per isolate. It serves both protocol eras on one route: the
 * 2026-07-28 per-request envelope (`server/discover`, `_meta` on every request) and the 2025-era
 * `initialize` handshake, statelessly (GET and DELETE answer 405). Page bodies reach 5 MB, so the
 * body limit matches the REST door's 10 MiB.
 */
export const mcpHandler = createMcpHandler(
  ({ authInfo }) => serverFor((authInfo as unknown as CallerInfo).extra.toolCall),
  { maxRequestBodySize: 10 * 1024 * 1024 },
);
