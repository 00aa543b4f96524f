import { type PageVersions, pageVersionRecorder } from '../audit/page-versions.ts';
import { recordCall } from '../audit/record.ts';
import type { Caller } from '../auth/caller.ts';
import { missingIntegration, requireOwnIntegration } from '../auth/integration-access.ts';
import { requireConfig } from '../config.ts';
import { ConfluenceApi } from '../confluence/api.ts';
import { ConfluenceClient } from '../confluence/client.ts';
import { ReadCache } from '../confluence/read-cache.ts';
import { forgetIntegration, readIntegrationCached } from '../integrations/cache.ts';
import type { IntegrationRecord } from '../integrations/records.ts';
import { ApiError, needsReauth } from '../lib/errors.ts';
import { parseWith } from '../lib/validation.ts';
import { effectivePolicy, type Policy, type Refusal, refusal, writes } from '../policy/policy.ts';
import { FenceRefusal, SpaceFence, type SpaceLookups, SpaceRefusal } from '../policy/space-fence.ts';
import { QuotaMeter } from '../quota/meter.ts';
import { quotaSettings } from '../quota/settings.ts';
import { spendToolCall } from './call-budget.ts';
import { withoutNullOptionals } from './null-arguments.ts';
import { findTool, tools } from './registry.ts';
import type { Tool } from './tool.ts';
import type { Toolset } from './toolsets.ts';

/** Who calls which integration's tools: what every door establishes before it runs a tool. */
export interface ToolCallContext {
  env: Env;
  caller: Caller;
  integrationId: string;
  /** Where work that must not delay the answer goes (the audit record). */
  executionCtx: Pick<ExecutionContext, 'waitUntil'>;
  /** The toolsets this connection selected (an MCP URL's `?toolsets=`); undefined: every set. */
  toolsets?: ReadonlySet<Toolset>;
}

/** A tool's answer (the fields after `"success": true`) and the Atlassian points its calls cost. */
export interface ToolOutcome {
  result: Record<string, unknown>;
  points: number;
}

/**
 * The one path from a door (REST or MCP) to a tool, in this order: the caller's right to this
 * integration (403 for another integration's token; 401 for the token of a deleted one) → which
 * tool (404 unknown_tool, or 403 when the connection did not select its toolset) → its arguments
 * (null for an optional one means absent; 400 invalid_arguments, before anything touches
 * Confluence) → the integration (404, or 409 needs_reauth) → the policy (403 forbidden naming the
 * rule, after spending one call of the budget) → the integration's call budget (429 rate_limited)
 * → the call itself, which fetches the access token, stays inside the allowed spaces and shapes
 * the answer. Each Confluence request spends Atlassian points through the call's meter (429
 * quota_exhausted before it is sent when the integration's share or the app's pool is spent) and
 * may be answered by the read cache; the outcome says what the call cost. A failure does not say
 * it to the caller (only the audit log does): content hidden by allowed_spaces costs more to refuse
 * than a missing id, and must look the same.
 * Whatever must hold for every door (limits, policy, audit) belongs here, not in a door.
 * Failures are thrown as ApiError; each door renders them its own way.
 */
export async function callTool(
  context: ToolCallContext,
  name: string,
  rawArgs: Record<string, unknown>,
): Promise<ToolOutcome> {
  requireOwnIntegration(context.caller, context.integrationId);
  const tool = requireTool(name);
  if (context.toolsets && !context.toolsets.has(tool.toolset)) throw outsideSelection(tool, context.toolsets);
  const args = parseWith(tool.schema, withoutNullOptionals(tool.schema, rawArgs), 'invalid_arguments', {
    forgiveScalars: true,
  });
  const integration = await requireActiveIntegration(context.env, context.caller, context.integrationId);
  const { AUDIT_RETENTION_DAYS, CONFLUENCE_READ_CACHE_SECONDS } = requireConfig(context.env, [
    'AUDIT_RETENTION_DAYS',
    'CONFLUENCE_READ_CACHE_SECONDS',
  ]);
  const tokenPolicy = tokenPolicyOf(context.caller);
  const policy = effectivePolicy(integration.policy, tokenPolicy);
  const allowedSpaces = policy.allowed_spaces;
  // The page versions the call's requests see, for the audit record.
  const pages = new Map<string, PageVersions>();
  const waitUntil = (promise: Promise<unknown>) => context.executionCtx.waitUntil(promise);
  const meter = new QuotaMeter(
    context.env,
    { id: integration.id, name: integration.name, cloudId: integration.site.cloud_id },
    quotaSettings(context.env),
    waitUntil,
  );
  const client = new ConfluenceClient(context.env, integration, {
    meter,
    ...(CONFLUENCE_READ_CACHE_SECONDS > 0 && {
      readCache: new ReadCache(integration.id, CONFLUENCE_READ_CACHE_SECONDS, waitUntil),
    }),
  });
  const confluence = new ConfluenceApi(client, {
    ...(allowedSpaces && {
      fence: (lookups: SpaceLookups) => new SpaceFence(integration.id, allowedSpaces, lookups),
    }),
    observe: pageVersionRecorder(pages),
  });
  const audited = {
    ...context,
    retentionDays: AUDIT_RETENTION_DAYS,
    tool: tool.name,
    args: args as Record<string, unknown>,
    pages,
  };
  const { TOOL_CALLS_PER_MINUTE } = requireConfig(context.env, ['TOOL_CALLS_PER_MINUTE']);
  const refused = refusal(integration.policy, tokenPolicy, tool);
  if (refused) {
    // A refusal is free for Confluence but writes an audit entry: it spends the call budget first,
    // so an agent looping on a denied tool is stopped by 429 before it can flood the audit log.
    await spendToolCall(context.env, integration.id, TOOL_CALLS_PER_MINUTE);
    const error = forbidden(refused, integration.id);
    recordCall(audited, { error, refusedBy: { rule: refused.rule, policy: refused.source } });
    throw error;
  }
  await spendToolCall(context.env, integration.id, TOOL_CALLS_PER_MINUTE);
  let result: Record<string, unknown>;
  try {
    result = await tool.run(args, confluence);
  } catch (error) {
    // The refresher found the grant gone: the record now says so in KV; stop serving the cached one.
    if (error instanceof ApiError && error.code === 'needs_reauth') forgetIntegration(integration.id);
    // Content outside the allowed spaces was answered as missing, or a rendered format or a body
    // reaching other spaces was refused; the operator still sees the attempt.
    const fenced = error instanceof SpaceRefusal || error instanceof FenceRefusal;
    const source = spacesSource(integration.policy, tokenPolicy);
    const answered =
      error instanceof FenceRefusal
        ? new ApiError('forbidden', error.message, { details: { rule: 'allowed_spaces', policy: source } })
        : error;
    if (fenced || writes(tool)) {
      recordCall(
        { ...audited, points: meter.points },
        {
          error: answered,
          ...(fenced && { refusedBy: { rule: 'allowed_spaces', policy: source } }),
        },
      );
    }
    throw answered;
  }
  if (writes(tool)) recordCall({ ...audited, points: meter.points }, { result });
  return { result, points: meter.points };
}

