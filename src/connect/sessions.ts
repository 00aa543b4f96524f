import * as z from 'zod';
import { newIntegrationId } from '../integrations/records.ts';
import { kvKeys } from '../kv-keys.ts';
import { McpAuthorization } from '../oauth/request.ts';
import { randomSecret, sha256Hex } from '../vault/crypto.ts';

/**
 * Connect sessions: the trusted backend says who is connecting (owner, name, where to go back to,
 * which integration to reconnect) and hands the user a connect_url. The session id in that URL is a
 * capability (whoever opens it can attach a site to the owner), so it is long, random, short-lived,
 * and KV keeps it under its hash only.
 */
export const SESSION_TTL_SECONDS = 30 * 60;

export const ConnectSession = z.object({
  owner_id: z.string(),
  name: z.string().nullable(),
  return_url: z.string().nullable(),
  /**
   * The integration this session creates or reconnects, fixed when the session is made: however
   * often the flow is finished (two tabs, a double-submitted form), it yields this one integration.
   */
  integration_id: z.string(),
  reconnect: z.boolean(),
  /** SHA-256 of the session id (its KV key): how the integration's lifecycle object knows the session. */
  session_hash: z.string(),
  /** The integration waits for the backend's confirmation (POST /api/v1/integrations/:id/confirm). */
  require_confirmation: z.boolean(),
  /** A reconnect may be consented by another Atlassian account than the integration's (service API). */
  allow_account_change: z.boolean().default(false),
  /**
   * Set when an MCP client's `/authorize` started the flow (oauth/authorize.ts). The owner is then
   * the Atlassian account that signs in, learnt at the callback, and the integration is that
   * account's one for the chosen site, or `integration_id` when it has none yet.
   */
  mcp: McpAuthorization.optional(),
  /** Epoch milliseconds. */
  expires_at: z.number(),
});
export type ConnectSession = z.infer<typeof ConnectSession>;

export async function createSession(
  kv: KVNamespace,
  input: {
    owner_id: string;
    name?: string;
    return_url?: string;
    integration_id?: string;
    require_confirmation?: boolean;
    allow_account_change?: boolean;
    mcp?: McpAuthorization;
  },
): Promise<{ id: string; session: ConnectSession }> {
  const id = `cs_${randomSecret(32)}`;
  const sessionHash = await sha256Hex(id);
  const session: ConnectSession = {
    owner_id: input.owner_id,
    name: input.name ?? null,
    return_url: input.return_url ?? null,
    integration_id: input.integration_id ?? newIntegrationId(),
    reconnect: input.integration_id !== undefined,
    session_hash: sessionHash,
    require_confirmation: input.require_confirmation ?? false,
    allow_account_change: input.allow_account_change ?? false,
    ...(input.mcp && { mcp: input.mcp }),
    expires_at: Date.now() + SESSION_TTL_SECONDS * 1000,
  };
  await kv.put(kvKeys.connectSession(sessionHash), JSON.stringify(session), {
    expirationTtl: SESSION_TTL_SECONDS,
  });
  return { id, session };
}

/** The live session behind a connect_url, or null when it is unknown or expired. */
export async function readSession(kv: KVNamespace, id: string): Promise<ConnectSession | null> {
  if (!/^cs_[A-Za-z0-9_-]{20,100}$/.test(id)) return null;
  const value = await kv.get(kvKeys.connectSession(await sha256Hex(id)), 'json');
  const session = ConnectSession.safeParse(value);
  if (!session.success || session.data.expires_at <= Date.now()) return null;
  return session.data;
}

/** Retires a finished session's link (best effort: the lifecycle object refuses it regardless). */
export async function retireSession(kv: KVNamespace, session: ConnectSession): Promise<void> {
  await kv.delete(kvKeys.connectSession(session.session_hash)).catch(() => undefined);
}

/** `return_url` with `params` appended (its own query and fragment kept). */
export function returnUrlWith(returnUrl: string, params: Record<string, string>): string {
  const url = new URL(returnUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
