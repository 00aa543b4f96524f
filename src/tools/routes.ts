import type { Context } from 'hono';
import { Hono } from 'hono/quick';
import type { AppEnv } from '../auth/caller.ts';
import { integrationAuth, serviceOrAgentAuth } from '../auth/integration-auth.ts';
import { ApiError } from '../lib/errors.ts';
import { readJsonObject } from '../lib/validation.ts';
import { callerPolicy, callTool, requireTool } from './call.ts';
import { instructionsFor } from './instructions.ts';
import { strictFunction } from './openai-strict.ts';
import { type CatalogEntry, toolCatalog } from './registry.ts';
import { parseToolsetsParam, type Toolset } from './toolsets.ts';

/**
 * GET /api/v1/tools (mounted at /api/v1/tools): the catalog. Open to the service token and to any
 * valid agent token, since an agent needs the tool definitions and they hold nothing secret.
 * `?toolsets=a,b` lists only those sets (default: every tool); `?format=openai_strict` gives each
 * tool as an OpenAI strict function definition instead of `{name, toolset, description, input_schema}`.
 * Beside the tools, `instructions`: what they share, for the agent's system prompt.
 */
export const toolCatalogRoutes = new Hono<AppEnv>();

toolCatalogRoutes.get('/', serviceOrAgentAuth, (c) => {
  const { sets, format } = catalogQuery(c);
  return c.json(render(selected(toolCatalog().tools, sets), format));
});

/** The REST door (mounted at /api/v1/integrations). */
export const toolCallRoutes = new Hono<AppEnv>();

/** GET /:id/tools: the catalog this caller may use on this integration, and the policy that decides it. */
toolCallRoutes.get('/:id/tools', integrationAuth, async (c) => {
  const { sets, format } = catalogQuery(c);
  const { tools, policy } = await callerPolicy(c.env, c.get('caller'), c.req.param('id'), sets);
  const entries = toolCatalog().tools.filter((entry) => tools.has(entry.name));
  return c.json({ ...render(entries, format), policy });
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

const FORMATS = ['json_schema', 'openai_strict'] as const;
type CatalogFormat = (typeof FORMATS)[number];

/** `?toolsets=` and `?format=` of a catalog request; a value that is neither is a 400 naming the valid ones. */
function catalogQuery(c: Context<AppEnv>): { sets: ReadonlySet<Toolset> | undefined; format: CatalogFormat } {
  const selection = parseToolsetsParam(c.req.query('toolsets'));
  if ('error' in selection) throw new ApiError('invalid_request', selection.error);
  const format = c.req.query('format') ?? 'json_schema';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new ApiError(
      'invalid_request',
      `format ${JSON.stringify(format.slice(0, 40))} is not a catalog format: send format=json_schema (the default: {name, toolset, description, input_schema}) or format=openai_strict (OpenAI strict function definitions).`,
    );
  }
  return { sets: selection.sets, format: format as CatalogFormat };
}

function selected(entries: CatalogEntry[], sets: ReadonlySet<Toolset> | undefined): CatalogEntry[] {
  return sets === undefined ? entries : entries.filter((entry) => sets.has(entry.toolset));
}

const strictFunctions = new Map<string, ReturnType<typeof strictFunction>>();

/** The tools, and what they share said once (the MCP server's instructions for the same toolsets). */
function render(entries: CatalogEntry[], format: CatalogFormat): { tools: unknown[]; instructions: string } {
  const instructions = instructionsFor(new Set(entries.map((entry) => entry.toolset)));
  if (format === 'json_schema') return { tools: entries, instructions };
  return {
    instructions,
    tools: entries.map((entry) => {
      let definition = strictFunctions.get(entry.name);
      if (!definition) {
        definition = strictFunction(entry);
        strictFunctions.set(entry.name, definition);
      }
      return definition;
    }),
  };
}
