import { createMiddleware } from 'hono/factory';
import { requireConfig } from '../../config.ts';
import type { AppEnv } from '../../env.ts';
import { ApiError } from '../../errors.ts';
import { findAgentToken, looksLikeAgentToken } from '../../vault/agent-tokens.ts';
import { bearerToken, isServiceToken } from '../service-auth/index.ts';

/**
 * Tool calls on `/integrations/:id/…`: the service token, or an agent token issued for this same
 * integration. An agent token of another integration is a valid credential without the right: 403.
 */
export const integrationAuth = createMiddleware<AppEnv>(async (c, next) => {
  const { SERVICE_API_TOKEN } = requireConfig(c.env, ['SERVICE_API_TOKEN']);
  const token = bearerToken(c.req.header('authorization'));
  if (!token) {
    throw new ApiError(
      'unauthorized',
      'Send "Authorization: Bearer <token>" with an agent token of this integration or the service API token.',
    );
  }
  if (isServiceToken(token, SERVICE_API_TOKEN)) {
    c.set('caller', { kind: 'service' });
    return next();
  }
  const record = looksLikeAgentToken(token) ? await findAgentToken(c.env.CONFLUENCE_KV, token) : null;
  if (!record) {
    throw new ApiError(
      'unauthorized',
      'The bearer token is not a valid agent token (it may have been revoked). Ask for a new one.',
    );
  }
  if (record.integration_id !== c.req.param('id')) {
    throw new ApiError(
      'forbidden',
      'This agent token belongs to another integration; use the token issued for this one.',
    );
  }
  c.set('caller', { kind: 'agent', tokenId: record.token_id, integrationId: record.integration_id });
  await next();
});
