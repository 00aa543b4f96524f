import { Hono } from 'hono';
import type { AppEnv } from '../auth/caller.ts';
import { integrationAuth, serviceOrAgentAuth } from '../auth/integration-auth.ts';
import { readJsonObject } from '../lib/validation.ts';
import { callerPolicy, callTool, requireTool } from './call.ts';
import { toolCatalog } from './registry.ts';

/**
 * GET /api/v1/tools (mounted at /api/v1/tools): the catalog. Open to the service token and to any
 * valid agent token, since an agent needs the tool definitions and they hold nothing secret.
 */
export const toolCatalogRoutes = new Hono<AppEnv>();

toolCatalogRoutes.get('/', serviceOrAgentAuth, (c) => c.json(toolCatalog()));

/** The REST door (mounted at /api/v1/integrations). */
export const toolCallRoutes = new Hono<AppEnv>();

/** GET /:id/tools: the catalog this caller may use on this integration, and the policy that decides it. */
toolCallRoutes.get('/:id/tools', integrationAuth, async (c) => {
  const { tools, policy } = await callerPolicy(c.env, c.get('caller'), c.req.param('id'));
  return c.json({ tools: toolCatalog().tools.filter((entry) => tools.has(entry.name)), policy });
});

/** POST /:id/tools/:tool_name: one tool call. */
toolCallRoutes.post('/:id/tools/:tool_name', integrationAuth, async (c) => {
  const name = c.req.param('tool_name');
  // An unknown tool is named before the body is read, as it always was.
  requireTool(name);
  const args = await readJsonObject(c, 'invalid_arguments');
  const { result, points } = await callTool(
    { env: c.env, caller: c.get('caller'), integrationId: c.req.param('id'), executionCtx: c.executionCtx },
    name,
    args,
  );
  return c.json({ success: true, points, ...result });
});
