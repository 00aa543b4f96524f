import type { Env } from '../env.ts';
import { OPEN_POLICY } from '../policy/policy.ts';
import { forgetAccessToken } from '../vault/access-token.ts';
import { forgetIntegration } from '../vault/integration-cache.ts';
import { type IntegrationRecord, readIntegration, writeIntegration } from '../vault/integrations.ts';
import type { TokenSet } from '../vault/tokens.ts';
import { ConnectError } from './errors.ts';
import type { PickableSite } from './pending.ts';
import type { ConnectSession } from './sessions.ts';

export interface Connection {
  session: ConnectSession;
  site: PickableSite;
  /** The name the user typed in the picker; else the session's; else (reconnect) the current one. */
  name: string | null;
  scopes: string[];
  tokens: TokenSet;
}

/**
 * Creates the session's integration, or brings an existing one (a reconnect, or a second finish of
 * the same session) back to `active` with new tokens. The tokens go to the integration's
 * TokenRefresher first and the record is written last, so there is never a record without tokens.
 * An existing integration keeps its site: consent for another site is refused, not swapped in.
 */
export async function finishConnection(env: Env, connection: Connection): Promise<IntegrationRecord> {
  const { session, site } = connection;
  const fail = (code: ConstructorParameters<typeof ConnectError>[0]) =>
    new ConnectError(code, session.return_url);
  const id = session.integration_id;
  const existing = await readIntegration(env.CONFLUENCE_KV, id);
  if (existing && existing.owner_id !== session.owner_id) throw fail('integration_not_found');
  if (session.reconnect && !existing) throw fail('integration_not_found');
  if (existing && existing.site.cloud_id !== site.cloud_id) throw fail('site_mismatch');

  await env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(id)).store(id, connection.tokens);
  forgetAccessToken(id);

  const now = new Date().toISOString();
  const record: IntegrationRecord = {
    id,
    owner_id: session.owner_id,
    name: connection.name ?? session.name ?? existing?.name ?? site.name,
    status: 'active',
    site,
    scopes: connection.scopes,
    // A reconnect renews the grant; it never lifts the limits an operator set.
    policy: existing?.policy ?? OPEN_POLICY,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  await writeIntegration(env.CONFLUENCE_KV, record);
  forgetIntegration(id);
  return record;
}
