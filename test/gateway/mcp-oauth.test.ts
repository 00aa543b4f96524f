import { reset } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../../dev/emulator/users.ts';
import { approveConsent, kvDump } from './support/connect.ts';
import { emulatorControl } from './support/http.ts';
import {
  answerConsent,
  authorizeUrl,
  CLIENT_REDIRECT,
  connectMcpClient,
  exchangeCode,
  grantOf,
  MCP_RESOURCE,
  ORIGIN,
  onHttps,
  pkcePair,
  refresh,
  registerClient,
  serviceOnHttps,
  signInUntilConsent,
  type Tokens,
} from './support/mcp-oauth.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('discovery', () => {
  it('publishes protected-resource metadata naming /mcp and the gateway as its authorization server (RFC 9728)', async () => {
    const response = await onHttps('/.well-known/oauth-protected-resource/mcp');
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      resource: MCP_RESOURCE,
      authorization_servers: [ORIGIN],
      scopes_supported: ['confluence'],
      bearer_methods_supported: ['header'],
    });
  });

  it('publishes authorization-server metadata with S256 only, its grant types and scopes (RFC 8414)', async () => {
    const response = await onHttps('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/authorize`,
      token_endpoint: `${ORIGIN}/token`,
      registration_endpoint: `${ORIGIN}/register`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
      response_types_supported: ['code'],
      scopes_supported: ['confluence'],
      client_id_metadata_document_supported: true,
    });
  });

  it('answers 503 misconfigured when the gateway is on plain http away from loopback', async () => {
    // The suite's default gateway is http://gateway.test.
    const { gateway } = await import('./support/http.ts');
    const response = await gateway('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(503);
    expect(await json(response)).toMatchObject({ error: { code: 'misconfigured' } });
  });
});

describe('client registration', () => {
  it('registers a client with an https or a loopback http redirect URI (RFC 7591)', async () => {
    const client = await registerClient({
      redirect_uris: ['https://client.example/callback', 'http://localhost:4567/cb'],
    });
    expect(client.client_id).toMatch(/\S{8,}/);
    expect(client.client_name).toBe('Test MCP client');
  });

  it('refuses a client whose only redirect URI is plain http on another host', async () => {
    const response = await onHttps('/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'x',
        redirect_uris: ['http://evil.example/cb'],
        token_endpoint_auth_method: 'none',
      }),
    });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatch(/^invalid_(redirect_uri|client_metadata)$/);
  });

  it('refuses a Client ID Metadata Document that cannot be fetched, on a page, without redirecting', async () => {
    const { challenge } = await pkcePair();
    const response = await onHttps(authorizeUrl('https://client.invalid/oauth/client.json', challenge));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('metadata document');
  });
});

