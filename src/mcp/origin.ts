import { createMiddleware } from 'hono/factory';
import { requireConfig } from '../config.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/**
 * DNS-rebinding protection, as the MCP transport spec requires: a request a browser sends carries
 * `Origin`, and only the gateway's own origin or one listed in MCP_ALLOWED_ORIGINS may call. A
 * request without `Origin` comes from a program (an agent, an SDK client), not a page, and passes.
 */
export const checkOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.req.url).origin) {
    const { MCP_ALLOWED_ORIGINS } = requireConfig(c.env, ['MCP_ALLOWED_ORIGINS']);
    if (!MCP_ALLOWED_ORIGINS.includes(origin)) {
      throw new ApiError(
        'forbidden',
        `Browser origin ${JSON.stringify(origin.slice(0, 200))} may not call the MCP endpoint. Call it from a server-side client, or have an operator add the origin to MCP_ALLOWED_ORIGINS.`,
      );
    }
  }
  await next();
});
