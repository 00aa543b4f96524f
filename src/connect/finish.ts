import { forgetIntegration } from '../integrations/cache.ts';
import { lifecycleOf } from '../integrations/lifecycle.ts';
import { type IntegrationRecord, readIntegration, writeIntegration } from '../integrations/records.ts';
import { OPEN_POLICY } from '../policy/policy.ts';
import { forgetAccessToken } from '../vault/access-token.ts';
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
 * last, so there is never a record without tokens. An existing integration keeps its site: consent
 * for another site is refused, not swapped in.
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
  const record: IntegrationRecord = {
    id,
    owner_id: session.owner_id,
    name: connection.name ?? session.name ?? existing?.name ?? site.name,
    status: confirmation === undefined ? 'active' : 'pending_confirmation',
    site,
    scopes: connection.scopes,
    // A reconnect renews the grant; it never lifts the limits an operator set.
    policy: existing?.policy ?? OPEN_POLICY,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  try {
    await env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(id)).store(id, connection.tokens);
    forgetAccessToken(id);
    await writeIntegration(env.CONFLUENCE_KV, record);
  } catch (error) {
    // Nothing was connected: the session may be finished again (the same form, or a new sign-in).
    await lifecycleOf(env, id)
      .release(session.session_hash, connection.finisher)
      .catch(() => undefined);
    throw error;
  }
  forgetIntegration(id);
  await retireSession(env.CONFLUENCE_KV, session);
  return { record, confirmation };
}