/** The narrower policy an agent token carries; other callers have only their integration's. */
function tokenPolicyOf(caller: Caller): Policy | null {
  return caller.kind === 'agent' ? caller.policy : null;
}

/** Whose allowed_spaces confined a call: the integration's, the token's, or both lists together. */
function spacesSource(integration: Policy, token: Policy | null): string {
  if (!token?.allowed_spaces) return 'integration';
  return integration.allowed_spaces ? 'integration_and_agent_token' : 'agent_token';
}

/**
 * What a caller may use on an integration: the tools its integration's policy and its own allow
 * (the per-integration REST catalog and MCP `tools/list` list only these), and that combined policy.
 */
export async function callerPolicy(
  env: Env,
  caller: Caller,
  integrationId: string,
  selection?: ReadonlySet<Toolset>,
): Promise<{ tools: ReadonlySet<string>; policy: Policy }> {
  requireOwnIntegration(caller, integrationId);
  // A needs_reauth integration still lists its tools: each call then says how to reconnect.
  const integration = await requireKnownIntegration(env, caller, integrationId);
  const token = tokenPolicyOf(caller);
  return {
    tools: new Set(
      tools
        .filter((tool) => selection === undefined || selection.has(tool.toolset))
        .filter((tool) => refusal(integration.policy, token, tool) === null)
        .map((t) => t.name),
    ),
    policy: effectivePolicy(integration.policy, token),
  };
}

function forbidden(refused: Refusal, integrationId: string): ApiError {
  return new ApiError(
    'forbidden',
    `${refused.message} Nothing was sent to Confluence. GET /api/v1/integrations/${integrationId}/tools lists the tools this caller may use.`,
    { details: { rule: refused.rule, policy: refused.source } },
  );
}

/** A call to a tool of a set the connection did not select: how to select it. */
function outsideSelection(tool: Tool, selection: ReadonlySet<Toolset>): ApiError {
  const wider = [...selection, tool.toolset].join(',');
  return new ApiError(
    'forbidden',
    `${tool.name} belongs to the ${tool.toolset} toolset, which this connection did not select. Nothing was sent to Confluence. Connect with ?toolsets=${wider} (or ?toolsets=all) on the MCP URL to use it.`,
    { details: { rule: 'toolsets', policy: 'connection' } },
  );
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

async function requireKnownIntegration(env: Env, caller: Caller, id: string): Promise<IntegrationRecord> {
  const record = await readIntegrationCached(env.CONFLUENCE_KV, id);
  if (!record) throw missingIntegration(caller, id);
  return record;
}

async function requireActiveIntegration(env: Env, caller: Caller, id: string): Promise<IntegrationRecord> {
  const record = await requireKnownIntegration(env, caller, id);
  if (record.status === 'pending_confirmation') {
    throw new ApiError(
      'forbidden',
      `Integration ${id} is not confirmed yet: the application that connected it must confirm it with POST /api/v1/integrations/${id}/confirm (it is discarded if unconfirmed 10 minutes after connecting). Tools are refused until then.`,
    );
  }
  if (record.status === 'needs_reauth') {
    throw needsReauth(
      `Integration ${id} needs the user to reconnect it: Atlassian no longer accepts its authorization. Retrying will not help until then.`,
    );
  }
  return record;
}
