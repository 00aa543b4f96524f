import { Hono } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { EmulatorState } from '../state.ts';

/** The token endpoint takes JSON or a form, as Atlassian's does. */
function parseTokenRequest(text: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) {
    try {
      const parsed = JSON.parse(text);
      return parsed && typeof parsed === 'object' ? parsed : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/**
 * Client credentials from the body, or from HTTP Basic (RFC 6749 §2.3.1), which generic OAuth
 * clients such as arctic's `OAuth2Client` send. Atlassian documents only the body form.
 */
function clientCredentials(body: Record<string, unknown>, authorization: string | undefined) {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

export function tokenRoutes(state: EmulatorState) {
  const app = new Hono<EmulatorEnv>();

  app.post('/oauth/token', (c) => {
    const body = parseTokenRequest(c.get('rawBody'), c.req.header('content-type'));
    const grantType = body.grant_type;
    if (grantType === 'authorization_code' || grantType === 'refresh_token')
      state.stats.token_requests[grantType]++;
    else state.stats.token_requests.other++;

    const fail = (status: 400 | 401 | 403, error: string, error_description: string) => {
      state.stats.token_failures++;
      return c.json({ error, error_description }, status);
    };

    const { clientId, clientSecret } = clientCredentials(body, c.req.header('authorization'));
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return fail(400, 'unsupported_grant_type', `Unsupported grant type: ${String(grantType ?? '')}`);
    }
    const client = state.clients.authenticate(clientId, clientSecret);
    if (!client) return fail(401, 'access_denied', 'Unauthorized');

    const result =
      grantType === 'authorization_code'
        ? state.grants.redeemCode(body.code, client.client_id, body.redirect_uri)
        : state.grants.refresh(body.refresh_token, client.client_id);
    if ('error' in result) return fail(result.status, result.error, result.error_description);
    return c.json(result, 200, { 'Cache-Control': 'no-store' });
  });

  return app;
}
