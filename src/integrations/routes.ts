import { Hono } from 'hono/quick';
import * as z from 'zod';
import { issueAgentToken, listAgentTokens, revokeAgentToken } from '../auth/agent-tokens.ts';
import type { AppEnv } from '../auth/caller.ts';
import { revokeCredential } from '../auth/revocations.ts';
import { serviceAuth } from '../auth/service-auth.ts';
import { ApiError } from '../lib/errors.ts';
import { parseWith, readJsonObject } from '../lib/validation.ts';
import { listMcpGrants, revokeAllMcpGrants, revokeMcpGrant } from '../oauth/grants.ts';
import { applyPolicy, PolicyInput, wideningsOf } from '../policy/input.ts';
import { OPEN_POLICY } from '../policy/policy.ts';
import { forgetAccessToken } from '../vault/access-token.ts';
import { sha256Hex } from '../vault/crypto.ts';
import { forgetIntegration } from './cache.ts';
import { changeIntegration, lifecycleOf } from './lifecycle.ts';
import { type IntegrationRecord, listIntegrations, readIntegration } from './records.ts';

/**
 * The service API's integration routes (the trusted backend only). Each route names serviceAuth
 * itself: four other sub-apps share /api/v1/integrations, and a `use()` over this whole sub-app
 * would guard their routes too, or not, depending on the order they are mounted in.
 */
export const integrationRoutes = new Hono<AppEnv>();

integrationRoutes.get('/', serviceAuth, async (c) => {
  const { owner_id } = parseWith(
    z.object({ owner_id: z.string().min(1, 'required: the owner whose integrations to list') }),
    c.req.query(),
  );
  return c.json({ integrations: await listIntegrations(c.env.CONFLUENCE_KV, owner_id) });
});

integrationRoutes.get('/:id', serviceAuth, async (c) =>
  c.json(await requireIntegration(c.env, c.req.param('id'))),
);

const IntegrationPatch = z.strictObject(
  {
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    policy: PolicyInput.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'unknown field; send name and/or policy' : undefined,
  },
);

/** Renames an integration and/or changes its policy; the policy's omitted fields keep their value. */
integrationRoutes.patch('/:id', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const patch = parseWith(IntegrationPatch, await readJsonObject(c));
  if (patch.name === undefined && patch.policy === undefined) {
    throw new ApiError(
      'invalid_request',
      'Nothing to change: send {"name": …} and/or {"policy": {"read_only", "allowed_tools", "denied_tools", "allowed_spaces", "toolsets"}}.',
    );
  }
  // Only the fields sent change, on the lifecycle object's copy: a reconnect or a needs_reauth
  // elsewhere meanwhile is neither undone by this write nor undoes it.
  const updated = await changeIntegration(c.env, record.id, {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.policy !== undefined && { policy: patch.policy }),
  });
  if (!updated) throw missingIntegration(record.id);
  // Other isolates keep their cached copy for up to 30 s (and KV takes up to 60 s to propagate).
  forgetIntegration(updated.id);
  return c.json(updated);
});

integrationRoutes.delete('/:id', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  await deleteIntegration(c.env, record);
  return c.body(null, 204);
});

const ConfirmBody = z.object({
  code: z
    .string('required: the confirmation code the return_url redirect carried')
    .min(1, 'must not be empty')
    .max(200, 'at most 200 characters'),
});

/**
 * Confirms an integration made with `require_confirmation`, once the backend has checked that the
 * user who came back to its return_url is the one who started connecting. Repeating it with the
 * same code is harmless.
 */
integrationRoutes.post('/:id/confirm', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const { code } = parseWith(ConfirmBody, await readJsonObject(c));
  const outcome = await lifecycleOf(c.env, record.id).confirm(await sha256Hex(code));
  if (outcome === 'not_pending') {
    throw new ApiError(
      'invalid_request',
      `Integration ${record.id} is not awaiting confirmation (its status is ${record.status}): only integrations connected through a session with require_confirmation are confirmed.`,
    );
  }
  if (outcome === 'wrong_code') {
    throw new ApiError(
      'invalid_request',
      `That code does not confirm integration ${record.id}. Send the confirmation parameter of the return_url redirect for this integration, unchanged.`,
    );
  }
  forgetIntegration(record.id);
  if (record.status !== 'pending_confirmation') return c.json(record);
  const confirmed = await changeIntegration(c.env, record.id, {
    status: 'active',
    onlyFromStatus: ['pending_confirmation'],
  });
  return c.json(confirmed ?? record);
});

