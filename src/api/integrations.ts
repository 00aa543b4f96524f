import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv, Env } from '../env.ts';
import { ApiError } from '../errors.ts';
import { kvKeys } from '../kv-keys.ts';
import { serviceAuth } from '../middleware/service-auth/index.ts';
import { listMcpGrants, revokeAllMcpGrants, revokeMcpGrant } from '../oauth/grants.ts';
import { parseWith, readJsonObject } from '../validation.ts';
import { forgetAccessToken } from '../vault/access-token.ts';
import { issueAgentToken, revokeAgentToken, revokeAllAgentTokens } from '../vault/agent-tokens.ts';
import { forgetIntegration } from '../vault/integration-cache.ts';
import {
  deleteOwnerIndexEntry,
  type IntegrationRecord,
  listIntegrations,
  listKeys,
  readIntegration,
} from '../vault/integrations.ts';

/** The service API's integration routes (the trusted backend only). */
export const integrationRoutes = new Hono<AppEnv>();
integrationRoutes.use(serviceAuth);

integrationRoutes.get('/', async (c) => {
  const { owner_id } = parseWith(
    z.object({ owner_id: z.string().min(1, 'required: the owner whose integrations to list') }),
    c.req.query(),
  );
  return c.json({ integrations: await listIntegrations(c.env.CONFLUENCE_KV, owner_id) });
});

integrationRoutes.get('/:id', async (c) => c.json(await requireIntegration(c.env, c.req.param('id'))));

integrationRoutes.delete('/:id', async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  await deleteIntegration(c.env, record);
  return c.body(null, 204);
});

integrationRoutes.post('/:id/agent-tokens', async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const { label } = parseWith(z.object({ label: z.string().max(200).optional() }), await readJsonObject(c));
  const { record: issued, token } = await issueAgentToken(c.env.CONFLUENCE_KV, record.id, label ?? null);
  return c.json({ id: issued.token_id, token, label: issued.label, created_at: issued.created_at }, 201);
});

integrationRoutes.delete('/:id/agent-tokens/:token_id', async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  if (!(await revokeAgentToken(c.env.CONFLUENCE_KV, record.id, c.req.param('token_id')))) {
    throw new ApiError(
      'not_found',
      `Integration ${record.id} has no agent token ${c.req.param('token_id')}.`,
    );
  }
  return c.body(null, 204);
});

integrationRoutes.get('/:id/mcp-grants', async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  return c.json({ grants: await listMcpGrants(c.env, record.id) });
});

integrationRoutes.delete('/:id/mcp-grants/:grant_id', async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  if (!(await revokeMcpGrant(c.env, record.id, c.req.param('grant_id')))) {
    throw new ApiError(
      'not_found',
      `Integration ${record.id} has no MCP grant ${c.req.param('grant_id')}. List them with GET /api/v1/integrations/${record.id}/mcp-grants.`,
    );
  }
  return c.body(null, 204);
});

export async function requireIntegration(env: Env, id: string): Promise<IntegrationRecord> {
  const record = await readIntegration(env.CONFLUENCE_KV, id);
  if (!record) {
    throw new ApiError(
      'integration_not_found',
      `No integration ${id}. List integrations with GET /api/v1/integrations?owner_id=….`,
    );
  }
  return record;
}

/**
 * Deletes an integration and everything it owns. Secrets go first and the record last, so a
 * deletion interrupted half-way leaves a record that a repeated DELETE finishes off.
 */
async function deleteIntegration(env: Env, record: IntegrationRecord): Promise<void> {
  const kv = env.CONFLUENCE_KV;
  forgetAccessToken(record.id);
  forgetIntegration(record.id);
  await env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(record.id)).erase();
  await kv.delete(kvKeys.tokens(record.id));
  await revokeAllAgentTokens(kv, record.id);
  await revokeAllMcpGrants(env, record.id);
  await env.WEBHOOK_INBOX.get(env.WEBHOOK_INBOX.idFromName(record.id)).erase();
  const events = await listKeys(kv, kvKeys.webhookEventsPrefix(record.id));
  await Promise.all(events.map((key) => kv.delete(key)));
  await deleteOwnerIndexEntry(kv, record);
  await kv.delete(kvKeys.integration(record.id));
}
