/**
 * The gateway's own PKCE rule at /authorize, on requests as the OAuth library parses them: S256 is
 * the only method it lets through, whatever the library would accept. (test/gateway/mcp-oauth.test.ts
 * shows the refusal over HTTP, back at the client.)
 */
import { describe, expect, it } from 'vitest';
import { pkceRefusal } from '../../src/oauth/pkce.ts';

describe('pkceRefusal', () => {
  it('lets an S256 challenge through', () => {
    expect(
      pkceRefusal({
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        codeChallengeMethod: 'S256',
      }),
    ).toBeUndefined();
  });

  it.each([
    ['plain', { codeChallenge: 'verifier-itself', codeChallengeMethod: 'plain' }],
    [
      'no method (RFC 7636 reads it as plain)',
      { codeChallenge: 'verifier-itself', codeChallengeMethod: undefined },
    ],
    ['an unknown method', { codeChallenge: 'x', codeChallengeMethod: 'S512' }],
    ['S256 without a challenge', { codeChallenge: undefined, codeChallengeMethod: 'S256' }],
    ['no PKCE at all', { codeChallenge: undefined, codeChallengeMethod: undefined }],
  ])('refuses %s, saying what to send', (_label, request) => {
    expect(pkceRefusal(request)).toMatch(/code_challenge_method=S256/);
  });
});