describe('authorization', () => {
  it('refuses a request without PKCE S256, even from a confidential client, back at the client', async () => {
    // The library would let a client with a secret skip PKCE; the gateway requires it of every client.
    const client = await registerClient({ token_endpoint_auth_method: 'client_secret_post' });
    const response = await onHttps(authorizeUrl(client.client_id, undefined));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(CLIENT_REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('client-state-1');
  });

  it.each(['plain', 'S512', 's256'])(
    'refuses code_challenge_method=%s back at the client: S256 is the only method, even where the library accepts another',
    async (method) => {
      // A "plain" challenge is the verifier itself: whoever sees the authorization request could redeem the code.
      const client = await registerClient({ token_endpoint_auth_method: 'client_secret_post' });
      const { verifier } = await pkcePair();
      const response = await onHttps(
        authorizeUrl(client.client_id, undefined, {
          code_challenge: verifier,
          code_challenge_method: method,
        }),
      );
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') as string);
      expect(location.origin + location.pathname).toBe(CLIENT_REDIRECT);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('client-state-1');
      expect(location.searchParams.has('code')).toBe(false);
    },
  );

  it('refuses a foreign redirect URI on a page and never redirects to it', async () => {
    const client = await registerClient();
    const { challenge } = await pkcePair();
    const response = await onHttps(
      authorizeUrl(client.client_id, challenge, { redirect_uri: 'https://attacker.example/callback' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('signs in through Atlassian, names the client on the consent page and returns a code to it', async () => {
    const client = await registerClient({ client_name: 'Claude <Desktop>' });
    const { verifier, challenge } = await pkcePair();
    const page = await signInUntilConsent(authorizeUrl(client.client_id, challenge), 'default');
    expect(page.html).toContain('<strong>Claude &lt;Desktop&gt;</strong>');
    expect(page.html).toContain('127.0.0.1');
    expect(page.siteIds).toHaveLength(2);

    const back = await answerConsent(page, 'allow', page.siteIds[1]);
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(CLIENT_REDIRECT);
    expect(location.searchParams.get('state')).toBe('client-state-1');
    expect(location.searchParams.get('iss')).toBe(ORIGIN);

    const answer = await exchangeCode(
      client.client_id,
      location.searchParams.get('code') as string,
      verifier,
    );
    expect(answer.status).toBe(200);
    const tokens = await json<Tokens>(answer);
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      expires_in: 600,
      scope: 'confluence',
      resource: MCP_RESOURCE,
    });
    expect(tokens.refresh_token).toBeTruthy();

    // The grant is bound to the integration of the consenting account and the chosen site.
    const { integrationId } = grantOf(tokens.access_token);
    const record = await json(await serviceOnHttps('GET', `/api/v1/integrations/${integrationId}`));
    expect(record).toMatchObject({
      owner_id: `atlassian:${USERS.current.accountId}`,
      status: 'active',
      site: { cloud_id: page.siteIds[1] },
    });
  });

  it('reuses the integration of the same account and site for a second client', async () => {
    const first = await connectMcpClient({ preset: 'single', clientName: 'First client' });
    const second = await connectMcpClient({ preset: 'single', clientName: 'Second client' });
    const id = grantOf(first.tokens.access_token).integrationId;
    expect(grantOf(second.tokens.access_token).integrationId).toBe(id);
    const listed = await json<{ integrations: unknown[] }>(
      await serviceOnHttps(
        'GET',
        `/api/v1/integrations?owner_id=${encodeURIComponent(`atlassian:${USERS.current.accountId}`)}`,
      ),
    );
    expect(listed.integrations).toHaveLength(1);
    const grants = await json<{ grants: { client_name: string }[] }>(
      await serviceOnHttps('GET', `/api/v1/integrations/${id}/mcp-grants`),
    );
    expect(grants.grants.map((grant) => grant.client_name).sort()).toEqual(['First client', 'Second client']);
  });

  it('sends a denial at Atlassian back to the client with its state, and connects nothing', async () => {
    const client = await registerClient();
    const { challenge } = await pkcePair();
    await emulatorControl('POST', '/config', { auto_approve: false, site_preset: 'single' });
    const connect = await onHttps(
      (await onHttps(authorizeUrl(client.client_id, challenge))).headers.get('location') as string,
    );
    const cookie = (connect.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const callbackUrl = await approveConsent(connect.headers.get('location') as string, 'deny');
    const back = await onHttps(callbackUrl, { headers: { cookie } });
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(CLIENT_REDIRECT);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('client-state-1');
    expect(location.searchParams.get('iss')).toBe(ORIGIN);
  });

  it('sends a denial on the consent page back to the client as access_denied and connects nothing', async () => {
    const client = await registerClient();
    const { challenge } = await pkcePair();
    const page = await signInUntilConsent(authorizeUrl(client.client_id, challenge), 'single');
    const back = await answerConsent(page, 'deny');
    const location = new URL(back.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('client-state-1');
    expect(location.searchParams.get('code')).toBeNull();
    const owned = await json<{ integrations: unknown[] }>(
      await serviceOnHttps(
        'GET',
        `/api/v1/integrations?owner_id=${encodeURIComponent(`atlassian:${USERS.current.accountId}`)}`,
      ),
    );
    expect(owned.integrations).toEqual([]);
  });
});

describe('tokens', () => {
  async function codeFor(): Promise<{ clientId: string; code: string; verifier: string }> {
    const client = await registerClient();
    const { verifier, challenge } = await pkcePair();
    const page = await signInUntilConsent(authorizeUrl(client.client_id, challenge), 'single');
    const back = await answerConsent(page, 'allow');
    const code = new URL(back.headers.get('location') as string).searchParams.get('code') as string;
    return { clientId: client.client_id, code, verifier };
  }

  it('refuses a code with the wrong PKCE verifier', async () => {
    const { clientId, code } = await codeFor();
    const answer = await exchangeCode(clientId, code, (await pkcePair()).verifier);
    expect(answer.status).toBe(400);
    expect(await json(answer)).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a replayed code', async () => {
    const { clientId, code, verifier } = await codeFor();
    expect((await exchangeCode(clientId, code, verifier)).status).toBe(200);
    const replay = await exchangeCode(clientId, code, verifier);
    expect(replay.status).toBe(400);
    expect(await json(replay)).toMatchObject({ error: 'invalid_grant' });
  });

  it('rotates refresh tokens, and reuse of a retired one revokes the grant', async () => {
    const { clientId, tokens } = await connectMcpClient({ preset: 'single' });
    const second = await json<Tokens>(await refresh(clientId, tokens.refresh_token));
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    const third = await json<Tokens>(await refresh(clientId, second.refresh_token));
    expect(third.access_token).toBeTruthy();

    // The first token was replaced, and its replacement used: presenting it again is a theft signal.
    const reuse = await refresh(clientId, tokens.refresh_token);
    expect(reuse.status).toBe(400);
    expect(await json(reuse)).toMatchObject({ error: 'invalid_grant' });
    // The whole grant is gone: the newest refresh token no longer works either.
    const after = await refresh(clientId, third.refresh_token);
    expect(after.status).toBe(400);
    const { integrationId } = grantOf(tokens.access_token);
    expect(
      await json(await serviceOnHttps('GET', `/api/v1/integrations/${integrationId}/mcp-grants`)),
    ).toEqual({
      grants: [],
    });
  });

  it('lets a client retry with the refresh token it just used until the new one is used', async () => {
    const { clientId, tokens } = await connectMcpClient({ preset: 'single' });
    expect((await refresh(clientId, tokens.refresh_token)).status).toBe(200);
    const retry = await refresh(clientId, tokens.refresh_token);
    expect(retry.status).toBe(200);
    expect((await refresh(clientId, (await json<Tokens>(retry)).refresh_token)).status).toBe(200);
  });

  it('stores no token in plaintext and keeps the grant’s props encrypted', async () => {
    const { tokens } = await connectMcpClient({ preset: 'single' });
    const dump = [...(await kvDump()).entries()].map(([key, value]) => `${key}=${value}`).join('\n');
    for (const secret of [tokens.access_token, tokens.refresh_token]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.split(':')[2]);
    }
    const grant = [...(await kvDump()).entries()].find(([key]) => key.startsWith('grant:'))?.[1] ?? '';
    expect(grant).toContain('encryptedProps');
    expect(grant).not.toContain('integration_id');
  });

  it('is not accepted on the REST API or the service API', async () => {
    const { tokens } = await connectMcpClient({ preset: 'single' });
    const { integrationId } = grantOf(tokens.access_token);
    const headers = { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' };
    const tool = await onHttps(`/api/v1/integrations/${integrationId}/tools/get_confluence_spaces`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    expect(tool.status).toBe(401);
    const service = await onHttps(`/api/v1/integrations/${integrationId}`, { headers });
    expect(service.status).toBe(401);
  });
});

describe('grants of an integration', () => {
  it('lists them with client name, creation and last use, and revokes one', async () => {
    const { clientId, tokens } = await connectMcpClient({ preset: 'single', clientName: 'Cursor' });
    const { integrationId, grantId } = grantOf(tokens.access_token);
    const listed = await json<{ grants: Record<string, unknown>[] }>(
      await serviceOnHttps('GET', `/api/v1/integrations/${integrationId}/mcp-grants`),
    );
    expect(listed.grants).toEqual([
      {
        id: grantId,
        client_id: clientId,
        client_name: 'Cursor',
        created_at: expect.any(String),
        last_used_at: null,
        expires_at: expect.any(String),
      },
    ]);
    expect(
      (await serviceOnHttps('DELETE', `/api/v1/integrations/${integrationId}/mcp-grants/${grantId}`)).status,
    ).toBe(204);
    expect((await refresh(clientId, tokens.refresh_token)).status).toBe(400);
    const again = await serviceOnHttps(
      'DELETE',
      `/api/v1/integrations/${integrationId}/mcp-grants/${grantId}`,
    );
    expect(again.status).toBe(404);
  });

  it('revokes them when the integration is deleted', async () => {
    const { clientId, tokens } = await connectMcpClient({ preset: 'single' });
    const { integrationId } = grantOf(tokens.access_token);
    expect((await serviceOnHttps('DELETE', `/api/v1/integrations/${integrationId}`)).status).toBe(204);
    const answer = await refresh(clientId, tokens.refresh_token);
    expect(answer.status).toBe(400);
    expect(await json(answer)).toMatchObject({ error: 'invalid_grant' });
    const grants = [...(await kvDump()).keys()].filter(
      (key) => key.startsWith('grant:') || key.startsWith('token:'),
    );
    expect(grants).toEqual([]);
  });
});

describe('the MCP door', () => {
  const mcpRequest = (path: string, token?: string) =>
    onHttps(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });

  it('answers an unauthenticated /mcp with 401 and the protected-resource metadata to discover', async () => {
    const response = await mcpRequest('/mcp');
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain(`resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/mcp"`);
    expect(challenge).toContain('scope="confluence"');
  });

  it('does not send MCP clients to sign in from an integration’s own MCP route', async () => {
    const { tokens } = await connectMcpClient({ preset: 'single' });
    const { integrationId } = grantOf(tokens.access_token);
    const response = await mcpRequest(`/api/v1/integrations/${integrationId}/mcp`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).not.toContain('resource_metadata');
  });

  it('refuses an OAuth token on any integration route, its own or another’s: it is bound to /mcp', async () => {
    const { tokens } = await connectMcpClient({ preset: 'default', siteIndex: 0 });
    const other = await connectMcpClient({ preset: 'default', siteIndex: 1 });
    const own = grantOf(tokens.access_token).integrationId;
    const foreign = grantOf(other.tokens.access_token).integrationId;
    expect(foreign).not.toBe(own);
    expect((await mcpRequest(`/api/v1/integrations/${foreign}/mcp`, tokens.access_token)).status).toBe(401);
    expect((await mcpRequest(`/api/v1/integrations/${own}/mcp`, tokens.access_token)).status).toBe(401);
  });

  it('answers 401 to the token of a deleted integration', async () => {
    const { tokens } = await connectMcpClient({ preset: 'single' });
    const { integrationId } = grantOf(tokens.access_token);
    expect((await serviceOnHttps('DELETE', `/api/v1/integrations/${integrationId}`)).status).toBe(204);
    const response = await mcpRequest('/mcp', tokens.access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('records when a grant was last used at /mcp', async () => {
    const { tokens } = await connectMcpClient({ preset: 'single' });
    const { integrationId } = grantOf(tokens.access_token);
    const response = await mcpRequest('/mcp', tokens.access_token);
    expect(response.status).not.toBe(401);
    const { grants } = await json<{ grants: { last_used_at: string | null }[] }>(
      await serviceOnHttps('GET', `/api/v1/integrations/${integrationId}/mcp-grants`),
    );
    expect(grants[0]?.last_used_at).toEqual(expect.any(String));
  });
});
