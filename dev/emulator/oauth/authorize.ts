import { Hono } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { EmulatorState } from '../state.ts';
import { consentPage, errorPage } from './consent-page.ts';

const AUTHORIZE_PARAMS = [
  'audience',
  'client_id',
  'scope',
  'redirect_uri',
  'state',
  'response_type',
  'prompt',
];

type AuthorizeRequest = {
  clientName: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
};

/** Checks the parameters; a bad client, audience or redirect gets an error page, never a redirect. */
function validate(state: EmulatorState, params: Record<string, string>): AuthorizeRequest | string {
  const client = state.clients.find(params.client_id);
  if (!client) return 'Invalid client_id: this app is not registered.';
  if (params.audience !== 'api.atlassian.com') return 'Invalid audience: expected api.atlassian.com.';
  if (params.response_type !== 'code') return 'Unsupported response_type: expected code.';
  const redirectUri = params.redirect_uri ?? '';
  if (!URL.canParse(redirectUri)) return 'Invalid redirect_uri.';
  if (client.redirect_uris.length && !client.redirect_uris.includes(redirectUri)) {
    return 'The redirect_uri does not match the callback URL registered for this app.';
  }
  const scopes = (params.scope ?? '').split(/\s+/).filter(Boolean);
  if (!scopes.length) return 'Missing scope.';
  return { clientName: client.name, clientId: client.client_id, redirectUri, scopes, state: params.state };
}

function redirectWith(request: AuthorizeRequest, values: Record<string, string>): string {
  const url = new URL(request.redirectUri);
  for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  return url.toString();
}

function approve(state: EmulatorState, request: AuthorizeRequest): string {
  const code = state.grants.issueCode({
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    // A consent grants every configured site, whatever its product.
    cloudIds: state.sites.map((s) => s.id),
    accountId: state.consentingAccountId,
  });
  return redirectWith(request, { code });
}

/** `GET /authorize` shows the consent page (or approves at once); `POST /authorize` takes the answer. */
export function authorizeRoutes(state: EmulatorState) {
  const app = new Hono<EmulatorEnv>();

  app.get('/authorize', (c) => {
    state.stats.authorize.requests++;
    const params = Object.fromEntries(
      AUTHORIZE_PARAMS.map((k) => [k, c.req.query(k)]).filter(([, v]) => v !== undefined),
    ) as Record<string, string>;
    const request = validate(state, params);
    if (typeof request === 'string') return c.html(errorPage(request), 400);
    if (state.autoApprove) {
      state.stats.authorize.auto_approved++;
      return c.redirect(approve(state, request), 302);
    }
    return c.html(consentPage(request.clientName, request.scopes, state.sites, params));
  });

  app.post('/authorize', async (c) => {
    const form = Object.fromEntries(new URLSearchParams(c.get('rawBody')));
    const request = validate(state, form);
    if (typeof request === 'string') return c.html(errorPage(request), 400);
    if (form.decision === 'allow') {
      state.stats.authorize.approved++;
      return c.redirect(approve(state, request), 302);
    }
    state.stats.authorize.denied++;
    return c.redirect(
      redirectWith(request, {
        error: 'access_denied',
        error_description: 'User did not authorize the request',
      }),
      302,
    );
  });

  return app;
}
