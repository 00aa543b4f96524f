import { ConfluenceApi } from '../confluence/api.ts';
import type { Caller, Env } from '../env.ts';
import { ApiError, needsReauth } from '../errors.ts';
import { parseWith } from '../validation.ts';
import { forgetIntegration, readIntegrationCached } from '../vault/integration-cache.ts';
import type { IntegrationRecord } from '../vault/integrations.ts';
import { findTool, tools } from './registry.ts';
import type { Tool } from './tool.ts';

/** Who calls which integration's tools: what every door establishes before it runs a tool. */
export interface ToolCallContext {
  env: Env;
  caller: Caller;
  integrationId: string;
}

/**
 * The one path from a door (REST or MCP) to a tool, in this order: which tool (404 unknown_tool) →
 * its arguments (400 invalid_arguments, before anything touches Confluence) → the integration (404,
 * or 409 needs_reauth) → the call itself, which fetches the access token and shapes the answer.
 * Whatever must hold for every door (limits, policy, audit) belongs here, not in a door.
 * Failures are thrown as ApiError; each door renders them its own way.
 */
export async function callTool(
  context: ToolCallContext,
  name: string,
  rawArgs: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const tool = requireTool(name);
  const args = parseWith(tool.schema, rawArgs, 'invalid_arguments', { forgiveScalars: true });
  const integration = await requireActiveIntegration(context.env, context.integrationId);
  try {
    return await tool.run(args, new ConfluenceApi(context.env, integration));
  } catch (error) {
    // The refresher found the grant gone: the record now says so in KV; stop serving the cached one.
    if (error instanceof ApiError && error.code === 'needs_reauth') forgetIntegration(integration.id);
    throw error;
  }
}

export function requireTool(name: string): Tool {
  const tool = findTool(name);
  if (!tool) {
    throw new ApiError(
      'unknown_tool',
      `No tool "${name}". The tools are: ${tools.map((t) => t.name).join(', ')}. GET /api/v1/tools describes them.`,
    );
  }
  return tool;
}

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
