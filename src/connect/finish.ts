import { requireConfig } from '../config.ts';
import { forgetIntegration } from '../integrations/cache.ts';
import { changeIntegration, lifecycleOf } from '../integrations/lifecycle.ts';
import { type IntegrationRecord, readIntegration } from '../integrations/records.ts';
import { OPEN_POLICY } from '../policy/policy.ts';
import { forgetAccessToken } from '../vault/access-token.ts';
import { currentAccountId, TokenRequestError } from '../vault/atlassian-oauth.ts';
import { randomSecret, sha256Hex } from '../vault/crypto.ts';
import type { TokenSet } from '../vault/tokens.ts';
import { ConnectError } from './errors.ts';
import type { PickableSite } from './pending.ts';
import { type ConnectSession, retireSession } from './sessions.ts';

export interface Connection {
  session: ConnectSession;
  site: PickableSite;
  /** The name the user typed in the picker; else the session's; else (reconnect) the current one. */
  name: string | null;
  scopes: string[];
  tokens: TokenSet;
  /**
   * What this finish is: the hash of the OAuth state (finished at the callback) or of the site form
   * (finished by its submission). A repeat of the same finish carries the same tokens.
   */
  finisher: string;
  /** The Atlassian account that consented, when the flow already read it (MCP sign-in). */
  accountId?: string;
}

export interface Finished {
  record: IntegrationRecord;
  /** The one-time confirmation code of a `require_confirmation` session; shown once, on return_url. */
  confirmation?: string;
}

/**
 * Creates the session's integration, or brings an existing one (a reconnect) back to `active` with
 * new tokens. Each session finishes once: the integration's lifecycle object lets the first finish
 * through and refuses every later one (another tab, a forwarded link), and refuses any session of
 * a deleted id. The tokens go to the integration's TokenRefresher first and the record is written
 * last, so there is never a record without tokens. An existing integration keeps its site and its
 * Atlassian account: consent for another site, or by another account (unless the session allows
 * it), is refused, not swapped in.
 */
export async function finishConnection(env: Env, connection: Connection): Promise<Finished> {
  const { session, site } = connection;
  const fail = (code: ConstructorParameters<typeof ConnectError>[0]) =>
    new ConnectError(code, session.return_url);
  const id = session.integration_id;
  const existing = await readIntegration(env.CONFLUENCE_KV, id);
  if (existing && existing.owner_id !== session.owner_id) throw fail('integration_not_found');
  if (session.reconnect && !existing) throw fail('integration_not_found');
  if (existing && existing.site.cloud_id !== site.cloud_id) throw fail('site_mismatch');
  const accountId = connection.accountId ?? (await consentingAccount(env, connection));
  // The tokens act as whoever consented: another account's must not slip into this integration.
  if (existing?.account_id && existing.account_id !== accountId && !session.allow_account_change) {
    console.warn(JSON.stringify({ event: 'connect_account_mismatch' }));
    throw fail('account_mismatch');
  }

  const confirmation = session.require_confirmation && !session.reconnect ? randomSecret(32) : undefined;
  const claim = await lifecycleOf(env, id).claim(
    id,
    session.session_hash,
    connection.finisher,
    confirmation === undefined ? null : await sha256Hex(confirmation),
  );
  if (claim === 'deleted') throw fail('integration_not_found');
  if (claim === 'used') throw fail('session_used');

  const now = new Date().toISOString();
  const status = confirmation === undefined ? 'active' : 'pending_confirmation';
  const name = connection.name ?? session.name ?? undefined;
  let record: IntegrationRecord | null;
  try {
    await env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(id)).store(id, connection.tokens);
    forgetAccessToken(id);
    // Only what the consent decides changes: a reconnect never touches the policy an operator set.
    record = await changeIntegration(env, id, {
      create: {
        id,
        owner_id: session.owner_id,
        name: name ?? site.name,
        status,
        site,
        scopes: connection.scopes,
        policy: OPEN_POLICY,
        account_id: accountId,
        created_at: now,
        updated_at: now,
      },
      ...(name !== undefined && { name }),
      status,
      site,
      scopes: connection.scopes,
      account_id: accountId,
    });
  } catch (error) {
    // Nothing was connected: the session may be finished again (the same form, or a new sign-in).
    await lifecycleOf(env, id)
      .release(session.session_hash, connection.finisher)
      .catch(() => undefined);
    throw error;
  }
  if (!record) throw fail('integration_not_found');
  forgetIntegration(id);
  await retireSession(env.CONFLUENCE_KV, session);
  return { record, confirmation };
}

/** The Atlassian account the new tokens act for, read from Confluence (its current user). */
async function consentingAccount(env: Env, { session, site, tokens }: Connection): Promise<string> {
  const { ATLASSIAN_API_BASE_URL } = requireConfig(env, ['ATLASSIAN_API_BASE_URL']);
  try {
    return await currentAccountId(ATLASSIAN_API_BASE_URL, tokens.access_token, site.cloud_id);
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    console.warn(JSON.stringify({ event: 'connect_current_user_failed', kind: error.kind }));
    throw new ConnectError('exchange_failed', session.return_url);
  }
}
