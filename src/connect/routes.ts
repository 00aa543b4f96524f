import type { Context } from 'hono';
import { Hono } from 'hono/quick';
import * as z from 'zod';
import type { AppEnv } from '../auth/caller.ts';
import { serviceAuth } from '../auth/service-auth.ts';
import { signInLimit } from '../auth/sign-in-limit.ts';
import { type Config, requireConfig } from '../config.ts';
import { lifecycleOf } from '../integrations/lifecycle.ts';
import { readIntegration } from '../integrations/records.ts';
import { ApiError } from '../lib/errors.ts';
import { parseWith, readJsonObject } from '../lib/validation.ts';
import { finishMcpAuthorization, showMcpConsent } from '../oauth/authorize.ts';
import {
  type AccessibleResource,
  accessibleResources,
  authorizationUrl,
  exchangeCode,
  isConfluenceSite,
  TokenRequestError,
} from '../vault/atlassian-oauth.ts';
import { sha256Hex, timingSafeEqualText } from '../vault/crypto.ts';
import { bindBrowser, browserHash, readBrowserId } from './browser-binding.ts';
import { CONNECT_ERRORS, ConnectError } from './errors.ts';
import { type Finished, finishConnection } from './finish.ts';
import { connectedPage, errorPage, sitePickerPage } from './pages.tsx';
import { markFinished, type PickableSite, readPending, savePending } from './pending.ts';
import { createSession, readSession, returnUrlWith } from './sessions.ts';
import { consumeState, dropStates, issueState, newState, stateHash } from './state.ts';

/** Settings the browser flow needs end to end. */
const FLOW_SETTINGS = [
  'CONFLUENCE_CLIENT_ID',
  'CONFLUENCE_CLIENT_SECRET',
  'CONFLUENCE_OAUTH_SCOPE',
  'CONFLUENCE_REDIRECT_URI',
  'TOKEN_ENCRYPTION_KEYS',
  'ATLASSIAN_AUTH_BASE_URL',
  'ATLASSIAN_API_BASE_URL',
] as const;
type FlowConfig = Pick<Config, (typeof FLOW_SETTINGS)[number]>;

// ---------------------------------------------------------------------------------------------------
// POST /api/v1/connect-sessions
// ---------------------------------------------------------------------------------------------------

/** POST /api/v1/connect-sessions (mounted at /api/v1/connect-sessions). */
export const connectSessionRoutes = new Hono<AppEnv>();

const CreateSessionBody = z.object({
  owner_id: z
    .string('required: the id of the user or tenant the integration belongs to')
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'at most 200 characters')
    .refine(
      (owner) => !/^atlassian:/i.test(owner),
      'owner ids starting "atlassian:" are reserved for integrations an MCP client connects by signing in with Atlassian; use your own user or tenant id',
    ),
  name: z.string().trim().min(1, 'must not be empty; leave it out to ask the user').max(200).optional(),
  return_url: z
    .url({
      protocol: /^https?$/,
      error: 'must be an absolute http(s) URL, e.g. https://app.example.com/done',
    })
    .optional(),
  integration_id: z
    .string()
    .min(1, 'must not be empty; leave it out to connect a new integration')
    .optional(),
  require_confirmation: z.boolean('must be true or false').optional(),
  allow_account_change: z.boolean('must be true or false').optional(),
});

