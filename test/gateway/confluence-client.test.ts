import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/vault/crypto.ts';
import { connectIntegration } from './support/connect.ts';
import { emulatorControl, SERVICE_TOKEN } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  injectFault,
  SEED,
} from './support/tools.ts';
import { heldTokens } from './support/vault.ts';
import { gatewayWith } from './support/webhooks.ts';

/**
 * A tool call under CONFLUENCE_TIMEOUT_MS=3000 (the default is 15 s), set for this call only: the
 * emulator answers in milliseconds unless a test holds the request back.
 */
async function callToolTimingOutAfter3s(name: string, args: Record<string, unknown>) {
  const response = await gatewayWith(
    { CONFLUENCE_TIMEOUT_MS: '3000' },
    `/api/v1/integrations/${id}/tools/${name}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    },
  );
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  return { status: response.status, body: (await response.json()) as any };
}

/** The requests a `hold` fault still keeps waiting at the emulator. */
async function stillHeld(): Promise<unknown[]> {
  return (await emulatorControl<{ held: unknown[] }>('GET', '/held')).held;
}

const SPACES = '/wiki/api/v2/spaces';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

async function refreshCount(): Promise<number> {
  const stats = await emulatorControl<{ token_requests: { refresh_token: number } }>('GET', '/stats');
  return stats.token_requests.refresh_token;
}

describe('requests', () => {
  it("ask Confluence for JSON and carry this integration's own access token on every call", async () => {
    const other = await connectIntegration({ preset: 'single', ownerId: 'owner-other', name: 'Other' });
    await emulatorControl('DELETE', '/requests');
    await callTool(id, 'get_confluence_spaces', {});
    await callTool(id, 'search_confluence_pages', { cql: 'type = page' });
    await callTool(other.id, 'get_confluence_spaces', {});
    // The emulator logs a bearer token as its fingerprint: sha256: and the first 16 hex digits.
    const bearerOf = async (integrationId: string) =>
      `Bearer sha256:${(await sha256Hex((await heldTokens(integrationId)).access_token)).slice(0, 16)}`;
    const mine = await bearerOf(id);
    expect(mine).not.toBe(await bearerOf(other.id));
    const requests = await confluenceRequests();
    expect(requests.map((request) => request.headers.authorization)).toEqual([
      mine,
      mine,
      await bearerOf(other.id),
    ]);
    for (const request of requests) expect(request.headers.accept).toBe('application/json');
  });
});

describe('rate limits', () => {
  it('waits out a short Retry-After once, inside the call, and succeeds', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 429, retry_after_seconds: 1 });
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(200);
    expect(body.spaces.length).toBeGreaterThan(0);
    const requests = await confluenceRequests();
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    // The retry came no sooner than Retry-After, by the emulator's own clock.
    const [limited, retried] = requests;
    expect(Date.parse(retried?.at ?? '') - Date.parse(limited?.at ?? '')).toBeGreaterThanOrEqual(1000);
  });

  it('hands a long Retry-After to the caller as 429 rate_limited with retry_after_seconds', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 429, retry_after_seconds: 30 });
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(429);
    expect(body.error).toMatchObject({ code: 'rate_limited', retryable: true, retry_after_seconds: 30 });
    expect(body.error.message).toMatch(/30 s/);
    expect(await confluenceRequests()).toHaveLength(1);
  });

  it('retries only once: a second 429 goes to the caller', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 429, retry_after_seconds: 1, times: 2 });
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(429);
    expect(body.error.retry_after_seconds).toBe(1);
    expect(await confluenceRequests()).toHaveLength(2);
  });

  it('waits out a 503 with a short Retry-After on a read, once, and succeeds', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 503, retry_after_seconds: 1 });
    const { status } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(200);
    expect((await confluenceRequests()).map((r) => r.status)).toEqual([503, 200]);
  });

  it('treats a 503 as rate_limited, and assumes 5 s when there is no Retry-After', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 503, headers: { 'Retry-After': '' } });
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(429);
    expect(body.error).toMatchObject({ code: 'rate_limited', retryable: true, retry_after_seconds: 5 });
    expect(body.error.message).toMatch(/temporarily unavailable/);
    expect(await confluenceRequests()).toHaveLength(1);
  });

  it('does not repeat a create that got a 503, since Confluence may have applied it', async () => {
    await injectFault({
      match: { method: 'POST', path_contains: '/pages' },
      status: 503,
      retry_after_seconds: 1,
    });
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Once only',
      body: 'x',
    });
    expect(status).toBe(429);
    expect(body.error.code).toBe('rate_limited');
    expect((await confluenceRequests()).filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('broken answers', () => {
  it('turns a 5xx into 502 upstream_error, retryable', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 500 });
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_error', retryable: true });
  });

  it('turns malformed JSON in a 200 into 502 upstream_error', async () => {
    await injectFault({
      match: { path_contains: `/pages/${SEED.pages.architecture}` },
      malformed_json: true,
    });
    const { status, body } = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it('reads an HTML error page without quoting it', async () => {
    await injectFault({
      match: { path_contains: SPACES },
      status: 502,
      text: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    });
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(502);
    expect(body.error.code).toBe('upstream_error');
    expect(body.error.message).not.toContain('<html>');
  });

  it('answers 504 upstream_timeout when Confluence is slower than the timeout', async () => {
    // The request is held at the emulator until the next reset: the answer can only be the timeout.
    await injectFault({ match: { path_contains: SPACES }, hold: true });
    const { status, body } = await callToolTimingOutAfter3s('get_confluence_spaces', {});
    expect(status).toBe(504);
    expect(body.error).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect(await stillHeld()).toHaveLength(1);
  });

  it('leave a call abandoned on timeout out of the request log once it is cleared, however late that call lands', async () => {
    await injectFault({ match: { path_contains: SPACES }, hold: true });
    expect((await callToolTimingOutAfter3s('get_confluence_spaces', {})).status).toBe(504);
    // The next test starts: it clears the log, and only then does the abandoned call end.
    await clearRequestLog();
    expect(await emulatorControl('POST', '/held/release')).toEqual({ released: 1 });
    await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    const paths = (await confluenceRequests()).map((request) => request.path.replace(/^.*\/wiki/, ''));
    expect(paths).toEqual([`/api/v2/pages/${SEED.pages.architecture}`]);
  });

  it('warns that a timed-out write may have been applied', async () => {
    await injectFault({ match: { method: 'POST', path_contains: '/footer-comments' }, hold: true });
    const { status, body } = await callToolTimingOutAfter3s('add_confluence_comment', {
      page_id: SEED.pages.architecture,
      comment: 'slow',
    });
    expect(status).toBe(504);
    expect(await stillHeld()).toHaveLength(1);
    expect(body.error.message).toMatch(/may or may not have been applied/);
  });

  it('maps 403 to forbidden and 413 to invalid_arguments naming the 5 MB limit', async () => {
    await injectFault({ match: { method: 'POST', path_contains: '/footer-comments' }, status: 403 });
    const denied = await callTool(id, 'add_confluence_comment', {
      page_id: SEED.pages.architecture,
      comment: 'x',
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    await injectFault({ match: { method: 'POST', path_contains: '/pages' }, status: 413 });
    const big = await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'Big', body: 'x' });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('invalid_arguments');
    expect(big.body.error.message).toMatch(/5 MB/);
  });
});

describe('access tokens', () => {
  it('refreshes once and retries when Confluence rejects an expired access token', async () => {
    await callTool(id, 'get_confluence_spaces', {});
    const before = await refreshCount();
    await emulatorControl('POST', '/tokens/expire', {});
    await emulatorControl('DELETE', '/requests');
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(await refreshCount()).toBe(before + 1);
    // Atlassian answers an expired token's v2 call with 404, not 401 (docs/reference/atlassian/FACTS.md).
    const calls = (await confluenceRequests()).filter((request) => request.path.endsWith(SPACES));
    expect(calls.map((r) => r.status)).toEqual([404, 200]);
  });

  it('reads a text/plain 401 as a rejected token too', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 401, text: 'Unauthorized' });
    const before = await refreshCount();
    const { status } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(200);
    expect(await refreshCount()).toBe(before + 1);
  });

  it('gives up after one refresh: a second 401 asks for a reconnect', async () => {
    await injectFault({ match: { path_contains: SPACES }, status: 401, times: 2 });
    const before = await refreshCount();
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'needs_reauth', retryable: false });
    expect(body.error.message).toMatch(/reconnect/);
    expect(await refreshCount()).toBe(before + 1);
    // Only this call's requests: a timed-out call of an earlier test is logged when its 6 s delay ends.
    const calls = (await confluenceRequests()).filter((request) => request.path.endsWith(SPACES));
    expect(calls.map((request) => request.status)).toEqual([401, 401]);
  });

  it('names the missing scope on a scope failure, without refreshing', async () => {
    await injectFault({
      match: { path_contains: '/footer-comments' },
      status: 401,
      body: { code: 401, message: 'Unauthorized; scope does not match' },
    });
    const before = await refreshCount();
    const { status, body } = await callTool(id, 'add_confluence_comment', {
      page_id: SEED.pages.architecture,
      comment: 'x',
    });
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: 'forbidden', required_scope: 'write:comment:confluence' });
    expect(body.error.message).toMatch(/write:comment:confluence/);
    expect(await refreshCount()).toBe(before);
  });
});

describe('endpoints Atlassian has removed', () => {
  it('a 410 from CQL search is upstream_gone: names the operation, says the gateway needs an update, not retryable', async () => {
    await emulatorControl('POST', '/config', {
      removed_endpoints: [{ path_contains: '/wiki/rest/api/search' }],
    });
    const { status, body } = await callTool(id, 'search_confluence_pages', { cql: 'type = page' });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({
      code: 'upstream_gone',
      retryable: false,
      operation: 'GET /wiki/rest/api/search',
    });
    expect(body.error.message).toMatch(/GET \/wiki\/rest\/api\/search/);
    expect(body.error.message).toMatch(/This deprecated endpoint has been removed/);
    expect(body.error.message).toMatch(/gateway needs an update/);
    expect(body.error.message).not.toMatch(/GoneException/);
    // A removed endpoint is not mistaken for a dead token: no refresh is spent on it.
    expect(await refreshCount()).toBe(0);
  });

  it('names a v2 operation with its ids left out', async () => {
    await injectFault({ match: { path_contains: `/pages/${SEED.pages.architecture}` }, status: 410 });
    const { status, body } = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_gone', operation: 'GET /wiki/api/v2/pages/{id}' });
  });
});
