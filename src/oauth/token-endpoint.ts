import type { Context } from 'hono';
import type { AppEnv } from '../auth/caller.ts';
import { revokeCredential } from '../auth/revocations.ts';
import { kvKeys } from '../kv-keys.ts';
import { sha256Hex } from '../vault/crypto.ts';
import { GRANT_IDLE_TTL_SECONDS, oauthHelpers, serveByLibrary } from './server.ts';

/**
 * `POST /token`: the library's token endpoint (code exchange with the PKCE verifier, refresh,
 * revocation), plus the one rule it leaves out: reusing a refresh token that rotation retired
 * revokes the whole grant (OAuth 2.1 §4.3.1), since either the client or a thief holds a copy.
 *
 * The library keeps two refresh tokens per grant: the current one and the one just replaced, which
 * stays usable until the current one is first used, so a client that lost a refresh answer can
 * retry. A refresh therefore retires at most one token: the previous one when the current is used,
 * or the never-used current one when the client retries with the previous. Its hash (the library's
 * token id, SHA-256) is remembered for the grant's lifetime; presenting it again revokes the grant.
 */
export async function tokenEndpoint(c: Context<AppEnv>): Promise<Response> {
  const kv = c.env.CONFLUENCE_KV;
  const presented = await presentedRefreshToken(c.req.raw);
  const [userId, grantId] = presented?.split(':') ?? [];
  if (!presented || !userId || !grantId) return serveByLibrary(c);

  const presentedId = await sha256Hex(presented);
  const grantKey = `grant:${userId}:${grantId}`;
  const before = await kv.get<{ refreshTokenId?: string; previousRefreshTokenId?: string }>(grantKey, 'json');
  const live =
    before && (presentedId === before.refreshTokenId || presentedId === before.previousRefreshTokenId);
  if (before && !live && (await kv.get(kvKeys.retiredRefreshToken(presentedId))) === grantKey) {
    // Everywhere within seconds, not only once KV forgets the grant (auth/revocations.ts).
    await revokeCredential(c.env, userId, `grant:${grantId}`);
    await (await oauthHelpers(c.env)).revokeGrant(grantId, userId);
    console.warn(JSON.stringify({ event: 'oauth_refresh_reuse', action: 'grant_revoked' }));
    return Response.json(
      {
        error: 'invalid_grant',
        error_description:
          'This refresh token was already used and replaced, so the grant was revoked. Sign in again.',
      },
      // As the library's own token answers: never cached, readable by browser-based clients.
      { status: 400, headers: { 'cache-control': 'no-store', 'access-control-allow-origin': '*' } },
    );
  }

  const response = await serveByLibrary(c);
  if (response.ok && before && live) {
    const retired =
      presentedId === before.refreshTokenId ? before.previousRefreshTokenId : before.refreshTokenId;
    if (retired) {
      await kv.put(kvKeys.retiredRefreshToken(retired), grantKey, { expirationTtl: GRANT_IDLE_TTL_SECONDS });
    }
  }
  return response;
}

/** The refresh token of a `grant_type=refresh_token` form, read from a copy of the body. */
async function presentedRefreshToken(request: Request): Promise<string | undefined> {
  if (request.method !== 'POST') return undefined;
  if (!/^application\/x-www-form-urlencoded/i.test(request.headers.get('content-type') ?? ''))
    return undefined;
  const form = new URLSearchParams(await request.clone().text());
  if (form.get('grant_type') !== 'refresh_token') return undefined;
  return form.get('refresh_token') ?? undefined;
}
