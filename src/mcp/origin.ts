import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../auth/caller.ts';
import { parseConfig, requireConfig } from '../config.ts';
import { ApiError } from '../lib/errors.ts';

/**
 * DNS-rebinding protection, as the MCP transport spec requires: a request a browser sends carries
 * `Origin`, and only the gateway's own origin or one listed in MCP_ALLOWED_ORIGINS may call. A
 * request without `Origin` comes from a program (an agent, an SDK client), not a page, and passes.
 * "Own origin" is the configured public one (CONFLUENCE_REDIRECT_URI's), never the request's Host:
 * a rebound DNS name makes a page's origin and the Host it sends agree, so comparing the two
 * would let any page through.
 */
export const checkOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  if (origin !== undefined && !isAllowedOrigin(c, origin)) {
    throw new ApiError(
      'forbidden',
      `Browser origin ${JSON.stringify(origin.slice(0, 200))} may not call the MCP endpoint. Call it from a server-side client, or have an operator add the origin to MCP_ALLOWED_ORIGINS.`,
    );
  }
  await next();
});

/**
 * CORS for the allowed browser origins, so that a web-based MCP client on one of them can send its
 * bearer token and read the answer (and the 401 challenge). Other origins get no CORS headers.
 */
export const mcpCors = cors({
  origin: (origin, c) => (origin && isAllowedOrigin(c as Context<AppEnv>, origin) ? origin : null),
  allowMethods: ['POST'],
  allowHeaders: ['authorization', 'content-type', 'accept', 'mcp-protocol-version', 'mcp-method', 'mcp-name'],
  exposeHeaders: ['www-authenticate'],
  maxAge: 600,
});

function isAllowedOrigin(c: Context<AppEnv>, origin: string): boolean {
  const redirectUri = parseConfig(c.env).values.CONFLUENCE_REDIRECT_URI;
  if (redirectUri !== undefined && origin === new URL(redirectUri).origin) return true;
  return requireConfig(c.env, ['MCP_ALLOWED_ORIGINS']).MCP_ALLOWED_ORIGINS.includes(origin);
}
