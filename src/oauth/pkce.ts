import type { AuthRequest } from '@cloudflare/workers-oauth-provider';

/**
 * MCP requires PKCE with S256 of every client. The OAuth library lets a confidential client skip
 * PKCE, and whether it accepts `plain` is its own setting, which a later version may change: so the
 * gateway holds the rule itself, on the request as the library parsed it. A `plain` challenge is
 * the verifier itself, and anyone who saw the authorization request could redeem the code.
 *
 * Returns why the request is refused, or undefined when it carries an S256 challenge.
 */
export function pkceRefusal(
  request: Pick<AuthRequest, 'codeChallenge' | 'codeChallengeMethod'>,
): string | undefined {
  if (request.codeChallengeMethod === 'S256' && request.codeChallenge) return undefined;
  return 'PKCE is required: send code_challenge with code_challenge_method=S256.';
}