connectSessionRoutes.post('/', serviceAuth, async (c) => {
  const config = requireConfig(c.env, FLOW_SETTINGS);
  const body = parseWith(CreateSessionBody, await readJsonObject(c));
  if (body.require_confirmation && body.integration_id !== undefined) {
    throw new ApiError(
      'invalid_request',
      'require_confirmation applies to new integrations only: leave it out when reconnecting (a reconnect keeps the integration and must grant the same site).',
    );
  }
  if (body.allow_account_change !== undefined && body.integration_id === undefined) {
    throw new ApiError(
      'invalid_request',
      'allow_account_change applies to reconnects only: send it with the integration_id to reconnect (a new integration records whichever Atlassian account consents).',
    );
  }
  if (body.require_confirmation && body.return_url === undefined) {
    throw new ApiError(
      'invalid_request',
      'require_confirmation needs a return_url: the confirmation code is handed to your backend there.',
    );
  }
  if (body.integration_id !== undefined) {
    const record = await readIntegration(c.env.CONFLUENCE_KV, body.integration_id);
    if (!record) {
      throw new ApiError(
        'integration_not_found',
        `No integration ${body.integration_id} to reconnect. Leave integration_id out to connect a new one.`,
      );
    }
    if (record.owner_id !== body.owner_id) {
      throw new ApiError(
        'invalid_request',
        `Integration ${body.integration_id} belongs to another owner than ${body.owner_id}; send its own owner_id to reconnect it.`,
      );
    }
    if (record.status === 'pending_confirmation') {
      throw new ApiError(
        'invalid_request',
        `Integration ${body.integration_id} awaits confirmation: confirm it with POST /api/v1/integrations/${body.integration_id}/confirm, or connect a new one.`,
      );
    }
  }
  const { id, session } = await createSession(c.env.CONFLUENCE_KV, body);
  const connectUrl = new URL('/integrations/confluence/connect', config.CONFLUENCE_REDIRECT_URI);
  connectUrl.searchParams.set('session', id);
  return c.json(
    { id, connect_url: connectUrl.toString(), expires_at: new Date(session.expires_at).toISOString() },
    201,
  );
});

// ---------------------------------------------------------------------------------------------------
// Browser routes: connect → Atlassian consent → callback → (site picker → finalize)
// ---------------------------------------------------------------------------------------------------

/** Browser routes of the OAuth connect flow (mounted at /integrations/confluence). */
export const connectRoutes = new Hono<AppEnv>();

