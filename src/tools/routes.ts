import { Hono } from 'hono';
import { ConfluenceApi } from '../confluence/api.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError, needsReauth } from '../errors.ts';
import { integrationAuth, serviceOrAgentAuth } from '../middleware/integration-auth/index.ts';
import { parseWith, readJsonObject } from '../validation.ts';
import { forgetIntegration, readIntegrationCached } from '../vault/integration-cache.ts';
import type { IntegrationRecord } from '../vault/integrations.ts';
import { findTool, toolCatalog, tools } from './registry.ts';

/**
 * GET /api/v1/tools (mounted at /api/v1/tools): the catalog. Open to the service token and to any
 * valid agent token, since an agent needs the tool definitions and they hold nothing secret.
 */
export const toolCatalogRoutes = new Hono<AppEnv>();

toolCatalogRoutes.get('/', serviceOrAgentAuth, (c) => c.json(toolCatalog()));

/** POST /api/v1/integrations/:id/tools/:tool_name (mounted at /api/v1/integrations). */
export const toolCallRoutes = new Hono<AppEnv>();

/**
 * A tool call, in this order: who is calling (integrationAuth) → which tool (404 unknown_tool) →
 * its arguments (400 invalid_arguments, before anything touches Confluence) → the integration
 * (404, or 409 needs_reauth) → the call itself, which fetches the access token and shapes the answer.
 */
toolCallRoutes.post('/:id/tools/:tool_name', integrationAuth, async (c) => {
  const name = c.req.param('tool_name');
  const tool = findTool(name);
  if (!tool) {
    throw new ApiError(
      'unknown_tool',
      `No tool "${name}". The tools are: ${tools.map((t) => t.name).join(', ')}. GET /api/v1/tools describes them.`,
    );
  }
  const args = parseWith(tool.schema, await readJsonObject(c, 'invalid_arguments'), 'invalid_arguments');
  const integration = await requireActiveIntegration(c.env, c.req.param('id'));
  try {
    const result = await tool.run(args, new ConfluenceApi(c.env, integration));
    return c.json({ success: true, ...result });
  } catch (error) {
    // The refresher found the grant gone: the record now says so in KV; stop serving the cached one.
    if (error instanceof ApiError && error.code === 'needs_reauth') forgetIntegration(integration.id);
    throw error;
  }
});

async function requireActiveIntegration(env: Env, id: string): Promise<IntegrationRecord> {
  const record = await readIntegrationCached(env.CONFLUENCE_KV, id);
  if (!record) {
    throw new ApiError(
      'integration_not_found',
      `No integration ${id}. It may have been deleted; list integrations with GET /api/v1/integrations?owner_id=….`,
    );
  }
  if (record.status === 'needs_reauth') {
    throw needsReauth(
      `Integration ${id} needs the user to reconnect it: Atlassian no longer accepts its authorization. Retrying will not help until then.`,
    );
  }
  return record;
}
