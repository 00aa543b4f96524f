import { createMcpHandler, Server } from '@modelcontextprotocol/server';
import { callerPolicy, type ToolCallContext } from '../tools/call.ts';
import { instructionsFor } from '../tools/instructions.ts';
import { tools as registry } from '../tools/registry.ts';
import { mcpToolDefinitions } from './catalog.ts';
import { mcpToolCall } from './results.ts';

export const SERVER_INFO = { name: 'confluence-agent-gateway', version: '1.0.0' };

/** The per-request context the route hands to the server it asks for. */
interface CallerInfo {
  extra: { toolCall: ToolCallContext; instructions?: string };
}

/**
 * The instructions for a request that carries them back (`initialize`, `server/discover`): about
 * the toolsets of the tools this caller is listed, as the REST catalog's are, so a policy that
 * leaves only ChatGPT's pair gets the pair's instructions on both doors. Other requests need none.
 */
export async function instructionsForRequest(
  toolCall: ToolCallContext,
  body: unknown,
): Promise<string | undefined> {
  const method = (body as { method?: unknown } | undefined)?.method;
  if (method !== 'initialize' && method !== 'server/discover') return undefined;
  const { tools } = await callerPolicy(
    toolCall.env,
    toolCall.caller,
    toolCall.integrationId,
    toolCall.toolsets,
  );
  return instructionsFor(
    new Set(registry.filter((tool) => tools.has(tool.name)).map((tool) => tool.toolset)),
  );
}

/**
 * One server per request, as a stateless endpoint wants, built from the low-level `Server`: its
 * two handlers serve the catalog built once per isolate and route every call through callTool.
 * (`McpServer.registerTool` would convert each zod schema to JSON Schema again on every request.)
 */
function serverFor(toolCall: ToolCallContext, instructions?: string): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions: instructions ?? instructionsFor(toolCall.toolsets),
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
  ({ authInfo }) => {
    const { toolCall, instructions } = (authInfo as unknown as CallerInfo).extra;
    return serverFor(toolCall, instructions);
  },
  { maxRequestBodySize: 10 * 1024 * 1024 },
);
