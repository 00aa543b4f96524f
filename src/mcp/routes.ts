import { Hono } from 'hono/quick';
import type { AppEnv } from '../auth/caller.ts';
import { ApiError } from '../lib/errors.ts';
import type { ToolCallContext } from '../tools/call.ts';
import { DEFAULT_TOOLSETS, parseToolsetsParam } from '../tools/toolsets.ts';
import { mcpAccess } from './auth.ts';
import { checkOrigin, mcpCors } from './origin.ts';

/** The SDK side of the door, loaded by the first MCP request of an isolate (door.ts says why). */
let door: Promise<typeof import('./door.ts')> | undefined;
const loadDoor = () => (door ??= import('./door.ts'));

/**
 * The MCP door (mounted at /): `POST /mcp` for an agent token, `POST /api/v1/integrations/:id/mcp`
 * for the service token or that integration's agent token. Stateless: there is no stream to open
 * with GET and no session to end with DELETE, so every other method answers 405. `?toolsets=a,b`
 * (or `all`) chooses which sets the connection lists and may call; without it, DEFAULT_TOOLSETS.
 */
export const mcpRoutes = new Hono<AppEnv>();

for (const path of ['/mcp', '/api/v1/integrations/:id/mcp']) {
  mcpRoutes.use(path, mcpCors);
  mcpRoutes.post(path, checkOrigin, async (c) => {
    const access = await mcpAccess(c);
    if (access instanceof Response) return access;
    const selected = parseToolsetsParam(c.req.query('toolsets'));
    if ('error' in selected) throw new ApiError('invalid_request', selected.error);
    const toolCall: ToolCallContext = {
      env: c.env,
      executionCtx: c.executionCtx,
      ...access,
      // A URL that names no toolsets gets the core of documentation work (toolsets.ts).
      toolsets: selected.sets ?? new Set(DEFAULT_TOOLSETS),
    };
    const text = await c.req.text();
    const body = parseJson(text);
    const { answerToolCall, directToolCall, instructionsForRequest, mcpHandler } = await loadDoor();
    const direct = directToolCall(c.req.raw.headers, body);
    if (direct) return answerToolCall(direct, toolCall);
    // The body has been read: the SDK gets it parsed, or as text when it is not JSON (its parse error).
    const request = new Request(c.req.url, { method: 'POST', headers: c.req.raw.headers, body: text });
    return mcpHandler.fetch(request, {
      ...(body !== undefined && { parsedBody: body }),
      authInfo: {
        // The SDK's slot for who is calling; it carries the token's id, never the token.
        token:
          access.caller.kind === 'agent'
            ? access.caller.tokenId
            : access.caller.kind === 'mcp_client'
              ? `grant:${access.caller.grantId}`
              : 'service',
        clientId: access.integrationId,
        scopes: [],
        extra: { toolCall, instructions: await instructionsForRequest(toolCall, body) },
      },
    });
  });
  mcpRoutes.all(path, (c) =>
    c.json(
      new ApiError(
        'method_not_allowed',
        'This MCP endpoint is stateless and answers only POST (JSON-RPC over Streamable HTTP).',
      ).toJSON(),
      405,
      { Allow: 'POST' },
    ),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
