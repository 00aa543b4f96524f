import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { forgetAccessToken } from '../../../src/vault/access-token.ts';
import type { TokenRefresher } from '../../../src/vault/token-refresher.ts';
import type { TokenSet } from '../../../src/vault/tokens.ts';
import { connectIntegration } from './connect.ts';
import { emulatorControl } from './http.ts';

/** The integration's TokenRefresher, as the Worker addresses it. */
export function refresher(id: string) {
  return env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(id));
}

/** The tokens the integration's TokenRefresher holds right now. */
export function heldTokens(id: string): Promise<TokenSet> {
  return runInDurableObject(
    refresher(id),
    (instance: TokenRefresher) => (instance as unknown as { tokens: TokenSet }).tokens,
  );
}

/**
 * An integration whose stored access token is already past the refresh point: the emulator issues
 * 60-second tokens for the consent (the gateway refreshes 5 minutes early), then normal 1-hour ones.
 */
export async function integrationWithStaleToken(): Promise<string> {
  await emulatorControl('POST', '/config', { access_token_ttl_seconds: 60 });
  const { id } = await connectIntegration({ preset: 'single', name: 'Wiki' });
  await emulatorControl('POST', '/config', { access_token_ttl_seconds: 3600 });
  forgetAccessToken(id);
  return id;
}
