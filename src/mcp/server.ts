import { createMcpHandler, Server } from '@modelcontextprotocol/server';
import { callerPolicy, type ToolCallContext } from '../tools/call.ts';
import { instructionsFor } from '../tools/instructions.ts';
import { mcpToolDefinitions } from './catalog.ts';
import { mcpToolCall } from './results.ts';

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
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions: instructionsFor(toolCall.toolsets),
  });
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
