import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { TokenRefresher } from '../../../src/vault/token-refresher.ts';
import type { TokenSet } from '../../../src/vault/tokens.ts';

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