// Pages with one-time values (state, codes, pending ids): never cached, never framed, no referrer.
// Named path by path: the webhook receiver is mounted under this sub-app's prefix, and a `use()` over
// the whole sub-app would reach its answers or not depending on the order of the mounts.
for (const path of ['/connect', '/callback', '/finalize']) {
  connectRoutes.use(path, async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
    c.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
}

connectRoutes.get('/connect', signInLimit, async (c) => {
  const config = requireConfig(c.env, FLOW_SETTINGS);
  // The cookie must be set on the host Atlassian will send the browser back to.
  const canonical = new URL(config.CONFLUENCE_REDIRECT_URI).origin;
  const here = new URL(c.req.url);
  if (here.origin !== canonical) return c.redirect(`${canonical}${here.pathname}${here.search}`, 302);

  const session = await readSession(c.env.CONFLUENCE_KV, c.req.query('session') ?? '');
  if (!session) throw new ConnectError('session_not_found');
  const browserId = await bindBrowser(c, config.TOKEN_ENCRYPTION_KEYS);
  const state = newState();
  const lifecycle = lifecycleOf(c.env, session.integration_id);
  const admission = await lifecycle.admitState(
    session.integration_id,
    session.session_hash,
    await stateHash(state),
  );
  if (!admission.ok) {
    throw new ConnectError(
      admission.reason === 'used' ? 'session_used' : 'integration_not_found',
      session.return_url,
    );
  }
  await dropStates(c.env.CONFLUENCE_KV, admission.evicted);
  await issueState(c.env.CONFLUENCE_KV, state, session, await browserHash(browserId));
  return c.redirect(authorizationUrl(config, state).toString(), 302);
});

connectRoutes.get('/callback', async (c) => {
  const config = requireConfig(c.env, FLOW_SETTINGS);
  const kv = c.env.CONFLUENCE_KV;
  const query = c.req.query();

  const flow = query.state ? await consumeState(kv, query.state) : null;
  if (flow === 'used') throw new ConnectError('link_used');
  if (!flow) throw new ConnectError('invalid_state');
  const { session } = flow;
  const fail = (code: ConstructorParameters<typeof ConnectError>[0]) =>
    new ConnectError(code, session.return_url);
  if (flow.expires_at <= Date.now()) throw fail('invalid_state');
  // KV has no atomic take: the lifecycle object's list of the session's states decides.
  const taken = await lifecycleOf(c.env, session.integration_id).takeState(
    session.session_hash,
    await stateHash(query.state as string),
  );
  if (taken === 'deleted') throw fail('integration_not_found');
  if (taken === 'used') throw fail('session_used');
  if (taken !== 'taken') throw fail('invalid_state');
  if (!(await isSameBrowser(c, config, flow.browser))) throw fail('invalid_state');
  if (query.error) throw fail(query.error === 'access_denied' ? 'access_denied' : 'authorization_failed');
  if (!query.code) throw fail('authorization_failed');

  let sites: AccessibleResource[];
  let grant: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    grant = await exchangeCode(config, query.code);
    sites = (await accessibleResources(config.ATLASSIAN_API_BASE_URL, grant.accessToken)).filter(
      isConfluenceSite,
    );
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    console.warn(JSON.stringify({ event: 'connect_exchange_failed', kind: error.kind }));
    throw fail('exchange_failed');
  }
  if (!grant.refreshToken) throw fail('missing_offline_access');
  if (sites.length === 0) throw fail('no_confluence_site');

  const tokens = {
    refresh_token: grant.refreshToken,
    access_token: grant.accessToken,
    access_expires_at: grant.accessExpiresAt,
  };
  const scopes = grant.scopes.length > 0 ? grant.scopes : (sites[0]?.scopes ?? []);
  const pickable = sites.map(toPickableSite);
  // An MCP client's sign-in: the consent page names the client and picks the site (oauth/authorize.ts).
  if (session.mcp) return showMcpConsent(c, session.mcp, { flow, session, sites: pickable, scopes, tokens });

  // A reconnect (or a repeat of a session that already made its integration) keeps its site.
  const existing = await readIntegration(kv, session.integration_id);
  if (session.reconnect || existing) {
    const site = pickable.find((candidate) => candidate.cloud_id === existing?.site.cloud_id);
    if (session.reconnect && !existing) throw fail('integration_not_found');
    if (!site) throw fail('site_mismatch');
    const result = await finishConnection(c.env, {
      session,
      site,
      name: null,
      scopes,
      tokens,
      finisher: await stateHash(query.state as string),
    });
    return finished(c, result, session.return_url);
  }
  const [onlySite] = pickable;
  if (pickable.length === 1 && onlySite && session.name) {
    const result = await finishConnection(c.env, {
      session,
      site: onlySite,
      name: null,
      scopes,
      tokens,
      finisher: await stateHash(query.state as string),
    });
    return finished(c, result, session.return_url);
  }

  const pendingId = await savePending(kv, config.TOKEN_ENCRYPTION_KEYS, {
    session,
    browser: flow.browser,
    sites: pickable,
    scopes,
    tokens,
  });
  return c.html(sitePickerPage({ pendingId, sites: pickable, name: session.name ?? '' }), 200);
});

