import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requireConfig } from '../config.ts';
import { ApiError } from '../lib/errors.ts';
import { findAgentToken, looksLikeAgentToken, noteAgentTokenUse } from './agent-tokens.ts';
import type { AppEnv, Caller } from './caller.ts';
import { requireOwnIntegration } from './integration-access.ts';
import { isRevoked } from './revocations.ts';
import { bearerToken, isServiceToken } from './service-auth.ts';

/** Who the bearer token says the caller is: the service, an agent, or nobody (no or unknown token). */
export async function identifyCaller(c: Context<AppEnv>): Promise<Caller | 'no_token' | 'unknown_token'> {
  const { SERVICE_API_TOKEN } = requireConfig(c.env, ['SERVICE_API_TOKEN']);
  const token = bearerToken(c.req.header('authorization'));
  if (!token) return 'no_token';
  if (isServiceToken(token, SERVICE_API_TOKEN)) return { kind: 'service' };
  const found = looksLikeAgentToken(token) ? await findAgentToken(c.env.CONFLUENCE_KV, token) : null;
  if (!found) return 'unknown_token';
  const { record, hash } = found;
  // KV may still serve a revoked token's record elsewhere for a minute: the lifecycle object knows.
  if (await isRevoked(c.env, record.integration_id, `agent:${record.token_id}`)) return 'unknown_token';
  // After the answer: a failed write only loses a last-used time.
  const useWrite = noteAgentTokenUse(c.env.CONFLUENCE_KV, record, hash);
  if (useWrite) c.executionCtx.waitUntil(useWrite.catch(() => undefined));
  return {
    kind: 'agent',
    tokenId: record.token_id,
    integrationId: record.integration_id,
    label: record.label,
    policy: record.policy,
  };
}

/**
 * Routes of one integration (`/integrations/:id/…`: its tools, its quota share): the service token
 * or an agent token of that integration (another integration's agent token is refused with 403
 * before the route runs). The tool call path checks the same again, as it does for the MCP door.
 */
export const integrationAuth = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await identifyCaller(c);
  if (caller === 'no_token') {
    throw new ApiError(
      'unauthorized',
      'Send "Authorization: Bearer <token>" with an agent token of this integration or the service API token.',
    );
  }
  if (caller === 'unknown_token') {
    throw new ApiError(
      'unauthorized',
      'The bearer token is neither the service API token nor a valid agent token (an agent token may have been revoked). Check the token you send; an agent needs a new token from the service API if its own was revoked.',
    );
  }
  requireOwnIntegration(caller, c.req.param('id') ?? '');
  // Whether the integration still exists is decided where both doors meet: callTool and
  // callerPolicy (auth/integration-access.ts).
  c.set('caller', caller);
  await next();
});

/** Routes open to the service token and to any valid agent token (e.g. the tool catalog). */
export const serviceOrAgentAuth = createMiddleware<AppEnv>(async (c, next) => {
  const caller = await identifyCaller(c);
  if (caller === 'no_token' || caller === 'unknown_token') {
    throw new ApiError(
      'unauthorized',
      caller === 'unknown_token'
        ? 'The bearer token is neither the service API token nor a valid agent token.'
        : 'Send "Authorization: Bearer <token>" with the service API token or an agent token.',
    );
  }
  c.set('caller', caller);
  await next();
});