integrationRoutes.get('/:id/agent-tokens', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  return c.json({ agent_tokens: await listAgentTokens(c.env.CONFLUENCE_KV, record.id) });
});

integrationRoutes.post('/:id/agent-tokens', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const { label, policy: input } = parseWith(
    z.object({ label: z.string().max(200).optional(), policy: PolicyInput.optional() }),
    await readJsonObject(c),
  );
  const policy = input ? applyPolicy(OPEN_POLICY, input) : null;
  const widenings = policy ? wideningsOf(record.policy, policy) : [];
  if (widenings.length > 0) {
    throw new ApiError(
      'invalid_request',
      `An agent token's policy can only narrow its integration's: ${widenings.join('; ')}. Leave those out, or change the integration's policy first (PATCH /api/v1/integrations/${record.id}).`,
    );
  }
  const { record: issued, token } = await issueAgentToken(
    c.env.CONFLUENCE_KV,
    record.id,
    label ?? null,
    policy,
  );
  return c.json(
    { id: issued.token_id, token, label: issued.label, policy: issued.policy, created_at: issued.created_at },
    201,
  );
});

integrationRoutes.delete('/:id/agent-tokens/:token_id', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const tokenId = c.req.param('token_id');
  if (/^[\w-]{1,100}$/.test(tokenId)) await revokeCredential(c.env, record.id, `agent:${tokenId}`);
  if (!(await revokeAgentToken(c.env.CONFLUENCE_KV, record.id, tokenId))) {
    throw new ApiError(
      'not_found',
      `Integration ${record.id} has no agent token ${c.req.param('token_id')}.`,
    );
  }
  return c.body(null, 204);
});

integrationRoutes.get('/:id/mcp-grants', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  return c.json({ grants: await listMcpGrants(c.env, record.id) });
});

integrationRoutes.delete('/:id/mcp-grants/:grant_id', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const grantId = c.req.param('grant_id');
  if (/^[\w-]{1,100}$/.test(grantId)) await revokeCredential(c.env, record.id, `grant:${grantId}`);
  if (!(await revokeMcpGrant(c.env, record.id, grantId))) {
    throw new ApiError(
      'not_found',
      `Integration ${record.id} has no MCP grant ${c.req.param('grant_id')}. List them with GET /api/v1/integrations/${record.id}/mcp-grants.`,
    );
  }
  return c.body(null, 204);
});

export async function requireIntegration(env: Env, id: string): Promise<IntegrationRecord> {
  const record = await readIntegration(env.CONFLUENCE_KV, id);
  if (!record) throw missingIntegration(id);
  return record;
}

function missingIntegration(id: string): ApiError {
  return new ApiError(
    'integration_not_found',
    `No integration ${id}. List integrations with GET /api/v1/integrations?owner_id=….`,
  );
}

/**
 * Deletes an integration: its lifecycle object erases secrets, tokens, record and index before this
 * answers, and purges agent tokens and events afterwards in bounded batches (so an integration with
 * any number of events is deleted within the platform's per-invocation limits). This isolate drops
 * its cached copies at once; other isolates' copies lapse within 30 s, and agent tokens stop working
 * at once because the auth middleware refuses those of a missing integration.
 */
async function deleteIntegration(env: Env, record: IntegrationRecord): Promise<void> {
  forgetAccessToken(record.id);
  forgetIntegration(record.id);
  // Its MCP clients lose their grants (a deleted integration answers them 401). Done here, with the
  // request's settings, which name the authorization server's public origin.
  await revokeAllMcpGrants(env, record.id);
  await lifecycleOf(env, record.id).erase(record.id, record);
}
