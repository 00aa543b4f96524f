import { Hono } from 'hono/quick';
import type { AppEnv } from '../auth/caller.ts';
import { signInLimit } from '../auth/sign-in-limit.ts';
import { startMcpAuthorization } from './authorize.ts';
import { MCP_SCOPE, mcpResource, publicOrigin, serveByLibrary } from './server.ts';
import { registerClient } from './sign-in-door.ts';
import { tokenEndpoint } from './token-endpoint.ts';

/**
 * The authorization server's public routes (mounted at the root):
 * - `GET /.well-known/oauth-protected-resource/mcp` (RFC 9728): the `/mcp` resource and who issues for it
 * - `GET /.well-known/oauth-authorization-server` (RFC 8414), `POST /register` (RFC 7591),
 *   `POST /token`: the library's
 * - `GET /authorize`: the gateway's (authorize.ts)
 */
export const oauthRoutes = new Hono<AppEnv>();

// Served here rather than by the library's resource-server class: the bearer check of `/mcp` lives in
// the MCP door, which also takes agent tokens, so only the metadata document is needed.
oauthRoutes.get('/.well-known/oauth-protected-resource/mcp', (c) =>
  c.json(
    {
      resource: mcpResource(c.env),
      authorization_servers: [publicOrigin(c.env)],
      scopes_supported: [MCP_SCOPE],
      bearer_methods_supported: ['header'],
      resource_name: 'Confluence (agent gateway)',
    },
    200,
    { 'access-control-allow-origin': '*', 'cache-control': 'max-age=300' },
  ),
);
oauthRoutes.on(['GET', 'OPTIONS'], ['/.well-known/oauth-authorization-server'], serveByLibrary);
oauthRoutes.options('/register', serveByLibrary);
oauthRoutes.post('/register', signInLimit, registerClient);
oauthRoutes.options('/token', serveByLibrary);
oauthRoutes.post('/token', tokenEndpoint);
oauthRoutes.get('/authorize', signInLimit, startMcpAuthorization);