connectRoutes.post('/finalize', async (c) => {
  const config = requireConfig(c.env, FLOW_SETTINGS);
  const kv = c.env.CONFLUENCE_KV;
  const form = await readForm(c);
  const pendingId = form.pending;
  if (!pendingId) throw new ConnectError('invalid_request');
  const pending = await readPending(kv, config.TOKEN_ENCRYPTION_KEYS, pendingId);
  // Another browser's form gets the same answer as an expired one: nothing to act on here.
  if (!pending || !(await isSameBrowser(c, config, pending.browser)))
    throw new ConnectError('connection_expired');

  if (pending.status === 'finished') {
    const record = await readIntegration(kv, pending.integration_id);
    if (!record) throw new ConnectError('integration_not_found', pending.return_url);
    return finished(c, { record }, pending.return_url);
  }

  if (pending.session.mcp) return finishMcpAuthorization(c, pending.session.mcp, pendingId, pending, form);

  const name = (form.name ?? '').trim();
  const site = pending.sites.find((candidate) => candidate.cloud_id === form.site_id);
  const problem = !site
    ? 'Choose one of the Confluence sites below.'
    : name === ''
      ? 'Type a name for the integration.'
      : name.length > 200
        ? 'The name is too long: use at most 200 characters.'
        : undefined;
  if (problem || !site) {
    const page = sitePickerPage({
      pendingId,
      sites: pending.sites,
      name,
      selected: site?.cloud_id,
      error: problem,
    });
    return c.html(page, 400);
  }

  const result = await finishConnection(c.env, {
    session: pending.session,
    site,
    name,
    scopes: pending.scopes,
    tokens: pending.tokens,
    finisher: await sha256Hex(`pending:${pendingId}`),
  });
  await markFinished(kv, pendingId, pending, result.record.id);
  return finished(c, result, pending.session.return_url);
});

/** Turns a failed flow into a redirect to the application (`error=<code>`) or an error page. */
connectRoutes.onError((error, c) => {
  if (error instanceof ConnectError) {
    if (error.returnUrl) return c.redirect(returnUrlWith(error.returnUrl, { error: error.code }), 302);
    const { status, title, advice } = CONNECT_ERRORS[error.code];
    return c.html(errorPage({ title, advice, code: error.code }), status);
  }
  if (error instanceof ApiError && (error.code === 'misconfigured' || error.code === 'rate_limited')) {
    const page = errorPage({
      title: error.code === 'rate_limited' ? 'Too many attempts' : 'Connecting is not available',
      advice: `${error.message}${error.code === 'misconfigured' ? ' Try again later.' : ''}`,
      code: error.code,
    });
    const headers: Record<string, string> =
      error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
    return c.html(page, error.code === 'rate_limited' ? 429 : 503, headers);
  }
  console.error(JSON.stringify({ event: 'connect_flow_error', route: c.req.routePath, error: error.name }));
  const page = errorPage({
    title: 'Something went wrong',
    advice: 'The gateway failed unexpectedly. Start connecting again in a minute.',
    code: 'internal_error',
  });
  return c.html(page, 500);
});

// ---------------------------------------------------------------------------------------------------

async function isSameBrowser(c: Context, config: FlowConfig, expectedHash: string): Promise<boolean> {
  const browserId = await readBrowserId(c, config.TOKEN_ENCRYPTION_KEYS);
  return browserId !== undefined && timingSafeEqualText(await browserHash(browserId), expectedHash);
}

/**
 * The end of a flow: back to the application with the integration id (and, for an integration
 * awaiting confirmation, its one-time code), or a success page.
 */
function finished(c: Context<AppEnv>, { record, confirmation }: Finished, returnUrl: string | null) {
  if (returnUrl) {
    const params: Record<string, string> =
      record.status === 'pending_confirmation'
        ? { integration_id: record.id, status: 'pending_confirmation', ...(confirmation && { confirmation }) }
        : { integration_id: record.id, status: 'connected' };
    return c.redirect(returnUrlWith(returnUrl, params), 302);
  }
  return c.html(connectedPage({ record }), 200);
}

function toPickableSite(resource: AccessibleResource): PickableSite {
  return { cloud_id: resource.id, url: resource.url, name: resource.name };
}

/** The urlencoded (or multipart) form of a POST; anything else reads as an empty form. */
async function readForm(c: Context): Promise<Record<string, string | undefined>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  // A malformed body reads as an empty form, which the caller answers with its "incomplete" page.
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    pending: text(body.pending),
    site_id: text(body.site_id),
    name: text(body.name),
    decision: text(body.decision),
  };
}
