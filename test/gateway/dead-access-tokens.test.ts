import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, clearRequestLog, confluenceRequests, connectAcme, SEED } from './support/tools.ts';

/**
 * Atlassian answers an access token that expired or was revoked early with 404 on v2 and 403 on v1
 * (docs/reference/atlassian/FACTS.md, "Observed on the OAuth gateway in 2026"). The gateway must tell that from a
 * page that is really missing, without spending a refresh on every genuine 404.
 */
interface Stats {
  token_requests: { refresh_token: number };
  accessible_resources_requests: number;
}
const stats = () => emulatorControl<Stats>('GET', '/stats');

beforeEach(async () => {
  await emulatorControl('POST', '/reset');
});

describe('an access token that died behind the gateway’s back', () => {
  it('30 concurrent page reads (answered 404) all succeed with exactly one refresh', async () => {
    const id = await connectAcme();
    expect((await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture })).status).toBe(
      200,
    );
    await emulatorControl('POST', '/tokens/expire', {});
    const before = await stats();

    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(200));
    expect(answers.every((answer) => answer.body.page.title === 'Architecture Overview')).toBe(true);
    const after = await stats();
    expect(after.token_requests.refresh_token - before.token_requests.refresh_token).toBe(1);
  });

  it('a CQL search answered 403 on v1 refreshes once and returns results', async () => {
    const id = await connectAcme();
    await emulatorControl('POST', '/tokens/expire', {});
    await clearRequestLog();
    const before = await stats();
    const { status, body } = await callTool(id, 'search_confluence_pages', { cql: 'type = page' });
    expect(status).toBe(200);
    expect(body.pages.length).toBeGreaterThan(0);
    expect((await stats()).token_requests.refresh_token - before.token_requests.refresh_token).toBe(1);
    expect((await confluenceRequests()).map((request) => request.status)).toEqual([403, 200]);
  });

  it('a revoked grant still ends in needs_reauth, not not_found', async () => {
    const id = await connectAcme();
    await emulatorControl('POST', '/tokens/revoke', {});
    const { status, body } = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(status).toBe(409);
    expect(body.error.code).toBe('needs_reauth');
  });

  it('a token within minutes of its recorded expiry is refreshed on a 404 without a probe', async () => {
    // Eight-minute tokens: past the gateway's 5-minute refresh margin, inside its 10-minute window.
    await emulatorControl('POST', '/config', { access_token_ttl_seconds: 480 });
    const id = await connectAcme();
    await emulatorControl('POST', '/config', { access_token_ttl_seconds: 3600 });
    await emulatorControl('POST', '/tokens/expire', {});
    const before = await stats();
    expect((await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture })).status).toBe(
      200,
    );
    const after = await stats();
    expect(after.token_requests.refresh_token - before.token_requests.refresh_token).toBe(1);
    expect(after.accessible_resources_requests).toBe(before.accessible_resources_requests);
  });
});

describe('a page that is really missing', () => {
  it('stays not_found with no refresh, and a run of such reads costs one probe', async () => {
    const id = await connectAcme();
    const before = await stats();
    for (let round = 0; round < 5; round++) {
      const { status, body } = await callTool(id, 'get_confluence_page', { page_id: '999999' });
      expect(status).toBe(404);
      expect(body.error.code).toBe('not_found');
    }
    const after = await stats();
    expect(after.token_requests.refresh_token).toBe(before.token_requests.refresh_token);
    expect(after.accessible_resources_requests - before.accessible_resources_requests).toBe(1);
  });

  it('concurrent reads of missing pages share one probe', async () => {
    const id = await connectAcme();
    const before = await stats();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        callTool(id, 'get_confluence_page', { page_id: String(900_000 + i) }),
      ),
    );
    expect(answers.map((answer) => answer.body.error?.code)).toEqual(Array(10).fill('not_found'));
    const after = await stats();
    expect(after.token_requests.refresh_token).toBe(before.token_requests.refresh_token);
    expect(after.accessible_resources_requests - before.accessible_resources_requests).toBe(1);
  });
});
