import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { mcpAccess } from './auth.ts';
import { checkOrigin } from './origin.ts';
import { mcpHandler } from './server.ts';

/**
 * The MCP door (mounted at /): `POST /mcp` for an agent token, `POST /api/v1/integrations/:id/mcp`
 * for the service token or that integration's agent token. Stateless: there is no stream to open
 * with GET and no session to end with DELETE, so every other method answers 405.
 */
export const mcpRoutes = new Hono<AppEnv>();

for (const path of ['/mcp', '/api/v1/integrations/:id/mcp']) {
  mcpRoutes.post(path, checkOrigin, async (c) => {
    const access = await mcpAccess(c);
    if (access instanceof Response) return access;
    return mcpHandler.fetch(c.req.raw, {
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
        extra: { toolCall: { env: c.env, ...access } },
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
