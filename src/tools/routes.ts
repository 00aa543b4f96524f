import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { integrationAuth, serviceOrAgentAuth } from '../middleware/integration-auth/index.ts';
import { readJsonObject } from '../validation.ts';
import { callTool, requireTool } from './call.ts';
import { toolCatalog } from './registry.ts';

/**
 * GET /api/v1/tools (mounted at /api/v1/tools): the catalog. Open to the service token and to any
 * valid agent token, since an agent needs the tool definitions and they hold nothing secret.
 */
export const toolCatalogRoutes = new Hono<AppEnv>();

toolCatalogRoutes.get('/', serviceOrAgentAuth, (c) => c.json(toolCatalog()));

/** POST /api/v1/integrations/:id/tools/:tool_name (mounted at /api/v1/integrations): the REST door. */
export const toolCallRoutes = new Hono<AppEnv>();

toolCallRoutes.post('/:id/tools/:tool_name', integrationAuth, async (c) => {
  const name = c.req.param('tool_name');
  // An unknown tool is named before the body is read, as it always was.
  requireTool(name);
  const args = await readJsonObject(c, 'invalid_arguments');
  const result = await callTool(
    { env: c.env, caller: c.get('caller'), integrationId: c.req.param('id') },
    name,
    args,
  );
  return c.json({ success: true, ...result });
});
